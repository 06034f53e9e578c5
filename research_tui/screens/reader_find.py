"""Find in the transcript (mixed into `ReaderScreen`, whose bindings call it): `/` opens a find field
that jumps to the words as they are typed, enter goes back to the transcript, `n` and `N` select the
next and previous match (wrapping round). Every match is underlined; the selection is exactly the
words found, so `c` codes them and shift+↓ grows them to whole sentences.

Naming-convention handlers (`on_input_changed`), not `@on`: a plain mixin class is not seen by
Textual's decorator registry.
"""

from __future__ import annotations

import bisect

from textual.widgets import Input

from ..widgets.transcript_layout import find_spans


class FindField(Input):
    """The find field. Enter is handled at once, while the key is (not through a message handled
    later), so keys typed right after it move in the transcript."""

    async def action_submit(self) -> None:
        self.screen.find_entered(self.value)


class FindInTranscript:
    """Needs `self.view` (the TranscriptView) and a hidden `#find-bar` holding the `FindField` `#find`."""

    find_text = ""
    _find_origin = 0
    matches: list[tuple[int, int]] = []

    def set_find(self, text: str) -> None:
        """Search for `text` in the shown transcript (also when opened from the Search screen)."""
        self.find_text = text.strip()
        doc = self.view.doc
        self.matches = find_spans(doc, self.find_text) if doc is not None and self.find_text else []
        self.view.set_matches(self.matches)

    def action_find(self) -> None:
        field = self.query_one("#find", Input)
        self.query_one("#find-bar").display = True
        field.value = self.find_text
        self._find_origin = self.view.selection[0]
        self.set_focus(field)  # now, not later: the words typed right after / must land in the field

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "find":
            self.set_find(event.value)
            self._go(self._find_origin, 0)

    def find_entered(self, text: str) -> None:
        """Enter in the find field: find exactly what was typed and go back to the transcript."""
        self.set_find(text)
        if self.matches and not self._on_match():
            self._go(self._find_origin, 0)
        self.action_close_find()
        if self.find_text and not self.matches:
            self.notify(f"“{self.find_text}” is not in this transcript", severity="warning", timeout=3)

    def _on_match(self) -> bool:
        return tuple(self.view.selection) in set(self.matches)

    def action_close_find(self) -> None:
        bar = self.query_one("#find-bar")
        if bar.display:
            bar.display = False
            self.set_focus(self.view)

    def action_find_next(self, step: int) -> None:
        if not self.find_text:
            self.notify("Press / and type the words to find first", severity="warning", timeout=3)
            return
        if not self.matches:
            self.notify(f"“{self.find_text}” is not in this transcript", severity="warning", timeout=3)
            return
        self._go(self.view.selection[0], step)

    def _go(self, offset: int, step: int) -> None:
        """Select the first match at `offset` or after (step 0), after it (1) or before it (-1)."""
        if not self.matches:
            return
        starts = [a for a, _ in self.matches]
        if step >= 0:
            i = bisect.bisect_left(starts, offset + (1 if step else 0))
            if i == len(starts):
                i = 0
                if step:
                    self.notify("Wrapped to the first match", timeout=2)
        else:
            i = bisect.bisect_left(starts, offset) - 1
            if i < 0:
                i = len(starts) - 1
                self.notify("Wrapped to the last match", timeout=2)
        self.view.select_span(*self.matches[i])

    def match_label(self) -> tuple[str, str]:
        """('“consent”', '3/12') for the title, when the selection is on a match; ('', '') with no find."""
        if not self.find_text:
            return "", ""
        if not self.matches:
            return f"“{self.find_text}”", "not here"
        start = self.view.selection[0]
        starts = [a for a, _ in self.matches]
        i = bisect.bisect_left(starts, start)
        here = f"{i + 1}/" if i < len(starts) and starts[i] == start else ""
        return f"“{self.find_text}”", f"{here}{len(starts)}"
