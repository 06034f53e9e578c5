"""Writing to a study: the write lock, commands in the action log, undo and redo, and noticing changes
another connection made. A part of `Store` (`coding.store`), kept apart so each reads on its own."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from . import actionlog, studyfile, walfiles
from .actionlog import Recorder


class TransactionsMixin:
    """`writing()` (every write), `command()` (every undoable change), `undo`/`redo`/`history`, and
    `changed_elsewhere()`. Expects `db`, `path`, `coder`, `read_only` and the caches `_texts`, `_turns`."""

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
        no longer there: see `coding.walfiles`."""
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
