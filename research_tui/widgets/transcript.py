"""The transcript reader widget: a Line API view that draws only the visible lines.

It shows a `TranscriptDoc` (turns, sentences, coded spans) and owns the view state: the cursor
sentence and the selection, an exact character span of the source text. It announces selection
changes with `SelectionChanged`; the reader screen decides what to do with them.
"""

from __future__ import annotations

import bisect

from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .transcript_layout import (
    INDENT,
    TEXT,
    TranscriptDoc,
    line_at_offset,
    word_left,
    word_right,
)
from .transcript_paint import paint_row


class TranscriptView(ScrollView, can_focus=True):
    """Turns of one source with coded spans tinted in their code colours."""

    BINDINGS = [
        Binding("j,down", "move(1)", "Next sentence", id="reader.next_sentence", show=False),
        Binding("k,up", "move(-1)", "Previous sentence", id="reader.prev_sentence", show=False),
        Binding("right_square_bracket", "turn(1)", "Next turn", id="reader.next_turn", show=False),
        Binding("left_square_bracket", "turn(-1)", "Previous turn", id="reader.prev_turn", show=False),
        Binding("shift+down", "extend(1)", "Extend selection down a sentence", id="reader.extend_down",
                show=False),
        Binding("shift+up", "extend(-1)", "Extend selection up a sentence", id="reader.extend_up", show=False),
        Binding("right_curly_bracket", "extend_turn(1)", "Extend selection to the next turn",
                id="reader.extend_turn_down", show=False, key_display="}"),
        Binding("left_curly_bracket", "extend_turn(-1)", "Extend selection to the previous turn",
                id="reader.extend_turn_up", show=False, key_display="{"),
        Binding("v", "toggle_select", "Select mode (j/k extend)", id="reader.select_mode", show=False),
        Binding("h,shift+left", "edge(-1)", "Move selection edge a word left", id="reader.edge_left",
                show=False),
        Binding("l,shift+right", "edge(1)", "Move selection edge a word right", id="reader.edge_right",
                show=False),
        Binding("o", "swap_edge", "Switch selection edge (start/end)", id="reader.swap_edge", show=False),
        Binding("escape", "collapse", "Clear selection", id="reader.clear_selection", show=False),
        Binding("pagedown", "page(1)", "Page down", id="reader.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="reader.page_up", show=False),
        Binding("home", "jump(0)", "First sentence", id="reader.first", show=False),
        Binding("end", "jump(-1)", "Last sentence", id="reader.last", show=False),
    ]
    COMPONENT_CLASSES = {
        "transcript--speaker", "transcript--interviewer", "transcript--time", "transcript--selection",
        "transcript--bar", "transcript--caret", "transcript--question", "transcript--not-speech",
        "transcript--match",
    }
    DEFAULT_CSS = """
    TranscriptView { overflow-x: hidden; scrollbar-gutter: stable; background: $surface; }
    TranscriptView > .transcript--speaker { color: $text-accent; text-style: bold; }
    TranscriptView > .transcript--interviewer { color: $text-muted; text-style: bold; }
    TranscriptView > .transcript--time { color: $text-muted; }
    TranscriptView > .transcript--question { color: $text-accent; text-style: italic; }
    TranscriptView > .transcript--selection { background: $primary 35%; text-style: bold; }
    TranscriptView > .transcript--bar { color: $text-accent; }
    TranscriptView > .transcript--caret { text-style: reverse; }
    TranscriptView > .transcript--not-speech { color: $text-muted; text-style: italic; }
    TranscriptView > .transcript--match { text-style: underline; color: $text-warning; }
    """

    class SelectionChanged(Message):
        """The selection moved or changed size."""

        def __init__(self, view: TranscriptView, start: int, end: int) -> None:
            self.view = view
            self.start = start
            self.end = end
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc: TranscriptDoc | None = None
        self.cursor = 0          # sentence index at the moving end of the selection
        self.anchor = 0          # sentence index where the selection started
        self.sel_start = 0       # the selection: text[sel_start:sel_end]
        self.sel_end = 0
        self.edge = "end"        # which edge h/l move
        self.select_mode = False
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._center_when_sized = False  # a load asked to centre the cursor before the view had a size
        self.matches: list[tuple[int, int]] = []  # found words (reader's find), underlined
        self._match_starts: list[int] = []

    # -- data in ---------------------------------------------------------------------------------
    def load(self, doc: TranscriptDoc, *, at: int | None = None, span: tuple[int, int] | None = None,
             center: bool = True) -> None:
        """Show `doc`, with the cursor on the sentence at offset `at` (or selecting `span`)."""
        self.doc = doc
        self.select_mode = False
        if not doc.sentences:
            self.cursor = self.anchor = self.sel_start = self.sel_end = 0
        elif span is not None:
            self.anchor = doc.sentence_at(span[0])
            self.cursor = doc.sentence_at(max(span[0], span[1] - 1))
            self.sel_start, self.sel_end = span
            self.edge = "end"
        else:
            self._collapse_to(doc.sentence_at(at if at is not None else 0))
        self._relayout()
        self._changed(scroll=True, center=center)

    @property
    def selection(self) -> tuple[int, int]:
        return self.sel_start, self.sel_end

    def set_matches(self, spans: list[tuple[int, int]]) -> None:
        """Underline these spans (sorted, not overlapping): the words the reader's find found."""
        self.matches = list(spans)
        self._match_starts = [a for a, _ in self.matches]
        self._cache.clear()
        self.refresh()

    def select_span(self, start: int, end: int) -> None:
        """Select exactly text[start:end] (a match found), the cursor on its sentence, scrolled into view."""
        if not self._ready():
            return
        self.select_mode = False
        self.anchor = self.doc.sentence_at(start)
        self.cursor = self.doc.sentence_at(max(start, end - 1))
        self.sel_start, self.sel_end = start, end
        self.edge = "end"
        self._changed()

    def _matches_in(self, a: int, b: int) -> tuple[tuple[int, int], ...]:
        i = bisect.bisect_left(self._match_starts, a)
        if i and self.matches[i - 1][1] > a:
            i -= 1
        out = []
        while i < len(self.matches) and self.matches[i][0] < b:
            out.append(self.matches[i])
            i += 1
        return tuple(out)

    @property
    def current_turn(self) -> int:
        return self.doc.sentence_turn[self.cursor] if self.doc and self.doc.sentences else 0

    # -- layout and drawing ----------------------------------------------------------------------
    def _width(self) -> int:
        return max(INDENT + 8, self.scrollable_content_region.width)

    def _relayout(self) -> None:
        if self.doc is None:
            self.virtual_size = Size(0, 0)
            return
        if not self._sized():
            return  # not sized yet: on_resize lays out once the width is known (a 2,000-turn layout is 0.2 s)
        layout = self.doc.layout(self._width())
        self.virtual_size = Size(self._width(), len(layout.lines))
        self._cache.clear()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        center, self._center_when_sized = self._center_when_sized, False
        self._scroll_to_cursor(center=center)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        if self.doc is None or not width:
            return Strip.blank(width, self.rich_style)
        layout = self.doc.layout(self._width())
        if index >= len(layout.lines):
            return Strip.blank(width, self.rich_style)
        row = layout.lines[index]
        # a line's look depends on the selection only where they meet: other lines stay cached
        sel = None
        if row[2] < self.sel_end and row[3] > self.sel_start:
            caret = self.sel_end - 1 if self.edge == "end" else self.sel_start
            sel = (max(row[2], self.sel_start), min(row[3], self.sel_end), caret, self.has_focus)
        found = self._matches_in(row[2], row[3]) if self.matches and row[0] == TEXT else ()
        key = (index, layout.width, sel, self.rich_style, found)
        strip = self._cache.get(key)
        if strip is None:
            strip = paint_row(self, row, found).extend_cell_length(width, self.rich_style)
            strip = strip.crop(0, width)
            self._cache[key] = strip
        return strip.apply_offsets(scroll_x, index)

    # -- state changes ---------------------------------------------------------------------------
    def _collapse_to(self, sentence: int) -> None:
        self.cursor = self.anchor = sentence
        self.sel_start, self.sel_end = self.doc.sentences[sentence]
        self.edge = "end"

    def _changed(self, *, scroll: bool = True, center: bool = False) -> None:
        self.refresh()
        if scroll:
            self._scroll_to_cursor(center=center)
        self.post_message(self.SelectionChanged(self, self.sel_start, self.sel_end))

    def _sized(self) -> bool:
        """Laying out before the view has its width would lay out 2,000 turns twice (0.2 s each)."""
        return bool(self.scrollable_content_region.width)

    def _scroll_to_cursor(self, *, center: bool = False) -> None:
        if not self.doc or not self.doc.sentences:
            return
        if not self._sized():
            self._center_when_sized = self._center_when_sized or center
            return
        layout = self.doc.layout(self._width())
        y = layout.sentence_line[self.cursor]
        turn_top = layout.turn_line[self.doc.sentence_turn[self.cursor]]
        height = self.scrollable_content_region.height or 1
        # the last line of the cursor's sentence (or of the selection, when it ends there)
        last = max(y, line_at_offset(layout, max(self.doc.sentences[self.cursor][0],
                                                 min(self.sel_end, self.doc.sentences[self.cursor][1]) - 1)))
        margin = max(1, min(5, height // 5))  # lines kept in view below (and above) the cursor
        top = self.scroll_offset.y
        if center:
            self.scroll_to(y=max(0, y - height // 3), animate=False, immediate=True)
        elif y < top + min(margin, y):
            above = turn_top if y - turn_top <= margin else y - margin
            self.scroll_to(y=max(0, above), animate=False, immediate=True)
        elif last + margin >= top + height:
            self.scroll_to(y=max(0, min(y - 1, last + margin - height + 1)), animate=False, immediate=True)

    def _ready(self) -> bool:
        return bool(self.doc and self.doc.sentences)

    def _set_cursor(self, sentence: int, *, extend: bool) -> None:
        sentence = max(0, min(len(self.doc.sentences) - 1, sentence))
        if not extend:
            self._collapse_to(sentence)
        else:
            old_lo, old_hi = sorted((self.anchor, self.cursor))
            self.cursor = sentence
            lo, hi = sorted((self.anchor, self.cursor))
            if lo != old_lo or self.sel_start > self.doc.sentences[lo][0]:
                self.sel_start = self.doc.sentences[lo][0]
            if hi != old_hi or self.sel_end < self.doc.sentences[hi][1]:
                self.sel_end = self.doc.sentences[hi][1]
            self.edge = "end" if self.cursor >= self.anchor else "start"
        self._changed()

    def action_move(self, delta: int) -> None:
        if self._ready():
            self._set_cursor(self.cursor + delta, extend=self.select_mode)

    def action_extend(self, delta: int) -> None:
        if self._ready():
            self._set_cursor(self.cursor + delta, extend=True)

    def action_turn(self, delta: int) -> None:
        if self._ready():
            self._set_cursor(self._turn_target(delta, first=True), extend=self.select_mode)

    def action_extend_turn(self, delta: int) -> None:
        if self._ready():
            self._set_cursor(self._turn_target(delta, first=delta < 0), extend=True)

    def _turn_target(self, delta: int, *, first: bool) -> int:
        """First (or last) sentence of the next/previous turn that has words."""
        doc = self.doc
        t = doc.sentence_turn[self.cursor]
        lo, hi = doc.turn_sentences[t]
        if delta < 0 and first and self.cursor > lo:
            return lo                          # back to the start of this turn first
        if delta > 0 and not first and self.cursor < hi - 1:
            return hi - 1                      # to the end of this turn first
        t += delta
        while 0 <= t < len(doc.turns):
            lo, hi = doc.turn_sentences[t]
            if hi > lo:
                return lo if first else hi - 1
            t += delta
        return self.cursor

    def action_page(self, delta: int) -> None:
        if not self._ready():
            return
        layout = self.doc.layout(self._width())
        target_line = layout.sentence_line[self.cursor] + delta * max(1, self.scrollable_content_region.height - 2)
        s = bisect.bisect_left(layout.sentence_line, target_line)
        self._set_cursor(s, extend=self.select_mode)

    def action_jump(self, where: int) -> None:
        if self._ready():
            self._set_cursor(where if where >= 0 else len(self.doc.sentences) - 1, extend=self.select_mode)

    def action_toggle_select(self) -> None:
        self.select_mode = not self.select_mode
        self.notify("Select mode: j/k extend the selection" if self.select_mode else "Select mode off",
                    timeout=2)
        self.refresh_bindings()

    def action_collapse(self) -> None:
        if self._ready():
            self.select_mode = False
            self._collapse_to(self.cursor)
            self._changed(scroll=False)

    def action_swap_edge(self) -> None:
        self.edge = "start" if self.edge == "end" else "end"
        self._changed(scroll=False)

    def action_edge(self, delta: int) -> None:
        """Move the active edge of the selection one word, within its turn."""
        if not self._ready():
            return
        doc, text = self.doc, self.doc.text
        if self.edge == "end":
            turn = doc.turns[doc.turn_of_offset(self.sel_end - 1)]
            new = (word_left(text, self.sel_end, self.sel_start) if delta < 0
                   else word_right(text, self.sel_end, turn.end))
            while new > self.sel_start and text[new - 1].isspace():
                new -= 1
            if new <= self.sel_start or new == self.sel_end:
                self.app.bell()
                return
            self.sel_end = new
        else:
            turn = doc.turns[doc.turn_of_offset(self.sel_start)]
            new = (word_left(text, self.sel_start, turn.start) if delta < 0
                   else word_right(text, self.sel_start, self.sel_end))
            while new < self.sel_end and text[new].isspace():
                new += 1
            if new >= self.sel_end or new == self.sel_start:
                self.app.bell()
                return
            self.sel_start = new
        self._changed(scroll=False)

    def goto_turn(self, t: int) -> None:
        lo, hi = self.doc.turn_sentences[t]
        if hi > lo:
            self._set_cursor(lo, extend=False)

    def on_click(self, event: events.Click) -> None:
        if not self._ready():
            return
        layout = self.doc.layout(self._width())
        index = event.y + self.scroll_offset.y
        if not 0 <= index < len(layout.lines):
            return
        kind, t, a, b = layout.lines[index]
        offset = min(b, a + max(0, event.x - INDENT)) if kind == TEXT else self.doc.turns[t].start
        self._set_cursor(self.doc.sentence_at(offset), extend=event.shift)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
