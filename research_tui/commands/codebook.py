"""The codebook and coding from the command line: `codes`, `code` and `uncode`."""

from __future__ import annotations

from pathlib import Path

from coding.codebook import add_codes, delete_code, find_code, list_codes, merge_codes, update_code
from coding.codings import code_counts, code_span, list_codings, remove_codings
from coding.models import CODE_KINDS
from coding.search import locate

from .common import CliError, anonymizer, find_source, number, open_store, print_json, say


def register(sub) -> None:
    s = sub.add_parser("codes", help="list the codebook, or change it: add, rename, describe, merge, delete")
    s.add_argument("study", type=Path)
    s.add_argument("action", nargs="?", choices=("list", "add", "rename", "describe", "merge", "delete"),
                   default="list")
    s.add_argument("names", nargs="*", help="add NAME… | rename OLD NEW | describe NAME [TEXT] | merge FROM INTO "
                                            "| delete NAME")
    s.add_argument("--kind", help="kind for add (stage, need, emotion, touchpoint, pain_point, opportunity, theme)")
    s.add_argument("--valence", type=number(-2, 2), help="emotion valence from -2 to 2 for add")
    s.add_argument("--description", help="definition for add and describe; for rename a new definition (a rename "
                                          "keeps the old one unless this or --clear-description is given)")
    s.add_argument("--clear-description", action="store_true", help="rename, describe: clear the definition")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=cmd_codes)

    s = sub.add_parser("code", help="code a quote: the exact words of a source with one or more codes")
    s.add_argument("study", type=Path)
    s.add_argument("source", help="source title")
    s.add_argument("quote", help="the exact words to code (must occur once in the source, or give --occurrence)")
    s.add_argument("codes", nargs="+", help="code names (kind:name when a name is ambiguous)")
    s.add_argument("--occurrence", type=number(1, integer=True),
                   help="which occurrence when the words occur more than once (1-based)")
    s.add_argument("--memo", default="")
    s.set_defaults(run=cmd_code)

    s = sub.add_parser("uncode", help="remove codings: of a source, of words in it, of codes, of a coder "
                                      "(one undoable change)")
    s.add_argument("study", type=Path)
    s.add_argument("source", nargs="?", help="source title, file name or S01 (default: every source)")
    s.add_argument("quote", nargs="?", help="only codings overlapping these exact words of the source")
    s.add_argument("--code", action="append", metavar="NAME", help="only codings of this code (repeatable)")
    s.add_argument("--coded-by", metavar="CODER", help="only codings by this coder")
    s.add_argument("--origin", choices=("human", "suggestion", "import"), help="only codings of this origin")
    s.add_argument("--all", action="store_true", help="needed to remove every coding of the study")
    s.add_argument("--dry-run", action="store_true", help="say how many codings would be removed, remove none")
    s.set_defaults(run=cmd_uncode)


def cmd_codes(args) -> int:
    action, names = args.action, args.names
    store = open_store(args, read_only=action == "list")
    need = {"list": 0, "rename": 2, "merge": 2, "delete": 1}.get(action)
    if action == "add" and not names:
        raise CliError("codes add takes one or more names")
    if action == "describe" and len(names) not in (1, 2):
        raise CliError('codes describe takes a name and the text: codes describe STUDY NAME "TEXT"')
    if need is not None and len(names) != need:
        raise CliError(f"codes {action} takes {need} name{'s' if need != 1 else ''}, got {len(names)}")
    if action == "add":
        if args.kind not in CODE_KINDS:
            raise CliError(f"codes add needs --kind, one of: {', '.join(CODE_KINDS)}")
        added = add_codes(store, names, args.kind, valence=args.valence, description=args.description or "")
        for code in added:
            print(f"added {code.kind} code '{code.name}'")
    elif action == "describe":
        _describe(store, args)
    elif action == "rename":
        old = find_code(store, names[0], args.kind)
        if args.clear_description and args.description is not None:
            raise CliError("give --description TEXT or --clear-description, not both")
        changes: dict = {"name": names[1]}
        if args.description is not None or args.clear_description:
            changes["description"] = args.description or ""
        code = update_code(store, old.id, **changes)
        print(f"renamed '{old.name}' to '{code.name}'")
        if "description" not in changes and code.description:
            say(f"kept its description: “{code.description}” (--clear-description clears it, "
                "--description TEXT sets another)")
    elif action == "merge":
        src, dst = find_code(store, names[0], args.kind), find_code(store, names[1], args.kind)
        moved = merge_codes(store, src.id, dst.id)
        print(f"merged '{src.name}' into '{dst.name}' ({moved} codings moved)")
    elif action == "delete":
        code = find_code(store, names[0], args.kind)
        gone = delete_code(store, code.id)
        print(f"deleted '{code.name}' and its {gone} codings")
    else:
        counts = code_counts(store)
        rows = [{"name": c.name, "kind": c.kind, "codings": counts[c.id][0], "participants": counts[c.id][1],
                 "valence": c.valence, "description": c.description} for c in list_codes(store, args.kind)]
        if args.json:
            print_json(rows)
        else:
            width = max([len(r["name"]) for r in rows] + [4])
            print(f"{'kind':<12} {'code':<{width}} {'codings':>7} {'people':>6} {'valence':>7}")
            for r in rows:
                val = f"{r['valence']:+g}" if r["valence"] is not None else ""
                line = f"{r['kind']:<12} {r['name']:<{width}} {r['codings']:>7} {r['participants']:>6} {val:>7}"
                print(line.rstrip())
    store.close()
    return 0


