"""What is damaged in a study file, said without the study's text.

`damage(path)` is asked only when something already went wrong (an error no command expected, a row that
points at a row that is not there): it reads the file without changing it and returns a few words on the
first damage it finds, or None. The words never quote the study (names, quotes, titles), so they may be
shown with pseudonyms on. `studyfile.damaged` turns them into the one-line message that names `restore`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

# columns that hold JSON (participant attributes, import metadata, the action log's row copies ...)
JSON_COLUMNS = {"metadata", "attributes", "changes", "goals", "method", "kpis", "opportunity_ids"}
_TYPES = {"INTEGER": ("integer", "null"), "REAL": ("real", "integer", "null"), "TEXT": ("text", "null")}


def damage(path: Path | str) -> str | None:
    """A few words on what is damaged (no study text), or None when the file reads as whole."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return "it cannot be opened"
    conn.text_factory = bytes  # read undecodable text as it is, to say so
    try:
        return _pages(conn) or _links(conn) or _values(conn)
    except sqlite3.Error as exc:
        return "it cannot be read" + (" (its schema is damaged)" if "schema" in str(exc) else "")
    finally:
        conn.close()


def _pages(conn) -> str | None:
    result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    return None if result in (b"ok", "ok") else "its pages do not add up (SQLite's check fails)"


def _links(conn) -> str | None:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return None
    tables = sorted({r[0].decode() if isinstance(r[0], bytes) else r[0] for r in rows})
    return f"{len(rows)} row{'s' * (len(rows) != 1)} of {', '.join(tables)} point at rows that are not there"


def _values(conn) -> str | None:
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                 "AND name NOT LIKE '%fts%' AND name NOT LIKE '\\_%' ESCAPE '\\'").fetchall():
        table = table.decode() if isinstance(table, bytes) else table
        for column in conn.execute(f"PRAGMA table_info('{table}')").fetchall():
            name = column[1].decode() if isinstance(column[1], bytes) else column[1]
            kind = (column[2].decode() if isinstance(column[2], bytes) else column[2]).upper()
            allowed = _TYPES.get(kind)
            if allowed:
                marks = ", ".join(f"'{t}'" for t in allowed)
                if conn.execute(f'SELECT 1 FROM "{table}" WHERE typeof("{name}") NOT IN ({marks}) LIMIT 1').fetchone():
                    return f"a value of {table}.{name} has the wrong type"
            if kind == "TEXT":
                bad = _unreadable(conn, table, name)
                if bad:
                    return f"{bad} of {table}.{name}"
    return None


def _unreadable(conn, table: str, column: str) -> str | None:
    for (value,) in conn.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'):
        try:
            text = value.decode("utf-8") if isinstance(value, bytes) else value
        except UnicodeDecodeError:
            return "text that is not readable (not UTF-8) in a value"
        if column in JSON_COLUMNS and text:
            try:
                json.loads(text)
            except ValueError:
                return "a value that is not readable (not JSON)"
    return None
