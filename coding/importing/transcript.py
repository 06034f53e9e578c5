"""Adding one transcript to a study: its speakers as participants (named across files, generic labels
per file), its source and turns, word counts and cues; the participants sheet; titles kept unique.
`coding.importing.import_transcripts` runs these in its one transaction.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..answers import store_questions
from ..models import ROLES, UNATTRIBUTED, UNATTRIBUTED_NAME, StudyError, Transcript
from ..people import AUTO_PSEUDONYM, PSEUDO_PREFIX, next_pseudonym
from ..study.actionlog import Recorder, now
from .report import Added

_GENERIC = re.compile(
    r"^(participant|respondent|interviewee|customer|user|patient|guest|client|speaker|person|"
    r"unknown speaker|unknown|p|r|a|s|resp|part)\s*\.?\s*\d*$",
    re.IGNORECASE,
)


_NON_SPACE = re.compile(r"\S+")


def word_count(text: str) -> int:
    """`len(text.split())` without the list of words (a 50 MB turn is nine million of them, 500 MB)."""
    if len(text) < 100_000:
        return len(text.split())
    return sum(1 for _ in _NON_SPACE.finditer(text))


@functools.lru_cache(maxsize=64)
def _stem(filename: str) -> str:
    return PurePath(filename).stem


def is_generic_label(label: str) -> bool:
    return bool(_GENERIC.match(label.strip())) or label.strip().isdigit()


@contextmanager
def search_index_after(db) -> Iterator[None]:
    """Index the utterances a bulk insert adds for full-text search in one statement at the end, instead
    of one trigger call per row (a 200,000-turn file: 3 s instead of 18 s). Runs inside the caller's
    transaction: the trigger is dropped and created again in it, so a failure rolls both back."""
    if not db.conn.in_transaction:
        raise RuntimeError("search_index_after needs an open transaction")
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'utterances_ai'").fetchone()
    if row is None:
        yield
        return
    last = db.execute("SELECT coalesce(max(id), 0) FROM utterances").fetchone()[0]
    db.execute("DROP TRIGGER utterances_ai")
    yield
    db.execute("INSERT INTO utterances_fts(rowid, text) SELECT id, text FROM utterances WHERE id > ?", [last])
    db.execute(row[0])


_HONORIFIC = re.compile(r"^(?:dr|prof|mr|mrs|ms|mx|miss|sir)\.?\s+", re.IGNORECASE)
_AFTER_NAME = re.compile(r"\s*(?:,|\(|\[|\s[-–|]\s).*$")


def core_name(label: str) -> str:
    """A person's name without a title before it or credentials, pronouns or a device after it:
    'Mireille B. Reece, Psy.D', 'Dr. Anna Keller (she/her)', 'Sam - iPhone' -> 'mireille b. reece', ..."""
    name = _AFTER_NAME.sub("", " ".join(label.split()))
    return _HONORIFIC.sub("", name).casefold().strip()


def _by_core_name(people, key: str, filename: str, asked: str) -> tuple[int | None, str]:
    """A sheet's row for a speaker whose label adds a title, credentials or pronouns to the name (the
    sheet says 'Mireille B. Reece', the transcript 'Mireille B. Reece, Psy.D'): joined when only one
    person has that name at its core; the note says so, or why the row is not used."""
    core = core_name(key)
    found = [(pid, name) for pid, name, _pseudo in people if core and core_name(name) == core]
    if len(found) == 1:
        return found[0][0], f"{filename}: '{asked}' joined to the speaker '{found[0][1]}'"
    if found:
        return None, (f"{filename}: '{asked}' could be {len(found)} speakers ("
                      + ", ".join(repr(name) for _, name in found) + "); row not used: name one in full")
    return None, f"{filename}: no speaker named '{asked}' in the study; row not used"


def content_hash(t: Transcript) -> str:
    """What makes a source the same as one already in the study: its text; for a survey respondent, the
    row of the survey file too, so two respondents who both answered "NA" are two people, while the same
    file imported again is skipped as a whole."""
    if t.format == "csv" and "row" in t.metadata:
        key = f"survey\0{PurePath(t.filename).name}\0{t.metadata['row']}\0{t.text}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()
    return hashlib.sha256(t.text.encode("utf-8")).hexdigest()


@dataclass
class Batch:
    """What one import keeps in hand, so a survey of a thousand respondents does not re-read the study for
    each: pseudonyms in use, the next source position, the study's question for each survey column."""

    pseudonyms: set[str] | None = None
    next_number: dict[str, int] = field(default_factory=dict)  # role -> where its pseudonyms got to
    position: int | None = None
    questions: dict = field(default_factory=dict)
    people: dict[str, list] | None = None  # participant name (as SQLite's NOCASE compares) -> [id, role]
    titles: set[str] | None = None  # source titles, as NOCASE compares them
    pending: Any = None  # a survey's rows not written yet (`coding.respondents.Pending`)


