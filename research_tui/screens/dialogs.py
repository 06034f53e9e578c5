"""Small dialogs: confirm, write a memo or a name, fill in a code. They return plain values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from coding.codebook import KIND_LABELS
from coding.models import CODE_KINDS

from .base import StudioModal

CANCEL = Binding("escape", "cancel", "Cancel", id="dialog.cancel")
SAVE = Binding("ctrl+s", "save", "Save", id="dialog.save", priority=True)


class ConfirmDialog(StudioModal[bool | None]):
    """Yes or no; returns True to go ahead, False for no and None for escape.

    Most questions have no third way, and their callers treat None like False. A question whose
    "no" does something (clear a description) names it (`no="Clear"`), and escape then cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(None)", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, title: str, message: str, *, yes: str = "Yes", no: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="error" if self.no is None else "primary", id="yes")
                yield Button(f"{self.no} (n)" if self.no else "Cancel (n)", id="no")
                if self.no:
                    yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel" if self.no else "#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.finish({"yes": True, "no": False}.get(event.button.id))

    def action_answer(self, yes: bool | None) -> None:
        self.finish(yes)


def ask_to_replace(app, path: Path, replace: Callable[[], object], refused: Callable[[], object]) -> None:
    """Ask before writing over a file an export did not write (`exports.common.WouldOverwrite`): "yes"
    calls `replace()` (write again with force), anything else `refused()`."""
    def answer(yes: bool | None) -> None:
        (replace if yes else refused)()

    message = f"{path} exists and was not written by research-tui. Replace it?"
    app.push_screen(ConfirmDialog("Replace the file?", message, yes="Replace"), answer)


class TextDialog(StudioModal[str | None]):
    """Edit a memo (several lines, ctrl+s saves) or a one-line name (enter saves)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [SAVE, CANCEL]

    def __init__(self, title: str, text: str = "", *, multiline: bool = True, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.multiline = multiline
        self.hint = hint or ("ctrl+s saves, escape cancels" if multiline else "enter saves, escape cancels")
        self.TYPE_AHEAD = None if multiline else "#text"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            if self.multiline:
                yield TextArea(self.text, id="text", soft_wrap=True, show_line_numbers=False)
            else:
                yield Input(self.text, id="text")
            yield Static(self.hint, classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        widget = self.query_one("#text")
        widget.focus()
        if isinstance(widget, TextArea):
            widget.move_cursor(widget.document.end)
        else:
            self.type_ahead_ready()

    @on(Input.Submitted)
    def action_save(self) -> None:
        widget = self.query_one("#text")
        self.finish(widget.text if isinstance(widget, TextArea) else widget.value)

    def submit_typed(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.finish(None)


class CodeForm(StudioModal[dict | None]):
    """Name, kind (new codes only), description, colour and valence of a code."""

    CSS_PATH = "dialogs.tcss"
    TYPE_AHEAD = "#name"
    BINDINGS = [SAVE, CANCEL]

    def __init__(self, title: str, *, name: str = "", kind: str | None = None, description: str = "",
                 colour: str = "", valence: float | None = None, choose_kind: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.values = {"name": name, "kind": kind or "theme", "description": description,
                       "colour": colour, "valence": "" if valence is None else f"{valence:g}"}
        self.choose_kind = choose_kind

    def compose(self) -> ComposeResult:
        v = self.values
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Label("Name")
            yield Input(v["name"], id="name", compact=True)
            if self.choose_kind:
                yield Label("Kind")
                yield Select([(KIND_LABELS[k], k) for k in CODE_KINDS], value=v["kind"], allow_blank=False,
                             id="kind", compact=True)
            yield Label("Description")
            yield Input(v["description"], id="description", compact=True)
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label("Colour (#rrggbb)")
                    yield Input(v["colour"], id="colour", placeholder="automatic", compact=True)
                with Vertical():
                    yield Label("Valence (-2..2)")
                    yield Input(v["valence"], id="valence", placeholder="none", compact=True)
            yield Static("enter or ctrl+s saves, escape cancels, tab moves", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        self.type_ahead_ready()

    def submit_typed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def action_save(self) -> None:
        out = {key: self.query_one(f"#{key}", Input).value.strip()
               for key in ("name", "description", "colour", "valence")}
        if self.choose_kind:
            out["kind"] = self.query_one("#kind", Select).value
        if not out["name"]:
            self.notify("A code needs a name", severity="error")
            return
        self.finish(out)

    def action_cancel(self) -> None:
        self.finish(None)
