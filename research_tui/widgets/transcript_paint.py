"""Drawing one line of the transcript reader (see `TranscriptView.render_line`, which caches lines).

Kept apart from the widget's movement and selection logic; every offset is into the source text.
"""

from __future__ import annotations

from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual.color import Color, ColorParseError
from textual.strip import Strip

from .transcript_layout import BLANK, HEADER, QUESTION

_SAFE = {i: " " for i in range(32)}  # tabs and control characters draw as spaces (same length)


def paint_row(view, row: tuple[int, int, int, int], found: tuple[tuple[int, int], ...] = ()) -> Strip:
    """One line of the transcript: a turn header, or words with their codes' tints, the selection, the
    caret and the words found underlined. `view` is the TranscriptView (its styles and selection)."""
    kind, t, a, b = row
    doc = view.doc
    base = view.rich_style
    if kind == BLANK:
        return Strip([Segment("", base)], 0)
    turn = doc.turns[t]
    if kind in (HEADER, QUESTION) and turn.question:  # a survey answer: its question above it
        style = base + view.get_component_rich_style("transcript--question")
        return Strip([Segment(" " + turn.question[a:b], style)])
    if kind == HEADER:
        who = "transcript--speaker" if turn.role == "participant" else "transcript--interviewer"
        segs = [Segment(" " + turn.label, base + view.get_component_rich_style(who))]
        if turn.time:
            segs.append(Segment("  " + turn.time, base + view.get_component_rich_style("transcript--time")))
        if turn.not_speech:
            segs.append(Segment("  not speech", base + view.get_component_rich_style("transcript--not-speech")))
        return Strip(segs)
    if turn.not_speech:
        base = base + view.get_component_rich_style("transcript--not-speech", partial=True)
    sel_a, sel_b = view.sel_start, view.sel_end
    in_sel = a < sel_b and b > sel_a
    bar = "▌ " if in_sel else "  "
    segs = [Segment(bar, base + view.get_component_rich_style("transcript--bar"))]
    spans = [s for s in doc.turn_spans[t] if s.start < b and s.end > a]
    cuts = {a, b}
    for s in spans:
        cuts.update((max(s.start, a), min(s.end, b)))
    if in_sel:
        cuts.update((max(sel_a, a), min(sel_b, b)))
    for x, z in found:
        cuts.update((max(x, a), min(z, b)))
    caret = sel_b - 1 if view.edge == "end" else sel_a
    show_caret = in_sel and view.has_focus and a <= caret < b
    if show_caret:
        cuts.update((caret, caret + 1))
    sel_style = view.get_component_rich_style("transcript--selection", partial=True)
    caret_style = view.get_component_rich_style("transcript--caret", partial=True)
    match_style = view.get_component_rich_style("transcript--match", partial=True)
    bg = view.background_colors[1]
    points = sorted(cuts)
    text = doc.text
    for x, z in pairwise(points):
        if x >= z:
            continue
        style = base
        covering = [s for s in spans if s.start <= x and s.end >= z]
        if covering:
            inner = min(covering, key=lambda s: s.end - s.start)
            style = style + Style(bgcolor=_tint(bg, inner.colour))
            if len(covering) > 1:
                style = style + Style(underline=True)
        if any(m <= x and z <= n for m, n in found):
            style = style + match_style
        if in_sel and sel_a <= x and z <= sel_b:
            style = style + (sel_style if not covering else Style(bold=True, underline=True))
            if show_caret and x == caret:
                style = style + caret_style
        segs.append(Segment(text[x:z].translate(_SAFE), style))
    return Strip(segs)


def _tint(background: Color, colour: str):
    """A code colour mixed into the background, so text stays readable in light and dark themes."""
    try:
        code = Color.parse(colour)
    except ColorParseError:
        code = Color.parse("#888888")
    return background.blend(code, 0.45).rich_color
