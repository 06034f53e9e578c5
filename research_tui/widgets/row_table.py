"""A read-only table that draws only its visible rows (Line API).

Textual's DataTable measures every cell of every row it is given: a survey study with 1,000
respondents (1,000 sources and 1,000 participants) took over a second to paint the home screen.
Here column widths come from the header and the first rows, and a row costs nothing until it is
on screen. Cells are plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

SAMPLE = 200  # rows measured for column widths
GAP = 2


class RowTable(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("down,j", "move(1)", "Next row", show=False),
        Binding("up,k", "move(-1)", "Previous row", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "jump(0)", "First row", show=False),
        Binding("end", "jump(-1)", "Last row", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    COMPONENT_CLASSES = {"rowtable--header", "rowtable--cursor", "rowtable--stripe"}
    DEFAULT_CSS = """
    RowTable { background: $surface; overflow-x: hidden; }
    RowTable > .rowtable--header { text-style: bold; color: $text-accent; }
    RowTable > .rowtable--stripe { background: $surface-lighten-1; }
    RowTable > .rowtable--cursor { background: $primary-darken-3; }
    RowTable:focus > .rowtable--cursor { background: $primary; }
    """

    class RowSelected(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, table: RowTable, key: str) -> None:
            self.table = table
            self.key = key
            super().__init__()

        @property
        def control(self) -> RowTable:
            return self.table

    class RowHighlighted(Message):
        """The cursor moved to another row (or the rows changed under it)."""

        def __init__(self, table: RowTable, key: str | None) -> None:
            self.table = table
            self.key = key
            super().__init__()

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(self, columns: Sequence[str], *, id: str | None = None, stretch: int = -1,
                 stretch_least: int = 0) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.stretch = stretch % len(self.columns)  # the column that takes the width left over
        self.stretch_least = stretch_least  # ... and keeps at least this much while the others give way
        self._keys: list[str] = []
        self._rows: list[list[str]] = []
        self.cursor_row = 0
        self._widths: list[int] = [cell_len(c) for c in self.columns]

    # -- data -----------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[tuple[str, Sequence[object]]], *, keep: str | None = None) -> None:
        """Replace the rows: (key, cells) each. The cursor stays on `keep` (or its index) if it can."""
        old = self.cursor_row
        self._keys = [key for key, _ in rows]
        self._rows = [[" ".join(str(c).split()) for c in cells] for _, cells in rows]
        self._widths = [max([cell_len(h)] + [cell_len(r[i]) for r in self._rows[:SAMPLE]])
                        for i, h in enumerate(self.columns)]
        index = self._keys.index(keep) if keep in self._keys else old
        self.cursor_row = max(0, min(index, len(self._rows) - 1))
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self.move_cursor(row=self.cursor_row)  # keeps it in view; refreshes

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def get_row_at(self, index: int) -> list[str]:
        return list(self._rows[index])

    @property
    def current_key(self) -> str | None:
        return self._keys[self.cursor_row] if 0 <= self.cursor_row < len(self._keys) else None

    def move_cursor(self, *, row: int) -> None:
        if not self._rows:
            return
        self.cursor_row = max(0, min(row, len(self._rows) - 1))
        self.post_message(self.RowHighlighted(self, self.current_key))
        height = max(1, self.scrollable_content_region.height - 1)  # less the header
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------------
    def _layout_widths(self, width: int) -> list[int]:
        widths = list(self._widths)
        if self.stretch_least:  # what the stretch column shows is cut to its width (search snippets)
            widths[self.stretch] = max(self.stretch_least, cell_len(self.columns[self.stretch]))
        room = width - 1 - sum(widths) - GAP * (len(widths) - 1)
        if room > 0:
            widths[self.stretch] += room
            return widths
        # too narrow: the stretch column gives way first (down to its least), then the widest columns
        # a cell at a time, so every column keeps some of its words
        give = min(-room, max(0, widths[self.stretch] - max(6, self.stretch_least)))
        widths[self.stretch] -= give
        room += give
        while room < 0:
            i = max(range(len(widths)), key=lambda i: (i != self.stretch, widths[i]))
            if widths[i] <= 6:
                break
            widths[i] -= 1
            room += 1
        return widths

    def column_width(self, index: int) -> int:
        """How wide column `index` is drawn now (for text made to fit it, such as a search snippet)."""
        width = self.scrollable_content_region.width or self.app.size.width - 2
        return self._layout_widths(width)[index]

    def _line(self, cells: Sequence[str], widths: list[int], style) -> Strip:
        parts = [set_cell_size(cell, w) if cell_len(cell) <= w or w < 2 else set_cell_size(cell, w - 1) + "…"
                 for cell, w in zip(cells, widths)]
        return Strip([Segment(" " + (" " * GAP).join(parts), style)])

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        widths = self._layout_widths(width)
        if y == 0:
            style = base + self.get_component_rich_style("rowtable--header", partial=True)
            return self._line(self.columns, widths, style).extend_cell_length(width, style).crop(0, width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, base)
        style = base
        if index % 2:
            style += self.get_component_rich_style("rowtable--stripe", partial=True)
        if index == self.cursor_row:
            style += self.get_component_rich_style("rowtable--cursor", partial=True)
        return self._line(self._rows[index], widths, style).extend_cell_length(width, style).crop(0, width)

    # -- keys and mouse -------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.move_cursor(row=self.cursor_row + delta)

    def action_page(self, delta: int) -> None:
        self.move_cursor(row=self.cursor_row + delta * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        self.move_cursor(row=where if where >= 0 else len(self._rows) - 1)

    def action_select(self) -> None:
        if self.current_key is not None:
            self.post_message(self.RowSelected(self, self.current_key))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self._rows):
            if index == self.cursor_row and event.chain > 1:
                self.action_select()
            self.move_cursor(row=index)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
