"""What the CLI prints never carries escape sequences from study text to the terminal.

A source title, a participant's name, a code, an attribute or a coder's name can hold anything a
file or a command line held, including `ESC ] 0 ; … BEL` (retitles the terminal), `ESC [ 2 J` (clears
it) or OSC 52 (writes the clipboard). Rather than trusting every `print` of every command to clean
what it shows, `main` runs each command with standard output and error wrapped in `SafeStream`,
which drops escape sequences and control characters (tabs, newlines and CRLF line ends stay). Bytes
written to `sys.stdout.buffer` (a .docx on standard output) pass untouched; the studio draws through
Textual, which writes to `sys.__stderr__`, not through these streams.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from coding.textsafe import terminal_safe


class SafeStream:
    """A text stream that writes `terminal_safe(text)` to the stream it wraps."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):  # flush, buffer, fileno, isatty, encoding ...
        return getattr(self._stream, name)


@contextmanager
def safe_output() -> Iterator[None]:
    """Wrap sys.stdout and sys.stderr in SafeStream for the duration of a command."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