def _describe(store, args) -> None:
    """A code's description, changed without renaming it."""
    given = [t for t in (args.names[1] if len(args.names) > 1 else None, args.description) if t is not None]
    if len(given) > 1 or (given and args.clear_description):
        raise CliError("give the description once: as TEXT, as --description TEXT, or --clear-description")
    if not given and not args.clear_description:
        raise CliError('say what the description is: codes describe STUDY NAME "TEXT" (or --clear-description)')
    code = find_code(store, args.names[0], args.kind)
    text = given[0].strip() if given else ""
    if text == code.description:
        print(f"'{code.name}' already has that description; nothing changed")
        return
    update_code(store, code.id, description=text)
    print(f"described '{code.name}': “{text}”" if text else f"cleared the description of '{code.name}'")


def cmd_code(args) -> int:
    store = open_store(args)
    source = find_source(store, args.source)
    title = anonymizer(store).source_label(source.id)
    spans = locate(source.text, args.quote)
    if not spans:
        raise CliError(f"those words do not occur in '{title}'")
    if len(spans) > 1 and not args.occurrence:
        raise CliError(f"those words occur {len(spans)} times in '{title}'; add --occurrence N")
    if args.occurrence and not 1 <= args.occurrence <= len(spans):
        raise CliError(f"--occurrence must be 1 to {len(spans)}")
    start, end = spans[(args.occurrence or 1) - 1]
    codes = [find_code(store, name) for name in args.codes]
    code_span(store, source.id, start, end, [c.id for c in codes], memo=args.memo)  # all or none
    print(f"coded {start}..{end} of '{title}' as {', '.join(dict.fromkeys(c.name for c in codes))}")
    store.close()
    return 0


def cmd_uncode(args) -> int:
    if not (args.source or args.code or args.coded_by or args.origin or args.all):
        raise CliError("say which codings to remove (a source, --code, --coded-by or --origin), or --all for every one")
    store = open_store(args)
    source = find_source(store, args.source) if args.source else None
    code_ids = {find_code(store, name).id for name in args.code} if args.code else None
    found = list_codings(store, source_id=source.id if source else None)
    found = [c for c in found if (code_ids is None or c.code_id in code_ids) and args.origin in (None, c.origin)
             and args.coded_by in (None, c.coder)]
    where = ""
    if args.quote:
        spans = locate(source.text, args.quote)
        if not spans:
            raise CliError(f"those words do not occur in '{anonymizer(store).source_label(source.id)}'")
        found = [c for c in found if any(c.char_start < b and a < c.char_end for a, b in spans)]
        where = " on those words"
    title = f" of '{anonymizer(store).source_label(source.id)}'" if source else ""
    n = len(found)
    what = f"{n} coding{'s' if n != 1 else ''}{title}{where}"
    if args.dry_run or not n:
        print(f"{what} would be removed" if args.dry_run else f"no codings to remove{title}{where}")
        store.close()
        return 0
    remove_codings(store, [c.id for c in found], summary=f"removed {what}")
    print(f"removed {what}; undo with `research-tui undo`")
    store.close()
    return 0
