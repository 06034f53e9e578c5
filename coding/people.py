"""Participants after import: rename, change role, set attributes, merge two into one.

Every change is an undoable command in the action log, like coding. Merging is for one person
imported under two labels ("Sam" in one file, "Sam Reid" in another; "Jane's iPhone" and "Jane"):
the turns of one move to the other, attributes are combined (the kept participant's values win),
and the merged-away participant is gone. Roles decide pseudonyms: an automatic pseudonym (P03)
follows a role change (I01).
"""

from __future__ import annotations

import json
import re

from .backup import backup
from .models import ROLES, Participant, StudyError

PSEUDO_PREFIX = {"participant": "P", "interviewer": "I", "moderator": "M"}


class PeopleMixin:
    """Mixed into `Store`."""

    def find_participant(self, ref: int | str) -> Participant:
        """A participant by id, name or pseudonym (case-insensitive)."""
        if isinstance(ref, int):
            return self.participant(ref)
        wanted = ref.strip().casefold()
        for p in self.participants():
            if wanted in (p.name.casefold(), p.pseudonym.casefold()):
                return p
        raise StudyError(f"no participant named {ref!r}; see `research-tui participants`")

    def next_pseudonym(self, role: str, *, taken: set[str] | None = None) -> str:
        prefix = PSEUDO_PREFIX[role]
        used = taken if taken is not None else {r[0] for r in self.db.execute("SELECT pseudonym FROM participants")}
        n = 1
        while f"{prefix}{n:02d}" in used:
            n += 1
        return f"{prefix}{n:02d}"

    def rename_participant(self, ref: int | str, name: str) -> Participant:
        person = self.find_participant(ref)
        name = " ".join(name.split())
        if not name:
            raise StudyError("a participant needs a name")
        clash = self.db.execute("SELECT id FROM participants WHERE name = ? COLLATE NOCASE AND id != ?",
                                [name, person.id]).fetchone()
        if clash:
            raise StudyError(f"there is already a participant named {name!r}: merge the two instead")
        with self.command("participant", f"renamed participant {person.pseudonym} to {name!r}") as rec:
            rec.update("participants", person.id, {"name": name})
        return self.participant(person.id)

    def set_participant_role(self, ref: int | str, role: str) -> Participant:
        person = self.find_participant(ref)
        if role not in ROLES:
            raise StudyError(f"unknown role {role!r}; choose one of: {', '.join(ROLES)}")
        values: dict = {"role": role}
        if re.fullmatch(r"[PIM]\d{2,}", person.pseudonym) and person.pseudonym[0] != PSEUDO_PREFIX[role]:
            values["pseudonym"] = self.next_pseudonym(role)
        with self.command("participant", f"{person.pseudonym} is now {role}") as rec:
            rec.update("participants", person.id, values)
        return self.participant(person.id)

    def set_participant_attribute(self, ref: int | str, key: str, value: str) -> Participant:
        """Set one attribute (segment, age band …); an empty value removes it."""
        person = self.find_participant(ref)
        key = key.strip()
        if not key:
            raise StudyError("an attribute needs a name")
        attributes = dict(person.attributes)
        if str(value).strip():
            attributes[key] = str(value).strip()
        else:
            attributes.pop(key, None)
        with self.command("participant", f"{person.pseudonym}: {key} = {value!r}") as rec:
            rec.update("participants", person.id, {"attributes": json.dumps(attributes)})
        return self.participant(person.id)

    def merge_participants(self, ref: int | str, into: int | str) -> int:
        """Move every turn of `ref` to `into` and remove `ref`. Returns the number of turns moved."""
        gone, kept = self.find_participant(ref), self.find_participant(into)
        if gone.id == kept.id:
            raise StudyError("cannot merge a participant into themself")
        turns = [r[0] for r in self.db.execute("SELECT id FROM utterances WHERE participant_id = ?", [gone.id])]
        attributes = {**gone.attributes, **kept.attributes}
        backup(self, f"before merging participant {gone.pseudonym} into {kept.pseudonym}")  # no names in file names
        with self.command("merge_participants", f"merged {gone.name!r} into {kept.name!r}") as rec:
            for uid in turns:
                rec.update("utterances", uid, {"participant_id": kept.id})
            if attributes != kept.attributes:
                rec.update("participants", kept.id, {"attributes": json.dumps(attributes)})
            rec.delete("participants", gone.id)
        self._turns.clear()
        return len(turns)
