"""The one object that owns a study file (SQLite, via sqlite-utils).

The CLI and the TUI open a `Store`; nothing else opens the database. The Store owns the connection,
the write transaction (`writing()`, the write lock), commands in the action log (`command()`), undo,
redo and noticing another program's changes, and the reads every part needs (settings, sources and
their text, participants, turns). What a study can do (codebook, codings, people, importing …) lives
in modules of functions over a Store, outside this package (`coding.codebook`, `coding.codings`, …):
this package uses none of them. Reads return the dataclasses of `coding.models`.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from bisect import bisect_left
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from ..models import UNATTRIBUTED, Code, Coding, Participant, Source, StudyError, UtteranceRow
from . import actionlog, studyfile, upgrade, walfiles
from .actionlog import Recorder
from .schema import migrations


def default_coder() -> str:
    try:
        return os.environ.get("RESEARCH_TUI_CODER") or getpass.getuser() or "researcher"
    except Exception:  # getpass fails without a login name (some containers)
        return "researcher"


class Store:
    """An open study file.

    `Store.open(path)` opens an existing study for changes (it must be a study of this program, not
    from a newer version, and writable); `Store.open(path, read_only=True)` for reading commands (a
    read-only file or folder works; an old schema is upgraded in memory, the file is not touched);
    `Store.create(path)` makes a new one. Every write runs in `writing()` (`BEGIN IMMEDIATE`).
    """

    def __init__(self, path: str | Path, *, coder: str | None = None, read_only: bool = False,
                 _create: bool = False):
        self.path = Path(path)
        self.coder = coder or default_coder()
        self.read_only = read_only
        # A source's text and turns are cached per Store; what changes them (a replaced file, undo, another
        # program's change) forgets them.
        self._texts: dict[int, str] = {}
        self._turns: dict[int, tuple[list[int], list[int], list[int]]] = {}
        if not _create:
            studyfile.check(self.path)  # reads the header only: a foreign file is never touched
        conn = studyfile.connect(self.path, read_only=read_only)
        try:
            self.db = Database(conn)
            upgrade.prepare(self, create=_create)  # version check, upgrade (backed up first)
            self._data_version = self._read_data_version()
            self._mark = self._changes_mark()
            # the files this connection writes through; checked before every write (`check_files`)
            self._files = None if read_only else walfiles.current(self.path)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error | UnicodeDecodeError):
                raise studyfile.explain(exc, self.path) from exc
            raise

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, name: str | None = None, coder: str | None = None,
               settings: dict[str, str] | None = None, fill: Callable[[Store], None] | None = None) -> Store:
        """A new study file (0600; an existing file is refused). `fill(store)` runs in the creating
        transaction: `coding.codebook.new_study` gives it the starting codebook. When anything fails, the
        file this call made is removed: nothing half-made is left."""
        path = Path(path)
        studyfile.create_private(path)
        try:
            store = cls(path, coder=coder, _create=True)
            with store.writing():
                store.set_setting("name", name or path.stem)
                store.set_setting("anonymize", "0")
                store.set_setting("created_at", actionlog.now())
                for key, value in (settings or {}).items():
                    store.set_setting(key, value)
                if fill is not None:
                    fill(store)
        except BaseException:
            studyfile.remove_files(path)  # this process made the file: leave nothing half-made
            raise
        return store

    @classmethod
    def open(cls, path: str | Path, *, coder: str | None = None, read_only: bool = False) -> Store:
        return cls(path, coder=coder, read_only=read_only)

    def reconnect(self) -> None:
        """Close and open the file again (after a restore replaced its content)."""
        self.close()
        self.__init__(self.path, coder=self.coder, read_only=self.read_only)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return len(migrations.applied(self.db))

    # -- writing: the write lock, commands in the action log, undo and redo --------------------
    @contextmanager
    def writing(self):
        """One write transaction that takes the write lock up front (`BEGIN IMMEDIATE`), so it waits
        for another writer (busy timeout) instead of failing half-way; nested: a savepoint. SQLite
        errors become one-line `StudyError`s naming the study; nothing is saved on failure. A study whose
        `-wal`/`-shm` files were swapped under an open connection is refused (`check_files`)."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        if self.read_only:
            if not studyfile.writable(self.path):
                raise studyfile.explain(sqlite3.OperationalError("attempt to write a readonly database"), self.path)
            raise studyfile.ReadOnlyStudy("opened for reading only; nothing was changed", path=str(self.path))
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise studyfile.explain(exc, self.path) from exc
        try:
            self.check_files()  # a write into files swapped away would be acknowledged, then lost
            yield
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise studyfile.explain(exc, self.path) from exc
            raise

    def check_files(self, *, others: bool = True) -> None:
        """Refuse (`StudyError`) when the study's `-wal`/`-shm` files (or the study file) are not the ones
        this connection opened, or (`others`) another program has the study open through files that are
        no longer there: see `coding.study.walfiles`."""
        if getattr(self, "_files", None) is not None:
            walfiles.check(self.path, self._files, others=others)

    def _read_data_version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def _changes_mark(self) -> tuple:
        """What moves when the study's content changes: every change is an entry in the action log (imports
        included), and the pseudonym switch is a setting. Caches other connections keep in the file
        (candidate quotes, the emotion model's readings, clustering runs) do not move it."""
        return tuple(self.db.execute(
            "SELECT max(id), sum(state = 'undone'), (SELECT value FROM meta WHERE key = 'anonymize') "
            "FROM actions").fetchone())

    def changed_elsewhere(self) -> bool:
        """True (once) when another connection changed the study since the last call: the CLI or a
        second studio while this one is open, or a worker thread with its own Store. A commit that only
        filled a cache (a worker cutting turns into candidate quotes, reading emotions) is not a change.
        Cached texts and turn indexes are forgotten then, so what is read next is what is on disk."""
        version = self._read_data_version()
        if version == self._data_version:
            return False
        mark = self._changes_mark()  # read before the version is taken as seen: a failed read is asked again
        self._data_version = version
        if mark == self._mark:
            return False
        self._mark = mark
        self._texts.clear()
        self._turns.clear()
        return True

    # -- commands ------------------------------------------------------------------------------
    @contextmanager
    def command(self, kind: str, summary: str, *, undoable: bool = True):
        """Run a change as one transaction and one entry in the action log. An undoable command that
        changed no row (a cluster applied again, a code given the name it has) logs nothing: there would
        be nothing for undo to undo, and it would not drop the redo stack either."""
        rec = Recorder(self.db)
        with self.writing():
            yield rec
            if undoable and not rec.changed():
                return
            actionlog.write_action(self.db, rec, coder=self.coder, kind=kind, summary=summary,
                                   undoable=undoable)
        self._mark = self._changes_mark()  # our own change is not news from elsewhere

    def undo(self):
        self._turns.clear()  # an undone merge of participants changes who speaks
        self._texts.clear()  # an undone replacement of a source's file changes its text
        with self.writing():  # the action to undo is chosen under the write lock
            action = actionlog.undo(self.db)
        self._mark = self._changes_mark()
        return action

    def redo(self):
        self._turns.clear()
        self._texts.clear()
        with self.writing():
            action = actionlog.redo(self.db)
        self._mark = self._changes_mark()
        return action

    def history(self, limit: int = 50):
        return actionlog.history(self.db, limit)

    # -- settings ------------------------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    @property
    def name(self) -> str:
        return self.setting("name", self.path.stem)

    @property
    def anonymize(self) -> bool:
        return self.setting("anonymize", "0") == "1"

    def set_anonymize(self, on: bool) -> None:
        with self.writing():
            self.set_setting("anonymize", "1" if on else "0")
        self._mark = self._changes_mark()

    # -- reads ---------------------------------------------------------------------------------
    def sources(self, *, with_text: bool = True, surveys: bool = True) -> list[Source]:
        """The study's sources in import order; `with_text=False` leaves each `text` empty (a survey of a
        million respondents is a million texts: labels and names need none of them); `surveys=False`
        leaves out survey respondents."""
        cols = _SOURCE_COLS if with_text else _SOURCE_COLS.replace(" text,", " '',")
        where = "" if surveys else "WHERE format != 'csv' "
        rows = self.db.execute(f"SELECT {cols} FROM sources {where}ORDER BY position").fetchall()
        return [source_row(r) for r in rows]

    def source(self, source_id: int) -> Source:
        row = self.db.execute(f"SELECT {_SOURCE_COLS} FROM sources WHERE id = ?", [source_id]).fetchone()
        if row is None:
            raise StudyError(f"no source with id {source_id}")
        return source_row(row)

    def source_text(self, source_id: int) -> str:
        text = self._texts.get(source_id)
        if text is None:
            row = self.db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()
            if row is None:
                raise StudyError(f"no source with id {source_id}")
            text = self._texts[source_id] = row[0]
        return text

    def _turn_index(self, source_id: int) -> tuple[list[int], list[int], list[int]]:
        """(char_starts, char_ends, participant_ids) of a source's spoken turns (not those marked as not
        speech: nobody said a header), in text order."""
        index = self._turns.get(source_id)
        if index is None:
            rows = self.db.execute("SELECT char_start, char_end, participant_id FROM utterances "
                                   "WHERE source_id = ? AND NOT not_speech ORDER BY char_start",
                                   [source_id]).fetchall()
            index = self._turns[source_id] = ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        return index

    def forget_cached_turns(self) -> None:
        """After a change of who speaks where (a merge, a split, a turn given to another speaker)."""
        self._turns.clear()

    def source_memo(self, source_id: int) -> str:
        row = self.db.execute("SELECT memo FROM sources WHERE id = ?", [source_id]).fetchone()
        return row[0] if row else ""

    def participants(self, *, role: str | None = None) -> list[Participant]:
        sql = "SELECT id, name, pseudonym, role, attributes FROM participants"
        args: list = []
        if role:
            sql += " WHERE role = ?"
            args.append(role)
        return [participant_row(r) for r in self.db.execute(sql + " ORDER BY id", args).fetchall()]

    def iter_participants(self):
        """Every participant, streamed, without attributes (empty): for counting a big study."""
        for pid, name, pseudonym, role in self.db.execute(
                "SELECT id, name, pseudonym, role FROM participants ORDER BY id"):
            yield Participant(pid, name, pseudonym, role, {})

    def participant(self, participant_id: int) -> Participant:
        row = self.db.execute(
            "SELECT id, name, pseudonym, role, attributes FROM participants WHERE id = ?", [participant_id]
        ).fetchone()
        if row is None:
            raise StudyError(f"no participant with id {participant_id}")
        return participant_row(row)

    def utterances(self, source_id: int | None = None) -> list[UtteranceRow]:
        sql = f"SELECT {_UTT_COLS} FROM utterances"
        args: list = []
        if source_id is not None:
            sql += " WHERE source_id = ?"
            args.append(source_id)
        rows = self.db.execute(sql + " ORDER BY source_id, position", args).fetchall()
        return [utterance_row(r) for r in rows]

    def speakers_of(self, source_id: int, *, spoken: bool = False) -> list[Participant]:
        """Everyone with a turn in a source (`spoken`: a turn that is speech, not a header)."""
        rows = self.db.execute(
            "SELECT DISTINCT p.id, p.name, p.pseudonym, p.role, p.attributes FROM participants p "
            "JOIN utterances u ON u.participant_id = p.id WHERE u.source_id = ? "
            + ("AND NOT u.not_speech " if spoken else "") + "ORDER BY p.id",
            [source_id],
        ).fetchall()
        return [participant_row(r) for r in rows]

    def participants_of_span(self, source_id: int, start: int, end: int) -> list[int]:
        """Participant ids whose utterances overlap text[start:end] of a source, in speaking order."""
        starts, ends, pids = self._turn_index(source_id)
        found: list[int] = []
        i = bisect_left(starts, end) - 1  # the last turn that starts before the span ends
        while i >= 0 and ends[i] > start:  # turns do not overlap, so the walk back stops early
            found.append(pids[i])
            i -= 1
        return list(dict.fromkeys(reversed(found)))

    def totals(self) -> dict[str, int]:
        """Counts of the study. Turns marked as not speech and the unattributed stand-in (not a person)
        are not counted."""
        q = self.db.execute
        words = q("SELECT coalesce(sum(words), 0) FROM utterances WHERE empty_answer = 0 AND NOT not_speech"
                  ).fetchone()[0]
        return {
            "sources": q("SELECT count(*) FROM sources").fetchone()[0],
            "participants": q("SELECT count(*) FROM participants WHERE role != ?", [UNATTRIBUTED]).fetchone()[0],
            "utterances": q("SELECT count(*) FROM utterances WHERE empty_answer = 0 AND NOT not_speech").fetchone()[0],
            "words": words,
            "codes": q("SELECT count(*) FROM codes").fetchone()[0],
            "codings": q("SELECT count(*) FROM codings").fetchone()[0],
        }

    def coding_text(self, coding: Coding) -> str:
        return self.source_text(coding.source_id)[coding.char_start:coding.char_end]


_SOURCE_COLS = "id, title, filename, format, content_hash, imported_at, text, metadata, position"
_UTT_COLS = ("id, source_id, participant_id, position, start_ms, end_ms, char_start, char_end, text, question_id, "
             "empty_answer, not_speech")
U_UTT_COLS = ", ".join(f"u.{c.strip()}" for c in _UTT_COLS.split(","))


def source_row(r) -> Source:
    return Source(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]), r[8])


def utterance_row(r) -> UtteranceRow:
    return UtteranceRow(*r[:10], bool(r[10]), bool(r[11]))


def participant_row(r) -> Participant:
    return Participant(r[0], r[1], r[2], r[3], json.loads(r[4]))


def code_row(r) -> Code:
    return Code(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]))


