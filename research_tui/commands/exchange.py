"""Rigor across coders and groups: `merge` a colleague's codings (their copy of the study or a .qdpx),
`agreement` between coders and reconciling their disagreements, `matrix` of codes by attributes or codes."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from coding.codebook import list_codes

from .common import CliError, file_path, number, open_store, open_to_read, print_json, wrote


def register(sub) -> None:
    s = sub.add_parser("merge", help="bring another coder's codings of the same sources into this study (undoable)")
    s.add_argument("study", type=Path)
    s.add_argument("other", type=file_path, help="the colleague's study (.rtui) or a REFI-QDA project (.qdpx)")
    s.set_defaults(run=cmd_merge)

    s = sub.add_parser("agreement", help="agreement between coders (percent, Cohen's kappa, Krippendorff's alpha)")
    s.add_argument("study", type=Path)
    s.add_argument("--coders", metavar="A,B", help="the coders to compare (default: the two with most codings)")
    s.add_argument("--disagreements", action="store_true", help="list every disputed candidate quote")
    s.add_argument("--resolve", type=number(1, integer=True), metavar="UNIT",
                   help="settle the disputed quote with this id ...")
    s.add_argument("--keep", metavar="CODER|all", help="... by keeping this coder's codes, or everyone's (all)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(run=cmd_agreement)

    s = sub.add_parser("matrix", help="codes x attribute or code x code matrix of quote or participant counts")
    s.add_argument("study", type=Path)
    s.add_argument("--rows", required=True, metavar="SPEC", help="kind:KIND, codes, or attr:KEY")
    s.add_argument("--cols", required=True, metavar="SPEC", help="kind:KIND, codes, or attr:KEY")
    s.add_argument("--count", choices=("quotes", "participants"), default="quotes")
    s.add_argument("-o", "--output", type=file_path,
                   help="write CSV here, - for standard output (default: print a table)")
    s.add_argument("--force", action="store_true",
                   help="replace an existing file that is not a research-tui output (never a study)")
    s.add_argument("--anonymize", action="store_true", default=None, help="pseudonyms only (default: study setting)")
    s.set_defaults(run=cmd_matrix)


def read_other(path: Path):
    """The other study as a QdaProject, without writing to it (a study is read from a temporary copy)."""
    from coding.exchange.snapshot import project_from_store
    from coding.study import Store
    from importers import MAX_BYTES
    from importers.qdpx import read_project_file

    if not path.exists():
        raise CliError("no such file", path=str(path))
    if path.suffix.lower() in (".qdpx", ".qdc"):
        return read_project_file(path, max_bytes=4 * MAX_BYTES)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        snapshot_copy(path, copy)
        other = Store.open(copy)
        try:
            return project_from_store(other, origin="research-tui study")
        finally:
            other.close()


def snapshot_copy(path: Path, dest: Path) -> None:
    """A consistent copy of a study, its write-ahead log included, without writing to it (SQLite backup)."""
    try:
        src = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        try:
            with sqlite3.connect(dest) as out:
                src.backup(out)
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise CliError(f"cannot read this study ({exc})", path=str(path)) from exc


def cmd_merge(args) -> int:
    from coding.exchange.apply import import_project

    if args.other.resolve() == args.study.resolve():
        raise CliError("cannot merge a study into itself")
    store = open_store(args)
    project = read_other(args.other)
    report = import_project(store, project, merge=True, filename=args.other.name)
    store.close()
    for line in report.lines():
        print(line)
    print(f"merged {args.other.name}: one change, `research-tui undo {args.study}` takes it back")
    return 0


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 100:.0f}%"


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}".replace("-0.00", "0.00")


def cmd_agreement(args) -> int:
    from coding.agreement import compute, resolve
    from exports.anonymize import Anonymizer

    chosen = [c.strip() for c in args.coders.split(",") if c.strip()] if args.coders else None
    if (args.resolve is None) != (args.keep is None):
        raise CliError("--resolve UNIT and --keep CODER|all go together")
    store = open_to_read(args)  # a read-only study: agreement is read, only --resolve needs to write
    result = compute(store, chosen)
    if args.resolve is not None:
        d = next((d for d in result.disagreements if d.unit.id == args.resolve), None)
        if d is None:
            raise CliError(f"no disputed quote with id {args.resolve}; `--disagreements` lists them")
        changed = resolve(store, d, None if args.keep == "all" else args.keep)
        store.close()
        print(f"resolved quote {args.resolve}: {changed} coding{'s' if changed != 1 else ''} changed "
              f"(`research-tui undo {args.study}` takes it back)")
        return 0
    anon = Anonymizer.from_store(store, enabled=store.anonymize)
    names = {c.id: c.name for c in list_codes(store)}
    store.close()
    disagreements = [{"unit": d.unit.id, "source": anon.anon(d.source_title), "start": d.unit.start,
                      "end": d.unit.end, "text": anon.anon(d.unit.text),
                      "codes": {coder: [names[c] for c in codes] for coder, codes in d.codes.items()}}
                     for d in result.disagreements]
    if args.json:
        o = result.overall
        print_json({
            "coders": result.coders, "sources": [anon.anon(t) for t in result.sources], "units": result.units,
            "overall": {"percent": o.percent, "kappa": o.kappa, "alpha": o.alpha} if o else None,
            "mean": {"kappa": result.mean_kappa, "alpha": result.mean_alpha},
            "codes": [{"code": c.name, "kind": c.kind, "units": c.scores.units, "applied": c.scores.applied,
                       "percent": c.scores.percent, "kappa": c.scores.kappa, "alpha": c.scores.alpha}
                      for c in result.codes],
            "disagreements": disagreements,
        })
        return 0
    a = result.coders
    units = result.units
    print(f"agreement between {', '.join(a)} on {len(result.sources)} sources coded by all of them "
          f"({', '.join(anon.anon(t) for t in result.sources)}): {units} candidate quotes")
    width = max([len(c.name) for c in result.codes] + [10])
    cw = [max(len(c), 5) for c in a]
    print(f"{'code':<{width}}  {'kind':<11} " + " ".join(f"{c:>{w}}" for c, w in zip(a, cw))
          + f" {'agree':>6} {'kappa':>6} {'alpha':>6}")
    for c in result.codes:
        s = c.scores
        print(f"{c.name:<{width}}  {c.kind:<11} " + " ".join(f"{s.applied[x]:>{w}}" for x, w in zip(a, cw))
              + f" {_pct(s.percent):>6} {_num(s.kappa):>6} {_num(s.alpha):>6}")
    if result.overall:
        o = result.overall
        print(f"{'all codes (pooled)':<{width + 13 + sum(w + 1 for w in cw)}} {_pct(o.percent):>6} {_num(o.kappa):>6} "
              f"{_num(o.alpha):>6}")
        print(f"{'mean over codes':<{width + 13 + sum(w + 1 for w in cw)}} {'':>6} {_num(result.mean_kappa):>6} "
              f"{_num(result.mean_alpha):>6}")
    print(f"{len(disagreements)} disputed quote{'s' if len(disagreements) != 1 else ''}"
          + ("" if args.disagreements or not disagreements else
             f" (`research-tui agreement {args.study} --disagreements` lists them)"))
    if args.disagreements:
        for d in disagreements:
            sides = "; ".join(f"{coder}: {', '.join(codes) or '-'}" for coder, codes in d["codes"].items())
            print(f"  [{d['unit']}] {d['source']} {d['start']}..{d['end']} \"{d['text'][:70]}\"  {sides}")
    return 0


def cmd_matrix(args) -> int:
    from coding.matrix import compute, to_rows

    store = open_store(args, read_only=True)
    if args.output is not None:
        from exports.matrix_csv import write_matrix

        write_matrix(store, args.output, rows=args.rows, cols=args.cols, count=args.count, anonymize=args.anonymize,
                     force=args.force)
        store.close()
        wrote(args.output)
        return 0
    from exports.anonymize import Anonymizer

    anonymize = store.anonymize if args.anonymize is None else True
    anon = Anonymizer.from_store(store, enabled=anonymize)
    table = to_rows(compute(store, args.rows, args.cols, count=args.count), label=anon.anon)
    store.close()
    widths = [max(len(row[j]) for row in table) for j in range(len(table[0]))]
    for row in table:
        print("  ".join(cell.ljust(w) if j == 0 else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))))
    return 0
