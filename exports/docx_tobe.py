"""As-is and to-be in the report: the To be and KPI lanes of the journey map, and the to-be page that sets
each moment that matters beside what should happen and how it will be measured."""

from __future__ import annotations

from coding.stageplans import StagePlan
from coding.synthesis import Journey, Moment, StageColumn

from .anonymize import truncate
from .common import fmt_valence, plural
from .docx_kit import DocWriter, keep_row_together, set_widths, shade, table_style
from .evidence import code_cite, moment_cite
from .map_cells import TOBE_FILL, has_plans, map_lanes  # noqa: F401  (has_plans, map_lanes: here too)

Lines = list[list[tuple[str, str]]]
EMPTY: Lines = [[("—", "g")]]


def add_to_be(w: DocWriter, journey: Journey, plans: dict[int, StagePlan], moments: tuple[Moment, ...],
              evidence: dict[int, tuple[int, int]], attribution) -> int:
    """The as-is/to-be table: each moment that matters beside its stage's to-be, KPIs and evidence; then
    the other stages that have a plan. Returns the number of rows."""
    w.para("Each moment that matters as it is now (from the coded quotes), beside what should happen instead, "
           "how the change will be measured, and the opportunities behind it (quotes and participants coded "
           "with each opportunity).", "Caption")
    rows = []
    seen = set()
    for rank, m in enumerate(moments, start=1):
        rows.append((f"{rank}. {m.title}", _as_is(m, attribution), plans.get(m.stage.id)))
        seen.add(m.stage.id)
    for col in journey.stages:
        plan = plans.get(col.stage.id)
        if col.stage.id not in seen and plan is not None and not plan.empty:
            rows.append((col.name, _stage_as_is(col), plan))
    table = w.doc.add_table(rows=1, cols=4)
    style = table_style(w.doc, "Table Grid")
    if style:
        table.style = w.doc.styles[style]
    for cell, title in zip(table.rows[0].cells, ("As is: what happens now", "To be: what should happen",
                                                 "How we will measure it", "Evidence")):
        _put(w, cell, [[(title, "b")]])
        shade(cell, "DCE6F0")
    for title, as_is, plan in rows:
        cells = table.add_row().cells
        _put(w, cells[0], [[(title, "b")], *as_is])
        if plan is not None and (plan.to_be or plan.as_is):
            _put(w, cells[1], ([[(plan.to_be, "")]] if plan.to_be else [[("(no to-be written yet)", "gi")]])
                 + ([[("Now: ", "b"), (plan.as_is, "g")]] if plan.as_is else []))
            shade(cells[1], TOBE_FILL)
        else:
            _put(w, cells[1], [[("No to-be written yet.", "gi")]])
        _put(w, cells[2], _kpi_lines(plan))
        _put(w, cells[3], _evidence_lines(journey, plan, evidence))
        keep_row_together(table.rows[-1])
    set_widths(table, _widths(w.usable_width()))
    w.doc.add_paragraph()
    return len(rows)


def _widths(width: float) -> list[float]:
    return [width * 0.30, width * 0.28, width * 0.21, width * 0.21]


def _as_is(m: Moment, attribution) -> Lines:
    lines: Lines = [[(f"{m.sign}, mean valence {fmt_valence(m.mean_valence)}; "
                      f"{len(m.participant_ids)} of {m.n_journey} participants", "g", moment_cite(m))]]
    if m.quotes:
        q = m.quotes[0]
        lines.append([(f"“{truncate(q.text, 140)}”", "i"), (f" — {attribution(q)}", "g")])
    return lines


def _stage_as_is(col: StageColumn) -> Lines:
    v = col.valence
    lines: Lines = [[(f"mean valence {fmt_valence(v.mean)}; {plural(len(col.participant_ids), 'participant')}",
                      "g")]]
    if col.pain_points:
        lines.append([("Pain: ", "b"), (", ".join(t.code.name for t in col.pain_points[:2]), "")])
    return lines


def _kpi_lines(plan: StagePlan | None) -> Lines:
    if plan is None or not plan.kpis:
        return [[("No KPI yet.", "gi")]]
    lines: Lines = []
    for k in plan.kpis:
        lines.append([(k.name, "b"), (f": {k.current or '?'} → {k.target or '?'}" if (k.current or k.target)
                                      else "", "")])
        if k.measure:
            lines.append([(k.measure, "g")])
    return lines


def _evidence_lines(journey: Journey, plan: StagePlan | None, evidence: dict[int, tuple[int, int]]) -> Lines:
    if plan is None or not plan.opportunities:
        return EMPTY
    lines: Lines = []
    for oc in plan.opportunities:
        quotes, people = evidence.get(oc.id, (0, 0))
        cite = code_cite(journey, None, oc)
        lines.append([(oc.name, "b", cite),
                      (f" ({plural(quotes, 'quote')}, {plural(people, 'participant')})", "g", cite)])
    return lines


def _put(w: DocWriter, cell, lines: Lines) -> None:
    first = True
    for parts in lines:
        p = w.styled(cell.paragraphs[0] if first else cell.add_paragraph(), "Journey Table Text")
        w.runs(parts, paragraph=p)
        first = False
