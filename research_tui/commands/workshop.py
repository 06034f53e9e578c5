"""`workshop`: the persona-workshop kit (quote cards, persona canvases, empathy maps) and a cards CSV."""

from __future__ import annotations

from pathlib import Path

from .common import add_output, open_store, wrote


def register(sub) -> None:
    s = sub.add_parser("workshop", help="write the persona-workshop kit: quote cards to cut, a canvas and an "
                                         "empathy map per persona")
    s.add_argument("study", type=Path)
    add_output(s, "kit (.docx, A4)")
    s.add_argument("--persona", metavar="NAME", help="only this persona's quotes and pages")
    s.add_argument("--csv", type=Path, metavar="CARDS.csv", help="also one row per card, for whiteboard tools")
    s.add_argument("--names", action="store_true", help="participants' names instead of pseudonyms")
    s.set_defaults(run=cmd_workshop)


def cmd_workshop(args) -> int:
    from exports.workshop import write_kit

    store = open_store(args, read_only=True)
    try:
        kit = write_kit(store, args.output, persona=args.persona, anonymize=not args.names, csv_path=args.csv,
                        force=args.force)
    finally:
        store.close()
    personas = f", {len(kit.personas)} persona canvases and empathy maps" if kit.personas else ", no personas"
    if str(args.output) != "-":
        print(f"wrote {args.output}: {kit.cards} quote cards on {kit.card_pages} pages{personas}")
    if args.csv:
        wrote(args.csv)
    return 0
