"""The CLI's commands, one module per area. Each module's `register(sub)` adds its subcommands to the
parser and binds each to its function with `set_defaults(run=...)`; `cli.main` calls `args.run(args)`.

A new area (NLP, personas, exchange ...) is a new module listed in `MODULES`.
"""

from __future__ import annotations

from . import (
    answers,
    backups,
    clusters,
    codebook,
    exchange,
    importing,
    media,
    nlp_assist,
    people,
    personas,
    quotes,
    reports,
    search,
    sources,
    study,
    turns,
    workshop,
)

MODULES = (study, importing, sources, codebook, people, turns, search, personas, reports, workshop, exchange,
           clusters, answers, backups, nlp_assist, quotes, media)


def register_all(sub) -> None:
    for module in MODULES:
        module.register(sub)
