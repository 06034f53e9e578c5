"""What every command module shares: the usage error, opening the study, printing."""

from __future__ import annotations

import json
import sys

from coding.models import StudyError
from coding.store import Store


class CliError(StudyError):
    """A usage problem found by the CLI itself."""


def open_store(args) -> Store:
    return Store.open(args.study, coder=args.coder)


def say(line: str) -> None:
    """A message for the person at the terminal (stderr), not part of a command's output."""
    print(line, file=sys.stderr)


def print_json(obj) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False))


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
