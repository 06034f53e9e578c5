"""Edit a persona: description, goals (one per line) and shared attributes (`attribute: value` per line)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static, TextArea

from coding.personas import Sketch

from .base import StudioModal
from .dialogs import CANCEL, SAVE


def attribute_lines(attributes: dict[str, str]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in attributes.items())


def parse_attributes(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and value.strip():
            out[key.strip()] = value.strip()
    return out


class PersonaForm(StudioModal[dict | None]):
    """Returns the keyword arguments of `coding.personas.edit_persona`, or None."""

    CSS_PATH = ["dialogs.tcss", "stageplan.tcss"]
    BINDINGS = [SAVE, CANCEL]

    def __init__(self, sketch: Sketch) -> None:
        super().__init__()
        self.sketch = sketch

    def compose(self) -> ComposeResult:
        s = self.sketch
        with Vertical(classes="dialog stage-plan persona-form"):
            yield Label(f"Edit persona: {s.name}", classes="dialog-title", markup=False)
            yield Label("Description")
            yield TextArea(s.description, id="description", soft_wrap=True)
            yield Label("Goals (one per line)")
            yield TextArea("\n".join(s.goals), id="goals", soft_wrap=True)
            yield Label("Who they are (attribute: value, one per line; empty: computed from the members)")
            yield TextArea(attribute_lines(s.attributes), id="attributes", soft_wrap=False)
            yield Static("ctrl+s saves · escape cancels · tab moves", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#description", TextArea).focus()

    def action_save(self) -> None:
        s = self.sketch
        values: dict = {
            "description": self.query_one("#description", TextArea).text.strip(),
            "goals": [g.strip() for g in self.query_one("#goals", TextArea).text.splitlines() if g.strip()],
        }
        text = self.query_one("#attributes", TextArea).text
        wanted = parse_attributes(text)
        if not text.strip():
            values["computed_attributes"] = s.attributes_edited
        elif wanted != s.attributes:
            values["attributes"] = {**{k: None for k in s.attributes if k not in wanted}, **wanted}
        self.finish(values)

    def action_cancel(self) -> None:
        self.finish(None)
