"""NLP assistance from the command line: `suggest` (learned code suggestions, accept/reject) and `autocode`."""

from __future__ import annotations

from pathlib import Path

from .common import CliError, find_source, number, open_store, open_to_read, print_json, say, whole_number


def register(sub) -> None:
    s = sub.add_parser("suggest", help="codes suggested for uncoded quotes, learned from your coding; "
                                       "accept or reject them")
    s.add_argument("study", type=Path)
    s.add_argument("--code", help="only suggestions of this code")
    s.add_argument("--source", help="only this source (title, file name or S01)")
    s.add_argument("--top", type=number(1, integer=True), metavar="N",
                   help="only the N most confident passages, most confident first")
    s.add_argument("--min-confidence", type=float, default=None, metavar="X",
                   help="only suggestions at least this confident, 0-1 (default 0.3; with --top: 0)")
    s.add_argument("--json", action="store_true", help='print {"quotes": [...]}')
    s.add_argument("--accept", nargs="+", metavar="ID", help="accept the suggestions on these quotes "
                   "(ID, ID:CODE for one code, or all)")
    s.add_argument("--reject", nargs="+", metavar="ID", help="reject them: never offered again (ID, ID:CODE, all)")
    s.set_defaults(run=cmd_suggest)

    s = sub.add_parser("autocode", help="code every candidate quote matching a phrase or a regular expression")
    s.add_argument("study", type=Path)
    s.add_argument("--code", required=True, help="the code to apply")
    rule = s.add_mutually_exclusive_group(required=True)
    rule.add_argument("--phrase", help="whole words, any case")
    rule.add_argument("--regex", help="a Python regular expression, any case")
    s.add_argument("--speaker", help="only this participant's quotes (name or pseudonym)")
    s.add_argument("--dry-run", action="store_true", help="print how many quotes would be coded, and which")
    s.set_defaults(run=cmd_autocode)


def _namer(store):
    """Names, source titles and quotes as the study shows them (pseudonyms when it is anonymized)."""
    from exports.anonymize import Anonymizer

    return Anonymizer.from_store(store, enabled=store.anonymize)


def _picks(found, refs: list[str]) -> list:
    """(passage, code id) pairs named by ID, ID:CODE or all, among the shown suggestions (an ID names every
    passage that starts with that quote)."""
    by_id: dict[int, list] = {}
    for q in found:
        by_id.setdefault(q.candidate.id, []).append(q)
    picks = []
    for ref in refs:
        if ref.casefold() == "all":
            picks += [(q.candidate, s.code_id) for q in found for s in q.codes]
            continue
        head, _, code = ref.partition(":")
        if whole_number(head) is None:
            raise CliError(f"{ref!r} is not a quote id (ID, ID:CODE or all)")
        passages = by_id.get(whole_number(head))
        if not passages:
            raise CliError(f"no suggestion on quote {head} (with these filters); run `suggest` to list them")
        chosen = [(q, s) for q in passages for s in q.codes if not code or s.code.casefold() == code.strip().casefold()]
        if not chosen:
            raise CliError(f"quote {head} has no suggestion of {code!r}")
        picks += [(q.candidate, s.code_id) for q, s in chosen]
    return list(dict.fromkeys(picks))


def cmd_suggest(args) -> int:
    from coding.nlp import decisions
    from coding.nlp import suggest as S

    if args.accept and args.reject:
        raise CliError("give --accept or --reject, not both")
    if args.min_confidence is not None:
        minimum = args.min_confidence
    else:  # --top N: the N best whatever their confidence (shown beside each)
        minimum = 0.0 if args.top else S.DEFAULT_MIN_CONFIDENCE
    store = open_to_read(args)
    source = find_source(store, args.source) if args.source else None
    found = S.suggest(store, code=args.code, min_confidence=minimum, source_id=source.id if source else None,
                      top=args.top)
    if args.accept or args.reject:
        picks = _picks(found, args.accept or args.reject)
        if args.accept:
            n = decisions.accept(store, picks)
            print(f"accepted {n} suggestion{'s' if n != 1 else ''}: coded with origin 'suggestion' "
                  f"by {store.coder}")
        else:
            n = decisions.reject(store, picks)
            print(f"rejected {n} suggestion{'s' if n != 1 else ''}: they will not be offered again")
        store.close()
        return 0
    from coding.nlp.experience import reading

    names = _namer(store)
    readings = [reading(q.candidate.text) for q in found]  # the valence synthesis would take (as `quotes` shows)
    rows = [{
        "id": q.candidate.id, "source": names.source_label(q.candidate.source_id),
        "participant": names.label(q.candidate.participant_id), "text": names.anon(q.candidate.text),
        "start": q.candidate.start, "end": q.candidate.end, "quotes": list(q.quotes),
        "question": names.anon(q.question),
        "emotion": q.emotion_code, "model_emotion": q.prediction.emotion, "valence": r.valence,
        "model_valence": q.prediction.valence, "left_out": r.left_out,
        "codes": [{"code": s.code, "kind": s.kind, "confidence": s.confidence, "by": s.by} for s in q.codes],
    } for q, r in zip(found, readings)]
    store.close()
    if args.json:
        print_json({"quotes": rows})
        return 0
    if not rows:
        say(f"no suggestions: a code needs {S.MIN_CODINGS} codings before it is suggested, and only uncoded passages "
            "get suggestions; lower --min-confidence to see weaker ones")
        return 0
    for r in rows:
        print(f"#{r['id']}  {r['source']} · {r['participant']}  “{' '.join(r['text'].split())}”")
        if r["question"]:
            asked = " ".join(r["question"].split())
            print(f"    answering: “{asked if len(asked) <= 100 else '…' + asked[-99:]}”")
        codes = ", ".join(f"{c['code']} {c['confidence']:.2f}" for c in r["codes"])
        valence = r["valence"]
        feeling = (f"{r['emotion'] or r['model_emotion']} ({round(valence, 1) + 0.0:+.1f})" if valence is not None
                   else f"no valence ({r['left_out'] or 'not read'})")
        print(f"    → {codes} · feeling: {feeling}")
    n = sum(len(r["codes"]) for r in rows)
    say(f"{n} suggestion{'s' if n != 1 else ''} on {len(rows)} passage{'s' if len(rows) != 1 else ''}; "
        f"accept with --accept ID… (or ID:CODE, or all), reject with --reject")
    return 0


def cmd_autocode(args) -> int:
    from coding.nlp.autocode import autocode, matches

    store = open_store(args)
    if args.dry_run:
        plan = matches(store, args.code, phrase=args.phrase, regex=args.regex, speaker=args.speaker)
        print(f"{len(plan.quotes)} quote{'s' if len(plan.quotes) != 1 else ''} would be coded {plan.code} "
              f"({plan.rule}; {plan.already} already coded)")
        names = _namer(store)
        for c in plan.quotes:
            print(f"#{c.id}  {names.source_label(c.source_id)} · {names.label(c.participant_id)}  "
                  f"“{' '.join(names.anon(c.text).split())}”")
    else:
        plan = autocode(store, args.code, phrase=args.phrase, regex=args.regex, speaker=args.speaker)
        print(f"coded {plan.added} quote{'s' if plan.added != 1 else ''} as {plan.code} ({plan.rule}; "
              f"{plan.already} already coded){'; undo with `research-tui undo`' if plan.added else ''}")
    store.close()
    return 0
