"""Are the study's files still the ones this connection opened? A write into files that were swapped
away is acknowledged and then lost, so every write checks first (`Store.check_files`).

A study in WAL mode is three files: the study, its `-wal` (recent commits not yet copied into the study)
and its `-shm` (the index of the `-wal`, and SQLite's locks between programs). When someone deletes or
replaces the `-wal` and `-shm` while the studio has the study open, the studio keeps writing into the
deleted ones, and the next program to open the study makes new ones: each sees only itself, and
whichever copies its `-wal` into the study last overwrites the other's commits. Two checks refuse that:

- **our own files**: the study, `-wal` and `-shm` at the path are still the files (device, inode) this
  connection had when it opened (the studio side);
- **other programs' files**: on Linux, `/proc/locks` shows which processes hold SQLite's locks. Every
  program with the study open holds a read lock on its lock range and on the `-shm` it uses; a program
  that holds the study but not our `-shm`, and has a `-shm` of this study mapped that is not the one at
  the path (`/proc/PID/maps`), uses another, deleted one (the CLI side, while the studio holds the old
  files). A program between locking the study and mapping its `-shm` is not mistaken for one.

Neither check opens the files: closing any descriptor of a file drops every POSIX lock this process holds
on it, SQLite's included. Where `/proc/locks` is missing (macOS) only the first check runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..models import StudyError

LOCK_BYTES = 0x40000000  # SQLite's lock bytes on the database file start here (pending, reserved, shared)

FileId = tuple[int, int, int]  # device major, device minor, inode


@dataclass(frozen=True)
class StudyFiles:
    study: FileId | None
    wal: FileId | None
    shm: FileId | None


def _id(path: str) -> FileId | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.major(st.st_dev), os.minor(st.st_dev), st.st_ino


def current(path: Path) -> StudyFiles:
    """The files at the study's path now (None for one that is missing)."""
    return StudyFiles(_id(str(path)), _id(f"{path}-wal"), _id(f"{path}-shm"))


_QUIT = "quit the studio or other program that has it open, then open it again"


def check(path: Path, opened: StudyFiles, *, others: bool = True) -> None:
    """Raise `StudyError` when writing now would be lost: our files were swapped, or (`others`) another
    program has the study open through `-wal`/`-shm` files that are no longer at the path."""
    now = current(path)
    where = str(path)
    if now.study != opened.study:
        raise StudyError("the study file was moved or replaced while it was open; nothing was saved "
                         "(what was saved before stays in the file that was moved)", path=where)
    if now.wal != opened.wal or now.shm != opened.shm:
        raise StudyError(f"the study's -wal and -shm files were deleted or replaced while it was open; nothing "
                         f"was saved: {_QUIT} (changes saved before are kept when it closes)", path=where)
    if others and now.study and now.shm:
        stray = [pid for pid in _holders_elsewhere(now) if _maps_another_shm(pid, path, now.shm)]
        if stray:
            raise StudyError(f"another program (process {min(stray)}) has the study open through -wal and -shm files "
                             f"that were deleted or replaced; nothing was saved: {_QUIT}", path=where)


def _holders_elsewhere(files: StudyFiles) -> set[int]:
    """Processes other than this one that hold the study's SQLite lock but not its current `-shm`."""
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return set()
    holders: dict[FileId, set[int]] = {files.study: set(), files.shm: set()}
    me = os.getpid()
    for line in lines:
        parts = line.split()
        if len(parts) < 8 or parts[1] != "POSIX" or "->" in parts:
            continue
        try:
            pid = int(parts[4])
            major, minor, inode = parts[5].split(":")
            key = (int(major, 16), int(minor, 16), int(inode))
            start = int(parts[6])
        except ValueError:
            continue
        if pid in (me, 0) or key not in holders:
            continue
        if key == files.shm or start >= LOCK_BYTES:  # any lock on the -shm means its holder has it open
            holders[key].add(pid)
    return holders[files.study] - holders[files.shm]


def _maps_another_shm(pid: int, path: Path, shm: FileId) -> bool:
    """Does process `pid` have a `-shm` file of this study mapped that is not the one at the path now?
    (SQLite maps the -shm it uses; a program that holds the study's lock and has not mapped any -shm yet
    is still opening it, and is not refused for.) Unreadable (another user): no."""
    name = os.path.realpath(path) + "-shm"
    try:
        with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                parts = line.split(maxsplit=5)
                if len(parts) < 6 or parts[5].rstrip("\n").removesuffix(" (deleted)") != name:
                    continue
                major, minor = parts[3].split(":")
                if (int(major, 16), int(minor, 16), int(parts[4])) != shm:
                    return True
    except (OSError, ValueError):
        return False
    return False
