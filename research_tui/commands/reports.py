"""Outputs: `report` (the Word journey map) and `export` (CSV, Markdown, REFI-QDA, the HTML map page)."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import CliError, add_output, file_path, open_store, parse_compare, parse_segment, valence_hook, wrote


def register(sub) -> None:
    s = sub.add_parser("report", help="write the Word journey-map report")
    s.add_argument("study", type=Path)
    add_output(s, "Word file (.docx)")
    s.add_argument("--segment", metavar="ATTR=VALUE", help="only participants with this attribute value")
    s.add_argument("--compare", metavar="ATTR=A,B", help="add a side-by-side comparison of two segments")
    s.add_argument("--persona", metavar="NAME", help="only the participants of this persona (see `personas`)")
    s.add_argument("--compare-personas", metavar="A,B", help="add a side-by-side comparison of two personas")
    s.add_argument("--template", type=file_path, help="a company .docx whose styles, header and footer to use")
    s.add_argument("--anonymize", action="store_true", default=None, help="pseudonyms only (default: study setting)")
    s.add_argument("--no-model-valence", action="store_true",
                   help="quotes without an emotion code get no valence (default: the emotion model's)")
    s.set_defaults(run=cmd_report)

    s = sub.add_parser("export", help="export codings as CSV, a Markdown journey summary, REFI-QDA, or the "
                                      "journey map as one web page")
    s.add_argument("study", type=Path)
    s.add_argument("--format", choices=("csv", "markdown", "qdpx", "qdc", "html"), required=True,
                   help="csv (one row per coding), markdown (journey summary), qdpx (REFI-QDA project for NVivo, "
                        "ATLAS.ti, MAXQDA, QualCoder), qdc (the codebook alone), html (the journey map as one "
                        "offline web page: click a figure for its quotes)")
    add_output(s, "file")
    s.add_argument("--segment", metavar="ATTR=VALUE",
                   help="only participants with this attribute value (csv: their codings; qdpx: the sources "
                        "they speak in; markdown, html: their journey)")
    s.add_argument("--persona", metavar="NAME", help="html: only the participants of this persona")
    s.add_argument("--anonymize", action="store_true", default=None)
    s.add_argument("--raw", action="store_true",
                   help="csv: keep cells that start with = + - @ as they are (by default they get a leading ' so "
                        "a spreadsheet does not run them as formulas)")
    s.add_argument("--no-model-valence", action="store_true",
                   help="quotes without an emotion code get no valence (default: the emotion model's)")
    s.set_defaults(run=cmd_export)


def cmd_report(args) -> int:
    from exports.docx_report import write_report

    store = open_store(args, read_only=True)
    if args.template and not args.template.exists():
        raise CliError("template file not found", path=str(args.template))
    pair = None
    if args.compare_personas:
        pair = tuple(v.strip() for v in args.compare_personas.split(","))
        if len(pair) != 2 or not all(pair):
            raise CliError(f"--compare-personas takes A,B (two persona names or numbers), "
                           f"not {args.compare_personas!r}")
    summary = write_report(store, args.output, segment=parse_segment(args.segment), template=args.template,
                           anonymize=args.anonymize, compare=parse_compare(args.compare), force=args.force,
                           persona=args.persona, compare_personas=pair,
                           valence_of=valence_hook(args))
    store.close()
    if summary.map is not None and summary.map.note:
        print(f"note: {summary.map.note}", file=sys.stderr)
    wrote(args.output)
    return 0


def cmd_export(args) -> int:
    if args.persona and args.format != "html":
        raise CliError("--persona works with --format html (and with `report`)")
    segment = parse_segment(args.segment)
    if segment is not None and args.format == "qdc":
        raise CliError("--segment does not apply to a codebook (qdc): it holds no participants")
    store = open_store(args, read_only=True)
    if args.format == "csv":
        from exports.csv_export import write_csv

        write_csv(store, args.output, anonymize=args.anonymize, raw=args.raw, segment=segment, force=args.force)
    elif args.format == "qdpx":
        from exports.qdpx import write_qdpx

        write_qdpx(store, args.output, anonymize=args.anonymize, segment=segment, force=args.force)
    elif args.format == "qdc":
        from exports.qdpx import write_qdc

        write_qdc(store, args.output, force=args.force)
    elif args.format == "html":
        from exports.html_map import write_html

        write_html(store, args.output, segment=segment, persona=args.persona,
                   anonymize=args.anonymize, force=args.force, valence_of=valence_hook(args))
    else:
        from exports.markdown import write_markdown

        write_markdown(store, args.output, anonymize=args.anonymize, segment=segment,
                       force=args.force, valence_of=valence_hook(args))
    store.close()
    wrote(args.output)
    return 0
