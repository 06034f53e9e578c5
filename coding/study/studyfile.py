"""The study file on disk: is it ours, how to open it, and what an SQLite error means to a researcher.

Checks run on the file's first 100 bytes before SQLite sees it, so a file that is not a study (a
0-byte file, a text file, somebody else's SQLite database) is refused with nothing written: no
schema, no `-wal`/`-shm`. Only `Store.create` makes a new study (`create_private`, mode 0600; SQLite
gives the `-wal` and `-shm` files the same mode).

Connections are opened with the write lock taken up front by `Store.writing` (`BEGIN IMMEDIATE`) and
a busy timeout of `BUSY_TIMEOUT_S`: a writer that finds another program writing waits, then gives
up with one line. A study opened for reading works on a read-only file or in a read-only folder:
`mode=ro`, or `immutable=1` when the folder cannot hold SQLite's `-shm` file and no `-wal` file
holds unsaved changes.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from pathlib import Path

from ..models import StudyError

APP_ID = 0x52545549  # "RTUI": PRAGMA application_id marks a file as a research-tui study
MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10.0


class ReadOnlyStudy(StudyError):
    """The study cannot be written here (file or folder permissions); it can still be read."""


class NewerStudy(StudyError):
    """The study was written by a newer research-tui."""


def header(path: Path) -> bytes:
    """The first 100 bytes of a file (the SQLite header), or fewer for a short file.

    Read through a descriptor this process already has open on the file when there is one (SQLite's,
    while a Store has the study open): closing any descriptor of a file drops every POSIX lock the
    process holds on it, SQLite's included, and a CLI command that then closed the study thought it was
    the last one and deleted the -wal and -shm files under the studio (see `coding.study.walfiles`)."""
    try:
        fd = _descriptor_of(Path(path))
        if fd is not None:
            try:
                return os.pread(fd, 100, 0)
            except OSError:
                pass  # not readable (opened for writing only): read it the ordinary way
        with Path(path).open("rb") as fh:
            return fh.read(100)
    except OSError as exc:
        raise StudyError(f"cannot read the study file ({exc.strerror})", path=str(path)) from exc


def _descriptor_of(path: Path) -> int | None:
    """A descriptor this process has open on the regular file at `path`, or None."""
    try:
        st = os.stat(path)
        names = os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd")
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    for name in names:
        try:
            fd = int(name)
            fst = os.fstat(fd)
        except (ValueError, OSError):
            continue
        if (fst.st_dev, fst.st_ino) == (st.st_dev, st.st_ino):
            return fd
    return None


def _int(head: bytes, offset: int) -> int:
    return int.from_bytes(head[offset:offset + 4], "big") if len(head) >= offset + 4 else 0


def looks_like_study(path: Path) -> bool:
    """True when the file is a research-tui study (its header carries our application id).

    Used before writing any output: a study is never written over, not even with --force.
    """
    path = Path(path)
    try:
        if not path.is_file():
            return False
        head = header(path)
    except StudyError:
        return False
    return head.startswith(MAGIC) and _int(head, 68) == APP_ID


def check(path: Path) -> None:
    """Refuse anything that is not an existing research-tui study, reading only its header."""
    path = Path(path)
    where = str(path)
    if not path.exists():
        raise StudyError("no such study file (create one with `research-tui new`)", path=where)
    if path.is_dir():
        raise StudyError("this is a folder, not a study file", path=where)
    head = header(path)
    if not head:
        raise StudyError("empty file, not a research-tui study (create one with `research-tui new`)", path=where)
    if not head.startswith(MAGIC) or len(head) < 100:
        raise StudyError("not a research-tui study file (not an SQLite database)", path=where)
    if _int(head, 68) != APP_ID and not _study_in_wal(path, head):
        raise StudyError("not a research-tui study file (an SQLite database of another program); "
                         "nothing was changed", path=where)


def _study_in_wal(path: Path, head: bytes) -> bool:
    """A study whose first page still sits in its -wal file (a crash before the first checkpoint)."""
    wal = path.with_name(path.name + "-wal")
    if head[18:20] != b"\x02\x02" or not wal.exists() or wal.stat().st_size == 0:
        return False
    try:
        conn = sqlite3.connect(f"{_uri(path)}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def check_version(conn: sqlite3.Connection, path: Path, known: list[str], set_name: str) -> int:
    """Refuse a study written by a newer research-tui; return how many migrations it has applied."""
    names = []
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'").fetchone():
        names = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [set_name])]
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if set(names) - set(known) or user_version > len(known):
        schema = max(len(names), user_version)
        raise NewerStudy(f"made by a newer research-tui (schema {schema}); upgrade to open it", path=str(path))
    return len(names)


def writable(path: Path) -> bool:
    """Can SQLite write this study here: the file, and its folder (for the -wal and -shm files)?"""
    path = Path(path)
    return os.access(path, os.W_OK) and os.access(path.parent if str(path.parent) else Path("."), os.W_OK)


def _uri(path: Path) -> str:
    return Path(os.path.abspath(path)).as_uri()


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open a connection with our settings (no implicit transactions, busy timeout, foreign keys).

    `read_only`: for reading commands. A writable study opens normally with writes switched off
    (`query_only`); a read-only file or folder opens with `mode=ro`, falling back to `immutable=1`
    when SQLite cannot create its `-shm` file and no `-wal` file holds changes.
    """
    path = Path(path)
    if not read_only and not writable(path):
        raise ReadOnlyStudy(_READ_ONLY, path=str(path))
    try:
        if not read_only or writable(path):
            conn = _open(str(path), uri=False)
        else:
            conn = _open(f"{_uri(path)}?mode=ro", uri=True)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error:
                conn.close()
                wal = path.with_name(path.name + "-wal")
                if wal.exists() and wal.stat().st_size:
                    raise StudyError(f"cannot read the study: its folder is read-only and {wal.name} holds recent "
                                     "changes; open it once where the folder is writable", path=str(path)) from None
                conn = _open(f"{_uri(path)}?immutable=1", uri=True)
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # SQLite's message quotes a damaged schema's bytes
        raise explain(exc, path) from exc
    return conn