PROGRESS_EVERY = 1000  # transcripts between two calls of an import's progress callback
_TEAM_ROLES = ("interviewer", "moderator", "team", "observer")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def nocase(text: str) -> str:
    """`text` as SQLite's COLLATE NOCASE compares it (ASCII letters only), for lookups kept in memory."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def source_transcripts(store) -> list[Transcript]:
    """The study's transcripts (not survey answers) as imported: speaker labels and turns, to compare
    a new import with (the same conversation in another format is not imported twice)."""
    from ..models import Utterance

    out = []
    for s in store.sources(surveys=False):
        labels = s.metadata.get("speaker_labels", {})
        names = {p.id: p.name for p in store.speakers_of(s.id)}
        turns = [Utterance(labels.get(str(u.participant_id), names.get(u.participant_id, "")), u.char_start,
                           u.char_end) for u in store.utterances(s.id)]
        out.append(Transcript(s.title, s.filename, s.format, s.text, turns))
    return out


def participant_for(store, label: str, t: Transcript, forced: dict[str, str],
                     created: set[int] | None = None) -> int:
    """The participant a speaker label of `t` is (found by name, or added: its id then goes into
    `created`). Within an import the study's names are looked up in memory (`Batch.people`)."""
    role = forced.get(label.casefold()) or t.roles.get(label, "participant")
    if role not in ROLES:
        role = "participant"
    name = label.strip() or "Unknown speaker"
    if name.casefold() == UNATTRIBUTED_NAME:  # a study's own export read back (REFI-QDA): not a person
        role = UNATTRIBUTED
    elif role == "participant" and is_generic_label(name):
        team = _person_named(store, name)
        if team and team[1] in _TEAM_ROLES and label.casefold() not in forced:  # `A5`, a note-taker across files
            what = {"team": "team member", "observer": "observer"}.get(team[1], team[1])
            t.notes.append(f"{label!r} is the {what} {name!r} already in the study (one person across "
                           "files), not this file's participant")
            return team[0]
        scope = _stem(t.filename) if t.format == "csv" else t.title
        name = f"{name} ({scope})"
    batch = getattr(store, "_batch", None)
    row = _person_named(store, name)
    if row:
        if label.casefold() in forced and row[1] != role:
            _set_role(store, row[0], role)
            if batch is not None and batch.people is not None:
                row[1] = role
        return row[0]
    if role == UNATTRIBUTED:
        pseudonym = UNATTRIBUTED_NAME
    else:
        pseudonym = next_pseudonym(store, role, taken=batch.pseudonyms if batch else None,
                                        start=batch.next_number.get(role, 1) if batch else 1)
    if batch:
        batch.pseudonyms.add(pseudonym)
        if role != UNATTRIBUTED:
            batch.next_number[role] = int(pseudonym[1:]) + 1
    values = (name, pseudonym, role, json.dumps(t.attributes.get(label, {})))
    if batch is not None and batch.pending is not None:  # a survey's respondent: written in bulk
        pid = batch.pending.participant(*values)
    else:
        pid = store.db.execute("INSERT INTO participants (name, pseudonym, role, attributes) VALUES (?, ?, ?, ?)",
                              values).lastrowid
    if batch is not None and batch.people is not None:
        batch.people[nocase(name)] = [pid, role]
    if created is not None:
        created.add(pid)
    return pid


