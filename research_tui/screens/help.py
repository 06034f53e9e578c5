"""Every key, generated from the bindings themselves (the same list docs/studio.md is checked against)."""

from __future__ import annotations

from itertools import groupby

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.footer import StudioFooter

TITLES = {
    "app": "Everywhere", "home": "Study home", "import": "Import dialog", "reader": "Transcript reader",
    "codebook": "Codebook", "quotes": "Quotes", "help": "Help", "pick list": "Pickers (codes, sources…)",
    "dialogs": "Dialogs", "journey": "Journey", "export": "Export", "search": "Search all text",
}


class HelpScreen(ModalScreen):
    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("j,down", "scroll(1)", "Scroll down", id="help.down", show=False),
        Binding("k,up", "scroll(-1)", "Scroll up", id="help.up", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Static("Keys  ·  ctrl+p finds any action by name  ·  keys can be remapped in settings.toml [keys]",
                     id="help-title", markup=False)
        with VerticalScroll(id="help-body"):
            for screen, rows in groupby(self.rows, key=lambda r: r[0]):
                table = Table(title=TITLES.get(screen, screen), title_justify="left", title_style="bold",
                              show_header=False, box=None, padding=(0, 2), expand=True)
                table.add_column("key", style="bold", width=22, no_wrap=True)
                table.add_column("action", ratio=1)
                for _, key, description in rows:
                    table.add_row(Text(key), Text(description))  # keys like '[' are not markup
                yield Static(table, classes="help-group")
        yield StudioFooter()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        if self.is_current:
            self.dismiss()

    def action_scroll(self, delta: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + delta * 3, animate=False)
