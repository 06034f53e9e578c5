"""A survey file's respondents into the study in bulk, inside the import's one transaction.

A survey of a million respondents is a million sources, participants and answers. They are stored as
they are read (`survey.rows()`, see `importers.survey.Survey`), a few thousand at a time with one
`executemany` per table, the ids given here (the import holds the write lock, so the next free ids are
known), and nothing kept per respondent once written: storing them one by one, each a Transcript held in
memory until the end, took minutes and gigabytes. Each respondent goes through the same rules as any
imported transcript (`importing.participant_for`, `unique_title`, `store_questions`), so the study
gets the same rows either way; the full-text index is built once at the end by `search_index_after`.

A survey here is anything with `name`, `questions` (key -> the full question) and `rows()` yielding
(respondent, row, line, text, answers, attributes), an answer being (start, end, question key, empty).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii as json_string
from pathlib import PurePath

from ..answers import store_questions
from ..models import UNATTRIBUTED_NAME, Transcript, Utterance
from ..people import PSEUDO_PREFIX
from ..study.actionlog import now
from .transcript import is_generic_label, merge_attributes, nocase, participant_for, unique_title, word_count

FLUSH = 5000  # respondents written per executemany
BIG_CACHE_KB = 65536  # SQLite's page cache while a big survey is stored (the default is 2 MB)


@dataclass(frozen=True, slots=True)
class SurveyAdded:
    """The respondents of one survey file an import added, as one entry of `ImportReport.added`."""

    filename: str
    title: str        # the first respondent's source title
    last_title: str
    respondents: int
    utterances: int   # answers
    source_ids: range
    format: str = "csv"

    def __getitem__(self, key: str):
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key, default)


class Pending:
    """Rows waiting for their `executemany`, with the ids they will have."""

    def __init__(self, db):
        self.db = db
        q = db.execute
        self.next_participant = q("SELECT coalesce(max(id), 0) + 1 FROM participants").fetchone()[0]
        self.next_source = q("SELECT coalesce(max(id), 0) + 1 FROM sources").fetchone()[0]
        self.next_utterance = q("SELECT coalesce(max(id), 0) + 1 FROM utterances").fetchone()[0]
        self.first_participant = self.next_participant  # the first id not in the study yet
        self.participants: list[tuple] = []
        self.sources: list[tuple] = []
        self.utterances: list[tuple] = []

    def participant(self, name: str, pseudonym: str, role: str, attributes: str) -> int:
        pid = self.next_participant
        self.next_participant += 1
        self.participants.append((pid, name, pseudonym, role, attributes))
        return pid

    def is_pending(self, participant_id: int) -> bool:
        return participant_id >= self.first_participant

    def flush(self) -> None:
        conn = self.db.conn
        conn.executemany("INSERT INTO participants (id, name, pseudonym, role, attributes) VALUES (?, ?, ?, ?, ?)",
                         self.participants)
        conn.executemany("INSERT INTO sources (id, title, filename, format, content_hash, imported_at, text, "
                         "metadata, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.sources)
        conn.executemany("INSERT INTO utterances (id, source_id, participant_id, position, char_start, char_end, "
                         "text, words, question_id, empty_answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         self.utterances)
        self.participants, self.sources, self.utterances = [], [], []
        self.first_participant = self.next_participant


def _json_strings(values: dict[str, str]) -> str:
    """`json.dumps` of a dict of strings, the same text, made without the encoder's machinery."""
    return "{" + ", ".join(f"{json_string(k)}: {json_string(v)}" for k, v in values.items()) + "}"


class Newcomers:
    """Respondents who are simply new participants, added without the per-speaker rules: a million of them
    through `importing.participant_for` took 11 s. `add` gives None for anyone a rule applies to (a
    role asked for, a name already in the study or this import, a generic label the study has as a
    name, the unattributed stand-in), who then goes through those rules; for the rest it does what they
    do: a generic label such as "R12" is a person of this file, "R12 (wave1)"."""

    def __init__(self, batch, forced: dict[str, str], filename: str):
        self.batch, self.forced, self.scope = batch, forced, PurePath(filename).stem
        self.ready = batch.people is not None and batch.pseudonyms is not None
        self.prefix = PSEUDO_PREFIX["participant"]
        self.scoped_key = nocase(self.scope)  # nocase goes letter by letter

    def add(self, name: str, attributes: dict) -> int | None:
        batch, folded = self.batch, name.casefold()
        if not self.ready or not name or name != name.strip() or folded in self.forced or folded == UNATTRIBUTED_NAME:
            return None
        key = nocase(name)
        if is_generic_label(name):
            if key in batch.people:  # perhaps a team member across files
                return None
            name, key = f"{name} ({self.scope})", f"{key} ({self.scoped_key})"
        if key in batch.people:
            return None
        taken, prefix = batch.pseudonyms, self.prefix
        n = max(1, batch.next_number.get("participant", 1))
        while (pseudonym := f"{prefix}{n:02d}") in taken:
            n += 1
        taken.add(pseudonym)
        batch.next_number["participant"] = n + 1
        pid = batch.pending.participant(name, pseudonym, "participant", _json_strings(attributes))
        batch.people[key] = [pid, "participant"]
        return pid