def _open(target: str, *, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def create_private(path: Path) -> None:
    """Create the empty file a new study starts as, readable by its owner only (0600, whatever the
    umask). Fails if the file exists: `new` never takes over a file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise StudyError("file already exists; choose another name", path=str(path)) from None
    except OSError as exc:
        raise StudyError(f"cannot create the study ({exc.strerror})", path=str(path)) from exc
    os.close(fd)
    os.chmod(path, 0o600)


def remove_files(path: Path) -> None:
    """Remove a study and its -wal/-shm files (only for a study this process has just created)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


_READ_ONLY = "the study is read-only (no write permission for the file or its folder); " \
             "make both writable to change it"


def explain(exc: BaseException, path: Path | str) -> StudyError:
    """One plain line for an SQLite error, naming the study and what to do. The study itself is
    intact: a failed write transaction is rolled back."""
    if isinstance(exc, StudyError):
        return exc
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    where = str(path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return StudyError(f"another program is writing to the study (waited {BUSY_TIMEOUT_S:g} s); "
                          "try again when it has finished", path=where)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return ReadOnlyStudy(_READ_ONLY, path=where)
    if name == "SQLITE_FULL" or "disk is full" in text:
        return StudyError("the disk is full; free some space and try again (nothing was saved)", path=where)
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return StudyError("disk I/O error while reading or writing the study; check the disk, or copy the "
                          "study somewhere else and open the copy (nothing was saved)", path=where)
    if (name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text
            or isinstance(exc, UnicodeDecodeError)):  # the schema text itself is damaged
        return damaged(where)
    if "Could not decode" in text:  # the text of a value is not UTF-8: never quote it (names, quotes)
        return damaged(where, "text that is not readable")
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM")) or "unable to open" in text:
        return StudyError("cannot open the study file (check that it and its folder exist and are readable)",
                          path=where)
    if name.startswith("SQLITE_CONSTRAINT") or isinstance(exc, sqlite3.IntegrityError):
        return StudyError(f"the change conflicts with what is in the study ({text}); nothing was saved",
                          path=where)
    return StudyError(f"database error ({_without_values(text)}); if it happens again the file may be damaged: "
                      f"{_restore_hint(where)}", path=where)


def damaged(path: Path | str, what: str = "") -> StudyError:
    """The one line for a damaged study: what is damaged (never its text) and how to get it back."""
    return StudyError(f"the study file is damaged{f' ({what})' if what else ''}; {_restore_hint(path)}",
                      path=str(path))


def _restore_hint(path: Path | str) -> str:
    import shlex

    return f"restore a backup: `research-tui restore {shlex.quote(str(path)) if str(path) else 'STUDY'}` lists them"


def _without_values(text: str) -> str:
    """SQLite's words without what it quotes from the study (a value, a name), on one line."""
    words = re.sub(r"\s+", " ", re.split(r" with text |\n", text, maxsplit=1)[0])
    return re.sub(r"'[^']*'?", "'…'", words)[:120].strip() or "unknown"
