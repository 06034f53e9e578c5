"""What every studio screen shares: the study, reloading, and turning core errors into notifications."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Generic, TypeVar

from textual import events
from textual.screen import ModalScreen, Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from coding.models import StudyError
from coding.queries import study_version
from coding.study import Store
from coding.study.studyfile import explain

T = TypeVar("T")
R = TypeVar("R")


def succeeds(node, fn: Callable[..., object], *args, **kwargs) -> bool:
    """Like `attempt`, for Store methods that return nothing: True when it worked."""
    try:
        fn(*args, **kwargs)
    except StudyError as exc:
        node.notify(str(exc), severity="error", title="Not done")
        return False
    return True


def attempt(node, fn: Callable[..., T], *args, **kwargs) -> T | None:
    """Call a Store method; a StudyError becomes an error notification and None (nothing half-applied:
    every Store command is one transaction)."""
    try:
        return fn(*args, **kwargs)
    except StudyError as exc:
        node.notify(str(exc), severity="error", title="Not done")
        return None


class WorkerErrors:
    """Forward worker failures to the app, the one place that reports them; the screen then shows that
    the work did not finish (`worker_failed`) instead of waiting for it for ever."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.app.report_worker_error(event.worker)
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """A worker of this screen failed (already reported): undo what showed it was running."""


class StudioScreen(WorkerErrors, Screen):
    """A main screen of the studio. It re-reads the study when shown (if it changed) and after undo."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self._seen: tuple | None = None

    RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)  # how soon a screen whose reading failed tries again
    _failed_reads = 0

    def reload(self) -> None:
        """Re-read what this screen shows from the study. A read that fails (another program changing the
        study right then, a disk that went away) is a notification, and the screen tries again shortly:
        never the end of the session. Nothing is lost: the study changes only in transactions."""
        try:
            self._seen = study_version(self.store)
            self.load_study()
        except (StudyError, sqlite3.Error) as exc:
            self._seen = None
            delay = self.RETRY_SECONDS[min(self._failed_reads, len(self.RETRY_SECONDS) - 1)]
            if not self._failed_reads:  # once, not every second while it lasts
                self.notify(f"Could not read the study ({explain(exc, self.store.path)}); trying again",
                            severity="warning", timeout=6)
            self._failed_reads += 1
            self.set_timer(delay, self._read_again)
        else:
            self._failed_reads = 0

    def _read_again(self) -> None:
        if self.wants_reload and self.is_current:
            self.reload()

    def worker_failed(self, worker: Worker) -> None:
        self.mark_stale()  # what it was reading may be stale: read again when shown next

    def load_study(self) -> None:
        """Subclasses read the study here."""

    @property
    def wants_reload(self) -> bool:
        return self._seen is None

    def on_screen_resume(self) -> None:
        try:
            if self.store.changed_elsewhere():
                self._seen = None  # the version may look the same from here (caches were stale)
            stale = self.wants_reload or self._seen != study_version(self.store)
        except (StudyError, sqlite3.Error):
            stale = True  # `reload` says what failed and tries again
        if stale:
            self.reload()

    TYPE_INTO: str | None = None  # the text field that keys typed before any focus go into

    def typing_field(self) -> Input | None:
        """The field keys typed too early belong to (the screen's search box), if it has one."""
        if self.TYPE_INTO is None or not self.is_mounted:
            return None
        found = self.query(self.TYPE_INTO)
        return found.first(Input) if found else None

    def mark_stale(self) -> None:
        """The study changed under this screen: re-read it when it is shown next."""
        self._seen = None


class StudioModal(WorkerErrors, ModalScreen[R], Generic[R]):
    """A dialog over a studio screen.

    Typing ahead: a researcher who presses `c`, types "frustr" and enter in one burst is faster than
    the dialog. Keys that reach the app before the dialog's text field exists (or that were already
    on their way to the screen below) would be lost, and enter would act on an empty field. A dialog
    with a `TYPE_AHEAD` field collects them, in order, through `type_ahead` (called by the app for
    every key no binding took) and replays them once the field is there; an early enter waits for it.
    """

    TYPE_AHEAD: str | None = None  # selector of the Input that early keys go to
    _finished = False
    _ready = False
    _early_text = ""
    _early_key: str | None = None  # "enter" or "escape" pressed before the field existed

    def finish(self, result: R) -> None:
        """Close with `result`, once: a second enter typed ahead must not close the screen below."""
        if not self._finished:
            self._finished = True
            self.dismiss(result)

    def type_ahead(self, event: events.Key) -> bool:
        """Take a key that no binding and no focused widget took; True when it was used."""
        if self.TYPE_AHEAD is None or self._finished or self._early_key:
            return False
        char = event.character if event.is_printable else None
        if self._ready:
            if char is None:
                return False  # enter, escape, arrows: the bindings of the dialog handle them
            self.query_one(self.TYPE_AHEAD, Input).insert_text_at_cursor(char)
            return True
        if char is not None:
            self._early_text += char
        elif event.key == "backspace":
            self._early_text = self._early_text[:-1]
        elif event.key in ("enter", "escape"):
            self._early_key = event.key
        else:
            return False
        return True

    def type_ahead_ready(self) -> None:
        """Call once the field is mounted: what was typed early goes in, an early enter runs now."""
        field = self.query_one(self.TYPE_AHEAD, Input)
        if self._early_text:
            field.insert_text_at_cursor(self._early_text)
            self._early_text = ""
        self._ready = True
        key, self._early_key = self._early_key, None
        if key == "enter":
            self.submit_typed()
        elif key == "escape":
            self.finish(None)

    def submit_typed(self) -> None:
        """What enter in the `TYPE_AHEAD` field does."""
