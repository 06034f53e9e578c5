"""Inter-coder agreement at the level of candidate quotes, and reconciling what two coders saw differently.

The units are the candidate quotes (`coding.nlp.segments`: participants' turns cut into sentences) of
the sources that every compared coder has coded (at least one coding each). A coder applied a code to a
unit when one of their codings of that code covers at least half of the unit, or lies wholly inside it
(a few words coded in a long sentence). For every code either coder used there, each unit is a yes/no
decision per coder, and:

- percent agreement: the share of units where all coders decided the same;
- Cohen's kappa (two coders): (p_o - p_e) / (1 - p_e), chance from each coder's own rate of yes;
- Krippendorff's alpha (any number of coders, nominal; the `krippendorff` package).

"All codes" pools every code's decisions; the mean over codes weighs each code once. A statistic that
is undefined (nobody ever applied the code, so there is no variation) is None, shown as "n/a".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .codebook import list_codes
from .models import StudyError


@dataclass(frozen=True)
class Unit:
    id: int            # the candidate quote's id
    source_id: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Scores:
    units: int
    percent: float | None
    kappa: float | None
    alpha: float | None
    applied: dict[str, int] = field(default_factory=dict)  # coder -> units they gave the code


@dataclass(frozen=True)
class CodeAgreement:
    code_id: int
    name: str
    kind: str
    scores: Scores


@dataclass(frozen=True)
class Disagreement:
    unit: Unit
    source_title: str
    codes: dict[str, tuple[int, ...]]   # coder -> code ids they applied to the unit (the codes in dispute)


@dataclass
class Agreement:
    coders: list[str]
    sources: list[str]
    overall: Scores | None
    mean_kappa: float | None
    mean_alpha: float | None
    codes: list[CodeAgreement]
    disagreements: list[Disagreement]
    units: int = 0   # candidate quotes compared

def coders(store) -> list[str]:
    """Everyone who has coded, most codings first."""
    return [c for c, _ in store.db.execute(
        "SELECT coder, count(*) n FROM codings GROUP BY coder ORDER BY n DESC, coder").fetchall()]


def covers(coding: tuple[int, int], unit: tuple[int, int]) -> bool:
    a, b = coding
    s, e = unit
    overlap = min(b, e) - max(a, s)
    return overlap > 0 and (2 * overlap >= e - s or (a >= s and b <= e))


def compute(store, chosen: list[str] | None = None) -> Agreement:
    from .nlp.segments import candidates

    everyone = coders(store)
    chosen = list(dict.fromkeys(chosen or everyone[:2]))
    unknown = [c for c in chosen if c not in everyone]
    if unknown:
        raise StudyError(f"no codings by {', '.join(map(repr, unknown))}; coders in this study: "
                         f"{', '.join(everyone) or 'none'}")
    if len(chosen) < 2:
        raise StudyError("agreement needs two coders with codings in the same sources; this study has "
                         f"{len(everyone)} ({', '.join(everyone) or 'none'}); `research-tui merge` brings a "
                         "colleague's codings in")
    rows = store.db.execute(
        f"SELECT source_id, char_start, char_end, code_id, coder FROM codings WHERE coder IN "
        f"({','.join('?' * len(chosen))})", chosen).fetchall()
    by_source: dict[int, dict[str, list[tuple[int, int, int]]]] = {}
    for sid, a, b, code_id, coder in rows:
        by_source.setdefault(sid, {}).setdefault(coder, []).append((a, b, code_id))
    shared = [sid for sid, per in by_source.items() if all(per.get(c) for c in chosen)]
    titles = {s.id: s.title for s in store.sources()}
    order = {s.id: s.position for s in store.sources()}
    shared.sort(key=lambda sid: order[sid])
    decisions: dict[int, dict[str, list[bool]]] = {}  # code -> coder -> yes/no per unit
    disagreements: list[Disagreement] = []
    codes_used = sorted({code for sid in shared for c in chosen for _, _, code in by_source[sid][c]})
    n_units = 0
    for sid in shared:
        for cand in candidates(store, source_id=sid):
            n_units += 1
            unit = (cand.start, cand.end)
            applied = {c: {code for a, b, code in by_source[sid][c] if covers((a, b), unit)} for c in chosen}
            for code in codes_used:
                per = decisions.setdefault(code, {c: [] for c in chosen})
                for c in chosen:
                    per[c].append(code in applied[c])
            disputed = set.union(*applied.values()) - set.intersection(*applied.values())
            if disputed:
                disagreements.append(Disagreement(
                    Unit(cand.id, sid, cand.start, cand.end, cand.text), titles[sid],
                    {c: tuple(sorted(applied[c] & disputed)) for c in chosen}))
    code_rows = {c.id: c for c in list_codes(store)}
    per_code = [CodeAgreement(code, code_rows[code].name, code_rows[code].kind, scores(decisions[code], chosen))
                for code in codes_used if code in code_rows]
    pooled = {c: [x for code in codes_used for x in decisions.get(code, {}).get(c, [])] for c in chosen}
    overall = scores(pooled, chosen) if any(pooled.values()) else None
    return Agreement(chosen, [titles[s] for s in shared], overall,
                     _mean([a.scores.kappa for a in per_code]), _mean([a.scores.alpha for a in per_code]),
                     per_code, disagreements, n_units)


def _mean(values: list[float | None]) -> float | None:
    real = [v for v in values if v is not None]
    return sum(real) / len(real) if real else None


def scores(decisions: dict[str, list[bool]], chosen: list[str]) -> Scores:
    columns = [decisions[c] for c in chosen]
    n = len(columns[0])
    if n == 0:
        return Scores(0, None, None, None, {c: 0 for c in chosen})
    agree = sum(1 for row in zip(*columns) if len(set(row)) == 1)
    kappa = cohen_kappa(columns[0], columns[1]) if len(chosen) == 2 else None
    return Scores(n, agree / n, kappa, krippendorff_alpha(columns), {c: sum(col) for c, col in zip(chosen, columns)})


def cohen_kappa(a: list[bool], b: list[bool]) -> float | None:
    n = len(a)
    if n == 0:
        return None
    p_o = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    p_e = pa * pb + (1 - pa) * (1 - pb)
    return None if p_e == 1 else (p_o - p_e) / (1 - p_e)


def krippendorff_alpha(columns: list[list[bool]]) -> float | None:
    """Nominal alpha over coders x units (the `krippendorff` package); None without variation."""
    values = Counter(x for col in columns for x in col)
    if len(values) < 2:
        return None
    import krippendorff

    data = [[1 if x else 0 for x in col] for col in columns]
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


# -- reconciling -----------------------------------------------------------------------------------
def resolve(store, d: Disagreement, keep: str | None) -> int:
    """Settle one disputed unit: everyone takes `keep`'s codes there (a coder's name), or, with None,
    everyone takes every code anyone gave it. One undoable command; returns codings added + removed.

    A coder who adopts a code gets a coding of that code on the span the other coder chose; a code that
    is dropped loses the codings of it that cover the unit (and only those).
    """
    target = set(d.codes[keep]) if keep is not None else set().union(*d.codes.values())
    if keep is not None and keep not in d.codes:
        raise StudyError(f"{keep!r} is not one of the coders compared here ({', '.join(d.codes)})")
    unit = (d.unit.start, d.unit.end)
    rows = store.db.execute(
        "SELECT id, char_start, char_end, code_id, coder, memo FROM codings WHERE source_id = ? AND "
        "char_start < ? AND char_end > ?", [d.unit.source_id, d.unit.end, d.unit.start]).fetchall()
    covering = [r for r in rows if covers((r[1], r[2]), unit)]
    changed = 0
    how = f"kept {keep}'s codes" if keep else "kept every coder's codes"
    from .study.actionlog import now

    with store.command("reconcile", f"reconciled '{d.unit.text[:40]}': {how}") as rec:
        for coder in d.codes:
            mine = {r[3] for r in covering if r[4] == coder}
            for code in sorted(target - mine):
                model = next(r for r in covering if r[3] == code)
                stamp = now()
                rec.insert("codings", {"source_id": d.unit.source_id, "char_start": model[1], "char_end": model[2],
                                       "code_id": code, "coder": coder, "origin": "human", "created_at": stamp,
                                       "modified_at": stamp, "memo": f"reconciled by {store.coder}"})
                changed += 1
            for r in covering:
                if r[4] == coder and r[3] in set(d.codes[coder]) - target:
                    rec.delete("codings", r[0])
                    changed += 1
    return changed
