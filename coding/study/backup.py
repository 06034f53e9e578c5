"""Backups of a study, taken with SQLite's backup API before anything that is hard to take back.

**When**: before a schema upgrade, before merging codes, participants or studies, before a bulk delete
(a code with its codings, a participant), and before a restore. Undo covers everyday mistakes; a
backup covers the rest (a bad merge found a week later, a damaged or overwritten file).

**Where**: in a folder next to the study named after it, `STUDY.backups/` (for `clinic.rtui`:
`clinic.rtui.backups/`), one complete study file per backup, `YYYYMMDD-HHMMSS-mmm_reason.rtui`
(UTC), readable by the owner only. **How many**: the newest `KEEP` (10); making one removes the
oldest beyond that.

`backup(store, reason) -> Path`, `list_backups(study) -> [Backup]` (newest first) and
`restore(study, backup) -> Path` (the current state is backed up first) are what the CLI
(`research-tui restore`), the studio and other capabilities (merging studies) call. `copy_study(store,
target)` makes a complete copy of a study as a new file the same way (`research-tui copy`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..models import StudyError
from . import studyfile

KEEP = 10
_NAME = re.compile(r"^(\d{8}-\d{6}-\d{3})_(.+)\.rtui$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # UTC
    reason: str
    size: int


def folder(study_path: str | Path) -> Path:
    """Where a study's backups live: `STUDY.backups/` next to it."""
    study_path = Path(study_path)
    return study_path.with_name(study_path.name + ".backups")


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.casefold()).strip("-")[:60] or "backup"


def _new_path(study_path: Path, reason: str) -> Path:
    where = folder(study_path)
    try:
        where.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise StudyError(f"cannot make a backup {reason} ({exc.strerror}); nothing was changed",
                         path=str(where)) from exc
    stamp = datetime.now(UTC)
    while True:
        name = f"{stamp:%Y%m%d-%H%M%S}-{stamp.microsecond // 1000:03d}_{_slug(reason)}.rtui"
        if not (where / name).exists():
            return where / name
        stamp += timedelta(milliseconds=1)


def _copy(source: sqlite3.Connection, target: Path, failure: str, where: Path) -> None:
    """Copy a database with the backup API into `target` (via a temporary file), 0600. On failure
    raise `StudyError(failure (reason))` naming `where`."""
    tmp = target.with_name(f".{target.name}.part")
    try:
        studyfile.remove_files(tmp)
        studyfile.create_private(tmp)
        dest = sqlite3.connect(tmp, isolation_level=None)
        try:  # a fresh file that is renamed into place at the end needs no journal while it is written
            dest.execute("PRAGMA journal_mode = OFF")
            dest.execute("PRAGMA synchronous = OFF")
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dest.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)  # on disk before it gets its name: a power cut leaves no empty backup
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error, StudyError) as exc:
        studyfile.remove_files(tmp)
        reason = getattr(exc, "strerror", None) or getattr(exc, "detail", None) or str(exc)
        raise StudyError(f"{failure} ({reason}); nothing was changed", path=str(where)) from exc


def backup(store, reason: str, *, prune_old: bool = True) -> Path:
    """Copy the open study into its backups folder; returns the backup's path.

    `reason` says why, in a few words ("before merging codes"); it becomes part of the file name and
    is shown by `research-tui restore STUDY`. A failure raises `StudyError`: callers then do not go
    ahead with what the backup was for.
    """
    target = _new_path(store.path, reason)
    _copy(store.db.conn, target, f"cannot make a backup {reason}", store.path)
    if prune_old:
        prune(store.path)
    return target


def copy_study(store, target: str | Path, *, name: str | None = None) -> Path:
    """A complete copy of the open study as a new study file, through SQLite's backup API: every table,
    so the copy has the sources, codes, codings, participants, turns, memos, personas, to-be plans and
    KPIs, the action log (undo and history go on in the copy) and the caches. `name` gives the copy's study
    another name. Never over an existing file; the original's backups are not copied."""
    target = Path(target)
    if target.exists() or Path(f"{target}-wal").exists():
        raise StudyError("a file of that name exists; a copy is always a new file", path=str(target))
    studyfile.create_private(target)  # ours from here on (O_EXCL): the copy is renamed over it
    try:
        _copy(store.db.conn, target, "cannot copy the study", target)
        if name is not None and name.strip():
            copy = studyfile.connect(target)
            try:
                copy.execute("UPDATE meta SET value = ? WHERE key = 'name'", [" ".join(name.split())])
            finally:
                copy.close()
    except BaseException:
        studyfile.remove_files(target)
        raise
    return target


def list_backups(study_path: str | Path) -> list[Backup]:
    """The study's backups, newest first."""
    where = folder(study_path)
    if not where.is_dir():
        return []
    found = []
    for path in where.iterdir():
        m = _NAME.match(path.name)
        if not m or not path.is_file():
            continue
        taken = datetime.strptime(m.group(1) + "000", "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC)
        found.append(Backup(path, taken, m.group(2).replace("-", " "), path.stat().st_size))
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def prune(study_path: str | Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest `keep` backups, and temporary files of backups killed over an hour
    ago; returns the backups removed."""
    removed = []
    for old in list_backups(study_path)[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    for part in folder(study_path).glob(".*.part"):
        with contextlib.suppress(OSError):
            if time.time() - part.stat().st_mtime > 3600:
                part.unlink()
    return removed


def find_backup(study_path: str | Path, ref: str | Path) -> Path:
    """A backup named by its number in `list_backups` (1 = newest), its file name, or a path."""
    backups = list_backups(study_path)
    text = str(ref)
    if text.isdigit():
        n = int(text)
        if not 1 <= n <= len(backups):
            raise StudyError(f"there is no backup number {n}; the study has {len(backups)}", path=str(study_path))
        return backups[n - 1].path
    for b in backups:
        if b.path.name == text:
            return b.path
    path = Path(ref)
    if not path.is_file():
        raise StudyError("no such backup; list them with `research-tui restore STUDY`", path=text)
    return path
