"""Search all text: every turn of every source that holds the words, coded or not; enter opens the
reader at the words (where n and N go on to the next and previous match).

The search itself is `coding.search.search_text` (the full-text index, then the words located in
each turn). Typing waits for a short pause before searching; enter searches at once, for exactly what
is in the field, and moves to the results.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, Static

from coding.models import format_ms
from coding.search import DEFAULT_LIMIT, Found, TextHit, search_text, snippet

from ..messages import OpenSource
from ..widgets.footer import StudioFooter
from ..widgets.row_table import RowTable
from .base import StudioScreen, attempt


class QueryField(Input):
    """The search box. Enter searches at once, while the key is handled, rather than through a message
    handled later: an enter typed right after it then lands on the results and opens the first."""

    async def action_submit(self) -> None:
        self.screen.submit_query(self.value)


WORDS_LEAST = 30  # the Words column keeps this many cells while Source and Speaker give way


class SearchScreen(StudioScreen):
    SEARCH_DELAY = 0.2  # seconds of no typing before the search runs
    CSS_PATH = "search.tcss"
    AUTO_FOCUS = "#search-query"
    TYPE_INTO = "#search-query"
    BINDINGS = [
        Binding("slash", "edit_query", "Edit the search", id="search.edit", key_display="/"),
        Binding("escape", "to_results", "Back to the results", id="search.results", show=False),
    ]

    def __init__(self, store) -> None:
        super().__init__(store)
        self.query_text = ""
        self.hits: list[TextHit] = []
        self.total = 0
        self.sources = 0
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Static(id="search-title")
        yield QueryField(placeholder="words in any transcript, coded or not (wait finds waited; OR for either)",
                         id="search-query")
        table = RowTable(["Source", "Speaker", "Time", "Coded", "Words"], id="search-results",
                         stretch_least=WORDS_LEAST)
        table.border_title = "Turns"
        yield table
        yield StudioFooter()

    @property
    def search_pending(self) -> bool:
        return self._timer is not None

    def load_study(self) -> None:
        self._run(self.query_text)

    # -- searching -------------------------------------------------------------------------------
    @on(Input.Changed, "#search-query")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.SEARCH_DELAY, lambda: self._run(event.input.value))

    def submit_query(self, text: str) -> None:
        """Enter in the search box: search exactly what was typed, now, and go to the results."""
        self._run(text)
        if self.hits:
            self.set_focus(self.query_one("#search-results", RowTable))

    def _run(self, text: str) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.query_text = text.strip()
        found = attempt(self, search_text, self.store, self.query_text) or Found()
        self.hits, self.total, self.sources = found.hits, found.turns, found.sources
        self._show_hits(keep="0")
        self._describe()

    def _show_hits(self, keep: str | None = None) -> None:
        """The results, each turn's words cut to what the Words column shows (at 80 columns still 30)."""
        table = self.query_one("#search-results", RowTable)
        rows = [(str(i), [h.source_title, h.speaker + (" (not speech)" if h.not_speech else ""),
                          format_ms(h.start_ms), "yes" if h.coded else "", ""]) for i, h in enumerate(self.hits)]
        table.set_rows(rows, keep=keep or table.current_key)  # the other columns decide what is left
        width = table.column_width(len(table.columns) - 1)
        table.set_rows([(key, [*cells[:-1], snippet(h, width)]) for (key, cells), h in zip(rows, self.hits)],
                       keep=table.current_key)

    def on_resize(self) -> None:
        if self.hits:
            self._show_hits()

    def _describe(self) -> None:
        if not self.query_text:
            line = Content.assemble(("Search all text", "bold"),
                                    ("  type words; enter goes to the results, enter on one opens it", "dim"))
        else:
            sources = self.sources
            more = f" (the first {DEFAULT_LIMIT:,} shown)" if self.total > len(self.hits) else ""
            line = Content.assemble(("Search all text  ", "bold"), f"“{self.query_text}”  ",
                                    (f"{self.total:,} turn{'s' * (self.total != 1)} in {sources} "
                                     f"source{'s' * (sources != 1)}{more}", "dim"))
        self.query_one("#search-title", Static).update(line)
        self.query_one("#search-results", RowTable).border_subtitle = "enter opens the reader at the words" \
            if self.hits else ("nothing found" if self.query_text else "")

    # -- keys ------------------------------------------------------------------------------------
    def action_edit_query(self) -> None:
        self.set_focus(self.query_one("#search-query", Input))

    def action_to_results(self) -> None:
        if self.search_pending:
            self._run(self.query_one("#search-query", Input).value)
        self.set_focus(self.query_one("#search-results", RowTable))

    @on(RowTable.RowSelected, "#search-results")
    def _open(self, event: RowTable.RowSelected) -> None:
        hit = self.hits[int(event.key)]
        self.post_message(OpenSource(hit.source_id, hit.match_start, hit.match_end, find=self.query_text))
