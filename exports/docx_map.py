"""The journey map table: stages as columns, lanes as rows, Feeling cells shaded by mean valence.

The map is planned to fit one landscape page whatever fonts open it (widths measured with wide
fallback fonts, see `docx_fit`). Each cell has a budget: how many codes per lane, how many quotes in
Thinking and how long, whether pain points and opportunities carry a snippet. The first budget of
`LADDER` whose table fits the page is used; later budgets are smaller (fewer, shorter quotes; fewer
codes; a smaller size), so many stages or long names shrink the map rather than spill it. When the
report owns the map styles (no company template defines them) the text size is set on the "Journey
Map Text" and "Journey Map Lane" styles, never on runs, so a stakeholder can still restyle the map.
All stages share one table when some budget fits (columns at least 0.8" at 8 pt, in proportion at
smaller sizes: 10 stages fit at 7 pt on Letter); otherwise they split into two tables (or as many as
the columns need), each on its own page with its own header row. Only when even the smallest budget
is too tall does a table run onto the next page, between lanes, with its header row repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from docx.shared import Pt

from coding.synthesis import Journey, StageColumn

from .charts import valence_hex
from .docx_fit import Measure, paragraph_height
from .docx_kit import DocWriter, cell_margins, keep_row_together, repeat_header, set_widths, shade, table_style
from .map_cells import LADDER, LANES, Budget, Lines, header_counts, stage_anchor  # noqa: F401  (LADDER, stage_anchor: here too)

LANE_FILL, HEADER_FILL = "F2F2F2", "DCE6F0"
MIN_STAGE_WIDTH = 0.8          # inches at 8 pt (in proportion at other sizes): narrower columns break too
                               # many words
EMPTY_W = 0.85                 # inches: a stage with no quotes yet needs little room
CELL_MARGIN_IN = 0.05         # left and right padding of the map's cells (Word's default is 0.08")
ZWSP = "\u200b"                # lets a long stage name ("Renewal/Advocacy") break after its slash


# -- planning ----------------------------------------------------------------------------------------
@dataclass
class MapPlan:
    budget: Budget
    chunks: list[list[StageColumn]]    # one table each
    widths: list[list[float]]          # inches per table: the lane column, then stages
    heights: list[float]               # estimated points per table
    room: float                        # points available for a table on its page
    words_fit: bool = True             # every word in the map fits its cell (none broken inside)
    broken: frozenset[int] = frozenset()  # stages whose name may break after a "/" (code ids)
    lanes: tuple = LANES               # the six, and any extra ones (the To be and KPI lanes)

    @property
    def fits(self) -> bool:
        return self.words_fit and all(h <= self.room for h in self.heights)

    @property
    def note(self) -> str:
        """One line for the user when the map could not keep its page, else ""."""
        if self.fits:
            return ""
        why = f"at {self.budget.size:g} pt" if all(h > self.room for h in self.heights) else "with whole words"
        return (f"the journey map does not fit one landscape page {why}: it runs on to the next page, "
                "its header row repeated (a template's 'Journey Map Text' style sets the size)")


def _header(col: StageColumn, broken: frozenset[int]) -> Lines:
    name = col.name.replace("/", "/" + ZWSP) if col.stage.id in broken else col.name
    return [[(name, "b")], header_counts(col)]


def _rows(journey: Journey, chunk: list[StageColumn], anonymize: bool, b: Budget, broken: frozenset[int],
          lanes: tuple = LANES):
    yield [[[("Stage", "b")]]] + [_header(col, broken) for col in chunk]
    for lane, render, *_rest in lanes:
        yield [[[(lane, "b")]]] + [render(col, journey, anonymize, b) for col in chunk]


def _longest_word(m: Measure, name: str, size: float) -> float:
    """Inches the longest word of a stage name needs in its cell (bold), padding included."""
    return max((m.width(word, size, True) for word in name.split()), default=0.0) / 72 + 2 * CELL_MARGIN_IN


def plan_map(w: DocWriter, journey: Journey, anonymize: bool, *, size: float | None = None,
             spacing: float = 1.0, after: float = 1.0, lanes: tuple = LANES) -> MapPlan:
    """The first budget whose tables fit the page with no word broken inside; `size` fixes the text
    size (a template's own style)."""
    m = Measure()
    section = w.doc.sections[-1]
    usable_w = w.usable_width()
    room = (section.page_height - section.top_margin - section.bottom_margin) / 12700  # EMU -> points
    room -= _lead_height(w, m, usable_w) + 14  # heading and caption above the table; a safety margin
    columns = list(journey.stages)
    budgets = [replace(b, size=size) for b in LADDER] if size else list(LADDER)
    fallback: MapPlan | None = None  # when nothing fits: the fewest tables whose words fit, smallest budget
    smallest = budgets[-1].size
    lane_min = max(0.9, m.width("Opportunities", smallest + 0.5, True) / 72 + 2 * CELL_MARGIN_IN + 0.02)
    per_table = max(1, int((usable_w - lane_min) // (MIN_STAGE_WIDTH * smallest / 8)))
    most = max(2, -(-len(columns) // per_table))  # two tables, or as many as the columns need: no more
    for n_tables in range(1, most + 1):  # one table if any budget fits, else two …
        step = -(-len(columns) // n_tables) if columns else 1
        chunks = [columns[i:i + step] for i in range(0, len(columns), step)] or [[]]
        if len(chunks) < n_tables:
            continue
        for b in budgets:
            lane_w = max(0.9, m.width("Opportunities", b.size + 0.5, True) / 72 + 2 * CELL_MARGIN_IN + 0.02)
            if columns and (usable_w - lane_w) / step < MIN_STAGE_WIDTH * b.size / 8:
                continue
            plan = _plan(m, journey, anonymize, b, chunks, usable_w, lane_w, room, spacing, after, lanes)
            if plan.fits:
                return plan
            if fallback is None or (plan.words_fit and not fallback.words_fit) or (
                    plan.words_fit == fallback.words_fit and len(plan.chunks) == len(fallback.chunks)):
                fallback = plan
    if fallback is None:  # a page too narrow for any column: one table, the smallest budget
        fallback = _plan(m, journey, anonymize, budgets[-1], [columns], usable_w, 0.9, room, spacing, after, lanes)
    return fallback


def _plan(m: Measure, journey: Journey, anonymize: bool, b: Budget, chunks, usable_w: float, lane_w: float,
          room: float, spacing: float, after: float, lanes: tuple = LANES) -> MapPlan:
    """Widths that give every column its widest word where the page allows, then the heights."""
    widths, broken = [], set()
    for chunk in chunks:
        rows = list(_rows(journey, chunk, anonymize, b, frozenset(col.stage.id for col in chunk), lanes))
        mins = [max(m.widest([(t, "b" in f) for t, f, *_ in runs], b.size) for row in rows for runs in row[i])
                / 72 + 2 * CELL_MARGIN_IN for i in range(1, len(chunk) + 1)]
        ws = column_widths(usable_w, chunk, lane_w, mins)
        broken |= {col.stage.id for col, wd in zip(chunk, ws[1:]) if _longest_word(m, col.name, b.size) > wd}
        widths.append(ws)
    heights, words_fit = [], True
    for chunk, ws in zip(chunks, widths):
        height, fit = _table_height(m, journey, chunk, ws, anonymize, b, frozenset(broken), spacing, after, lanes)
        heights.append(height)
        words_fit = words_fit and fit
    return MapPlan(b, chunks, widths, heights, room, words_fit, frozenset(broken), lanes)


def _lead_height(w: DocWriter, m: Measure, usable_w: float) -> float:
    heading = w.doc.styles["Heading 1"]
    size = heading.font.size.pt if heading.font.size else 16.0
    before = heading.paragraph_format.space_before
    lead = paragraph_height(1, size, 1.15, before=before.pt if before is not None else 24.0, after=6)
    caption = m.lines([(CAPTION, False)], usable_w * 72, 9)
    return lead + paragraph_height(caption, 9, 1.15, after=10)


def _table_height(m: Measure, journey: Journey, chunk, widths, anonymize, b: Budget, broken: frozenset[int],
                  spacing: float, after: float, lanes: tuple = LANES) -> tuple[float, bool]:
    """Estimated points, and whether every word fits its cell (no word broken inside)."""
    total, words_fit = 0.0, True
    for row in _rows(journey, chunk, anonymize, b, broken, lanes):
        tallest = 0.0
        for i, (cell, width) in enumerate(zip(row, widths)):
            size = b.size + 0.5 if i == 0 else b.size
            inner = (width - 2 * CELL_MARGIN_IN) * 72
            height = 0.0
            for runs in cell:
                parts = [(t, "b" in f) for t, f, *_ in runs]
                height += paragraph_height(m.lines(parts, inner, size), size, spacing, after=after)
                words_fit = words_fit and m.widest(parts, size) <= inner
            tallest = max(tallest, height)
        total += tallest + 1.0  # the border between rows
    return total, words_fit


# -- writing -----------------------------------------------------------------------------------------
CAPTION = ("Stages in journey order; (n) = participants. Feeling cells and stage headers are shaded by "
           "mean valence: red negative, grey neutral, green positive.")


def _fill(cell, lines: Lines, w: DocWriter, style: str = "Journey Map Text") -> None:
    first = True
    for parts in lines:
        p = w.styled(cell.paragraphs[0] if first else cell.add_paragraph(), style)
        w.runs(parts, paragraph=p)
        first = False


def add_journey_map(w: DocWriter, journey: Journey, *, anonymize: bool, extra_lanes: tuple = ()) -> MapPlan:
    """The caption and the map's tables (see the module docstring); returns the plan it followed.
    `extra_lanes`: more (name, render[, fill]) rows after the six (the To be and KPI lanes), planned with them."""
    lanes = LANES + tuple(extra_lanes)
    text, lane = w.doc.styles["Journey Map Text"], w.doc.styles["Journey Map Lane"]
    owned = "Journey Map Text" in w.own_styles
    if owned:
        plan = plan_map(w, journey, anonymize, lanes=lanes)
        text.font.size, text.paragraph_format.line_spacing = Pt(plan.budget.size), 1.0
        text.paragraph_format.space_before, text.paragraph_format.space_after = Pt(0), Pt(1)
        if "Journey Map Lane" in w.own_styles:
            lane.font.size, lane.paragraph_format.line_spacing = Pt(plan.budget.size + 0.5), 1.0
    else:  # a company template's own map style: keep its size, plan the content around it
        fmt = text.paragraph_format
        spacing = fmt.line_spacing if isinstance(fmt.line_spacing, float) else 1.15
        plan = plan_map(w, journey, anonymize, size=text.font.size.pt if text.font.size else 8.0,
                        spacing=spacing, after=fmt.space_after.pt if fmt.space_after is not None else 10.0,
                        lanes=lanes)
    w.para(CAPTION, "Caption")
    for i, (chunk, widths) in enumerate(zip(plan.chunks, plan.widths)):
        if i:
            first = sum(len(c) for c in plan.chunks[:i]) + 1
            p = w.para(f"Journey map (continued: stages {first}–{first + len(chunk) - 1})", "Caption")
            p.paragraph_format.page_break_before = True
        _map_table(w, journey, chunk, widths, anonymize, plan)
    return plan


def _map_table(w: DocWriter, journey: Journey, columns: list[StageColumn], widths: list[float], anonymize: bool,
               plan: MapPlan):
    table = w.doc.add_table(rows=1 + len(plan.lanes), cols=1 + max(len(columns), 1))
    style = table_style(w.doc, "Table Grid")
    if style:
        table.style = w.doc.styles[style]
    cell_margins(table, CELL_MARGIN_IN)
    rows = list(_rows(journey, columns, anonymize, plan.budget, plan.broken, plan.lanes))
    for r, (row, cells) in enumerate(zip(table.rows, rows)):
        _fill(row.cells[0], cells[0], w, "Journey Map Lane" if r else "Journey Map Text")
        shade(row.cells[0], HEADER_FILL if r == 0 else LANE_FILL)
        for cell, col, lines in zip(row.cells[1:], columns, cells[1:]):
            _fill(cell, lines, w)
            if r == 0:
                shade(cell, valence_hex(col.valence.mean) or HEADER_FILL)
            elif len(plan.lanes[r - 1]) > 2:  # an extra lane with its own fill
                shade(cell, plan.lanes[r - 1][2])
            elif plan.lanes[r - 1][0] == "Feeling" and col.valence.mean is not None:
                shade(cell, valence_hex(col.valence.mean))
    repeat_header(table.rows[0])
    if not columns:
        _fill(table.rows[1].cells[1], [[("No stage codings yet: code quotes with a stage first.", "i")]], w)
    for row in table.rows:
        keep_row_together(row)
    set_widths(table, widths)
    return table


def column_widths(width: float, columns: list[StageColumn], lane_w: float = 1.15,
                  mins: list[float] | None = None) -> list[float]:
    """Inches: the lane column, then stages. Stages share the width equally, except that a stage with
    no quotes is narrow (0.85") and no column is narrower than `mins` (its longest word) when the
    page allows: water-filling, found by bisection."""
    if not columns:
        return [lane_w, width - lane_w]
    avail = width - lane_w
    mins = mins or [0.0] * len(columns)
    caps = [max(EMPTY_W, need) if not col.quotes else avail for col, need in zip(columns, mins)]

    def sized(x: float) -> list[float]:
        return [min(max(x, need), cap) for need, cap in zip(mins, caps)]

    if sum(sized(avail)) < avail - 1e-9 or sum(mins) > avail:  # only empty stages, or names too long
        return [lane_w] + [avail / len(columns)] * len(columns)
    lo, hi = 0.0, avail
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if sum(sized(mid)) < avail else (lo, mid)
    return [lane_w] + sized(hi)
