"""`research-tui`: the command line. A thin shell over the core; every command has a TUI twin.

Every command exits 0 on success and non-zero with one line on stderr on failure; `--debug`
shows the traceback instead.
"""

from __future__ import annotations

import argparse
import os
import sys

from coding.models import StudyError

from .commands import register_all
from .commands.common import CliError, print_json  # noqa: F401  (re-exported: the CLI's own error and JSON)
from .terminal import safe_output


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="research-tui",
        description="Turn interview transcripts into a customer journey map. "
                    "`research-tui STUDY` opens a study in the coding studio.",
    )
    p.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    p.add_argument("--coder", help="name recorded on codings and in the action log (default: your login)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    register_all(sub)
    return p


def _command_names() -> tuple[str, ...]:
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return tuple(sub.choices)


COMMANDS = _command_names()


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
    with safe_output():  # no escape sequence from study text reaches the terminal
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    argv = _expand_shorthand(list(sys.argv[1:] if argv is None else argv))
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    try:
        return args.run(args) or 0
    except StudyError as exc:
        if args.debug:
            raise
        print(f"research-tui: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("research-tui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `| head` stopped reading: end quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: still one line unless --debug
        if args.debug:
            raise
        print(f"research-tui: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