def _person_named(store, name: str):
    """[id, role] of the participant called `name` (NOCASE), or None; in memory during an import."""
    batch = getattr(store, "_batch", None)
    if batch is not None and batch.people is not None:
        found = batch.people.get(nocase(name))
        if found and batch.pending is not None and batch.pending.is_pending(found[0]):
            batch.pending.flush()  # in the study before anything changes it (a role, attributes)
        return found
    return store.db.execute("SELECT id, role FROM participants WHERE name = ? COLLATE NOCASE", [name]).fetchone()


def _set_role(store, participant_id: int, role: str) -> None:
    """Change a role; an automatic pseudonym (P03) follows it (I01)."""
    pseudo = store.db.execute("SELECT pseudonym FROM participants WHERE id = ?", [participant_id]).fetchone()[0]
    store.db.execute("UPDATE participants SET role = ? WHERE id = ?", [role, participant_id])
    if AUTO_PSEUDONYM.fullmatch(pseudo) and pseudo[0] != PSEUDO_PREFIX[role]:
        new = next_pseudonym(store, role)
        store.db.execute("UPDATE participants SET pseudonym = ? WHERE id = ?", [new, participant_id])
        if getattr(store, "_batch", None):
            store._batch.pseudonyms.discard(pseudo)
            store._batch.pseudonyms.add(new)


def add_transcript(store, rec: Recorder, t: Transcript, digest: str, forced: dict[str, str],
                    notes: list[str] | None = None) -> dict:
    t.check()
    if not t.utterances:
        raise StudyError("no speech found in the file", path=t.filename)
    batch = getattr(store, "_batch", None) or Batch()
    questions = store_questions(store.db, t, batch.questions, notes if notes is not None else t.notes) \
        if t.questions else {}
    if any(study_key != key for key, (_, study_key) in questions.items()):
        t.attributes = {who: {questions[k][1] if k in questions else k: v for k, v in values.items()}
                        for who, values in t.attributes.items()}
    created: set[int] = set()
    ids = {label: participant_for(store, label, t, forced, created) for label in t.speakers}
    for label, pid in ids.items():
        if t.attributes.get(label) and pid not in created:  # a new one was given them as it was added
            merge_attributes(store, pid, t.attributes[label])
    if batch.position is None:
        batch.position = store.db.execute("SELECT coalesce(max(position) + 1, 0) FROM sources").fetchone()[0]
    position, batch.position = batch.position, batch.position + 1
    title = unique_title(store, t.title, t.format)
    metadata = dict(t.metadata)
    metadata["speaker_labels"] = {str(pid): label for label, pid in ids.items()}
    metadata["import_notes"] = list(t.notes)
    source_id = rec.insert("sources", {
        "title": title, "filename": t.filename, "format": t.format, "content_hash": digest,
        "imported_at": now(), "text": t.text, "metadata": json.dumps(metadata), "position": position,
    })
    store.db.conn.executemany(
        "INSERT INTO utterances (source_id, participant_id, position, start_ms, end_ms, char_start, "
        "char_end, text, words, question_id, empty_answer, not_speech) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((source_id, ids[u.speaker], i, u.start_ms, u.end_ms, u.start, u.end, text, word_count(text),
          questions[u.question][0] if u.question in questions else None, int(u.empty), int(u.not_speech))
         for i, u in enumerate(t.utterances) for text in (t.text[u.start:u.end],)),  # streamed, not a list
    )
    if t.cues:
        store_cues(store.db, source_id, t.cues)
    return Added(title, t.filename, t.format, len(t.utterances), tuple(ids), source_id)


def unique_title(store, title: str, fmt: str) -> str:
    """Titles name sources in the CLI and the report, so two files called `example` must differ."""
    candidates = itertools.chain([title, f"{title} ({fmt})"], (f"{title} ({n})" for n in itertools.count(2)))
    titles = getattr(getattr(store, "_batch", None), "titles", None)
    if titles is None:  # asked of the index, lazily
        return next(c for c in candidates
                    if not store.db.execute("SELECT 1 FROM sources WHERE title = ? COLLATE NOCASE", [c]).fetchone())
    if (key := nocase(title)) not in titles:  # the title as it is, mostly
        titles.add(key)
        return title
    found = next(c for c in candidates if nocase(c) not in titles)  # an import: the titles are in memory
    titles.add(nocase(found))
    return found


