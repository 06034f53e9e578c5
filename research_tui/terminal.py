"""What the CLI prints and the studio draws never carries escape sequences from study text to the terminal.

A source title, a participant's name, a code, an attribute or a coder's name can hold anything a
file or a command line held, including `ESC ] 0 ; … BEL` (retitles the terminal), `ESC [ 2 J` (clears
it) or OSC 52 (writes the clipboard). Rather than trusting every `print` of every command to clean
what it shows, `main` runs each command with standard output and error wrapped in `SafeStream`,
which drops escape sequences and control characters (tabs, newlines and CRLF line ends stay). Bytes
written to `sys.stdout.buffer` (a .docx on standard output) pass untouched.

The studio draws through Textual, which writes to `sys.__stderr__` and passes text on as it is (its
`Content` drops only BEL, BS, VT, FF and CR; lines built from segments, like the home tables, nothing):
a source named `ESC ] 0 ; pwned BEL ESC [ 2 J …` retitled the terminal and cleared the screen.
`disarm_textual()` makes `Strip.render`, where every drawn line becomes terminal output, drop control
characters from the text of its segments. They take no cells, so nothing moves; the styles' own
escape codes are added after, untouched.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from coding.guards.text import BIDI, terminal_safe


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


_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}]")  # also the bidi overrides that turn a line around


def disarm_textual() -> None:
    """Patch `textual.strip.Strip.render` (once) so no control character of drawn text reaches the terminal."""
    from rich.segment import Segment
    from textual.strip import Strip

    if getattr(Strip.render, "disarmed", False):
        return
    render_strip = Strip.render

    def render(self: Strip, console) -> str:
        if self._render_cache is None and any(_CONTROL.search(text) for text, _, _ in self._segments):
            clean = Strip([Segment(_CONTROL.sub("", text), style, control) for text, style, control in self._segments],
                          self.cell_length)
            self._render_cache = render_strip(clean, console)
        return render_strip(self, console)

    render.disarmed = True  # type: ignore[attr-defined]
    Strip.render = render  # type: ignore[method-assign]
