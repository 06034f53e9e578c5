"""Every change to codes and codings is a command in an append-only log.

A command records row snapshots (table, id, before, after). Undo writes the `before` rows back in
reverse order; redo writes the `after` rows. The same log is the audit trail ("who changed what,
when"), and because it lives in the study file, undo works across restarts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlite_utils import Database

from ..models import Action, StudyError

# Only these tables may be touched by undo/redo.
UNDOABLE_TABLES = ("codes", "codings", "memos", "sources", "participants", "utterances", "meta",
                   "personas", "persona_members", "stage_plans",
                   "suggestion_rejections", "source_media", "cues")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Recorder:
    """Collects the row changes of one command while it runs inside a transaction."""

    db: Database
    changes: list[tuple[str, object, dict | None, dict | None]] = field(default_factory=list)
    summary: str = ""  # a command may set its summary once it knows what it did
    snapshots: bool = True  # False: a command that cannot be undone keeps no row copies (imports)
    _cascade_map: dict[str, list[tuple[str, str]]] | None = field(default=None, repr=False)

    def changed(self) -> bool:
        """Whether any row was inserted, deleted or given another value."""
        return any(before != after for _table, _key, before, after in self.changes)

    def _snapshot(self, table: str, key: object) -> dict | None:
        return self._row(table, key) if self.snapshots else None

    def _row(self, table: str, key: object) -> dict | None:
        pk = "key" if table == "meta" else "id"
        row = self.db.execute(f"SELECT * FROM {table} WHERE {pk} = ?", [key]).fetchone()
        if row is None:
            return None
        cols = [c[0] for c in self.db.execute(f"SELECT * FROM {table} LIMIT 0").description]
        return dict(zip(cols, row))

    def insert(self, table: str, values: dict) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(values.values()))
        key = values.get("key", cur.lastrowid) if table == "meta" else cur.lastrowid
        if self.snapshots:  # a command that cannot be undone keeps no list of its rows either
            self.changes.append((table, key, None, self._snapshot(table, key)))
        return cur.lastrowid

    def inserted(self, table: str, key: object) -> None:
        """Record a row that other code inserted during this command (so undo removes it)."""
        self.changes.append((table, key, None, self._snapshot(table, key)))

    def update(self, table: str, key: object, values: dict) -> None:
        before = self._row(table, key)
        if before is None:
            raise StudyError(f"no {table[:-1]} with id {key}")
        pk = "key" if table == "meta" else "id"
        sets = ", ".join(f"{c} = ?" for c in values)
        self.db.execute(f"UPDATE {table} SET {sets} WHERE {pk} = ?", [*values.values(), key])
        self.changes.append((table, key, before, self._row(table, key)))

    def delete(self, table: str, key: object) -> None:
        """Delete a row, and first (recorded, so undo brings them back) the rows of undoable tables that
        SQLite would delete with it unrecorded (ON DELETE CASCADE): a participant's persona membership,
        the rejected suggestions of a code."""
        before = self._row(table, key)
        if before is None:
            return
        for child, column in self._cascades().get(table, ()):
            for (child_id,) in self.db.execute(f"SELECT id FROM {child} WHERE {column} = ?", [key]).fetchall():
                self.delete(child, child_id)
        pk = "key" if table == "meta" else "id"
        self.db.execute(f"DELETE FROM {table} WHERE {pk} = ?", [key])
        self.changes.append((table, key, before, None))

    def _cascades(self) -> dict[str, list[tuple[str, str]]]:
        """parent table -> [(undoable table, column)] whose rows go with a parent row (ON DELETE CASCADE)."""
        if self._cascade_map is None:
            self._cascade_map = {}
            for child in UNDOABLE_TABLES:
                for fk in self.db.execute(f"PRAGMA foreign_key_list({child})").fetchall():
                    if fk[6] == "CASCADE":
                        self._cascade_map.setdefault(fk[2], []).append((child, fk[3]))
        return self._cascade_map


def write_action(db: Database, rec: Recorder, *, coder: str, kind: str, summary: str,
                 undoable: bool = True) -> int:
    """Append a finished command to the log; a new undoable command drops the redo stack."""
    if undoable:
        db.execute("UPDATE actions SET state = 'dropped' WHERE state = 'undone' AND undoable = 1")
    payload = json.dumps([list(c) for c in rec.changes]) if undoable else "[]"
    cur = db.execute(
        "INSERT INTO actions (at, coder, kind, summary, changes, undoable) VALUES (?, ?, ?, ?, ?, ?)",
        [now(), coder, kind, rec.summary or summary, payload, int(undoable)],
    )
    return cur.lastrowid


def _put(db: Database, table: str, key: object, row: dict | None) -> None:
    """Make row `key` of `table` equal `row` (None: absent).

    A row that stays is updated in place, never deleted and inserted again: deleting a source would
    cascade to its utterances and codings (undoing a memo on a source once emptied the source).
    """
    if table not in UNDOABLE_TABLES:
        raise StudyError(f"action log names an unknown table {table!r}")
    pk = "key" if table == "meta" else "id"
    exists = db.execute(f"SELECT 1 FROM {table} WHERE {pk} = ?", [key]).fetchone() is not None
    if row is None:
        if exists:
            db.execute(f"DELETE FROM {table} WHERE {pk} = ?", [key])
    elif exists:
        values = {c: v for c, v in row.items() if c != pk}
        sets = ", ".join(f"{c} = ?" for c in values)
        db.execute(f"UPDATE {table} SET {sets} WHERE {pk} = ?", [*values.values(), key])
    else:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))


def _action(db: Database, row) -> Action:
    return Action(id=row[0], at=row[1], coder=row[2], kind=row[3], summary=row[4], state=row[5])


def undo(db: Database) -> Action | None:
    row = db.execute(
        "SELECT id, at, coder, kind, summary, state, changes FROM actions "
        "WHERE undoable = 1 AND state = 'done' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    with db.atomic():
        db.execute("PRAGMA defer_foreign_keys = ON")
        for table, key, before, _after in reversed(json.loads(row[6])):
            _put(db, table, key, before)
        db.execute("UPDATE actions SET state = 'undone' WHERE id = ?", [row[0]])
    return replace(_action(db, row), state="undone")


def redo(db: Database) -> Action | None:
    row = db.execute(
        "SELECT id, at, coder, kind, summary, state, changes FROM actions "
        "WHERE undoable = 1 AND state = 'undone' ORDER BY id ASC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    with db.atomic():
        db.execute("PRAGMA defer_foreign_keys = ON")
        for table, key, _before, after in json.loads(row[6]):
            _put(db, table, key, after)
        db.execute("UPDATE actions SET state = 'done' WHERE id = ?", [row[0]])
    return replace(_action(db, row), state="done")


def history(db: Database, limit: int = 50) -> list[Action]:
    rows = db.execute(
        "SELECT id, at, coder, kind, summary, state FROM actions ORDER BY id DESC LIMIT ?", [limit]
    ).fetchall()
    return [_action(db, r) for r in rows]
