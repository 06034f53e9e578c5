"""The journey map table: stages as columns, lanes as rows, Feeling cells shaded by mean valence."""

from __future__ import annotations

from collections.abc import Callable

from coding.synthesis import CodeTally, Journey, StageColumn

from .anonymize import truncate
from .charts import valence_hex
from .common import fmt_valence
from .docx_kit import DocWriter, keep_row_together, repeat_header, set_widths, shade, table_style

Run = tuple[str, str]          # (text, format: "b" bold, "i" italic, "g" grey)
Lines = list[list[Run]]        # paragraphs of runs
MAX_STAGES_PER_TABLE = 7
LANE_FILL, HEADER_FILL = "F2F2F2", "DCE6F0"
EMPTY: Lines = [[("—", "g")]]


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _tallies(tallies: tuple[CodeTally, ...], limit: int, extra: Callable[[CodeTally], str] | None = None,
             more: bool = True) -> Lines:
    """"Name (people)" per code, most frequent first; the quote counts are in the stage sections."""
    lines = []
    for t in tallies[:limit]:
        detail = f" ({t.participants})"
        if extra:
            detail += extra(t)
        lines.append([(t.code.name, "b"), (detail, "g")])
    if more and len(tallies) > limit:
        lines.append([(f"+ {len(tallies) - limit} more", "g")])
    return lines or EMPTY


def _touchpoint_extra(t: CodeTally) -> str:
    attrs = t.code.attributes
    bits = []
    if attrs.get("channel"):
        bits.append(str(attrs["channel"]))
    if "owned" in attrs:
        bits.append("owned" if attrs["owned"] in (True, "true", "yes", 1) else "not owned")
    return f" {', '.join(bits)}" if bits else ""


def doing(col: StageColumn, journey: Journey, anonymize: bool) -> Lines:
    return _tallies(col.touchpoints, 3, _touchpoint_extra)


def thinking(col: StageColumn, journey: Journey, anonymize: bool) -> Lines:
    lines = [[(f"“{truncate(q.text, 60)}”", "i"), (f" — {journey.quote_label(q, anonymize)}", "g")]
             for q in col.representative[:2]]
    return lines or EMPTY


def feeling(col: StageColumn, journey: Journey, anonymize: bool) -> Lines:
    v = col.valence
    if v.n:
        spread = f" (n={v.n}" + (f", {fmt_valence(v.min)} to {fmt_valence(v.max)})" if v.n > 1 else ")")
        lines = [[(f"mean {fmt_valence(v.mean)}", "b"), (spread, "g")]]
    else:
        lines = [[("no valence", "g")]]
    emotions = _tallies(col.emotions, 3, more=False)
    return lines + (emotions if emotions is not EMPTY else [])


def needs(col: StageColumn, journey: Journey, anonymize: bool) -> Lines:
    """The four needs most participants voiced here, each tagged functional or emotional."""
    tagged = [(t, label) for label, group in (("functional", col.needs_functional),
                                              ("emotional", col.needs_emotional), ("", col.needs_other))
              for t in group]
    tagged.sort(key=lambda pair: -pair[0].participants)  # stable: codebook order among equals
    lines: Lines = [[(t.code.name, "b"), (f" ({t.participants}{', ' + label if label else ''})", "g")]
                    for t, label in tagged[:4]]
    if len(tagged) > 4:
        lines.append([(f"+ {len(tagged) - 4} more", "g")])
    return lines or EMPTY


def _with_snippet(tallies: tuple[CodeTally, ...], col: StageColumn) -> Lines:
    lines: Lines = []
    by_coding = {a.coding_id: a for q in col.quotes for a in q.attached}
    for t in tallies[:3]:
        lines.append([(t.code.name, "b"), (f" ({t.participants})", "g")])
        first = by_coding.get(t.coding_ids[0]) if t.coding_ids else None
        if first is not None:
            lines.append([(f"“{truncate(first.memo or first.text, 50)}”", "i")])
    return lines or EMPTY


def pains(col: StageColumn, journey: Journey, anonymize: bool) -> Lines:
    return _with_snippet(col.pain_points, col)


def opportunities(col: StageColumn, journey: Journey, anonymize: bool) -> Lines:
    return _with_snippet(col.opportunities, col)


LANES = (("Doing", doing), ("Thinking", thinking), ("Feeling", feeling), ("Needs", needs),
         ("Pain points", pains), ("Opportunities", opportunities))


def _fill(cell, lines: Lines, w: DocWriter) -> None:
    first = True
    for parts in lines:
        p = w.styled(cell.paragraphs[0] if first else cell.add_paragraph(), "Journey Map Text")
        w.runs(parts, paragraph=p)
        first = False


def add_journey_map(w: DocWriter, journey: Journey, *, anonymize: bool) -> list:
    """One table per up to seven stages; returns the tables."""
    columns = list(journey.stages)
    tables = []
    for start in range(0, max(len(columns), 1), MAX_STAGES_PER_TABLE):
        chunk = columns[start:start + MAX_STAGES_PER_TABLE]
        if start:
            w.para(f"Journey map (continued: stages {start + 1}–{start + len(chunk)})", "Caption")
        tables.append(_map_table(w, journey, chunk, anonymize))
    return tables


def _map_table(w: DocWriter, journey: Journey, columns: list[StageColumn], anonymize: bool):
    table = w.doc.add_table(rows=1 + len(LANES), cols=1 + max(len(columns), 1))
    style = table_style(w.doc, "Table Grid")
    if style:
        table.style = w.doc.styles[style]
    header = table.rows[0].cells
    _fill(header[0], [[("Stage", "b")]], w)
    shade(header[0], HEADER_FILL)
    for cell, col in zip(header[1:], columns):
        counts = f"{_people(len(col.participant_ids))} · {len(col.quotes)} quotes" if col.quotes else "no quotes"
        _fill(cell, [[(col.name, "b")], [(counts, "g")]], w)
        shade(cell, valence_hex(col.valence.mean) or HEADER_FILL)
    repeat_header(table.rows[0])
    for row, (lane, render) in zip(table.rows[1:], LANES):
        cells = row.cells
        _fill(cells[0], [[(lane, "b")]], w)
        w.styled(cells[0].paragraphs[0], "Journey Map Lane")
        shade(cells[0], LANE_FILL)
        for cell, col in zip(cells[1:], columns):
            _fill(cell, render(col, journey, anonymize), w)
            if lane == "Feeling" and col.valence.mean is not None:
                shade(cell, valence_hex(col.valence.mean))
    if not columns:
        _fill(table.rows[1].cells[1], [[("No stage codings yet: code quotes with a stage first.", "i")]], w)
    for row in table.rows:
        keep_row_together(row)
    set_widths(table, column_widths(w.usable_width(), columns))
    return table


def column_widths(width: float, columns: list[StageColumn]) -> list[float]:
    """Inches: the lane column, then stages; a stage with no quotes gets a narrow column."""
    lane_w, empty_w = 1.15, 0.85
    if not columns:
        return [lane_w, width - lane_w]
    empty = [not col.quotes for col in columns]
    full = len(columns) - sum(empty)
    if full == 0 or full == len(columns):
        return [lane_w] + [(width - lane_w) / len(columns)] * len(columns)
    full_w = (width - lane_w - empty_w * sum(empty)) / full
    return [lane_w] + [empty_w if e else full_w for e in empty]
