"""What every command module shares: the usage error, opening the study, checked numbers, printing."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from coding.models import StudyError
from coding.study import Store


class CliError(StudyError):
    """A usage problem found by the CLI itself."""


def open_store(args, *, read_only: bool = False) -> Store:
    """The study named on the command line. `read_only` for commands that only read it: they then work
    on a read-only file or folder, and never change the file (not even to upgrade an old schema)."""
    return Store.open(args.study, coder=args.coder, read_only=read_only)


def open_to_read(args) -> Store:
    """For a command that reads the study and keeps caches in it (candidate quotes cut into sentences, the
    emotion model's readings): open for changes when the study can be written, so the caches are kept and
    the quote ids shown are the ones `--accept` takes later; a read-only study is read, never written."""
    from coding.study.studyfile import writable

    return open_store(args, read_only=not writable(args.study))


MODEL_VALENCE_HELP = "quotes without an emotion code get no valence (default: the emotion model's)"


def valence_hook(args):
    """The emotion model's valence for quotes with no emotion code (the journey's, `model_valence`), unless
    --no-model-valence: the report, personas and the workshop kit all take it from here."""
    if getattr(args, "no_model_valence", False):
        return None
    from coding.synthesis import model_valence

    return model_valence()


def anonymizer(store: Store):
    """Names -> pseudonyms in anything a command prints, when the study is anonymized."""
    from exports.anonymize import Anonymizer

    return Anonymizer.from_store(store, enabled=store.anonymize)


# -- numbers on the command line: every one checked, a bad one is a one-line usage error --------------
LARGEST = 2**63 - 1  # the largest whole number a study (SQLite) holds
_WHOLE = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def whole_number(text: str) -> int | None:
    """`text` as a whole number when it is ASCII digits alone (not `٤٤`, ` 44` or `+44`), else None."""
    return int(text) if _WHOLE.fullmatch(text) else None


def number(low: float | None = None, high: float | None = None, *, integer: bool = False, above: bool = False,
           saturate: bool = False):
    """An argparse `type` for a finite number in [low, high] (`above`: strictly more than `low`), written in
    ASCII digits. A whole number past what a study holds is refused, or with `saturate` taken as the
    largest (`history --limit 99999999999999999999999`: all)."""
    what = "a whole number" if integer else "a number"

    def parse(text: str):
        if not integer and text.strip().lstrip("+-").lower() in ("nan", "inf", "infinity"):
            raise argparse.ArgumentTypeError(f"must be a finite number, not {text!r}")
        value = whole_number(text) if integer else (float(text) if _DECIMAL.fullmatch(text) else None)
        if value is None:
            odd = text != text.strip() or text.startswith("+") or any(c.isdigit() and c not in "0123456789"
                                                                       for c in text)
            how = " written with the digits 0-9 alone" if odd else ""
            raise argparse.ArgumentTypeError(f"must be {what}{how}, not {text!r}")
        if low is not None and (value <= low if above else value < low):
            bound = f"more than {low:g}" if above else f"at least {low:g}"
            raise argparse.ArgumentTypeError(f"must be {bound}, not {text!r}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"must be at most {high:g}, not {text!r}")
        if integer and abs(value) > LARGEST:
            if not saturate:
                raise argparse.ArgumentTypeError(f"must be at most {LARGEST}, not {text!r}")
            value = LARGEST if value > 0 else -LARGEST
        return value

    return parse


def file_path(text: str) -> Path:
    """An argparse `type` for a file or folder name: an empty one is refused (`Path("")` is the current
    folder: `import STUDY ""` imported every file in it)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty name is no file or folder; give its name (. for this folder)")
    return Path(text)


def add_output(s, what: str) -> None:
    """`-o FILE` (`-` for standard output) and `--force`, for every command that writes a file."""
    s.add_argument("-o", "--output", type=file_path, required=True, metavar="FILE",
                   help=f"the {what} to write; - for standard output")
    s.add_argument("--force", action="store_true",
                   help="replace an existing file that is not a research-tui output (never a study)")


def wrote(path: Path) -> None:
    """Say what was written, unless it went to standard output (where it would mix with the data)."""
    if str(path) != "-":
        print(f"wrote {path}")


def say(line: str) -> None:
    """A message for the person at the terminal (stderr), not part of a command's output."""
    print(line, file=sys.stderr)


def print_json(obj, *, streamed: tuple[str, Iterable] | None = None) -> None:
    """`obj` as indented JSON. `streamed=(key, items)`: `obj[key]` is the list of `items`, written one by
    one as they come (a survey of a million respondents need not be held in memory); the text is the same."""
    if streamed is None:
        print(json.dumps(obj, indent=2, ensure_ascii=False))
        return
    key, items = streamed
    mark = "\x00streamed\x00"
    head, _, tail = json.dumps({**obj, key: mark}, indent=2, ensure_ascii=False).partition(json.dumps(mark))
    sys.stdout.write(head)
    first = True
    for item in items:
        body = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        sys.stdout.write(("[\n    " if first else ",\n    ") + body)
        first = False
    sys.stdout.write("[]" if first else "\n  ]")
    print(tail)


def parse_segment(text: str | None) -> tuple[str, str] | None:
    if not text:
        return None
    if "=" not in text:
        raise CliError(f"--segment takes ATTR=VALUE, not {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def parse_compare(text: str | None) -> tuple[str, str, str] | None:
    if not text:
        return None
    key, _, values = text.partition("=")
    parts = [v.strip() for v in values.split(",")]
    if not key or len(parts) != 2 or not all(parts):
        raise CliError(f"--compare takes ATTR=A,B, not {text!r}")
    return key.strip(), parts[0], parts[1]


def find_source(store, ref: str):
    """A source by title, file name or neutral id (S01 …, what an anonymized study shows)."""
    wanted = ref.strip().casefold()
    for s in store.sources():
        if wanted in (s.title.casefold(), s.filename.casefold(), s.pseudonym.casefold()):
            return s
    raise CliError(f"no source titled {ref!r}; see `research-tui info`")
