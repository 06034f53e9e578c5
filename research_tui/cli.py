"""`research-tui`: the command line. A thin shell over the core; every command has a TUI twin.

Every command exits 0 on success and non-zero with one line on stderr on failure (a usage error:
exit 2); `--debug` shows the traceback instead. Options and files come in any order, also `--debug`
and `--coder` after the command. Output cut short by a closed pipe (`| head`) ends quietly.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys

from coding.models import StudyError
from coding.study.studyfile import explain

from .commands import register_all
from .commands.common import CliError, print_json  # noqa: F401  (re-exported: the CLI's own error and JSON)
from .terminal import safe_output


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors, and options and positionals in any order for each command
    (`import STUDY --keep-going FILE...`)."""

    _intermixing = False

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")

    def parse_known_args(self, args=None, namespace=None):
        if self._subparsers is None and not self._intermixing:  # a command's own parser
            self._intermixing = True
            try:
                return self.parse_known_intermixed_args(args, namespace)
            finally:
                self._intermixing = False
        return super().parse_known_args(args, namespace)


def _global_options(p: argparse.ArgumentParser, default=None) -> None:
    p.add_argument("--debug", action="store_true", default=default, help="show full tracebacks on errors")
    p.add_argument("--coder", default=default,
                   help="name recorded on codings and in the action log (default: your login)")


def _parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="research-tui",
        description="Turn interview transcripts into a customer journey map. "
                    "`research-tui STUDY` opens a study in the coding studio.",
    )
    _global_options(p)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    register_all(sub)
    for command in sub.choices.values():  # `--debug` and `--coder` also after the command
        _global_options(command, default=argparse.SUPPRESS)
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
        code = _main(argv)
        try:
            sys.stdout.flush()  # here, not at exit, where a closed pipe would print a traceback
        except BrokenPipeError:
            _silence_stdout()
            return 141
        return code


def _main(argv: list[str] | None) -> int:
    argv = _expand_shorthand(list(sys.argv[1:] if argv is None else argv))
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # a usage error (one line, printed) or --help
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        _parser().print_help()
        return 0
    try:
        return args.run(args) or 0
    except BrokenPipeError:  # `research-tui ... | head`: the reader has gone, end quietly as Unix tools do
        _silence_stdout()   # (141 = killed by SIGPIPE, what a shell reports for such a tool)
        return 141
    except sqlite3.Error as exc:  # not met by the Store (a read that failed): still one plain line
        if args.debug:
            raise
        print(f"research-tui: error: {_one_line(explain(exc, getattr(args, 'study', '')))}", file=sys.stderr)
        return 1
    except StudyError as exc:
        if args.debug:
            raise
        if _LOOKUP_BY_ID.match(exc.detail):  # a row that points at one that is not there: damage?
            exc = _damaged(args) or exc
        print(f"research-tui: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("research-tui: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a damaged study, or a bug: still one line unless --debug
        if args.debug:
            raise
        damage = _damaged(args)
        if damage is not None:
            print(f"research-tui: error: {_one_line(damage)}", file=sys.stderr)
            return 1
        print(f"research-tui: unexpected error: {type(exc).__name__}: {_one_line(exc)[:200]} "
              "(run with --debug for details)", file=sys.stderr)
        return 2


_LOOKUP_BY_ID = re.compile(r"no [a-z ]+ with id -?[0-9]+$")


def _damaged(args) -> StudyError | None:
    """The damaged-study line when the study named on the command line is damaged (checked only after an
    error: an unexpected one, or a lookup of a row that is not there), else None."""
    study = getattr(args, "study", None)
    if not study or not os.path.isfile(study):
        return None
    from coding.study.damage import damage
    from coding.study.studyfile import damaged

    what = damage(study)
    return damaged(study, what) if what else None


def _one_line(exc: BaseException) -> str:
    """A message on one line, whatever it holds (a message never spans lines; study text might)."""
    return " ".join(str(exc).splitlines())


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that flushing it at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (tests capture it)
        pass


if __name__ == "__main__":
    raise SystemExit(main())
