"""Restoring a study from one of its backups (`research-tui restore`, the studio's Backups screen).

The backup is checked first; the current state is backed up (or, when the study no longer opens, moved
aside into the backups folder), then the backup is copied in through SQLite. See `backup` for where
backups live and when they are made.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..models import StudyError
from . import studyfile
from .backup import _copy, _new_path, backup, prune
from .schema import migrations
from .store import Store


def restore(study_path: str | Path, chosen: str | Path, *, coder: str | None = None) -> Path | None:
    """Make the study what the backup `chosen` holds. Returns where the state before was saved (a new
    backup, or the unreadable file moved into the backups folder), or None when there was no study.

    The backup is checked first (a study of this program, not newer, intact). A study that opens is
    backed up, then overwritten through SQLite (safe while another program has it open: it sees the
    restored study). A study that does not open or is damaged in any way (header, schema, pages,
    truncated, overwritten by another file) is moved aside into the backups folder byte for byte,
    never deleted, and the backup is copied into its place.
    """
    study_path, chosen = Path(study_path), Path(chosen)
    studyfile.check(chosen)
    source = studyfile.connect(chosen, read_only=True)
    try:
        studyfile.check_version(source, chosen, [m.name for m in migrations._migrations], migrations.name)
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise StudyError("this backup is damaged; choose another", path=str(chosen))
        store = _open_intact(study_path, coder) if study_path.exists() else None
        saved = _move_aside(study_path) if store is None and study_path.exists() else None
        if store is not None:
            try:
                store.check_files()  # not into -wal/-shm files another program no longer shares
                saved = backup(store, "before restore", prune_old=False)
                source.backup(store.db.conn)  # takes the write lock; waits for another writer
            except sqlite3.Error as exc:
                raise studyfile.explain(exc, study_path) from exc
            finally:
                store.close()
        else:
            _copy(source, study_path, "cannot copy the backup into place", study_path)
    finally:
        source.close()
    prune(study_path)
    return saved


def _open_intact(study_path: Path, coder: str | None):
    """The study opened for writing when it is intact, or None when it is damaged in any way (it does
    not open, SQLite's quick check finds faults, or reading it fails at all). A study that is busy or
    read-only is not damaged: that error is raised."""
    try:
        store = Store.open(study_path, coder=coder)
    except studyfile.ReadOnlyStudy:
        raise
    except StudyError as exc:
        if "another program is writing" in str(exc):
            raise
        return None
    except Exception:  # a damaged file can fail in any way (a schema SQLite cannot even quote)
        return None
    try:
        intact = store.db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except Exception:
        intact = False
    if not intact:
        store.close()
        return None
    return store


def _move_aside(study_path: Path) -> Path:
    """Move a study that does not open (and its -wal/-shm) into its backups folder, unchanged."""
    target = _new_path(study_path, "replaced by restore")
    try:
        for suffix in ("-wal", "-shm", "-journal"):
            extra = Path(f"{study_path}{suffix}")
            if extra.exists():
                os.replace(extra, f"{target}{suffix}")
        os.replace(study_path, target)
    except OSError as exc:
        raise StudyError(f"cannot move the current file aside ({exc.strerror}); nothing was changed",
                         path=str(study_path)) from exc
    return target
