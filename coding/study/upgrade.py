"""Opening a study brings it up to date: a newer one is refused, a new one marked as ours, WAL switched on,
and pending migrations applied in one write transaction after a backup (`Store.__init__` calls `prepare`).
A study opened for reading is never changed: an older one is upgraded in a copy in memory."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from . import studyfile
from .backup import backup
from .schema import SCHEMA_VERSION, migrations


def prepare(store, *, create: bool) -> None:
    """Bring a freshly connected study up to date: refuse a newer one, mark a new one as ours (before
    WAL, so the file's own header carries the id), switch to WAL, and apply pending migrations in
    one write transaction after a backup. A study opened for reading is never changed: an older one
    is upgraded in a copy in memory."""
    known = [m.name for m in migrations._migrations]
    applied = studyfile.check_version(store.db.conn, store.path, known, migrations.name)
    if create:
        store.db.execute(f"PRAGMA application_id = {studyfile.APP_ID}")
    pending = migrations.pending(store.db)
    if store.read_only:
        if pending:
            memory = sqlite3.connect(":memory:", isolation_level=None)
            store.db.conn.backup(memory)
            store.db.conn.close()
            store.db = Database(memory)
            migrations.apply(store.db)
        return
    if store.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        store.db.enable_wal()
    if pending:
        if applied:
            backup(store, f"before schema {SCHEMA_VERSION}")
        with store.writing():
            migrations.apply(store.db)  # pending again under the lock: another program may have done it
            store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
