"""Pick one item by typing: fuzzy search over a list, up/down to move, enter to choose.

`PickList` picks from any list (participants, sources, attribute values...). `CodePicker` picks a
code: recent codes first, and when the typed name is new it offers to create it as any kind.
Both return plain values; the screen that opened them calls the Store.

Enter acts on what is typed, never on a list that has not caught up with the typing: it ranks the
items for the whole text in the field at that moment (`rank_items`) and takes the best, unless the
researcher moved the highlight in a list made for that same text. Keys typed before the picker was
on screen are kept (see `StudioModal.type_ahead`). Creating a code is always confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coding.codebook import KIND_LABELS
from coding.models import CODE_KINDS, Code

from .base import StudioModal
from .dialogs import ConfirmDialog

_WORD_SPLIT = re.compile(r"[\s\-_/&:,.()]+")


@dataclass(frozen=True)
class Item:
    label: str            # what is matched and shown
    value: object
    detail: str = ""      # dim text after the label
    colour: str = ""      # a swatch before the label
    group: str = ""       # e.g. a code's kind: "kind:name" narrows a code picker to one kind


def rank_items(items: list[Item], query: str) -> list[tuple[int, Item]]:
    """Items matching `query`, best first, as (index in `items`, item).

    An exact name beats a name that starts with the text, which beats a word that starts with it,
    which beats the text anywhere in the name, which beats a fuzzy match (letters in order). Ties
    keep the list's own order (recent codes first)."""
    q = " ".join(query.split()).casefold()
    if not q:
        return list(enumerate(items))
    matcher = Matcher(q)
    ranked = []
    for i, item in enumerate(items):
        name = " ".join(item.label.split()).casefold()
        if name == q:
            key = (0, 0.0)
        elif name.startswith(q):
            key = (1, 0.0)
        elif any(word.startswith(q) for word in _WORD_SPLIT.split(name)):
            key = (2, 0.0)
        elif q in name:
            key = (3, 0.0)
        else:
            score = matcher.match(item.label)
            if score <= 0:
                continue
            key = (4, -score)
        ranked.append((key, i, item))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [(i, item) for _, i, item in ranked]


@dataclass(frozen=True)
class NewCode:
    """The picker's answer when the researcher asked for a new code."""

    name: str
    kind: str


class PickList(StudioModal[object]):
    """Type to filter, enter to choose, escape to cancel."""

    CSS_PATH = "picker.tcss"
    TYPE_AHEAD = "#query"
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
        self._shown_for: str | None = None  # the text the shown list was made for

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker"):
            yield Label(self.title_text, classes="picker-title", markup=False)
            yield Input(placeholder=self.placeholder, id="query")
            yield OptionList(id="options")
            yield Static("↑/↓ move · enter choose · escape cancel", classes="picker-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#query", Input).focus()
        self.type_ahead_ready()

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def options_for(self, query: str) -> list[tuple[Content, object]]:
        """(prompt, value) pairs for the typed query, best first."""
        if not query.strip():
            return [(self._prompt(item, Content(item.label)), item.value) for item in self.items[: self.LIMIT]]
        items = self.items
        if ":" in query:  # "emotion:reli": only codes of that kind
            group, rest = (part.strip() for part in query.split(":", 1))
            if group in {item.group for item in items if item.group}:
                items, query = [item for item in items if item.group == group], rest
        matcher = Matcher(query.strip())
        hits = rank_items(items, query)[: self.LIMIT]
        return [(self._prompt(item, matcher.highlight(item.label) if query.strip() else Content(item.label)),
                 item.value) for _, item in hits]

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
        self._shown_for = query
        option_list = self.query_one("#options", OptionList)
        option_list.clear_options()
        option_list.add_options([Option(prompt) for prompt, _ in options])
        if options:
            option_list.highlighted = 0

    def action_cursor(self, delta: int) -> None:
        if not self._ready or not self._shown:
            return
        option_list = self.query_one("#options", OptionList)
        current = option_list.highlighted or 0
        option_list.highlighted = max(0, min(len(self._shown) - 1, current + delta))

    @on(Input.Submitted, "#query")
    def _entered(self, event: Input.Submitted) -> None:
        self.submit_typed(event.value)  # the text when enter was pressed, not keys typed after it

    def submit_typed(self, typed: str | None = None) -> None:
        """Enter: the best match for the whole typed text, or the highlighted one when the list was
        made for exactly that text."""
        if typed is None:
            typed = self.query_one("#query", Input).value
        if typed != self._shown_for:
            self._fill(typed)  # the list had not caught up with the typing: catch up first
        index = self.query_one("#options", OptionList).highlighted
        if index is None or not self._shown:
            self.nothing_matches(typed)
            return
        self.choose(self._shown[index])

    @on(OptionList.OptionSelected, "#options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(self._shown[event.option_index])

    def choose(self, value: object) -> None:
        self.finish(value)

    def nothing_matches(self, typed: str) -> None:
        self.app.bell()
        if typed.strip():
            self.notify(f"Nothing matches '{typed.strip()}'", severity="warning", timeout=3)

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
                 + (" · recent" if c.id in order else ""), c.colour, group=c.kind)
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

    def choose(self, value: object) -> None:
        """A new code is created only once the researcher said yes, seeing its kind."""
        if not isinstance(value, NewCode):
            self.finish(value)
            return
        kind = KIND_LABELS[value.kind].lower()
        message = (f"Create a new code '{value.name}' of kind {value.kind.replace('_', ' ')} ({kind}) "
                   "and apply it?\n↑/↓ in the list pick another kind; escape goes back.")

        def answer(ok: bool | None) -> None:
            if ok:
                self.finish(value)
            else:
                self.query_one("#query", Input).focus()

        self.app.push_screen(ConfirmDialog("New code", message, yes="Create"), answer)
