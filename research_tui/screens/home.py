"""The study home: sources, participants, codes by kind and recent activity; import more files; delete,
rename or replace a source (`source_actions`)."""

from __future__ import annotations

from collections import Counter

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from coding.answers import attribute_questions
from coding.codebook import KIND_LABELS, list_codes
from coding.codings import code_counts
from coding.models import CODE_KINDS, ROLES, UNATTRIBUTED, Participant
from coding.people import (
    delete_participant,
    headcount,
    merge_participants,
    rename_participant,
    set_participant_attribute,
    set_participant_role,
)
from coding.queries import source_table
from exports.anonymize import Anonymizer

from ..messages import OpenSource
from ..widgets.fit import Part, fitted
from ..widgets.footer import StudioFooter
from ..widgets.row_table import RowTable
from . import source_actions
from .base import StudioScreen, attempt, succeeds
from .dialogs import ConfirmDialog, TextDialog
from .importer import ImportDialog
from .picker import Item, PickList


def _when(at: str) -> str:
    """'2025-03-01T10:22:05+00:00' -> '03-01 10:22' (UTC, as stored)."""
    return f"{at[5:10]} {at[11:16]}" if len(at) >= 16 else at


class HomeScreen(StudioScreen):
    CSS_PATH = "home.tcss"
    AUTO_FOCUS = "#sources"
    BINDINGS = [
        Binding("o,enter", "open", "Open source", id="home.open"),
        Binding("i", "import", "Import files", id="home.import"),
        Binding("p", "pseudonyms", "Pseudonyms on/off", id="home.pseudonyms"),
        Binding("n", "rename_person", "Rename participant", id="home.rename_person", show=False),
        Binding("r", "role", "Participant role", id="home.role", show=False),
        Binding("a", "attribute", "Set attribute", id="home.attribute", show=False),
        Binding("m", "merge_person", "Merge participant into…", id="home.merge_person", show=False),
        Binding("d", "delete_person", "Delete participant (turns kept, unattributed)", id="home.delete_person",
                show=False),
        Binding("x", "delete_source", "Delete source", id="home.delete_source", show=False),
        Binding("e", "rename_source", "Rename source", id="home.rename_source", show=False),
        Binding("f", "replace_source", "Replace source file", id="home.replace_source", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="home-title")
        table = RowTable(["Title", "Format", "Utterances", "Words", "Coded", "Participants"], id="sources")
        table.border_title = "Sources"
        yield table
        people = RowTable(["Participant", "Role", "Attributes"], id="people")
        people.border_title = "Participants"
        yield people
        with Vertical(id="home-side"):
            yield Static(id="person")  # the highlighted participant, while the participants table has focus
            yield Static(id="code-counts")
            yield Static(id="activity")
        yield StudioFooter()

    def load_study(self) -> None:
        store = self.store
        rows = source_table(store)
        table = self.query_one("#sources", RowTable)
        table.set_rows([(str(r["id"]), [r["label"], r["format"], f"{r['utterances']:,}", f"{r['words']:,}",
                                        f"{round(100 * r['coded_share'])}%", ", ".join(r["speakers"])])
                        for r in rows], keep=table.current_key)

        anonymize = store.anonymize
        people = self.query_one("#people", RowTable)
        participants = store.participants()
        people.set_rows([(str(p.id), [p.label(anonymize), p.role,
                                      ", ".join(f"{k}={v}" for k, v in p.attributes.items() if v != "")])
                         for p in participants], keep=people.current_key)

        counts = code_counts(store)
        codes = list_codes(store)
        by_kind: Counter[str] = Counter()
        used: Counter[str] = Counter()
        for c in codes:
            by_kind[c.kind] += counts.get(c.id, (0, 0))[0]
            used[c.kind] += 1
        lines: list = [("Codings by kind\n", "bold")]
        for kind in CODE_KINDS:
            if used[kind]:
                lines.append(f"{KIND_LABELS[kind]:<13}{by_kind[kind]:>4} "  # fits the side panel at 80 columns
                             f"({used[kind]} code{'s' if used[kind] != 1 else ''})\n")
        self.query_one("#code-counts", Static).update(Content.assemble(*lines))

        history = store.history(limit=8)
        recent: list = [("Recent activity\n", "bold")]
        anon = Anonymizer.from_store(store, enabled=True) if anonymize and history else None
        for action in history:
            mark = " (undone)" if action.state == "undone" else ""
            recent.append((f"{_when(action.at)} ", "dim"))
            recent.append(f"{anon.anon(action.summary) if anon else action.summary}{mark}\n")
        if not history:
            recent.append(("nothing yet", "dim"))
        self.query_one("#activity", Static).update(Content.assemble(*recent))

        count = headcount(participants)  # who counts, as `info`, `participants` and the report count
        people.border_subtitle = f"not counted: {count.why()}" if count.not_counted else ""
        others = sum(count.not_counted.values())
        self._title = [
            Part(store.name, "bold", shrink=1, least=12), Part("  "),
            Part(f"{len(rows)} sources · {count.participants} participants", "dim"),
            Part(f" (+{others} not counted)", "dim", drop=3) if others else Part(""),
            Part(f" · {sum(r['utterances'] for r in rows):,} utterances", "dim", drop=2),
            Part(f" · {sum(counts[c][0] for c in counts):,} codings", "dim"),
            Part("  · pseudonyms" if anonymize else "", "italic"),
        ]
        self._show_title()
        if not rows:
            self.query_one("#sources", RowTable).border_subtitle = "none yet: press i to import transcripts"
        else:
            self.query_one("#sources", RowTable).border_subtitle = "enter opens"

    def _show_title(self) -> None:
        """The study's name and counts in one line: at 80 columns the codings count still shows."""
        title = self.query_one("#home-title", Static)
        width = title.content_size.width or self.app.size.width - 2  # before the first layout: less its padding
        title.update(fitted(getattr(self, "_title", []), width), layout=False)

    def on_resize(self) -> None:
        self._show_title()

    # -- the highlighted participant in full: attributes with the survey questions behind short keys ---
    @on(RowTable.RowHighlighted, "#people")
    def _person_highlighted(self, event: RowTable.RowHighlighted) -> None:
        self._show_person()

    def on_descendant_focus(self) -> None:
        self._show_person()

    def on_descendant_blur(self) -> None:
        self._show_person()

    def _show_person(self) -> None:
        table = self.query_one("#people", RowTable)
        panel = self.query_one("#person", Static)
        key = table.current_key if self.focused is table else None
        panel.display = key is not None
        if key is None:
            return
        person = self.store.participant(int(key))
        questions = attribute_questions(self.store)
        lines: list = [(f"{self._label(person)}", "bold"), (f"  {person.role}\n", "dim")]
        for k, v in person.attributes.items():
            if str(v).strip():
                lines += [(k, "bold"), (f" · {questions[k]}" if k in questions else "", "italic"), f"\n  {v}\n"]
        if not any(str(v).strip() for v in person.attributes.values()):
            lines.append(("no attributes: a sets one", "dim"))
        panel.update(Content.assemble(*lines))
        self.query_one("#home-side").scroll_home(animate=False)

    def _selected_source(self) -> int | None:
        key = self.query_one("#sources", RowTable).current_key
        return None if key is None else int(key)

    def action_open(self) -> None:
        source_id = self._selected_source()
        if source_id is None:
            self.notify("No sources yet: press i to import transcripts", severity="warning")
            return
        self.post_message(OpenSource(source_id))

    @on(RowTable.RowSelected, "#sources")
    def _row_selected(self, event: RowTable.RowSelected) -> None:
        self.post_message(OpenSource(int(event.key)))

    # -- sources (on the highlighted row of the sources table) -------------------------------------
    def _source(self) -> int | None:
        table = self.query_one("#sources", RowTable)
        if self.focused is not table:
            table.focus()
            self.notify("Choose a source in this table, then press the key again", timeout=3)
            return None
        if table.current_key is None:
            self.notify("No sources yet: press i to import transcripts", severity="warning")
        return None if table.current_key is None else int(table.current_key)

    def action_delete_source(self) -> None:
        if (source_id := self._source()) is not None:
            source_actions.delete_source(self.app, source_id)

    def action_rename_source(self) -> None:
        if (source_id := self._source()) is not None:
            source_actions.rename_source(self.app, source_id)

    def action_replace_source(self) -> None:
        if (source_id := self._source()) is not None:
            source_actions.replace_source(self.app, source_id)

    def action_import(self) -> None:
        dialog = ImportDialog(self.store.path, self.store.coder, start_dir=self.store.path.parent)
        self.app.push_screen(dialog, lambda imported: imported and self.reload())

    # -- participants (on the highlighted row of the participants table) ----------------------------
    def _person(self) -> Participant | None:
        table = self.query_one("#people", RowTable)
        if self.focused is not table:
            table.focus()
            self.notify("Choose a participant in this table, then press the key again", timeout=3)
            return None
        key = table.current_key
        return None if key is None else self.store.participant(int(key))

    def _label(self, p: Participant) -> str:
        return p.label(self.store.anonymize)

    def action_rename_person(self) -> None:
        person = self._person()
        if person is None:
            return

        def save(name: str | None) -> None:
            if name and name.strip() and name.strip() != person.name \
                    and attempt(self, rename_participant, self.store, person.id, name):
                self.reload()

        shown = "" if self.store.anonymize else person.name
        self.app.push_screen(TextDialog(f"Rename {person.pseudonym}", shown, multiline=False), save)

    def action_role(self) -> None:
        person = self._person()
        if person is None:
            return
        items = [Item(role, role, "current" if role == person.role else "") for role in ROLES]

        def save(role) -> None:
            if role and role != person.role and attempt(self, set_participant_role, self.store, person.id, role):
                self.reload()

        self.app.push_screen(PickList(f"Role of {self._label(person)}", items), save)

    def action_attribute(self) -> None:
        person = self._person()
        if person is None:
            return

        def save(text: str | None) -> None:
            if not text or "=" not in text:
                if text:
                    self.notify("Type attribute=value, e.g. segment=Repeat (an empty value removes it)",
                                severity="warning")
                return
            key, value = text.split("=", 1)
            if attempt(self, set_participant_attribute, self.store, person.id, key, value):
                self.reload()

        now = ", ".join(f"{k}={v}" for k, v in person.attributes.items()) or "none yet"
        hint = f"now: {now} · an empty value removes · enter saves, escape cancels"
        self.app.push_screen(TextDialog(f"Attribute of {self._label(person)} (attribute=value)", "",
                                        multiline=False, hint=hint), save)

    def action_merge_person(self) -> None:
        person = self._person()
        if person is None:
            return
        others = [Item(self._label(p), p, p.role) for p in self.store.participants() if p.id != person.id]

        def confirm(into: Participant | None) -> None:
            if into is None:
                return
            message = (f"Move every turn of {self._label(person)} to {self._label(into)} and remove "
                       f"{self._label(person)}? (ctrl+z undoes)")
            self.app.push_screen(ConfirmDialog("Merge participants", message, yes="Merge"),
                                 lambda ok: ok and self._merge(person, into))

        self.app.push_screen(PickList(f"Merge {self._label(person)} into…", others), confirm)

    def _merge(self, person: Participant, into: Participant) -> None:
        moved = attempt(self, merge_participants, self.store, person.id, into.id)
        if moved is not None:
            self.notify(f"Merged {self._label(person)} into {self._label(into)} ({moved} turns)", timeout=3)
            self.reload()

    def action_delete_person(self) -> None:
        person = self._person()
        if person is None:
            return
        if person.role == UNATTRIBUTED:
            self.notify("Unattributed turns are kept for you to give to their speakers: open a source, "
                        "then g in the reader", severity="warning", timeout=5)
            return
        turns, sources = self.store.db.execute(
            "SELECT count(*), count(DISTINCT source_id) FROM utterances WHERE participant_id = ?",
            [person.id]).fetchone()
        message = (f"Delete {self._label(person)} ({person.role})? Their {turns} turn{'s' * (turns != 1)} in "
                   f"{sources} source{'s' * (sources != 1)} become unattributed: kept, readable and codable, "
                   "but counted as nobody's. In the reader, g gives a turn to its speaker. (ctrl+z undoes)")

        def delete(ok: bool | None) -> None:
            if ok and attempt(self, delete_participant, self.store, person.id) is not None:
                self.notify(f"Deleted {self._label(person)}: {turns} turns unattributed", timeout=3)
                self.reload()

        self.app.push_screen(ConfirmDialog("Delete participant", message, yes="Delete"), delete)

    def action_pseudonyms(self) -> None:
        if succeeds(self, self.store.set_anonymize, not self.store.anonymize):
            self.notify("Showing pseudonyms" if self.store.anonymize else "Showing names", timeout=2)
            self.reload()