@dataclass
class Seen:
    """What an import checks each respondent against: the study's sources (content hash -> title), survey
    rows stored before rows were keyed by file and row, and the survey files this import has stored (the
    same file named twice: its rows are looked up in the study)."""

    hashes: dict[str, str]
    old_rows: set
    files: set[str]


def store_survey(store, survey, *, forced: dict[str, str], seen: Seen, notes: list[str],
                 tick=lambda: None) -> tuple[SurveyAdded | None, int]:
    """Store the respondents of `survey` not in the study yet; (what was added or None, how many were
    skipped as already there). `tick()` is called once per respondent (progress)."""
    db, batch = store.db, store._batch
    name = PurePath(survey.name).name
    again = name in seen.files
    seen.files.add(name)
    prefix = f"survey\0{name}\0"
    t = Transcript("", survey.name, "csv", "", [], questions=survey.questions)  # each respondent in turn
    pending = batch.pending = Pending(db)
    newcomers = Newcomers(batch, forced, survey.name)
    titles = batch.titles
    jname = json.dumps(survey.name)
    questions: dict[str, tuple[int, str]] | None = None
    renamed: dict[str, str] = {}
    answered: set[str] = set()
    ids = range(0)  # the sources stored, one after another
    first = last = ""
    answers = skipped = 0
    second, stamp = 0, ""
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    if len(survey) > 4 * FLUSH:  # a big survey: its indexes' pages kept in memory, not spilled to the WAL
        db.execute(f"PRAGMA cache_size = -{BIG_CACHE_KB}")
    try:
        for respondent, n, line, text, found, attributes in survey.rows():
            tick()
            digest = hashlib.sha256(f"{prefix}{n}\0{text}".encode()).hexdigest()
            if digest in seen.hashes or (survey.name, n, text) in seen.old_rows or (again and db.execute(
                    "SELECT 1 FROM sources WHERE content_hash = ?", [digest]).fetchone()):
                skipped += 1
                continue
            if questions is None:  # the survey's questions, once someone of it is stored
                questions = store_questions(db, t, batch.questions, notes)
                renamed = {key: study_key for key, (_, study_key) in questions.items() if study_key != key}
            if renamed:
                attributes = {renamed.get(k, k): v for k, v in attributes.items()}
            said: list[str] = []  # notes on this respondent
            if (pid := newcomers.add(respondent, attributes)) is None:  # the rules for speakers
                t.title, t.notes = respondent, said
                t.attributes = {respondent: attributes} if attributes else {}
                created: set[int] = set()
                pid = participant_for(store, respondent, t, forced, created)
                if attributes and pid not in created:
                    if pending.is_pending(pid):
                        pending.flush()
                    merge_attributes(store, pid, attributes)
            if titles is not None and (key := nocase(respondent)) not in titles:  # as `_unique_title`, mostly
                titles.add(key)
                title = respondent
            else:
                title = unique_title(store, respondent, "csv")
            position, batch.position = batch.position, batch.position + 1
            if (now_s := int(time.time())) != second:
                second, stamp = now_s, now()
            sid = pending.next_source
            pending.next_source += 1
            metadata = (f'{{"survey": {jname}, "row": {n}, "line": {line}, "speaker_labels": '  # as json.dumps
                        f'{{"{pid}": {json_string(respondent)}}}, "import_notes": '
                        f'{json.dumps(said) if said else "[]"}}}')
            pending.sources.append((sid, title, survey.name, "csv", digest, stamp, text, metadata, position))
            for i, (a, b, key, empty) in enumerate(found):
                words = text[a:b]
                pending.utterances.append((pending.next_utterance, sid, pid, i, a, b, words, word_count(words),
                                           questions[key][0] if key in questions else None, int(empty)))
                pending.next_utterance += 1
                answered.add(key)
            notes.extend(f"{survey.name}: {note}" for note in said)
            ids = range(ids.start if ids else sid, sid + 1)
            first, last = first or title, title
            answers += len(found)
            if len(pending.sources) >= FLUSH:
                pending.flush()
        pending.flush()
    finally:
        batch.pending = None
        db.execute(f"PRAGMA cache_size = {int(cache)}")
    if not ids:
        return None, skipped
    t.utterances = [Utterance("", 0, 0, question=key) for key in answered]
    store_questions(db, t, batch.questions, notes)  # the questions someone answered are open questions
    return SurveyAdded(survey.name, first, last, len(ids), answers, ids), skipped
