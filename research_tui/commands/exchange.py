"""`merge`: a colleague's codings of the same sources, from their copy of the study or a .qdpx."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from .common import CliError, open_store


def register(sub) -> None:
    s = sub.add_parser("merge", help="bring another coder's codings of the same sources into this study (undoable)")
    s.add_argument("study", type=Path)
    s.add_argument("other", type=Path, help="the colleague's study (.rtui) or a REFI-QDA project (.qdpx)")
    s.set_defaults(run=cmd_merge)


def read_other(path: Path):
    """The other study as a QdaProject, without writing to it (a study is read from a temporary copy)."""
    from coding.exchange.snapshot import project_from_store
    from coding.store import Store
    from importers import MAX_BYTES
    from importers.qdpx import read_project_file

    if not path.exists():
        raise CliError("no such file", path=str(path))
    if path.suffix.lower() in (".qdpx", ".qdc"):
        return read_project_file(path, max_bytes=4 * MAX_BYTES)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        snapshot_copy(path, copy)
        other = Store.open(copy)
        try:
            return project_from_store(other, origin="research-tui study")
        finally:
            other.close()


def snapshot_copy(path: Path, dest: Path) -> None:
    """A consistent copy of a study, its write-ahead log included, without writing to it (SQLite backup)."""
    try:
        src = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        try:
            with sqlite3.connect(dest) as out:
                src.backup(out)
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise CliError(f"cannot read this study ({exc})", path=str(path)) from exc


def cmd_merge(args) -> int:
    from coding.exchange.apply import import_project

    if args.other.resolve() == args.study.resolve():
        raise CliError("cannot merge a study into itself")
    store = open_store(args)
    project = read_other(args.other)
    report = import_project(store, project, merge=True, filename=args.other.name)
    store.close()
    for line in report.lines():
        print(line)
    print(f"merged {args.other.name}: one change, `research-tui undo {args.study}` takes it back")
    return 0
