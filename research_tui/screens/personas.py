"""Personas: the drafts kept in the study, the people behind each, and what sets each apart.

A thin shell over `coding.personas`: describing and drafting run in a worker with its own Store (scikit-learn
loads there, never on the screen's thread); every edit is one undoable command on the screen's Store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from coding import personas as P
from coding.models import Participant
from coding.study import Store

from ..messages import OpenSource, ShowParticipantQuotes
from ..widgets.footer import StudioFooter
from .base import StudioScreen, attempt, succeeds
from .dialogs import ConfirmDialog, TextDialog
from .journey import clean, fmt, valence_bar
from .persona_form import PersonaForm
from .picker import Item, PickList

NONE = "(no persona)"


@dataclass
class Loaded:
    """What the worker read: stored personas described now, and who is in none."""

    sketches: list[P.Sketch]
    method: dict
    people: dict[int, Participant]
    unassigned: list[int]
    sources: dict[int, str]   # source id -> title, or S01 … when anonymized
    drafted: str = ""         # a note when personas were just drafted


class PersonasScreen(StudioScreen):
    CSS_PATH = "personas.tcss"
    AUTO_FOCUS = "#persona-list"
    BINDINGS = [
        Binding("enter", "enter", "People / their quotes", id="personas.enter"),
        Binding("d", "draft", "Draft personas", id="personas.draft"),
        Binding("k", "draft_k", "Draft with k…", id="personas.draft_k", show=False),
        Binding("n", "rename", "Rename", id="personas.rename"),
        Binding("e", "edit", "Edit", id="personas.edit"),
        Binding("g", "merge", "Merge into…", id="personas.merge"),
        Binding("m", "move", "Move person to…", id="personas.move"),
        Binding("a", "add", "New persona", id="personas.add", show=False),
        Binding("delete", "delete", "Delete persona", id="personas.delete", show=False),
        Binding("o", "open_quote", "Open a quote", id="personas.open", show=False),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.loaded: Loaded | None = None
        self.anonymize = store.anonymize

    def compose(self) -> ComposeResult:
        yield Static("Personas: reading…", id="personas-head")
        with Horizontal(id="personas-body"):
            with Vertical(id="personas-left"):
                yield OptionList(id="persona-list")
                yield Label("People (enter: their quotes · m: move)", id="people-title")
                yield OptionList(id="persona-people")
            with VerticalScroll(id="persona-detail-scroll"):
                yield Static("", id="persona-detail")
        yield StudioFooter()

    def load_study(self) -> None:
        self.anonymize = self.store.anonymize
        self.read(self.store.path, None)

    def worker_failed(self, worker) -> None:
        """Reading or drafting failed (the notification says why): show what was there, not "drafting…"."""
        super().worker_failed(worker)
        if self.loaded is not None:
            self.show(replace(self.loaded, drafted=""))
        self.query_one("#personas-head", Static).update(Content.assemble(
            ("Personas", "bold"), " — could not read or draft them (the message says why); d drafts again"))

    @work(thread=True, exclusive=True, group="personas", exit_on_error=False)
    def read(self, path, draft_k: int | None | bool) -> None:
        """Describe the stored personas; with `draft_k` (True: choose k; an int: that k) draft them first."""
        note = ""
        from coding.synthesis import model_valence  # the journey's valence: the curves agree with it

        with Store.open(path, coder=self.store.coder) as store:
            if draft_k is not None:
                drafted = P.draft_personas(store, k=None if draft_k is True else draft_k, valence_of=model_valence())
                if drafted.sketches:
                    P.save_drafts(store, drafted)
                note = drafted.reason
            stored = P.personas(store)
            sketches = P.describe(store, stored, valence_of=model_valence())
            people = {p.id: p for p in store.participants()}
            placed = {pid for s in stored for pid in s.participant_ids}
            speaking = set(P.Study(store).speaking) if not stored else set()
            unassigned = sorted(pid for pid, p in people.items() if p.role == "participant" and pid not in placed
                                and (stored or pid in speaking))
            method = stored[0].method if stored else {}
            sources = {s.id: s.label(store.anonymize) for s in store.sources()}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, Loaded(sketches, method, people, unassigned, sources, note))

    # -- drawing -------------------------------------------------------------------------------------
    def show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        if loaded.drafted:
            self.notify(loaded.drafted, timeout=6)
        self._seen = None if loaded.drafted else self._seen
        n = len(loaded.sketches)
        head = (f"{n} persona{'' if n == 1 else 's'} · {sum(s.size for s in loaded.sketches)} participants in them · "
                f"{len(loaded.unassigned)} in none")
        if loaded.method.get("k"):
            head += f" · drafted with k = {loaded.method['k']}"
        self.query_one("#personas-head", Static).update(Content.assemble(("Personas", "bold"), " — ", head))
        plist = self.query_one("#persona-list", OptionList)
        keep = plist.highlighted
        plist.clear_options()
        plist.add_options([Option(Content(f"{i}. {s.name} · {s.size} · {s.summary()}"), id=str(i))
                           for i, s in enumerate(loaded.sketches, 1)])
        if loaded.unassigned:
            plist.add_option(Option(Content(f"{NONE} · {len(loaded.unassigned)}"), id="none"))
        if plist.option_count:
            plist.highlighted = min(keep or 0, plist.option_count - 1)
        else:
            self.query_one("#persona-detail", Static).update(
                "No personas yet. d drafts them from the coding (participants grouped by what they say and who "
                "they are); k drafts a given number.")
            self.query_one("#persona-people", OptionList).clear_options()

    def current(self) -> P.Sketch | None:
        index = self.query_one("#persona-list", OptionList).highlighted
        if self.loaded is None or index is None or index >= len(self.loaded.sketches):
            return None
        return self.loaded.sketches[index]

    def members(self) -> list[int]:
        sketch = self.current()
        if sketch is not None:
            return list(sketch.participant_ids)
        return list(self.loaded.unassigned) if self.loaded else []

    @on(OptionList.OptionHighlighted, "#persona-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.loaded is None:
            return
        people = self.query_one("#persona-people", OptionList)
        people.clear_options()
        for pid in self.members():
            p = self.loaded.people[pid]
            attrs = ", ".join(f"{k}={v}" if str(v).casefold() in ("yes", "no", "true", "false") else str(v)
                              for k, v in p.attributes.items() if str(v).strip())
            label = Content.assemble((self._label(pid), "bold"), ("  " + attrs, "dim"))
            people.add_option(Option(label, id=str(pid)))
        sketch = self.current()
        self.query_one("#persona-detail", Static).update(
            self.detail(sketch) if sketch else Content("Participants in no persona: m moves one into a persona."))

    def _label(self, pid: int) -> str:
        p = self.loaded.people[pid]
        return p.pseudonym if self.anonymize else f"{p.pseudonym} {p.name}"

    def detail(self, s: P.Sketch) -> Content:
        parts: list = [(s.name, "bold"), f" — {s.size} participant{'' if s.size == 1 else 's'}\n"]
        if s.attributes:
            parts += [("Who: ", "bold"), s.summary() + (" (edited)" if s.attributes_edited else ""), "\n"]
        if s.description:
            parts += [(clean(s.description), "italic"), "\n"]
        if s.goals:
            parts += [("\nGoals\n", "bold")] + [f"• {clean(g)}\n" for g in s.goals]
        for what, items, top in (("Needs", s.needs, s.top_needs), ("Pain points", s.pains, s.top_pains),
                                 ("Themes", s.themes, ())):
            if items:
                parts.append((f"\n{what} that set them apart\n", "bold"))
                parts += [_lift_line(x, s.size) for x in items[:5]]
            elif top:
                parts += [(f"\n{what} they mention most", "bold"), (" (none sets them apart)\n", "dim")]
                parts += [_lift_line(x, s.size) for x in top[:3]]
        if s.emotions:
            feelings = ", ".join(f"{x.code.name} {x.members}/{s.size}" for x in s.emotions)
            parts += [("\nFeelings: ", "bold"), feelings, "\n"]
        if s.opportunities:
            parts += [("They ask for: ", "bold"), ", ".join(x.code.name for x in s.opportunities[:3]), "\n"]
        curve = "  ".join(f"{c.stage.name} {valence_bar(c.valence)} {fmt(c.valence)}" for c in s.curve)
        parts += [("\nEmotion curve\n", "bold"), curve, "\n"]
        if s.quotes:
            parts.append(("\nIn their words (o opens the first)\n", "bold"))
            for q in s.quotes:
                who = ", ".join(self._label(p) for p in q.participant_ids)
                where = self.loaded.sources.get(q.source_id, "")
                parts += [(f"“{clean(q.text)}”", "italic"), (f" — {who}, {where}\n", "dim")]
        return Content.assemble(*parts)

    # -- actions ---------------------------------------------------------------------------------------
    def _changed(self, result) -> None:
        if result is not None:
            self.reload()

    def action_enter(self) -> None:
        people = self.query_one("#persona-people", OptionList)
        if self.focused is people and people.highlighted is not None:
            self._open_person(people.highlighted)
        elif people.option_count:
            people.focus()
            people.highlighted = people.highlighted or 0

    @on(OptionList.OptionSelected, "#persona-list")
    def _persona_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_enter()

    @on(OptionList.OptionSelected, "#persona-people")
    def _person_chosen(self, event: OptionList.OptionSelected) -> None:
        self._open_person(event.option_index)

    def _open_person(self, index: int) -> None:
        members = self.members()
        if 0 <= index < len(members):
            self.post_message(ShowParticipantQuotes(members[index]))

    def action_draft(self, k: int | None = None) -> None:
        def go(ok: bool | None) -> None:
            if ok:
                self.query_one("#personas-head", Static).update("Personas: drafting…")
                self.read(self.store.path, k if k is not None else True)

        stored = len(self.loaded.sketches) if self.loaded else 0
        if stored:
            self.app.push_screen(ConfirmDialog(
                "Draft personas again?", f"The {stored} personas are drafted again from the coding. One whose "
                "members mostly stay together keeps its name, number and edits; the others are replaced "
                "(ctrl+z brings them back).", yes="Draft"), go)
        else:
            go(True)

    def action_draft_k(self) -> None:
        def chosen(text: str | None) -> None:
            if text is None:
                return
            if not text.strip().isdigit() or not 2 <= int(text) <= P.drafting.MAX_K:
                self.notify(f"k is a number from 2 to {P.drafting.MAX_K}", severity="error")
                return
            self.action_draft(int(text))

        self.app.push_screen(TextDialog("How many personas (k)?", "3", multiline=False), chosen)

    def _need_persona(self) -> P.Sketch | None:
        sketch = self.current()
        if sketch is None:
            self.notify("Highlight a persona first", severity="warning")
        return sketch

    def action_rename(self) -> None:
        if (s := self._need_persona()) is None:
            return
        self.app.push_screen(TextDialog(f"Rename {s.name}", s.name, multiline=False), lambda name: self._changed(
            name and attempt(self, P.rename_persona, self.store, s.persona_id, name)))

    def action_edit(self) -> None:
        if (s := self._need_persona()) is None:
            return

        def save(values: dict | None) -> None:
            if values is not None:
                self._changed(attempt(self, P.edit_persona, self.store, s.persona_id, **values))

        self.app.push_screen(PersonaForm(s), save)

    def action_merge(self) -> None:
        if (s := self._need_persona()) is None:
            return
        others = [Item(o.name, o.persona_id, f"{o.size} participants") for o in self.loaded.sketches
                  if o.persona_id != s.persona_id]
        if not others:
            self.notify("No other persona to merge into", severity="warning")
            return
        self.app.push_screen(PickList(f"Merge {s.name} into…", others), lambda into: self._changed(
            into and attempt(self, P.merge_personas, self.store, s.persona_id, into)))

    def action_move(self) -> None:
        people = self.query_one("#persona-people", OptionList)
        if people.highlighted is None or not self.members():
            self.notify("Highlight a person in the People list first", severity="warning")
            return
        pid = self.members()[people.highlighted]
        items = [Item(s.name, s.persona_id, f"{s.size} participants") for s in self.loaded.sketches]
        items.append(Item(NONE, NONE, "in no persona"))

        def chosen(target) -> None:
            if target is not None and succeeds(self, P.move_participant, self.store, pid,
                                               None if target == NONE else target):
                self.reload()

        self.app.push_screen(PickList(f"Move {self._label(pid)} to…", items), chosen)

    def action_add(self) -> None:
        self.app.push_screen(TextDialog("New persona: its name", "", multiline=False), lambda name: self._changed(
            name and attempt(self, P.add_persona, self.store, name)))

    def action_delete(self) -> None:
        if (s := self._need_persona()) is None:
            return
        self.app.push_screen(ConfirmDialog(f"Delete {s.name}?", f"Its {s.size} participants will be in no "
                                           "persona (ctrl+z brings it back).", yes="Delete"),
                             lambda ok: self._changed(ok and attempt(self, P.delete_persona, self.store, s.persona_id)))

    def action_open_quote(self) -> None:
        s = self.current()
        if s is None or not s.quotes:
            self.notify("No quote to open", severity="warning")
            return
        q = s.quotes[0]
        self.post_message(OpenSource(q.source_id, q.start, q.end))


def _lift_line(x: P.Lift, size: int) -> Content:
    return Content.assemble(f"• {x.code.name} ", (f"{x.members}/{size} · {x.lift:.1f}× the others\n", "dim"))