def merge_attributes(store, participant_id: int, values: dict) -> None:
    current = json.loads(store.db.execute("SELECT attributes FROM participants WHERE id = ?",
                                         [participant_id]).fetchone()[0])
    current.update({k: v for k, v in values.items() if v != ""})
    store.db.execute("UPDATE participants SET attributes = ? WHERE id = ?",
                    [json.dumps(current), participant_id])


def apply_participant_sheet(store, rows: list[dict], *, filename: str = "participants sheet") -> list[str]:
    """Join attribute rows onto participants by name or pseudonym, as one transaction."""
    with store.command("attributes", f"applied participant attributes from {filename}", undoable=False):
        return apply_attribute_rows(store, rows, filename)


def apply_attribute_rows(store, rows: list[dict], filename: str) -> list[str]:
    people = store.db.execute("SELECT id, name, pseudonym FROM participants").fetchall()
    by_key: dict[str, int] = {}
    by_label: dict[str, list[tuple[int, str, str]]] = {}  # "Participant 1" -> each file's Participant 1
    for pid, name, pseudo in people:
        by_key.setdefault(name.casefold(), pid)
        by_key.setdefault(pseudo.casefold(), pid)
        base = re.sub(r"\s*\(.*\)$", "", name)  # "Respondent (interview_03)" also by its label alone
        by_label.setdefault(base.casefold(), []).append((pid, name, pseudo))
    notes, matched = [], 0
    for row in rows:
        key = str(row.get("name", "")).strip().casefold()
        same = by_label.get(key, [])
        pid = by_key.get(key) or (same[0][0] if len(same) == 1 else None)
        if pid is None and len(same) > 1:  # a label that differs per file: which file's person is meant?
            notes.append(f"{filename}: '{row.get('name')}' is {len(same)} people in the study ("
                         + ", ".join(f"{name} = {pseudo}" for _, name, pseudo in same)
                         + "); row not used: name one of them in full or by pseudonym")
            continue
        if pid is None:
            pid, note = _by_core_name(people, key, filename, str(row.get("name")))
            notes.append(note)
            if pid is None:
                continue
        matched += 1
        attrs = {k: v for k, v in row.items() if k.lower() not in ("name", "role", "pseudonym")}
        merge_attributes(store, pid, attrs)
        role = str(row.get("role", "")).strip().lower()
        if role in ROLES:
            _set_role(store, pid, role)
        pseudo = str(row.get("pseudonym", "")).strip()
        if pseudo:
            clash = store.db.execute("SELECT id FROM participants WHERE pseudonym = ? AND id != ?",
                                    [pseudo, pid]).fetchone()
            if clash:
                raise StudyError(f"pseudonym {pseudo!r} is already used by another participant",
                                 path=filename)
            store.db.execute("UPDATE participants SET pseudonym = ? WHERE id = ?", [pseudo, pid])
    notes.insert(0, f"{filename}: attributes joined for {matched} of {len(rows)} rows")
    return notes


def cue_rows(db, source_id: int, cues: list[tuple[int, int, int, int]]) -> list[dict]:
    """Each caption cue under the turn that holds it (`cues`, schema 15): the times of words inside a turn.
    Read after the source's turns are in."""
    turns = db.execute("SELECT id, char_start, char_end FROM utterances WHERE source_id = ? ORDER BY char_start",
                       [source_id]).fetchall()
    starts = [t[1] for t in turns]
    rows = []
    for start, end, start_ms, end_ms in cues:
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and start < turns[i][2] and end_ms is not None and start_ms is not None:
            rows.append({"utterance_id": turns[i][0], "char_start": start, "char_end": min(end, turns[i][2]),
                         "start_ms": start_ms, "end_ms": end_ms})
    return rows


def store_cues(db, source_id: int, cues: list[tuple[int, int, int, int]]) -> None:
    db.conn.executemany("INSERT INTO cues (utterance_id, char_start, char_end, start_ms, end_ms) "
                        "VALUES (:utterance_id, :char_start, :char_end, :start_ms, :end_ms)",
                        cue_rows(db, source_id, cues))
