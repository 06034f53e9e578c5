"""A list of quotes that draws only its visible rows (Line API), so 50,000 quotes scroll smoothly."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coding.queries import Quote

from .transcript_layout import wrap_span

ROWS = 3  # a heading line and two lines of the quote


def quote_rows(quote: Quote, width: int) -> list[str]:
    """The two lines under a quote's heading at `width` cells (pure; tested): the quote's words, or for
    a survey answer its question first (as the reader shows it), then the answer."""
    room = max(4, width - 2)
    text = " ".join(quote.text.split())
    lines = wrap_span(text, 0, len(text), room)
    keep = 1 if quote.question else 2
    shown = [text[a:b] for a, b in lines[:keep]]
    if len(lines) > keep and shown:
        shown[-1] = shown[-1][: max(0, width - 4)] + "…"
    if quote.question:
        question = " ".join(quote.question.split())
        shown.insert(0, question if len(question) <= room else question[: max(0, room - 1)] + "…")
    shown += [""] * (2 - len(shown))
    return ["  " + s for s in shown]


class QuoteList(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "move(1)", "Next quote", id="quotes.next", show=False),
        Binding("k,up", "move(-1)", "Previous quote", id="quotes.prev", show=False),
        Binding("pagedown", "page(1)", "Page down", id="quotes.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="quotes.page_up", show=False),
        Binding("home", "jump(0)", "First quote", id="quotes.first", show=False),
        Binding("end", "jump(-1)", "Last quote", id="quotes.last", show=False),
        Binding("enter", "open", "Open in transcript", id="quotes.open"),
    ]
    COMPONENT_CLASSES = {"quotes--cursor", "quotes--meta", "quotes--empty", "quotes--question"}
    DEFAULT_CSS = """
    QuoteList { overflow-x: hidden; background: $surface; }
    QuoteList > .quotes--cursor { background: $primary 30%; }
    QuoteList:focus > .quotes--cursor { background: $primary 50%; }
    QuoteList > .quotes--meta { color: $text-muted; }
    QuoteList > .quotes--empty { color: $text-muted; text-style: italic; }
    QuoteList > .quotes--question { color: $text-accent; text-style: italic; }
    """

    class Selected(Message):
        def __init__(self, quote: Quote) -> None:
            self.quote = quote
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.quotes: list[Quote] = []
        self.cursor = 0
        self.empty_text = "No quotes match"
        self._cache: LRUCache[tuple, list[Strip]] = LRUCache(256)

    def set_quotes(self, quotes: list[Quote], *, keep: int | None = None) -> None:
        """Show `quotes`, keeping the cursor on coding `keep` when it is still there."""
        self.quotes = quotes
        index = next((i for i, q in enumerate(quotes) if q.coding_id == keep), 0) if keep else 0
        self.cursor = index
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, max(1, len(quotes) * ROWS))
        self.scroll_to(y=max(0, index * ROWS - ROWS), animate=False, immediate=True)
        self.refresh()

    @property
    def current(self) -> Quote | None:
        return self.quotes[self.cursor] if 0 <= self.cursor < len(self.quotes) else None

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, max(1, len(self.quotes) * ROWS))

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        row = scroll_y + y
        base = self.rich_style
        if not self.quotes:
            if row == 0:
                style = base + self.get_component_rich_style("quotes--empty")
                return Strip([Segment(" " + self.empty_text, style)]).extend_cell_length(width, base).crop(0, width)
            return Strip.blank(width, base)
        index, part = divmod(row, ROWS)
        if index >= len(self.quotes):
            return Strip.blank(width, base)
        key = (index, width, index == self.cursor, self.has_focus)
        strips = self._cache.get(key)
        if strips is None:
            strips = self._render_quote(self.quotes[index], width, index == self.cursor)
            self._cache[key] = strips
        return strips[part].apply_offsets(0, row)

    def _render_quote(self, quote: Quote, width: int, is_cursor: bool) -> list[Strip]:
        base = self.rich_style
        if is_cursor:
            base = base + self.get_component_rich_style("quotes--cursor", partial=True)
        meta = base + self.get_component_rich_style("quotes--meta", partial=True)
        who = ", ".join(quote.speakers) or "?"
        head = [Segment(" ■ ", base + Style(color=quote.colour)), Segment(quote.code_name, base + Style(bold=True))]
        if quote.also:
            head.append(Segment(" · " + " · ".join(quote.also), base + Style(bold=True)))
        if quote.with_codes:
            head.append(Segment(" + " + ", ".join(quote.with_codes), base + Style(bold=True)))
        head.append(Segment(f"  {who} · {quote.source_title}", meta))
        if quote.memo:
            head.append(Segment("  ✎ " + quote.memo.splitlines()[0][:40], meta + Style(italic=True)))
        body = quote_rows(quote, width)
        styles = [base, base]
        if quote.question:  # a survey answer: its question first, styled as in the reader
            styles[0] = base + self.get_component_rich_style("quotes--question", partial=True)
        lines = [Strip(head)] + [Strip([Segment(text, style)]) for text, style in zip(body, styles)]
        return [s.extend_cell_length(width, base).crop(0, width) for s in lines]

    def _set_cursor(self, index: int) -> None:
        if not self.quotes:
            return
        self.cursor = max(0, min(len(self.quotes) - 1, index))
        top = self.cursor * ROWS
        height = self.scrollable_content_region.height or ROWS
        if top < self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + ROWS > self.scroll_offset.y + height:
            self.scroll_to(y=top + ROWS - height, animate=False, immediate=True)
        self.refresh()

    def action_move(self, delta: int) -> None:
        self._set_cursor(self.cursor + delta)

    def action_page(self, delta: int) -> None:
        self._set_cursor(self.cursor + delta * max(1, self.scrollable_content_region.height // ROWS))

    def action_jump(self, where: int) -> None:
        self._set_cursor(where if where >= 0 else len(self.quotes) - 1)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self.current))

    def on_click(self, event: events.Click) -> None:
        index = (event.y + self.scroll_offset.y) // ROWS
        if 0 <= index < len(self.quotes):
            if index == self.cursor and event.chain > 1:
                self.action_open()
            self._set_cursor(index)

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()
