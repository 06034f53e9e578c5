"""`restore`: list a study's backups, or put one back (the current state is backed up first); `copy`: a
complete copy of a study as a new file."""

from __future__ import annotations

from pathlib import Path

from coding.study import backup
from coding.study.restore import restore

from .common import say


def register(sub) -> None:
    s = sub.add_parser("restore", help="list the study's backups, or restore one (the current state is kept)")
    s.add_argument("study", type=Path)
    s.add_argument("backup", nargs="?", help="the backup's number in the list (1 = newest), its file name, or a path")
    s.set_defaults(run=cmd_restore)

    s = sub.add_parser("copy", help="a complete copy of the study as a new file (plans, KPIs, personas, history)")
    s.add_argument("study", type=Path)
    s.add_argument("new", type=Path, help="the new study file (must not exist)")
    s.add_argument("--name", help="the copy's study name (default: the study's)")
    s.set_defaults(run=cmd_copy)


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, round(n / 1024))} kB"


def cmd_restore(args) -> int:
    if args.backup is None:
        found = backup.list_backups(args.study)
        if not found:
            print(f"no backups of {args.study} yet (one is made before a schema upgrade, a merge and a bulk delete)")
            return 0
        print(f"backups of {args.study} in {backup.folder(args.study)} (newest first; the newest {backup.KEEP} "
              "are kept):")
        for n, b in enumerate(found, 1):
            when = b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            print(f"{n:>3}  {when}  {b.reason:<40} {_size(b.size):>9}  {b.path.name}")
        print(f"restore one with: research-tui restore {args.study} NUMBER")
        return 0
    chosen = backup.find_backup(args.study, args.backup)
    saved = restore(args.study, chosen, coder=args.coder)
    print(f"restored {args.study} from {chosen.name}")
    if saved is not None:
        say(f"the study as it was before is kept as {saved}")
    return 0



def cmd_copy(args) -> int:
    from .common import open_store

    store = open_store(args, read_only=True)
    try:
        backup.copy_study(store, args.new, name=args.name)
        totals = store.totals()
    finally:
        store.close()
    print(f"copied {args.study} to {args.new}: {totals['sources']} sources, {totals['codings']} codings, and "
          "everything else (personas, to-be plans and KPIs, memos, the change history)")
    return 0
