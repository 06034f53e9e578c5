"""`sources`: list a study's sources, or delete one, replace its file, rename it, link its recording (each
undoable; `media` lives in `media.py`)."""

from __future__ import annotations

from pathlib import Path

from coding import sources as source_ops
from coding.sources import source_summaries

from .common import CliError, anonymizer, number, open_store, print_json

ACTIONS = ("list", "delete", "replace", "rename", "media")
_ARGS = {"delete": "SOURCE", "replace": "SOURCE FILE", "rename": "SOURCE NEW_TITLE", "list": ""}


def register(sub) -> None:
    s = sub.add_parser("sources", help="list sources, or delete one, replace its file, rename it, link its recording")
    s.add_argument("study", type=Path)
    s.add_argument("action", nargs="?", choices=ACTIONS, default="list")
    s.add_argument("args", nargs="*", help="delete SOURCE | replace SOURCE FILE | rename SOURCE NEW_TITLE | "
                                           "media [SOURCE [FILE]] (SOURCE: title, file name or S01 …)")
    s.add_argument("--dry-run", action="store_true", help="replace: say what would happen, change nothing")
    s.add_argument("--interviewer", action="append", default=[], metavar="NAME",
                   help="replace: treat this speaker of the new file as the interviewer (repeatable)")
    s.add_argument("--max-mb", type=number(0, 100_000, above=True), default=50.0, metavar="MB",
                   help="replace: refuse a file larger than this (default 50)")
    s.add_argument("--json", action="store_true", help="list: one JSON array")
    s.add_argument("--remove", action="store_true", help="media SOURCE --remove: forget its recording")
    s.set_defaults(run=cmd_sources)


def cmd_sources(args) -> int:
    action = args.action
    if action == "media":
        from .media import cmd_sources_media

        return cmd_sources_media(args)
    wanted = len(_ARGS[action].split())
    if len(args.args) != wanted:
        raise CliError(f"sources {action} takes {_ARGS[action] or 'no more arguments'}")
    store = open_store(args, read_only=action == "list" or args.dry_run)
    try:
        if action == "list":
            return _list(store, as_json=args.json)
        source = source_ops.find_source(store, args.args[0])
        shown = source.label(store.anonymize)
        if action == "rename":
            renamed = source_ops.rename_source(store, source.id, args.args[1])
            print(f"{source.pseudonym} is now titled {renamed.title!r}")
        elif action == "delete":
            removed = source_ops.delete_source(store, source.id)
            people = (f"; {', '.join(removed.people)} spoke only there and went with it" if removed.people else "")
            print(f"deleted {shown}: {removed.turns} turn{'s' * (removed.turns != 1)}, {removed.codings} "
                  f"coding{'s' * (removed.codings != 1)}, {removed.memos} memo{'s' * (removed.memos != 1)}"
                  f"{people} (backed up first; `research-tui undo` brings it back)")
        else:
            _replace(store, source, Path(args.args[1]), args)
    finally:
        store.close()
    return 0


def _replace(store, source, path: Path, args) -> None:
    from importers import load

    from .importing import segment_new_turns

    read = load(path, max_bytes=int(args.max_mb * 1024 * 1024), interviewer=args.interviewer or None)
    if len(read) != 1:
        raise CliError(f"{path.name}: a survey of {len(read)} respondents cannot replace one source")
    result = source_ops.replace_source(store, source.id, read[0], dry_run=args.dry_run)
    anon = anonymizer(store)
    label = f"{source.pseudonym}" if store.anonymize else f"'{source.title}'"
    for line in result.lines(label):
        print(anon.anon(line))
    if args.dry_run:
        print("nothing changed (--dry-run)")
    else:
        segment_new_turns(store)
        print("backed up first; `research-tui undo` puts the old file back")


def _list(store, *, as_json: bool) -> int:
    anon = anonymizer(store)
    people = {p.id: p for p in store.participants()}
    rows = []
    for s in source_summaries(store):
        label = anon.source_label(s["id"]) if anon.enabled else s["title"]
        rows.append({"id": store.source(s["id"]).pseudonym, "title": label,
                     "filename": "" if anon.enabled else s["filename"], "format": s["format"],
                     "utterances": s["utterances"], "words": s["words"], "coded_share": round(s["coded_share"], 3),
                     "speakers": [people[p].pseudonym for p in s["participants"]] if anon.enabled else s["speakers"]})
    if as_json:
        print_json(rows)
        return 0
    if not rows:
        print("no sources yet: `research-tui import STUDY FILE…` adds some")
        return 0
    width = max(len(r["title"]) for r in rows)
    for r in rows:
        print(f"{r['id']:<4} {r['title']:<{width}}  {r['format']:<5} {r['utterances']:>6} turns {r['words']:>8,} words "
              f"{round(100 * r['coded_share']):>3}% coded  {', '.join(r['speakers'])}")
    return 0
