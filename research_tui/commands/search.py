"""`search`: every turn of a study that holds some words, coded or not (the studio's Search screen)."""

from __future__ import annotations

from pathlib import Path

from coding.models import format_ms
from coding.search import search_text, snippet

from .common import CliError, anonymizer, open_store, print_json


def register(sub) -> None:
    s = sub.add_parser("search", help="find words in every transcript, coded or not")
    s.add_argument("study", type=Path)
    s.add_argument("words", nargs="+", help="words to find (stemmed: wait finds waited; OR for either)")
    s.add_argument("--limit", type=int, default=200, help="at most this many turns (default 200; 0: all)")
    s.add_argument("--json", action="store_true", help="one JSON object: total and hits")
    s.set_defaults(run=cmd_search)


def cmd_search(args) -> int:
    if args.limit < 0:
        raise CliError("--limit must be 0 (all) or more")
    store = open_store(args, read_only=True)
    query = " ".join(args.words)
    found = search_text(store, query, limit=args.limit or None)
    hits, total = found.hits, found.turns
    anon = anonymizer(store)  # with anonymity on, names inside the words become pseudonyms too
    store.close()
    if args.json:
        print_json({"query": query, "total": total, "hits": [
            {"source": h.source_title, "speaker": h.speaker, "role": h.role, "start_ms": h.start_ms,
             "char_start": h.char_start, "char_end": h.char_end, "match_start": h.match_start,
             "match_end": h.match_end, "coded": h.coded, "not_speech": h.not_speech, "text": anon.anon(h.text)}
            for h in hits]})
        return 0
    sources = found.sources
    shown = f" (the first {len(hits)} shown; --limit 0 shows all)" if total > len(hits) else ""
    print(f"{total} turn{'s' * (total != 1)} with “{query}” in {sources} source{'s' * (sources != 1)}{shown}")
    for h in hits:
        mark = "*" if h.coded else " "
        words = anon.anon(snippet(h, 70))
        print(f"{mark} {h.source_title[:24]:<24}  {h.speaker[:18]:<18}  {format_ms(h.start_ms):<8}  {words}")
    return 0
