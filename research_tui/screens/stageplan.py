"""The to-be plan of one journey stage: what should happen, what happens now, KPIs and the opportunities
behind it. Returns the values; the Journey screen saves them as one undoable command."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from coding.codebook import list_codes
from coding.models import Code, StudyError
from coding.stageplans import KPI, StagePlan, parse_kpi

from .base import StudioModal
from .dialogs import CANCEL, SAVE

KPI_HINT = "one per line: NAME=CURRENT->TARGET|how measured   e.g. Days to results=21->7|median days, scan to call"


def kpi_text(kpis: tuple[KPI, ...]) -> str:
    lines = []
    for k in kpis:
        line = f"{k.name}={k.current or '?'}->{k.target or '?'}"
        if k.measure:
            line += f"|{k.measure}"
        lines.append(line)
    return "\n".join(lines)


def parse_kpis(text: str) -> list[KPI]:
    """Every non-empty line as a KPI; a bad line raises StudyError naming its line number."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(parse_kpi(line))
            except StudyError as exc:
                raise StudyError(f"KPI line {number}: {exc.detail}") from None
    return out


class StagePlanDialog(StudioModal[dict | None]):
    """To be, as is, KPIs (one per line) and the opportunity codes attached; ctrl+s saves."""

    CSS_PATH = ["dialogs.tcss", "stageplan.tcss"]
    BINDINGS = [SAVE, CANCEL]

    def __init__(self, plan: StagePlan, opportunities: list[tuple[Code, int, int]]) -> None:
        """`opportunities`: every opportunity code with (quotes at this stage, quotes in the study)."""
        super().__init__()
        self.plan = plan
        self.opportunities = opportunities

    def compose(self) -> ComposeResult:
        p = self.plan
        attached = {c.id for c in p.opportunities}
        with Vertical(classes="dialog stage-plan"):
            yield Label(f"To-be plan: {p.stage.name}", classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Label("To be: what should happen instead")
                yield TextArea(p.to_be, id="to-be", soft_wrap=True)
                yield Label("As is: what happens now (optional; the coded quotes are the evidence)")
                yield TextArea(p.as_is, id="as-is", soft_wrap=True)
                yield Label("KPIs")
                yield TextArea(kpi_text(p.kpis), id="kpis", soft_wrap=False)
                yield Static(KPI_HINT, classes="dialog-hint", markup=False)
                yield Label("Opportunities attached (space toggles; quotes at this stage / in the journey)")
                yield SelectionList[int](
                    *[Selection(f"{c.name}  ({here} / {total})", c.id, c.id in attached)
                      for c, here, total in self.opportunities], id="opportunities")
            yield Static("ctrl+s saves · escape cancels · tab moves", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#to-be", TextArea).focus()

    def action_save(self) -> None:
        try:
            kpis = parse_kpis(self.query_one("#kpis", TextArea).text)
        except StudyError as exc:
            self.notify(str(exc), severity="error")
            return
        self.finish({
            "to_be": self.query_one("#to-be", TextArea).text.strip(),
            "as_is": self.query_one("#as-is", TextArea).text.strip(),
            "kpis": kpis,
            "opportunities": list(self.query_one("#opportunities", SelectionList).selected),
        })

    def action_cancel(self) -> None:
        self.finish(None)


# -- what the Journey screen shows and asks (kept here: journey.py stays a map and its moments) -----------
PLAN_LANES = ("To be", "KPIs")
EVERYONE = "(everyone)"


def plan_text(plan: StagePlan | None, lane: str) -> str:
    """One cell of the terminal map's To be or KPIs lane."""
    if plan is None or plan.empty:
        return "—"
    if lane == "To be":
        return plan.to_be or ", ".join(c.name for c in plan.opportunities) or "—"
    return "; ".join(f"{k.name} {k.current or '?'}→{k.target or '?'}" for k in plan.kpis) or "—"


def plan_detail(plan: StagePlan | None) -> list:
    """Content parts: a moment's stage's to-be, KPIs and opportunities, under the moment."""
    if plan is None or plan.empty:
        return []
    parts: list = ["\n", ("To be: ", "bold"), plan.to_be or "—"]
    for k in plan.kpis:
        parts += ["\n", ("KPI ", "bold"), k.line()]
    if plan.opportunities:
        parts += ["\n", ("Opportunities: ", "bold"), ", ".join(c.name for c in plan.opportunities)]
    return parts


def edit_stage_plan(screen) -> None:
    """Pick a stage (the highlighted moment's first), edit its plan, save it as one undoable command."""
    from coding.stageplans import StagePlan, update_stage_plan

    from .base import succeeds
    from .picker import Item, PickList

    journey = screen.journey
    if journey is None or not journey.stages:
        screen.notify("No journey stages yet", severity="warning")
        return
    moment = getattr(screen, "_shown_moment", None)
    columns = sorted(journey.stages, key=lambda col: moment is None or col.stage.id != moment.stage.id)
    items = [Item(col.name, col.stage.id, "to-be written" if not screen.plans.get(col.stage.id, StagePlan(
        col.stage)).empty else "no plan yet") for col in columns]
    totals: dict[int, int] = {}
    for col in journey.stages:
        for t in col.opportunities:
            totals[t.code.id] = totals.get(t.code.id, 0) + t.quotes

    def chosen(stage_id) -> None:
        if stage_id is None:
            return
        col = next(c for c in journey.stages if c.stage.id == stage_id)
        here = {t.code.id: t.quotes for t in col.opportunities}
        codes = sorted(list_codes(screen.store, "opportunity"), key=lambda c: (-here.get(c.id, 0), c.position, c.name))
        plan = screen.plans.get(stage_id) or StagePlan(col.stage)

        def save(values: dict | None) -> None:
            if values is not None and succeeds(screen, update_stage_plan, screen.store, stage_id, clear=True,
                                               to_be=values["to_be"], as_is=values["as_is"], kpis=values["kpis"],
                                               attach=values["opportunities"]):
                screen.notify(f"Saved the to-be plan of {col.name}", timeout=3)
                screen.reload()

        screen.app.push_screen(StagePlanDialog(plan, [(c, here.get(c.id, 0), totals.get(c.id, 0)) for c in codes]),
                               save)

    screen.app.push_screen(PickList("To-be plan of which stage?", items), chosen)


def choose_persona(screen) -> None:
    """The journey of one persona's participants (or everyone's again)."""
    from coding import personas

    from .picker import Item, PickList

    stored = personas.personas(screen.store)
    if not stored:
        screen.notify("No personas yet: P opens the Personas screen, where d drafts them", severity="warning")
        return
    items = [Item(EVERYONE, EVERYONE, "no persona")]
    items += [Item(p.name, p.id, f"{len(p.participant_ids)} participants") for p in stored if p.participant_ids]

    def chosen(value) -> None:
        if value == EVERYONE:
            screen.set_segment(None)
        elif value is not None:
            persona = next(p for p in stored if p.id == value)
            screen.set_segment(("persona", persona.name), persona.participant_ids)

    screen.app.push_screen(PickList("Journey of which persona?", items), chosen)
