"""The codebook: codes grouped by kind (stages in journey order), with how often each is used.

Every change goes through the Store as one undoable command; the tree is re-read afterwards.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static, Tree

from coding.codebook import KIND_LABELS, add_code, delete_code, list_codes, merge_codes, move_code, update_code
from coding.codings import code_counts
from coding.models import CODE_KINDS, Code

from ..messages import ShowQuotes
from ..widgets.footer import StudioFooter
from .base import StudioScreen, attempt
from .codebook_clips import HighlightReel
from .dialogs import CodeForm, ConfirmDialog, TextDialog
from .picker import CodePicker, Item

TOP_LEVEL = -1  # picker value for "no parent"


class CodebookScreen(HighlightReel, StudioScreen):
    CSS_PATH = "codebook.tcss"
    AUTO_FOCUS = "#code-tree"
    BINDINGS = [
        Binding("a", "add", "Add", id="codebook.add"),
        Binding("r", "rename", "Rename", id="codebook.rename"),
        Binding("e", "edit", "Edit", id="codebook.edit"),
        Binding("ctrl+up,less_than_sign", "move(-1)", "Move up", id="codebook.move_up"),
        Binding("ctrl+down,greater_than_sign", "move(1)", "Move down", id="codebook.move_down"),
        Binding("p", "parent", "Move under…", id="codebook.parent"),
        Binding("g", "merge", "Merge into…", id="codebook.merge"),
        Binding("d", "delete", "Delete", id="codebook.delete"),
        Binding("o", "quotes", "Show quotes", id="codebook.quotes"),
        Binding("h", "clips", "Highlight reel: cut its quotes from the recordings", id="codebook.clips",
                show=False),
    ]

    def __init__(self, store) -> None:
        super().__init__(store)
        self.codes: dict[int, Code] = {}
        self.counts: dict[int, tuple[int, int]] = {}

    def compose(self) -> ComposeResult:
        tree: Tree = Tree("Codebook", id="code-tree")
        tree.show_root = False
        tree.auto_expand = False
        yield tree
        yield Static(id="code-detail")
        yield StudioFooter()

    @property
    def tree(self) -> Tree:
        return self.query_one("#code-tree", Tree)

    def load_study(self) -> None:
        tree = self.tree
        keep = self.selected
        self.codes = {c.id: c for c in list_codes(self.store)}
        self.counts = code_counts(self.store)
        tree.clear()
        target = None
        for kind in CODE_KINDS:
            codes = [c for c in self.codes.values() if c.kind == kind]
            n = sum(self.counts.get(c.id, (0, 0))[0] for c in codes)
            kind_node = tree.root.add(Text.assemble((KIND_LABELS[kind], "bold"), (f"  {n} codings", "dim")),
                                      data=kind, expand=True)
            nodes = {}
            ordered = [c for c in codes if c.parent_id not in self.codes or self.codes[c.parent_id].kind != kind]
            pending = [c for c in codes if c not in ordered]
            for code in ordered + pending:  # parents before children
                parent = nodes.get(code.parent_id, kind_node)
                nodes[code.id] = parent.add(self._label(code), data=code.id, expand=True, allow_expand=False)
                if code.id == keep:
                    target = nodes[code.id]
            for node in nodes.values():
                node.allow_expand = bool(node.children)
        _ = tree.last_line  # lays the new nodes out now: a node has no line (and move_cursor no effect) before
        if target is not None:
            tree.move_cursor(target)
        elif tree.cursor_line < 0:
            tree.cursor_line = 1 if tree.root.children and tree.root.children[0].children else 0
        self._show_detail()

    def _label(self, code: Code) -> Text:
        n, people = self.counts.get(code.id, (0, 0))
        return Text.assemble(("■ ", code.colour), code.name,
                                (f"  {n} coding{'s' if n != 1 else ''} · {_people(people)}", "dim"))

    @property
    def selected(self) -> int | None:
        """The highlighted code's id (None on a kind heading)."""
        node = self.tree.cursor_node
        return node.data if node is not None and isinstance(node.data, int) else None

    def _selected_kind(self) -> str:
        node = self.tree.cursor_node
        if node is None:
            return "theme"
        if isinstance(node.data, str):
            return node.data
        return self.codes[node.data].kind if node.data in self.codes else "theme"

    @on(Tree.NodeHighlighted)
    def _show_detail(self) -> None:
        code = self.codes.get(self.selected) if self.selected is not None else None
        panel = self.query_one("#code-detail", Static)
        if code is None:
            panel.update(Content.from_markup("[dim]a adds a code of this kind[/dim]"))
            return
        n, people = self.counts.get(code.id, (0, 0))
        parent = self.codes.get(code.parent_id)
        parts = [("■ ", code.colour), (code.name, "bold"), f"\n{KIND_LABELS[code.kind]}",
                 f" · {n} coding{'s' if n != 1 else ''} · {_people(people)} · colour {code.colour}"]
        if code.valence is not None:
            parts.append(f" · valence {code.valence:+g}")
        if parent:
            parts.append(f"\nunder {parent.name}")
        parts.append(("\n" + (code.description or "no description: e edits"), "italic"))
        panel.update(Content.assemble(*parts))

    @on(Tree.NodeSelected)
    def _selected_node(self, event: Tree.NodeSelected) -> None:
        if isinstance(event.node.data, int):
            self.post_message(ShowQuotes(event.node.data))

    def _need_code(self) -> Code | None:
        code = self.codes.get(self.selected) if self.selected is not None else None
        if code is None:
            self.notify("Highlight a code first", severity="warning")
        return code

    def _changed(self, select: int | None = None) -> None:
        self.reload()
        if select is not None:
            self._move_to(select)

    def _move_to(self, code_id: int) -> None:
        def find(node):
            for child in node.children:
                if child.data == code_id:
                    return child
                found = find(child)
                if found:
                    return found
            return None

        node = find(self.tree.root)
        if node is not None:
            self.tree.move_cursor(node)

    # -- actions ---------------------------------------------------------------------------------
    def action_add(self) -> None:
        def save(values: dict | None) -> None:
            if not values:
                return
            code = attempt(self, add_code, self.store, values["name"], values["kind"],
                           description=values["description"], colour=values["colour"] or None,
                           valence=values["valence"] or None)
            if code:
                self.notify(f"Added {code.kind.replace('_', ' ')} '{code.name}'", timeout=2)
                self._changed(code.id)

        self.app.push_screen(CodeForm("New code", kind=self._selected_kind(), choose_kind=True), save)

    def action_rename(self) -> None:
        code = self._need_code()
        if code is None:
            return

        def save(name: str | None) -> None:
            if name is not None and name.strip() and name.strip() != code.name:
                self._save_changes(code, {"name": name.strip()})

        self.app.push_screen(TextDialog(f"Rename '{code.name}'", code.name, multiline=False), save)

    def _save_changes(self, code: Code, changes: dict) -> None:
        """Save changes to a code as one command. A new name with the old description left as it was
        asks first: a template's description is written for its name ("Analysis - First steps after
        committing: ..." under a stage renamed to something else misleads the report)."""
        def save(values: dict) -> None:
            if attempt(self, update_code, self.store, code.id, **values):
                self.notify(f"Saved '{values.get('name', code.name)}'", timeout=2)
                self._changed(code.id)

        if "name" not in changes or "description" in changes or not code.description.strip():
            save(changes)
            return
        message = (f"'{code.name}' becomes '{changes['name']}'. Its description was written for the old "
                   f"name:\n\n“{code.description}”\n\nKeep it (y) or clear it (n)? Escape renames nothing.")

        def answer(keep: bool | None) -> None:
            if keep is not None:
                save(changes if keep else {**changes, "description": ""})

        self.app.push_screen(ConfirmDialog("Keep the description?", message, yes="Keep", no="Clear"), answer)

    def action_edit(self) -> None:
        code = self._need_code()
        if code is None:
            return

        def save(values: dict | None) -> None:
            if not values:
                return
            changes = {k: v for k, v in (("name", values["name"]), ("description", values["description"]),
                                         ("colour", values["colour"] or code.colour),
                                         ("valence", _number(values["valence"])))
                       if v != getattr(code, k)}
            if changes:
                self._save_changes(code, changes)

        form = CodeForm(f"Edit {code.kind.replace('_', ' ')} '{code.name}'", name=code.name,
                        kind=code.kind, description=code.description, colour=code.colour,
                        valence=code.valence)
        self.app.push_screen(form, save)

    def action_move(self, delta: int) -> None:
        code = self._need_code()
        if code and attempt(self, move_code, self.store, code.id, delta):
            self._changed(code.id)

    def _pick_other(self, title: str, code: Code, then, *, extra: list[Item] = (), same_kind=False) -> None:
        others = [c for c in self.codes.values() if c.id != code.id and (not same_kind or c.kind == code.kind)]
        picker = CodePicker(others, counts=self.counts, title=title, allow_new=False, extra=list(extra))
        self.app.push_screen(picker, lambda choice: choice is not None and then(choice))

    def action_parent(self) -> None:
        code = self._need_code()
        if code is None:
            return

        def move(parent: int) -> None:
            parent_id = None if parent == TOP_LEVEL else parent
            if attempt(self, update_code, self.store, code.id, parent_id=parent_id):
                self._changed(code.id)

        self._pick_other(f"Move '{code.name}' under…", code, move, same_kind=True,
                         extra=[Item("(top level)", TOP_LEVEL, "no parent")])

    def action_merge(self) -> None:
        code = self._need_code()
        if code is None:
            return

        def confirm(target: int) -> None:
            n = self.counts.get(code.id, (0, 0))[0]
            into = self.codes[target]
            message = (f"Move {n} coding{'s' if n != 1 else ''} of '{code.name}' to '{into.name}' "
                       f"and remove '{code.name}'? (ctrl+z undoes)")
            self.app.push_screen(ConfirmDialog("Merge codes", message, yes="Merge"),
                                 lambda ok: ok and self._merge(code, into))

        self._pick_other(f"Merge '{code.name}' into…", code, confirm)

    def _merge(self, code: Code, into: Code) -> None:
        moved = attempt(self, merge_codes, self.store, code.id, into.id)
        if moved is not None:
            self.notify(f"Merged '{code.name}' into '{into.name}' ({moved} codings)", timeout=3)
            self._changed(into.id)

    def action_delete(self) -> None:
        code = self._need_code()
        if code is None:
            return
        n = self.counts.get(code.id, (0, 0))[0]
        message = (f"Delete '{code.name}' and the {n} coding{'s' if n != 1 else ''} that use it? "
                   "Its sub-codes move up a level. (ctrl+z undoes)")

        def delete(ok: bool) -> None:
            if ok and attempt(self, delete_code, self.store, code.id) is not None:
                self.notify(f"Deleted '{code.name}' and {n} codings", timeout=3)
                self._changed()

        self.app.push_screen(ConfirmDialog("Delete code", message, yes="Delete"), delete)

    def action_quotes(self) -> None:
        code = self._need_code()
        if code:
            self.post_message(ShowQuotes(code.id))


def _number(text: str):
    """A valence typed in a form: a number, None when blank, else the text (the Store explains)."""
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"
