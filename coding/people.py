"""Participants after import: rename, change role, set attributes, merge two into one, delete.

Every change is an undoable command in the action log, like coding. Merging is for one person
imported under two labels ("Sam" in one file, "Sam Reid" in another; "Jane's iPhone" and "Jane"):
the turns of one move to the other, attributes are combined (the kept participant's values win),
and the merged-away participant is gone. Roles decide pseudonyms: an automatic pseudonym (P03)
follows a role change (I01).

Deleting is for a "speaker" who is no person (a header read as a speaker, "Unknown speaker", a
device name): their turns are never dropped but given to one stand-in participant, "(unattributed)",
whose role `unattributed` makes it count as nobody in synthesis, reach and counts while its turns
stay readable and codable; `coding.turns` gives such a turn to its real speaker.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import ROLES, UNATTRIBUTED, UNATTRIBUTED_NAME, Participant, StudyError
from .study.backup import backup

PSEUDO_PREFIX = {"participant": "P", "interviewer": "I", "moderator": "M", "team": "T", "observer": "O"}
# a pseudonym the study gave (P03, I01 …) follows a role change; one the researcher chose stays
AUTO_PSEUDONYM = re.compile(r"[PIMTO]\d{2,}")
# why someone in the study is not counted as a participant, by role (a "participant" who does not count is
# the "Unknown speaker" of turns imported without a label)
NOT_COUNTED = {"interviewer": ("interviewer", "interviewers"), "moderator": ("moderator", "moderators"),
               "team": ("team member", "team members"), "observer": ("observer", "observers"),
               "participant": ("unnamed speaker", "unnamed speakers"),
               UNATTRIBUTED: ("holder of unattributed turns", "holders of unattributed turns")}


@dataclass(frozen=True)
class Headcount:
    """Who counts as a participant (synthesis, reach, the report, `info`, the home screen), and who not."""

    participants: int
    not_counted: dict[str, int] = field(default_factory=dict)   # role -> how many

    def why(self) -> str:
        """'1 interviewer, 1 unnamed speaker' (empty when everyone counts)."""
        return ", ".join(f"{n} {NOT_COUNTED.get(role, (role, role))[n != 1]}"
                         for role, n in sorted(self.not_counted.items()))


PARTICIPANT_ROLE = "participant"
_UNKNOWN = re.compile(r"^unknown( speaker)?\b", re.IGNORECASE)


def is_person(p: Participant) -> bool:
    """A participant who counts: role participant, and not the "Unknown speaker (…)" an import gives to
    turns without a label (who may be several people, or nobody the study knows)."""
    return p.role == PARTICIPANT_ROLE and not _UNKNOWN.match(p.name)


def headcount(participants: Iterable[Participant]) -> Headcount:
    counted, others = 0, Counter()
    for p in participants:  # one pass: a study's participants may come streamed from a query
        if is_person(p):
            counted += 1
        else:
            others[p.role] += 1
    return Headcount(counted, dict(others))


def find_participant(store, ref: int | str) -> Participant:
    """A participant by id, name or pseudonym (case-insensitive); "unattributed" is the stand-in."""
    if isinstance(ref, int):
        return store.participant(ref)
    wanted = ref.strip().casefold()
    for p in store.participants():
        if wanted in (p.name.casefold(), p.pseudonym.casefold()):
            return p
        if p.role == UNATTRIBUTED and wanted == UNATTRIBUTED:
            return p
    raise StudyError(f"no participant named {ref!r}; see `research-tui participants`")


def next_pseudonym(store, role: str, *, taken: set[str] | None = None, start: int = 1) -> str:
    """The first free P01/I01/M01 … from number `start` on (an import passes where it got to, so a
    survey of ten thousand respondents does not count up from 1 for each of them)."""
    prefix = PSEUDO_PREFIX[role]
    used = taken if taken is not None else {r[0] for r in store.db.execute("SELECT pseudonym FROM participants")}
    n = max(1, start)
    while f"{prefix}{n:02d}" in used:
        n += 1
    return f"{prefix}{n:02d}"


def _person(store, ref: int | str, doing: str) -> Participant:
    """A participant who is a person (not the unattributed stand-in), for a change that needs one."""
    person = find_participant(store, ref)
    if person.role == UNATTRIBUTED:
        raise StudyError(f"cannot {doing} {UNATTRIBUTED_NAME}: it stands for turns whose speaker was deleted; "
                         "give such a turn to its speaker instead (`research-tui turns`, or `g` in the reader)")
    return person


def rename_participant(store, ref: int | str, name: str) -> Participant:
    person = _person(store, ref, "rename")
    name = " ".join(name.split())
    if not name:
        raise StudyError("a participant needs a name")
    clash = store.db.execute("SELECT id FROM participants WHERE name = ? COLLATE NOCASE AND id != ?",
                            [name, person.id]).fetchone()
    if clash:
        raise StudyError(f"there is already a participant named {name!r}: merge the two instead")
    with store.command("participant", f"renamed participant {person.pseudonym} to {name!r}") as rec:
        rec.update("participants", person.id, {"name": name})
    return store.participant(person.id)


def set_participant_role(store, ref: int | str, role: str) -> Participant:
    person = _person(store, ref, "give a role to")
    if role not in ROLES:
        raise StudyError(f"unknown role {role!r}; choose one of: {', '.join(ROLES)}")
    values: dict = {"role": role}
    if AUTO_PSEUDONYM.fullmatch(person.pseudonym) and person.pseudonym[0] != PSEUDO_PREFIX[role]:
        values["pseudonym"] = next_pseudonym(store, role)
    with store.command("participant", f"{person.pseudonym} is now {role}") as rec:
        rec.update("participants", person.id, values)
    return store.participant(person.id)


def set_participant_attribute(store, ref: int | str, key: str, value: str) -> Participant:
    """Set one attribute (segment, age band …); an empty value removes it."""
    person = _person(store, ref, "set an attribute of")
    key = key.strip()
    if not key:
        raise StudyError("an attribute needs a name")
    attributes = dict(person.attributes)
    if str(value).strip():
        attributes[key] = str(value).strip()
    else:
        attributes.pop(key, None)
    with store.command("participant", f"{person.pseudonym}: {key} = {value!r}") as rec:
        rec.update("participants", person.id, {"attributes": json.dumps(attributes)})
    return store.participant(person.id)


def merge_participants(store, ref: int | str, into: int | str) -> int:
    """Move every turn of `ref` to `into` and remove `ref`. Returns the number of turns moved."""
    gone, kept = _person(store, ref, "merge"), _person(store, into, "merge into")
    if gone.id == kept.id:
        raise StudyError("cannot merge a participant into themself")
    turns = [r[0] for r in store.db.execute("SELECT id FROM utterances WHERE participant_id = ?", [gone.id])]
    attributes = {**gone.attributes, **kept.attributes}
    backup(store, f"before merging participant {gone.pseudonym} into {kept.pseudonym}")  # no names in file names
    with store.command("merge_participants", f"merged {gone.name!r} into {kept.name!r}") as rec:
        for uid in turns:
            rec.update("utterances", uid, {"participant_id": kept.id})
        if attributes != kept.attributes:
            rec.update("participants", kept.id, {"attributes": json.dumps(attributes)})
        _keep_persona(store, rec, gone.id, kept.id)
        rec.delete("participants", gone.id)  # with their other persona membership, recorded for undo
    store._turns.clear()
    return len(turns)


def _keep_persona(store, rec, gone: int, kept: int) -> None:
    """A merged person stays in their persona when the one they are merged into has none."""
    member = "SELECT id FROM persona_members WHERE participant_id = ?"
    row = store.db.execute(member, [gone]).fetchone()
    if row and store.db.execute(member, [kept]).fetchone() is None:
        rec.update("persona_members", row[0], {"participant_id": kept})


def unattributed_id(store, rec) -> int:
    """The id of the unattributed stand-in, created inside command `rec` when the study has none."""
    row = store.db.execute("SELECT id FROM participants WHERE role = ?", [UNATTRIBUTED]).fetchone()
    if row:
        return row[0]
    clash = store.db.execute("SELECT role FROM participants WHERE name = ? COLLATE NOCASE",
                            [UNATTRIBUTED_NAME]).fetchone()
    if clash:
        raise StudyError(f"a participant is named {UNATTRIBUTED_NAME!r}; rename them first")
    return rec.insert("participants", {"name": UNATTRIBUTED_NAME, "pseudonym": UNATTRIBUTED_NAME,
                                       "role": UNATTRIBUTED, "attributes": "{}"})


def delete_participant(store, ref: int | str) -> int:
    """Remove someone who is not a person; their turns become unattributed (never dropped), their
    codings stay. Returns the number of turns that became unattributed. Undoable."""
    person = _person(store, ref, "delete")
    turns = [r[0] for r in store.db.execute("SELECT id FROM utterances WHERE participant_id = ?", [person.id])]
    summary = f"deleted participant {person.pseudonym}: {len(turns)} turn{'s' * (len(turns) != 1)} unattributed"
    backup(store, f"before deleting participant {person.pseudonym}")  # no names in file names
    with store.command("delete_participant", summary) as rec:
        if turns:
            stand_in = unattributed_id(store, rec)
            for uid in turns:
                rec.update("utterances", uid, {"participant_id": stand_in})
        rec.delete("participants", person.id)
    store.forget_cached_turns()
    return len(turns)
