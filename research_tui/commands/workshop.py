"""`workshop`: the persona-workshop kit (quote cards, persona canvases, empathy maps) and a cards CSV."""

from __future__ import annotations

from pathlib import Path

from .common import MODEL_VALENCE_HELP, add_output, file_path, number, open_store, valence_hook, wrote


def register(sub) -> None:
    from exports.workshop_cards import DEFAULT_LIMIT

    s = sub.add_parser("workshop", help="write the persona-workshop kit: quote cards to cut, a canvas and an "
                                         "empathy map per persona")
    s.add_argument("study", type=Path)
    add_output(s, "kit (.docx, A4)")
    s.add_argument("--persona", metavar="NAME", help="only this persona's quotes and pages")
    s.add_argument("--limit", type=number(0, integer=True), default=DEFAULT_LIMIT, metavar="N",
                   help=f"the N strongest quotes as cards, spread over stages, personas and participants "
                        f"(default {DEFAULT_LIMIT}; 0: every coded quote)")
    s.add_argument("--stage", action="append", default=[], metavar="STAGE",
                   help="only quotes of this stage (name, number or the start of its name; repeat for several)")
    s.add_argument("--code", action="append", default=[], metavar="CODE",
                   help="only quotes carrying this code (repeat: any of them)")
    s.add_argument("--csv", type=file_path, metavar="CARDS.csv", help="also one row per card, for whiteboard tools")
    s.add_argument("--names", action="store_true", help="participants' names instead of pseudonyms")
    s.add_argument("--no-model-valence", action="store_true", help=MODEL_VALENCE_HELP + ", as in `report`")
    s.set_defaults(run=cmd_workshop)


def cmd_workshop(args) -> int:
    from exports.workshop import write_kit

    store = open_store(args, read_only=True)
    try:
        kit = write_kit(store, args.output, persona=args.persona, anonymize=not args.names, csv_path=args.csv,
                        force=args.force, limit=args.limit or None, stages=args.stage, codes=args.code,
                        valence_of=valence_hook(args))
    finally:
        store.close()
    personas = f", {len(kit.personas)} persona canvases and empathy maps" if kit.personas else ", no personas"
    chosen = f" (the strongest of {kit.quotes})" if kit.cards < kit.quotes else ""
    if str(args.output) != "-":
        print(f"wrote {args.output}: {kit.cards} quote cards{chosen} on {kit.card_pages} pages{personas}")
    if args.csv:
        wrote(args.csv)
    return 0
