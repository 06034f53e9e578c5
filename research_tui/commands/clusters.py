"""`cluster`: group similar candidate quotes across all transcripts, name the groups, code one."""

from __future__ import annotations

import re
from pathlib import Path

from coding.codebook import get_code

from .common import CliError, number, open_to_read, print_json, say


def register(sub) -> None:
    s = sub.add_parser("cluster", help="cluster similar quotes across all transcripts")
    s.add_argument("study", type=Path)
    s.add_argument("--scope", default="all",
                   help="all | uncoded | code:NAME | stage:NAME | attr:KEY=VALUE (default: all)")
    s.add_argument("--k", type=number(1, integer=True), help="number of clusters (default: chosen from the data)")
    s.add_argument("--backend", default="auto", choices=("auto", "default", "semantic"),
                   help="auto: the semantic extra when installed, else the built-in embedding")
    s.add_argument("--json", action="store_true", help="print one JSON object with every quote")
    s.add_argument("--quotes", type=number(0, integer=True), default=3, metavar="N",
                   help="quotes shown per cluster in the text output (0: all; --json always lists all)")
    s.add_argument("--apply", action="append", default=[], metavar="N=CODE",
                   help="code every quote of cluster N with CODE (created as a theme when missing; "
                        "'kind:name' for another kind); one undoable change each")
    s.add_argument("--anonymize", action="store_true", default=None, help="pseudonyms only (default: study setting)")
    s.set_defaults(run=cmd_cluster)


def _applications(values: list[str]) -> list[tuple[int, str]]:
    out = []
    for value in values:
        m = re.fullmatch(r"\s*([0-9]+)\s*=\s*(.+?)\s*", value)
        if not m:
            raise CliError(f"--apply takes N=CODE (a cluster number and a code name), not {value!r}")
        out.append((int(m.group(1)), m.group(2)))
    return out


def cmd_cluster(args) -> int:
    from coding.nlp.cluster import cluster_quotes, code_cluster
    from exports.anonymize import Anonymizer

    applications = _applications(args.apply)
    store = open_to_read(args)
    try:
        run = cluster_quotes(store, scope=args.scope, k=args.k, backend=args.backend)
        anonymize = store.anonymize if args.anonymize is None else args.anonymize
        names = Anonymizer.from_store(store, enabled=anonymize)
        titles = {s.id: names.anon(s.title) for s in store.sources()}
        by_number = {c.number: c for c in run.clusters}
        for number, _code in applications:
            if number not in by_number:
                raise CliError(f"no cluster {number}; this run has {run.k}")
        for number, code in applications:  # before printing: a closed pipe must not lose them
            cluster = by_number[number]
            code_id, added = code_cluster(store, cluster.quotes, code)
            if added:
                say(f"coded {added} quotes of cluster {number} as '{get_code(store, code_id).name}' "
                    f"({cluster.size - added} already had it); `research-tui undo` takes it back")
            else:
                say(f"cluster {number}: all {cluster.size} quotes already have '{get_code(store, code_id).name}'; "
                    "nothing changed")
        if args.json:
            print_json(run_json(run, names, titles))
        else:
            print_text(run, names, titles, args.quotes)
    finally:
        store.close()
    if not run.clusters:
        say(f"no candidate quotes in scope {args.scope!r}")
    return 0


def run_json(run, names, titles) -> dict:
    return {
        "backend": run.backend,
        "model": run.model,
        "scope": run.scope,
        "k": run.k,
        "k_chosen": run.k_chosen,
        "quotes": run.quotes,
        "clusters": [{
            "id": c.number,
            "label": names.anon(c.label),
            "size": c.size,
            "participants": [names.label(p) for p in c.participant_ids],
            "quotes": [_quote(q, names, titles) for q in c.quotes],
        } for c in run.clusters],
        "unclustered": {"size": len(run.unclustered), "why": UNCLUSTERED_WHY,
                        "quotes": [_quote(q, names, titles) for q in run.unclustered]},
    }


UNCLUSTERED_WHY = "quotes that say little (thanks, yes/no, backchannels), or in no cluster that hangs together"


def _quote(q, names, titles) -> dict:
    return {"id": q.id, "source": titles[q.source_id], "participant": names.label(q.participant_id),
            "text": names.anon(q.text), "start": q.start, "end": q.end}


def print_text(run, names, titles, shown: int) -> None:
    how = "chosen from the data" if run.k_chosen else "as asked"
    print(f"{run.k} clusters ({how}) of {run.quotes} quotes, scope {run.scope}, backend {run.backend}")
    for c in run.clusters:
        people = names.labels(c.participant_ids[:8]) + (" …" if len(c.participant_ids) > 8 else "")
        print(f"\n{c.number:>3}. {names.anon(c.label)}  ({c.size} quotes, {len(c.participant_ids)} participants: "
              f"{people})")
        quotes = c.quotes if shown == 0 else c.quotes[:shown]
        for q in quotes:
            text = " ".join(names.anon(q.text).split())
            print(f"     “{text}” — {names.label(q.participant_id)}, {titles[q.source_id]}")
        if len(quotes) < c.size:
            print(f"     … and {c.size - len(quotes)} more")
    if run.unclustered:
        print(f"\nunclustered: {len(run.unclustered)} {UNCLUSTERED_WHY}")
