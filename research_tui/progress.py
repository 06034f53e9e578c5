"""Progress of a long command on standard error, for the person at the terminal.

    with Progress() as progress:
        read_all(paths, progress=progress.step("reading files"))
        import_transcripts(store, transcripts, progress=progress.step("storing sources"))

One line, `research-tui: storing sources 41,000 of 1,000,000 (12 s)`, redrawn in place by a thread every
fifth of a second, so a single big file that takes a minute to read shows its time going up too. Only
once the command has run for a second (a small import shows nothing), only when standard error is a
terminal (a script's log gets nothing), and wiped when the block ends. The line holds counts and fixed
words, never study text, so it is written to the terminal itself, past the stream that drops control
characters from what commands print (the carriage return that redraws it is one).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable


class Progress:
    DELAY = 1.0   # seconds before the first line: a quick command prints nothing
    EVERY = 0.2   # seconds between redraws
    ALWAYS = False  # shown also when standard error is not a terminal (tests)

    def __init__(self, stream=None, *, force: bool = False):
        self.stream = stream if stream is not None else getattr(sys.stderr, "_stream", sys.stderr)
        try:
            self.enabled = force or self.ALWAYS or self.stream.isatty()
        except (AttributeError, ValueError):
            self.enabled = False
        self.what, self.done, self.total = "", 0, 0
        self.started = time.monotonic()
        self._shown = 0  # length of the line on screen
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # the caller (a step begins) and the thread both draw

    def step(self, what: str) -> Callable[..., None]:
        """A progress callback, `(done, total, *anything)`, that shows `what`; shown at once as begun (once
        the command has run `DELAY`), so a short step is seen even when the drawing thread does not get to run."""
        self.set(what)
        if self._thread is not None and time.monotonic() - self.started >= self.DELAY:
            self._draw(self.line())
        return lambda done, total, *_: self.set(what, done, total)

    def set(self, what: str, done: int = 0, total: int = 0) -> None:
        self.what, self.done, self.total = what, done, total

    def line(self) -> str:
        counts = f" {self.done:,} of {self.total:,}" if self.total else ""
        return f"research-tui: {self.what}{counts} ({time.monotonic() - self.started:.0f} s)"

    def _run(self) -> None:
        if self._stop.wait(self.DELAY):
            return
        while True:
            self._draw(self.line())
            if self._stop.wait(self.EVERY):
                return

    def _draw(self, text: str) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            try:
                self.stream.write("\r" + text.ljust(self._shown))
                self.stream.flush()
            except (OSError, ValueError):
                return
            self._shown = len(text)

    def __enter__(self) -> Progress:
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._shown:  # wipe the line: what the command prints next starts at the left
            try:
                self.stream.write("\r" + " " * self._shown + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass
