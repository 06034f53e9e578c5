"""`quotes`: every candidate quote (coded or not) with the emotion model's emotion and valence, to check them."""

from __future__ import annotations

from pathlib import Path

from .common import anonymizer, find_source, number, open_to_read, print_json, say

ORDERS = ("reading", "negative", "positive")


def register(sub) -> None:
    s = sub.add_parser("quotes", help="every candidate quote with the emotion model's emotion and valence "
                                      "(coded or not), or the most negative/positive")
    s.add_argument("study", type=Path)
    s.add_argument("--source", help="only this source (title, file name or S01 …)")
    s.add_argument("--sort", choices=ORDERS, default="reading",
                   help="reading order (default), or the most negative / positive valence first (quotes with one)")
    s.add_argument("--limit", type=number(1, integer=True), help="at most this many")
    s.add_argument("--json", action="store_true", help='print {"quotes": [...]}')
    s.add_argument("-o", "--output", help="write CSV to this file instead (`-`: standard output)")
    s.add_argument("--anonymize", action="store_true", help="pseudonyms and S01 … (also when the study is not)")
    s.add_argument("--raw", action="store_true", help="CSV: no leading ' before cells that look like formulas")
    s.add_argument("--force", action="store_true", help="CSV: replace a file that is not an earlier quotes CSV")
    s.set_defaults(run=cmd_quotes)


def ordered(found, sort: str, limit: int | None):
    if sort != "reading":
        found = sorted((q for q in found if q.valence_used is not None),
                       key=lambda q: (q.valence_used if sort == "negative" else -q.valence_used,
                                      q.candidate.source_id, q.candidate.start))
    return found[:limit] if limit else found


def cmd_quotes(args) -> int:
    from coding.nlp.experience import quote_readings

    store = open_to_read(args)
    source = find_source(store, args.source) if args.source else None
    found = ordered(quote_readings(store, source_id=source.id if source else None), args.sort, args.limit)
    if args.output:
        from exports.quotes_csv import write_quotes_csv

        n = write_quotes_csv(store, args.output, found, anonymize=args.anonymize or None, raw=args.raw,
                             force=args.force)
        store.close()
        if args.output != "-":
            say(f"wrote {n} quote{'s' if n != 1 else ''} to {args.output}")
        return 0
    names = anonymizer(store)
    if args.anonymize:
        from exports.anonymize import Anonymizer

        names = Anonymizer.from_store(store, enabled=True)
    rows = [{
        "id": q.candidate.id, "source": names.source_label(q.candidate.source_id),
        "participant": names.label(q.candidate.participant_id), "text": names.anon(q.candidate.text),
        "start": q.candidate.start, "end": q.candidate.end, "codes": list(q.codes),
        "model_emotion": q.reading.emotion, "model_confidence": q.reading.confidence,
        "model_valence": q.reading.model_valence, "valence": q.reading.valence, "left_out": q.reading.left_out or None,
        "coded_valence": q.coded_valence, "valence_used": q.valence_used,
    } for q in found]
    store.close()
    if args.json:
        print_json({"quotes": rows})
        return 0
    for r in rows:
        used = "    —" if r["valence_used"] is None else f"{r['valence_used']:+.2f}"
        why = f"left out: {r['left_out']}" if r["left_out"] else f"{r['model_emotion']} {r['model_confidence']:.2f}"
        if r["coded_valence"] is not None:
            why = f"coded; model {why}"
        codes = f"  [{', '.join(r['codes'])}]" if r["codes"] else ""
        print(f"#{r['id']}  {used}  {r['source']} · {r['participant']}  “{' '.join(r['text'].split())}”  "
              f"({why}){codes}")
    if not rows:
        say("no quotes")
    return 0
