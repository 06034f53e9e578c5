"""As-is and to-be per journey stage: what should happen instead, the opportunities behind it, and KPIs.

One row per stage in `stage_plans`: `to_be` (what should happen), `as_is` (an optional summary of what
happens now; the coded quotes are the evidence), `kpis` (name, how measured, current value, target) and
the opportunity codes attached to the stage, whose codings are the evidence for the change. Every change
is one undoable command.

    stage_plans(store) -> list[StagePlan]        every stage in journey order (empty plans included)
    stage_plan(store, stage) -> StagePlan
    update_stage_plan(store, stage, to_be=..., kpis=..., attach=..., ...) -> StagePlan
    parse_kpi("Days to results=21->7") -> KPI
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from .codebook import find_code, get_code, list_codes, list_stages
from .models import Code, StudyError
from .study.actionlog import now

_ARROW = re.compile(r"\s*(?:->|→|=>)\s*")


@dataclass(frozen=True)
class KPI:
    name: str
    measure: str = ""    # how it is measured (source, definition)
    current: str = ""    # today's value, as the team writes it ("21 days", "62%")
    target: str = ""

    def line(self) -> str:
        """ "Days to results: 21 -> 7 (median days from scan to results call)" """
        values = " -> ".join(v or "?" for v in (self.current, self.target)) if self.current or self.target else ""
        text = f"{self.name}: {values}" if values else self.name
        return f"{text} ({self.measure})" if self.measure else text


@dataclass(frozen=True)
class StagePlan:
    stage: Code
    to_be: str = ""
    as_is: str = ""
    kpis: tuple[KPI, ...] = ()
    opportunities: tuple[Code, ...] = ()   # opportunity codes attached as evidence
    id: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.to_be or self.as_is or self.kpis or self.opportunities)


KPI_FORM = 'NAME=CURRENT->TARGET, e.g. "Days to results=21->7" (? for a value not known yet; |how measured may follow)'


def parse_kpi(text: str) -> KPI:
    """`NAME=CURRENT->TARGET`, optionally `|HOW MEASURED` after it; `NAME=->TARGET`, `NAME=CURRENT` and `?` for
    a value not known yet work too. A KPI with neither value written (`"bad kpi"`, `NAME=`) is refused:
    a KPI is a number to move, so its form is asked for rather than a bare name kept."""
    spec, _, measure = str(text).partition("|")
    name, eq, values = spec.partition("=")
    name = " ".join(name.split())
    if not name:
        raise StudyError(f"a KPI needs a name: {KPI_FORM}; not {text!r}")
    parts = [p.strip() for p in _ARROW.split(values.strip(), maxsplit=1)]
    if not eq or not any(parts):
        raise StudyError(f"a KPI is {KPI_FORM}; not {text!r}")
    current, target = (parts + [""])[:2]
    return KPI(name, " ".join(measure.split()), _known(current), _known(target))


def _known(value: str) -> str:
    return "" if value == "?" else value


def stage_plans(store) -> list[StagePlan]:
    rows = {r[1]: r for r in store.db.execute(
        "SELECT id, stage_id, as_is, to_be, kpis, opportunity_ids FROM stage_plans").fetchall()}
    codes = {c.id: c for c in list_codes(store)}
    return [_plan(stage, rows.get(stage.id), codes) for stage in list_stages(store)]


def stage_plan(store, stage: int | str | Code) -> StagePlan:
    code = find_stage(store, stage)
    return next(p for p in stage_plans(store) if p.stage.id == code.id)


def _plan(stage: Code, row, codes: dict[int, Code]) -> StagePlan:
    if row is None:
        return StagePlan(stage)
    kpis = tuple(KPI(**{k: str(v) for k, v in item.items() if k in KPI.__dataclass_fields__})
                 for item in json.loads(row[4]))
    opportunities = tuple(codes[c] for c in json.loads(row[5]) if c in codes)
    return StagePlan(stage, to_be=row[3], as_is=row[2], kpis=kpis, opportunities=opportunities, id=row[0])


def find_stage(store, stage: int | str | Code) -> Code:
    """A journey stage by id, name (any case), number in journey order (1, 2 ...) or a unique start of its name."""
    if isinstance(stage, Code):
        return stage
    if isinstance(stage, int):
        code = get_code(store, stage)
    else:
        stages = list_stages(store)
        wanted = " ".join(str(stage).split()).casefold()
        code = next((s for s in stages if s.name.casefold() == wanted), None)
        if code is None and wanted.isdigit() and 1 <= int(wanted) <= len(stages):
            code = stages[int(wanted) - 1]
        if code is None:
            starts = [s for s in stages if s.name.casefold().startswith(wanted)] if wanted else []
            if len(starts) != 1:
                names = ", ".join(s.name for s in stages) or "none"
                raise StudyError(f"no journey stage {str(stage)!r}; stages: {names}")
            code = starts[0]
    if code.kind != "stage":
        raise StudyError(f"{code.name!r} is a {code.kind.replace('_', ' ')} code, not a journey stage")
    return code


def update_stage_plan(store, stage: int | str | Code, *, to_be: str | None = None, as_is: str | None = None,
                      kpis: Iterable[KPI] = (), remove_kpis: Iterable[str] = (),
                      measures: dict[str, str] | None = None, attach: Iterable[int | str] = (),
                      detach: Iterable[int | str] = (), clear: bool = False) -> StagePlan:
    """Change one stage's plan as one undoable command. A KPI whose name is already there replaces it
    (keeping its 'how measured' unless a new one is given); `measures` sets how a KPI is measured."""
    code = find_stage(store, stage)
    kpis, attach = list(kpis), list(attach)
    plan = StagePlan(code) if clear else stage_plan(store, code)
    listed = {k.name.casefold(): k for k in plan.kpis}
    for name in remove_kpis:
        if listed.pop(" ".join(name.split()).casefold(), None) is None:
            raise StudyError(f"stage {code.name!r} has no KPI named {name!r}")
    for kpi in kpis:
        old = listed.get(kpi.name.casefold())
        if old is not None and not kpi.measure:
            kpi = KPI(kpi.name, old.measure, kpi.current or old.current, kpi.target or old.target)
        listed[kpi.name.casefold()] = kpi
    for name, how in (measures or {}).items():
        key = " ".join(name.split()).casefold()
        old = listed.get(key) or KPI(" ".join(name.split()))
        listed[key] = KPI(old.name, " ".join(how.split()), old.current, old.target)
    opportunities = [c.id for c in plan.opportunities]
    for ref in attach:
        oc = _opportunity(store, ref)
        if oc.id not in opportunities:
            opportunities.append(oc.id)
    for ref in detach:
        oc = _opportunity(store, ref)
        if oc.id not in opportunities:
            raise StudyError(f"{oc.name!r} is not attached to stage {code.name!r}")
        opportunities.remove(oc.id)
    values = {
        "to_be": plan.to_be if to_be is None else to_be.strip(),
        "as_is": plan.as_is if as_is is None else as_is.strip(),
        "kpis": json.dumps([asdict(k) for k in listed.values()]),
        "opportunity_ids": json.dumps(opportunities), "modified_at": now(),
    }
    row = store.db.execute("SELECT id FROM stage_plans WHERE stage_id = ?", [code.id]).fetchone()
    what = "cleared" if clear and not any((to_be, as_is, kpis, attach)) else "changed"
    with store.command("stage_plan", f"{what} the to-be plan of stage '{code.name}'") as rec:
        if row is None:
            rec.insert("stage_plans", {"stage_id": code.id, **values})
        else:
            rec.update("stage_plans", row[0], values)
    return stage_plan(store, code)


def _opportunity(store, ref: int | str) -> Code:
    code = get_code(store, ref) if isinstance(ref, int) else find_code(store, str(ref), "opportunity")
    if code.kind != "opportunity":
        raise StudyError(f"{code.name!r} is a {code.kind.replace('_', ' ')} code; attach opportunity codes")
    return code


def evidence(store, plan: StagePlan, quotes: Sequence | None = None) -> dict[int, tuple[int, int]]:
    """opportunity code id -> (quotes carrying it, participants behind them) over the whole journey."""
    from .synthesis import compute_journey

    quotes = compute_journey(store).quotes if quotes is None else quotes
    out = {}
    for oc in plan.opportunities:
        hits = [q for q in quotes if oc.id in q.code_ids("opportunity")]
        out[oc.id] = (len(hits), len({p for q in hits for p in q.participant_ids}))
    return out
