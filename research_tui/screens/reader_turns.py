"""The reader's corrections of turns (mixed into `ReaderScreen`, whose bindings call them): mark the
turns under the selection as not speech, give them to another speaker, split a turn where the
selection starts. Each is one undoable command of `coding.turns`; the screen then re-reads the source.
"""

from __future__ import annotations

from coding import turns as turn_ops
from coding.codings import trim_span
from coding.models import UNATTRIBUTED, UNATTRIBUTED_NAME

from ..widgets.transcript_layout import Turn
from .base import attempt
from .picker import Item, PickList


class TurnCorrections:
    """Needs `self.store`, `self.view` (the TranscriptView), `self.source_id` and `self.reload()`."""

    def _turns_under_selection(self) -> list[Turn]:
        doc = self.view.doc
        if self.source_id is None or doc is None or not doc.turns or not doc.sentences:
            self.notify("No turn here", severity="warning")
            return []
        start, end = self.view.selection
        first = doc.turn_of_offset(start)
        last = doc.turn_of_offset(max(start, end - 1))
        return doc.turns[first:last + 1]

    def _speaker_items(self, current: int | None) -> list[Item]:
        """Who can say a turn: this source's speakers first, then everyone else, then nobody."""
        anonymize = self.store.anonymize
        here = {p.id for p in self.store.speakers_of(self.source_id)}
        people = sorted(self.store.participants(), key=lambda p: (p.id not in here, p.id))
        items = [Item(p.label(anonymize), p.id, p.role + (" · says this now" if p.id == current else "")
                      + (" · in this source" if p.id in here and p.id != current else ""))
                 for p in people if p.role != UNATTRIBUTED]
        return items + [Item(UNATTRIBUTED_NAME, UNATTRIBUTED, "nobody: kept, not counted as a person")]

    def action_not_speech(self) -> None:
        """Mark the turns under the selection as not speech, or as speech again when all of them are."""
        turns = self._turns_under_selection()
        if not turns:
            return
        mark = not all(t.not_speech for t in turns)
        changed = attempt(self, turn_ops.set_not_speech, self.store, [t.utterance_id for t in turns], mark)
        if changed is not None:
            what = "not speech: left out of counts and suggestions" if mark else "speech again"
            self.notify(f"{changed} turn{'s' * (changed != 1)} marked as {what} (ctrl+z undoes)", timeout=3)
            self.reload()

    def action_give_turn(self) -> None:
        """Give the turns under the selection to another speaker (or to nobody)."""
        turns = self._turns_under_selection()
        if not turns:
            return
        ids = [t.utterance_id for t in turns]
        current = turns[0].participant_id if len({t.participant_id for t in turns}) == 1 else None
        label = "this turn" if len(turns) == 1 else f"these {len(turns)} turns"

        def give(who) -> None:
            if who is None:
                return
            changed = attempt(self, turn_ops.set_speaker, self.store, ids, who)
            if changed is not None:
                self.notify(f"{self.store.history(1)[0].summary} (ctrl+z undoes)" if changed
                            else "Nothing changed", timeout=3)
                self.reload()

        self.app.push_screen(PickList(f"Who says {label}?", self._speaker_items(current)), give)

    def action_split_turn(self) -> None:
        """Split the turn where the selection starts; the picker says who says the rest."""
        turns = self._turns_under_selection()
        if not turns:
            return
        doc = self.view.doc
        at = self.view.selection[0]
        turn = doc.turns[doc.turn_of_offset(at)]
        head = trim_span(doc.text, turn.start, at)
        if head[0] >= head[1] or at >= turn.end:
            self.notify("Put the cursor where the other speaker starts (the turn is split before the "
                        "selection; h/l move its start a word)", severity="warning", timeout=5)
            return

        def split(who) -> None:
            if who is None:
                return
            ids = attempt(self, turn_ops.split_turn, self.store, turn.utterance_id, at, who)
            if ids is not None:
                self.notify(f"{self.store.history(1)[0].summary} (ctrl+z undoes)", timeout=3)
                self.reload()  # the selection stays: it now starts the new turn

        items = self._speaker_items(turn.participant_id)
        same = next((i for i in items if i.value == turn.participant_id), items[-1])  # else: unattributed
        items = [Item(same.label, same.value, "the same speaker: only split")] + [i for i in items if i is not same]
        self.app.push_screen(PickList("Who says the rest of the turn, from the selection on?", items), split)
