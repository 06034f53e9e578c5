"""What every studio screen shares: the study, reloading, and turning core errors into notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from coding.models import StudyError
from coding.queries import study_version
from coding.store import Store

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
    """Forward worker failures to the app, the one place that reports them."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.app.report_worker_error(event.worker)


class StudioScreen(WorkerErrors, Screen):
    """A main screen of the studio. It re-reads the study when shown (if it changed) and after undo."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self._seen: tuple | None = None

    def reload(self) -> None:
        """Re-read what this screen shows from the study."""
        self._seen = study_version(self.store)
        self.load_study()

    def load_study(self) -> None:
        """Subclasses read the study here."""

    @property
    def wants_reload(self) -> bool:
        return self._seen is None

    def on_screen_resume(self) -> None:
        if self.wants_reload or self._seen != study_version(self.store):
            self.reload()


class StudioModal(WorkerErrors, ModalScreen[R], Generic[R]):
    """A dialog over a studio screen."""

    _finished = False

    def finish(self, result: R) -> None:
        """Close with `result`, once: a second enter typed ahead must not close the screen below."""
        if not self._finished:
            self._finished = True
            self.dismiss(result)
