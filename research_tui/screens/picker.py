"""Pick one item by typing: fuzzy search over a list, up/down to move, enter to choose.

`PickList` picks from any list (participants, sources, attribute values...). `CodePicker` picks a
code: recent codes first, and when the typed name is new it offers to create it as any kind.
Both return plain values; the screen that opened them calls the Store.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coding.models import CODE_KINDS, Code

from .base import StudioModal


@dataclass(frozen=True)
class Item:
    label: str            # what is matched and shown
    value: object
    detail: str = ""      # dim text after the label
    colour: str = ""      # a swatch before the label


@dataclass(frozen=True)
class NewCode:
    """The picker's answer when the researcher asked for a new code."""

    name: str
    kind: str


class PickList(StudioModal[object]):
    """Type to filter, enter to choose, escape to cancel."""

    CSS_PATH = "picker.tcss"
    BINDINGS = [
        Binding("down", "cursor(1)", "Next", id="picker.down", show=False, priority=True),
        Binding("up", "cursor(-1)", "Previous", id="picker.up", show=False, priority=True),
        Binding("pagedown", "cursor(10)", "Page down", id="picker.page_down", show=False, priority=True),
        Binding("pageup", "cursor(-10)", "Page up", id="picker.page_up", show=False, priority=True),
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
    ]
    LIMIT = 200

    def __init__(self, title: str, items: list[Item], *, placeholder: str = "type to search") -> None:
        super().__init__()
        self.title_text = title
        self.items = items
        self.placeholder = placeholder
        self._shown: list[object] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker"):
            yield Label(self.title_text, classes="picker-title", markup=False)
            yield Input(placeholder=self.placeholder, id="query")
            yield OptionList(id="options")
            yield Static("↑/↓ move · enter choose · escape cancel", classes="picker-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#query", Input).focus()

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def options_for(self, query: str) -> list[tuple[Content, object]]:
        """(prompt, value) pairs for the typed query, best first."""
        if not query.strip():
            return [(self._prompt(item, Content(item.label)), item.value) for item in self.items[: self.LIMIT]]
        matcher = Matcher(query.strip())
        scored = [(matcher.match(item.label), i, item) for i, item in enumerate(self.items)]
        hits = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[: self.LIMIT]
        return [(self._prompt(item, matcher.highlight(item.label)), item.value) for _, _, item in hits]

    @staticmethod
    def _prompt(item: Item, label: Content) -> Content:
        parts: list = []
        if item.colour:
            parts.append(("■ ", item.colour))
        parts.append(label)
        if item.detail:
            parts.append(("  " + item.detail, "dim"))
        return Content.assemble(*parts)

    def _fill(self, query: str) -> None:
        options = self.options_for(query)
        self._shown = [value for _, value in options]
        option_list = self.query_one("#options", OptionList)
        option_list.clear_options()
        option_list.add_options([Option(prompt) for prompt, _ in options])
        if options:
            option_list.highlighted = 0

    def action_cursor(self, delta: int) -> None:
        option_list = self.query_one("#options", OptionList)
        if not self._shown:
            return
        current = option_list.highlighted or 0
        option_list.highlighted = max(0, min(len(self._shown) - 1, current + delta))

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        index = self.query_one("#options", OptionList).highlighted
        if index is None or not self._shown:
            self.app.bell()
            return
        self.finish(self._shown[index])

    @on(OptionList.OptionSelected, "#options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.finish(self._shown[event.option_index])

    def action_cancel(self) -> None:
        self.finish(None)


class CodePicker(PickList):
    """Pick a code by fuzzy name (recent first), or create a new one: type its name, choose its kind.

    Returns a code id, a `NewCode`, or None.
    """

    def __init__(self, codes: list[Code], *, recent: list[int] = (), counts: dict[int, tuple[int, int]] | None = None,
                 title: str = "Apply code", allow_new: bool = True, extra: list[Item] = ()) -> None:
        order = {cid: i for i, cid in enumerate(recent)}
        ranked = sorted(codes, key=lambda c: (order.get(c.id, len(order)),)) if order else list(codes)
        counts = counts or {}
        items = list(extra) + [
            Item(c.name, c.id, c.kind.replace("_", " ")
                 + (f" · {counts[c.id][0]}" if c.id in counts else "")
                 + (" · recent" if c.id in order else ""), c.colour)
            for c in ranked
        ]
        super().__init__(title, items, placeholder="code name (a new name creates a code)" if allow_new
                         else "code name")
        self.names = {c.name.casefold() for c in codes}
        self.allow_new = allow_new

    def options_for(self, query: str) -> list[tuple[Content, object]]:
        options = super().options_for(query)
        name = " ".join(query.split())
        if not self.allow_new or not name:
            return options
        kinds = CODE_KINDS
        if ":" in name and name.split(":", 1)[0].strip() in CODE_KINDS:
            kind, name = (part.strip() for part in name.split(":", 1))
            kinds = (kind,)
        if not name or name.casefold() in self.names:
            return options
        new = [(Content.assemble(("+ new ", "bold"), (k.replace("_", " "), "italic"),
                                 f" '{name}'"), NewCode(name, k)) for k in kinds]
        return options + new
