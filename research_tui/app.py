"""The coding studio: a Textual app over one open `Store`.

`make_app(store, settings)` builds it and `run_tui(store)` runs it; the CLI calls these. The app owns
the screens (one mode each), the app-wide keys (screens, undo/redo, theme, help), the command palette
and the one place that reports worker failures.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from functools import partial

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from coding.models import StudyError
from coding.study import Store, default_coder
from coding.study.studyfile import explain

from .keymap import all_bindings, binding_specs
from .messages import OpenSource, ShowAnswers, ShowParticipantQuotes, ShowQuotes
from .palette import BindingCommands, SourceCommands
from .screens.base import StudioModal, attempt
from .settings import Settings
from .terminal import disarm_textual

MODES = ("home", "reader", "codebook", "quotes", "search")
# actions that leave the current screen: not while a dialog is open
_NAVIGATION = {"go", "journey", "answers", "export", "help", "undo", "redo", "agreement", "matrix",
               "clusters", "personas"}


class StudioApp(App):
    """research-tui's coding studio."""

    TITLE = "research-tui"
    DEFAULT_MODE = "home"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Notifications carry names, titles and quotes from the study: never read them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    BINDINGS = [
        Binding("H", "go('home')", "Home", id="app.home"),
        Binding("R", "go('reader')", "Reader", id="app.reader"),
        Binding("C", "go('codebook')", "Codebook", id="app.codebook"),
        Binding("Q", "go('quotes')", "Quotes", id="app.quotes"),
        Binding("S", "go('search')", "Search all text", id="app.search", show=False),
        Binding("J", "journey", "Journey", id="app.journey", show=False),
        Binding("B", "answers", "Answers by question", id="app.answers", show=False),
        Binding("E", "export", "Export", id="app.export", show=False),
        Binding("A", "agreement", "Agreement", id="app.agreement", show=False),
        Binding("X", "matrix", "Matrix", id="app.matrix", show=False),
        Binding("P", "personas", "Personas", id="app.personas", show=False),
        Binding("K", "clusters", "Clusters", id="app.clusters", show=False),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", show=False),
        Binding("ctrl+y", "redo", "Redo", id="app.redo", show=False),
        Binding("ctrl+t", "toggle_theme", "Light/dark theme", id="app.theme", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False, priority=True),
    ]

    def __init__(self, store: Store, settings: Settings) -> None:
        super().__init__()
        disarm_textual()  # names and titles from files are drawn, never obeyed as escape sequences
        self.store = store
        self.settings = settings
        self._screens: dict[str, Screen] = {}
        for mode in MODES:
            self.add_mode(mode, partial(self.main_screen, mode))
        if settings.coder and store.coder == default_coder():
            store.coder = settings.coder
        self.sub_title = store.name

    # -- screens ---------------------------------------------------------------------------------
    def main_screen(self, mode: str) -> Screen:
        """The one screen of each mode, created when first shown."""
        if mode not in self._screens:
            from .screens.codebook import CodebookScreen
            from .screens.home import HomeScreen
            from .screens.journey import JourneyScreen
            from .screens.quotes import QuotesScreen
            from .screens.reader import ReaderScreen
            from .screens.search import SearchScreen

            factories = {
                "journey": lambda: JourneyScreen(self.store),
                "home": lambda: HomeScreen(self.store),
                "reader": lambda: ReaderScreen(self.store, self.settings),
                "codebook": lambda: CodebookScreen(self.store),
                "quotes": lambda: QuotesScreen(self.store),
                "search": lambda: SearchScreen(self.store),
            }
            self._screens[mode] = factories[mode]()
        return self._screens[mode]

    OUTSIDE_CHECK_SECONDS = 1.0  # how often the studio looks for changes made by another program
    _check_failed = False

    def on_mount(self) -> None:
        self.set_interval(self.OUTSIDE_CHECK_SECONDS, self.check_outside_changes)
        self.theme = self.settings.textual_theme if self.settings.textual_theme in self.available_themes \
            else "textual-dark"
        if self.settings.textual_theme not in self.available_themes:
            self.notify(f"Unknown theme {self.settings.theme!r} in the settings; using dark", severity="warning")
        known = {b[3] for b in binding_specs()}
        unknown = sorted(set(self.settings.keys) - known)
        for warning in self.settings.warnings + [f"settings: unknown binding id {k!r} in [keys]" for k in unknown]:
            self.notify(warning, severity="warning", timeout=8)
        if self.settings.keys:
            self.set_keymap({k: v for k, v in self.settings.keys.items() if k in known})
        if self.store.read_only:
            self.notify(f"{self.store.path.name} is read-only: you can read and export it, not change it",
                        severity="warning", timeout=8)
        if self.WARM_UP_AFTER is not None:
            self.set_timer(self.WARM_UP_AFTER, self._warm_up)

    # Loading scikit-learn and spaCy ahead of use, in a worker, held the interpreter long enough to stall keys
    # for up to 2 s on a busy machine. Nothing on screen needs them any more until the researcher asks for
    # clusters, suggestions or personas, which load them in their own workers with a progress bar; a number
    # of seconds here turns the early loading back on.
    WARM_UP_AFTER: float | None = None

    def _warm_up(self) -> None:
        from coding.nlp import warm_up

        self.run_worker(warm_up, thread=True, group="warm-up", exit_on_error=False)

    async def _on_key(self, event: events.Key) -> None:
        """Keys typed ahead go where the researcher was typing, not into the void or a binding.

        Every key that no widget took comes here (before `App._on_key` checks the bindings; preventing
        the default stops that). A dialog collects them (`StudioModal.type_ahead`). On a screen, a
        printable key that reaches the app while a text field has focus (or is about to: the screen's
        `TYPE_INTO`) was typed before the field got focus, e.g. the rest of a word typed right after
        `/`: it goes into the field. Nothing else changes: a field that has focus takes its own keys."""
        screen = self.screen
        if isinstance(screen, StudioModal):
            if screen.type_ahead(event):
                event.prevent_default()
            return
        from textual.widgets import Input

        from .screens.base import StudioScreen

        focused = self.focused
        field = focused if isinstance(focused, Input) else None
        if field is None and focused is None and isinstance(screen, StudioScreen):
            field = screen.typing_field()
        if field is None:
            return
        if event.is_printable and event.character:
            field.insert_text_at_cursor(event.character)
        elif field is not focused and event.key == "enter":
            await field.action_submit()
        elif field is not focused and event.key == "backspace":
            field.action_delete_left()
        else:
            return
        event.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No leaving the screen under an open dialog. The command palette is no such dialog: it closes
        before its command runs (treating it as one made the palette say "No matches" for Quotes)."""
        screen = self.screen
        return not (action in _NAVIGATION and isinstance(screen, ModalScreen)
                    and not isinstance(screen, CommandPalette))

    async def action_go(self, mode: str) -> None:
        await self.switch_mode(mode)

    async def on_open_source(self, message: OpenSource) -> None:
        span = (message.start, message.end) if message.start is not None and message.end is not None else None
        self.main_screen("reader").show(message.source_id, span, find=message.find)
        await self.switch_mode("reader")

    async def on_show_quotes(self, message: ShowQuotes) -> None:
        self.main_screen("quotes").show_code(message.code_id)
        await self.switch_mode("quotes")

    async def action_answers(self, question_id: int | None = None) -> None:
        """The survey answers screen: every answer to one question (the first, or `question_id`)."""
        from .screens.answers import AnswersScreen

        if "answers" not in self._modes:
            self._screens["answers"] = AnswersScreen(self.store)
            self.add_mode("answers", lambda: self._screens["answers"])
        if question_id is not None:
            self._screens["answers"].show(question_id)
        await self.switch_mode("answers")

    async def on_show_answers(self, message: ShowAnswers) -> None:
        await self.action_answers(message.question_id)

    async def on_show_participant_quotes(self, message: ShowParticipantQuotes) -> None:
        self.main_screen("quotes").show_participant(message.participant_id)
        await self.switch_mode("quotes")

    async def action_personas(self) -> None:
        from .screens.personas import PersonasScreen

        if "personas" not in self._modes:
            self.add_mode("personas", lambda: PersonasScreen(self.store))
        await self.switch_mode("personas")

    async def action_journey(self) -> None:
        if "journey" not in self._modes:
            self.add_mode("journey", partial(self.main_screen, "journey"))
        await self.switch_mode("journey")

    async def action_agreement(self) -> None:
        from .screens.agreement import AgreementScreen

        if "agreement" not in self._modes:
            self.add_mode("agreement", lambda: AgreementScreen(self.store))
        await self.switch_mode("agreement")

    async def action_matrix(self) -> None:
        from .screens.matrix import MatrixScreen

        if "matrix" not in self._modes:
            self.add_mode("matrix", lambda: MatrixScreen(self.store))
        await self.switch_mode("matrix")

    async def action_clusters(self) -> None:
        from .screens.clusters import ClustersScreen

        if "clusters" not in self._modes:
            self.add_mode("clusters", lambda: ClustersScreen(self.store))
        await self.switch_mode("clusters")

    def action_export(self) -> None:
        from .screens.export import ExportDialog

        self.push_screen(ExportDialog(self.store))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(all_bindings(self.settings.keys)))

    _files_swapped = False  # the study's -wal/-shm were deleted or replaced: said once, every write refused

    def check_outside_changes(self) -> None:
        """Show what another program (the CLI, a second studio) changed in the study: the screen in
        front reloads now, the others when they are shown next. Under a dialog nothing moves. When the
        study's -wal and -shm files are swapped under the studio, say so at once (writes are refused). A
        check that cannot read the study now is tried again a second later (the screens say when a read
        fails)."""
        if not self._files_swapped:
            try:
                self.store.check_files(others=False)
            except StudyError as exc:
                self._files_swapped = True
                self.notify(str(exc), severity="error", title="Changes cannot be saved", timeout=60)
        try:
            changed = self.store.changed_elsewhere()
        except (StudyError, sqlite3.Error) as exc:
            if not self._check_failed:  # once while it lasts, not every second
                self.notify(f"Could not read the study ({explain(exc, self.store.path)}); trying again",
                            severity="warning", timeout=6)
            self._check_failed = True
            return
        self._check_failed = False
        if not changed:
            return
        from .screens.base import StudioScreen

        for screen in [*self._screens.values(), *self.screen_stack]:
            if isinstance(screen, StudioScreen):
                screen.mark_stale()
        if isinstance(self.screen, StudioScreen) and self.screen.is_mounted:
            self.screen.reload()
            self.notify("The study was changed outside the studio: showing the latest", timeout=3)

    def on_unmount(self) -> None:
        """The studio ends: a computation still running in the NLP process is of no use now (and its
        waiting worker would keep Python from exiting until it finished)."""
        from . import nlp_process

        if nlp_process._shared is not None and nlp_process._shared.busy:
            nlp_process._shared.stop()

    # -- study-wide actions ----------------------------------------------------------------------
    def _after_change(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if reload is not None:
            reload()

    def action_undo(self) -> None:
        action = attempt(self, self.store.undo)
        if action is None:
            self.notify("Nothing to undo", timeout=2)
            return
        self.notify(f"Undone: {action.summary}", timeout=3)
        self._after_change()

    def action_redo(self) -> None:
        action = attempt(self, self.store.redo)
        if action is None:
            self.notify("Nothing to redo", timeout=2)
            return
        self.notify(f"Redone: {action.summary}", timeout=3)
        self._after_change()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Backups", "The study's automatic backups: restore one", self.action_backups)

    def action_backups(self) -> None:
        from .screens.backups import choose_backup

        choose_backup(self)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def report_worker_error(self, worker: Worker) -> None:
        """The one place that reports a failed worker: a one-line notification, never a traceback."""
        error = worker.error
        if isinstance(error, sqlite3.Error):
            error = explain(error, self.store.path)
        if isinstance(error, StudyError):
            message = str(error)
        else:
            message = f"{type(error).__name__}: {error}"
            self.log.error(f"worker {worker.name} failed", error)
        self.notify(message, severity="error", title=f"{worker.group or worker.name} failed")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR:
            self.report_worker_error(event.worker)


StudioApp.COMMANDS = App.COMMANDS | {BindingCommands, SourceCommands}


def make_app(store: Store, settings: Settings) -> App:
    return StudioApp(store, settings)


def run_tui(store: Store, settings: Settings | None = None) -> int:
    """Open the studio on a study; blocks until the researcher quits. Returns the exit status: 0, or 1
    when the studio ended on an error (Textual has printed its traceback)."""
    settings = settings if settings is not None else Settings.load()
    app = make_app(store, settings)
    app.run()
    return app.return_code or 0
