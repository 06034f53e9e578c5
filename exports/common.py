"""Small formatting helpers shared by the exporters (no python-docx here: the CSV path stays light)."""

from __future__ import annotations

import glob
import os
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from coding.models import Code, StudyError
from coding.study.studyfile import looks_like_study

try:
    import fcntl
except ImportError:  # not on Windows: stale temporary files are then only aged out
    fcntl = None

STDOUT = "-"
STALE_AFTER_S = 10  # a temporary file this old that no running export holds is left from a killed run


class WouldOverwrite(StudyError):
    """The output path holds a file this export did not write; replacing it needs `force`."""


def write_atomically(path: str | Path, write: Callable[[Path], None], what: str, *, force: bool = False,
                     replaces: Callable[[Path], bool] | None = None) -> None:
    """Write an output file so that nothing is ever lost: every export goes through here.

    `write(tmp)` fills a temporary file; then:

    - `path` "-" sends the bytes to standard output instead (the same bytes the file would hold);
    - a research-tui study (or its -wal/-shm file) at `path` is never written over, not even with
      `force`: `StudyError`;
    - the folder must exist: a path into a folder that is not there is refused (a mistyped path would
      otherwise leave new folders behind), as any other bad path is;
    - another existing file is replaced only when `replaces(path)` says it is an earlier output of
      this kind (e.g. `docx_with_subject(...)`, `text_starting_with(...)`), or with `force=True`
      (`--force`); otherwise `WouldOverwrite`, and nothing is written;
    - the temporary file, `.NAME.XXXX.part` in the same folder (0600, so the output is private), is
      renamed into place at the end: a failure part-way leaves the earlier file untouched and no
      partial file; a `.NAME.*.part` file left by a killed run is removed the next time.

    `what` names the output in messages ("report", "CSV file"). Errors are one-line `StudyError`s.
    """
    if str(path) == STDOUT:
        _write_stdout(write, what)
        return
    path = Path(path)
    _check_target(path, what, force, replaces)
    try:
        _remove_stale_parts(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise StudyError(f"cannot write the {what} ({exc.strerror})", path=str(path)) from exc
    tmp_path = Path(tmp)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held until done: marks the temporary file as in use
        write(tmp_path)
        _check_target(path, what, force, replaces)  # again: something may have appeared meanwhile
        os.replace(tmp_path, path)
    except OSError as exc:
        raise StudyError(f"cannot write the {what} ({exc.strerror})", path=str(path)) from exc
    finally:
        tmp_path.unlink(missing_ok=True)
        os.close(fd)


def check_target(path: str | Path, what: str, *, force: bool = False,
                 replaces: Callable[[Path], bool] | None = None) -> None:
    """Raise the error `write_atomically` would raise for `path`, writing nothing: for a command that writes
    two files and must refuse before the first when the second cannot be written."""
    if str(path) != STDOUT:
        _check_target(Path(path), what, force, replaces)


def _check_target(path: Path, what: str, force: bool, replaces: Callable[[Path], bool] | None) -> None:
    base = Path(re.sub(r"-(wal|shm|journal)$", "", str(path)))
    if looks_like_study(path) or (base != path and looks_like_study(base)):
        raise StudyError(f"this is a research-tui study: the {what} never writes over a study; "
                         "choose another file name", path=str(path))
    if path.is_dir():
        raise StudyError(f"this is a folder; give a file name for the {what}", path=str(path))
    folder = path.parent
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise StudyError(f"the folder {folder} {problem}; create it first or choose another place for the {what}",
                         path=str(path))
    if path.exists() and not force and not (replaces is not None and _safely(replaces, path)):
        raise WouldOverwrite(f"this file exists and is not a {what} written by research-tui; "
                             "choose another name, or add --force to replace it", path=str(path))


def _safely(check: Callable[[Path], bool], path: Path) -> bool:
    try:
        return bool(check(path))
    except (OSError, ValueError, zipfile.BadZipFile):
        return False


def _write_stdout(write: Callable[[Path], None], what: str) -> None:
    with tempfile.TemporaryDirectory(prefix="research-tui-") as folder:
        tmp = Path(folder) / "output"
        try:
            write(tmp)
            data = tmp.read_bytes()
        except OSError as exc:
            raise StudyError(f"cannot write the {what} ({exc.strerror})", path=STDOUT) from exc
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _remove_stale_parts(path: Path) -> None:
    """Remove `.NAME.*.part` files that a killed run left: old, and locked by no running export."""
    for part in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        try:
            if time.time() - part.stat().st_mtime < STALE_AFTER_S:
                continue
            with part.open("rb") as fh:
                if fcntl is not None:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                part.unlink()
        except OSError:  # in use, or gone already
            continue


def text_starting_with(*prefixes: str) -> Callable[[Path], bool]:
    """A `replaces` test for text outputs: the file's first line starts with one of `prefixes`."""
    def check(path: Path) -> bool:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff")
        return head.startswith(prefixes)
    return check


def zip_member_matching(member: str, pattern: bytes) -> Callable[[Path], bool]:
    """A `replaces` test for zip outputs: `member` (at most 1 MB read) matches the regex `pattern`."""
    def check(path: Path) -> bool:
        with zipfile.ZipFile(path) as zf:
            with zf.open(member) as fh:
                return re.search(pattern, fh.read(1_000_000)) is not None
    return check


def docx_with_subject(subject: str) -> Callable[[Path], bool]:
    """A `replaces` test for Word outputs: a .docx whose subject (core properties) is exactly `subject`,
    as research-tui sets it ("Customer journey map" for the report): a transcript or another document
    is not replaced, nor is a different research-tui output."""
    wanted = rb"<dc:subject>\s*" + re.escape(escape(subject).encode()) + rb"\s*</dc:subject>"

    def check(path: Path) -> bool:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            return info.file_size <= 1_000_000 and re.search(wanted, zf.read(info)) is not None
    return check


def fmt_valence(value: float | None) -> str:
    """+1.5 / −0.3 (true minus sign) / n/a."""
    if value is None:
        return "n/a"
    return f"{value:+.1f}".replace("-", "−")


def plural(n: int, word: str) -> str:
    """1 participant, 2 participants (English -s plurals only)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def code_path(code: Code, codes: dict[int, Code]) -> str:
    """Parent and child names joined with " > " (guards against a cycle)."""
    names, seen, current = [], set(), code
    while current is not None and current.id not in seen:
        seen.add(current.id)
        names.append(current.name)
        current = codes.get(current.parent_id) if current.parent_id is not None else None
    return " > ".join(reversed(names))
