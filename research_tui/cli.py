"""`research-tui`: the command line. A thin shell over the core; every command has a TUI twin.

Every command exits 0 on success and non-zero with one line on stderr on failure; `--debug`
shows the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coding.models import StudyError

COMMANDS = ("new", "import", "info", "open", "demo", "codes", "code", "undo", "redo", "history",
            "participants", "anonymize", "report", "export")


class CliError(StudyError):
    """A usage problem found by the CLI itself."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="research-tui",
        description="Turn interview transcripts into a customer journey map. "
                    "`research-tui STUDY` opens a study in the coding studio.",
    )
    p.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    p.add_argument("--coder", help="name recorded on codings and in the action log (default: your login)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("new", help="create an empty study with a codebook template")
    s.add_argument("study", type=Path)
    s.add_argument("--template", default="journey", help="journey | inquiry | lifecycle | blank (default: journey)")
    s.add_argument("--name", help="study name shown in the TUI and report (default: file name)")

    s = sub.add_parser("import", help="import transcripts (all files in one transaction)")
    s.add_argument("study", type=Path)
    s.add_argument("files", type=Path, nargs="*", help=".txt .md .docx .vtt .srt .csv files")
    s.add_argument("--participants", type=Path, help="CSV of participant attributes, joined on name or pseudonym")
    s.add_argument("--interviewer", action="append", default=[], metavar="NAME",
                   help="treat this speaker as the interviewer (repeatable)")
    s.add_argument("--id-column", help="CSV surveys: the respondent id column")
    s.add_argument("--text-column", action="append", metavar="COL", help="CSV surveys: a free-text column (repeatable)")
    s.add_argument("--attribute-column", action="append", metavar="COL",
                   help="CSV surveys: an attribute column (repeatable)")
    s.add_argument("--keep-going", action="store_true", help="import the good files and list the bad ones")
    s.add_argument("--max-mb", type=float, default=50.0, help="refuse files larger than this (default 50)")

    s = sub.add_parser("info", help="sources, participants, utterances, words, codes, codings")
    s.add_argument("study", type=Path)
    s.add_argument("--json", action="store_true", help="print one JSON object")

    s = sub.add_parser("open", help="open a study in the coding studio (same as `research-tui STUDY`)")
    s.add_argument("study", type=Path)

    s = sub.add_parser("demo", help="create the bundled fictional MRI demo study and open it")
    s.add_argument("study", type=Path, nargs="?", default=Path("demo.rtui"))
    s.add_argument("--no-open", action="store_true", help="only create it")

    s = sub.add_parser("codes", help="list the codebook, or change it: add, rename, merge, delete")
    s.add_argument("study", type=Path)
    s.add_argument("action", nargs="?", choices=("list", "add", "rename", "merge", "delete"), default="list")
    s.add_argument("names", nargs="*", help="add NAME | rename OLD NEW | merge FROM INTO | delete NAME")
    s.add_argument("--kind", help="kind for add (stage, need, emotion, touchpoint, pain_point, opportunity, theme)")
    s.add_argument("--valence", type=float, help="emotion valence from -2 to 2 for add")
    s.add_argument("--description", default="", help="definition for add")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("code", help="code a quote: the exact words of a source with one or more codes")
    s.add_argument("study", type=Path)
    s.add_argument("source", help="source title")
    s.add_argument("quote", help="the exact words to code (must occur once in the source, or give --occurrence)")
    s.add_argument("codes", nargs="+", help="code names (kind:name when a name is ambiguous)")
    s.add_argument("--occurrence", type=int, default=0,
                   help="which occurrence when the words occur more than once (1-based)")
    s.add_argument("--memo", default="")

    for name, text in (("undo", "undo the last change to codes or codings"), ("redo", "redo the last undone change")):
        s = sub.add_parser(name, help=text)
        s.add_argument("study", type=Path)

    s = sub.add_parser("history", help="the action log: who changed what, when")
    s.add_argument("study", type=Path)
    s.add_argument("--limit", type=int, default=30)

    s = sub.add_parser("participants", help="list participants, or rename, merge, set a role or an attribute")
    s.add_argument("study", type=Path)
    s.add_argument("action", nargs="?", choices=("list", "rename", "merge", "role", "set"), default="list")
    s.add_argument("args", nargs="*", help="rename WHO NEW | merge WHO INTO | role WHO ROLE | set WHO ATTR=VALUE "
                                           "(WHO: name or pseudonym)")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("anonymize", help="show pseudonyms instead of names everywhere (on|off)")
    s.add_argument("study", type=Path)
    s.add_argument("state", choices=("on", "off"))

    s = sub.add_parser("report", help="write the Word journey-map report")
    s.add_argument("study", type=Path)
    s.add_argument("-o", "--output", type=Path, required=True)
    s.add_argument("--segment", metavar="ATTR=VALUE", help="only participants with this attribute value")
    s.add_argument("--compare", metavar="ATTR=A,B", help="add a side-by-side comparison of two segments")
    s.add_argument("--template", type=Path, help="a company .docx whose styles, header and footer to use")
    s.add_argument("--anonymize", action="store_true", default=None, help="pseudonyms only (default: study setting)")

    s = sub.add_parser("export", help="export codings as CSV or a Markdown journey summary")
    s.add_argument("study", type=Path)
    s.add_argument("--format", choices=("csv", "markdown"), required=True)
    s.add_argument("-o", "--output", type=Path, required=True)
    s.add_argument("--segment", metavar="ATTR=VALUE")
    s.add_argument("--anonymize", action="store_true", default=None)
    return p


def _expand_shorthand(argv: list[str]) -> list[str]:
    """`research-tui STUDY` is short for `research-tui open STUDY`."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--coder":
            i += 2
        elif arg.startswith("-"):
            i += 1
        else:
            if arg not in COMMANDS:
                argv.insert(i, "open")
            break
    return argv


def main(argv: list[str] | None = None) -> int:
    argv = _expand_shorthand(list(sys.argv[1:] if argv is None else argv))
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    from . import commands

    try:
        return getattr(commands, "cmd_" + args.command)(args) or 0
    except StudyError as exc:
        if args.debug:
            raise
        print(f"research-tui: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("research-tui: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line unless --debug
        if args.debug:
            raise
        print(f"research-tui: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return 2


def print_json(obj) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    raise SystemExit(main())
