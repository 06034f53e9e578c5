"""Import more transcript files: type a path or glob (or pick in the file tree), watch the progress.
A participants sheet (CSV: name, role, segment …) can come with them, or on its own.

Reading and saving run in a worker thread that opens its own Store (a SQLite connection cannot
cross threads). Files that cannot be read are reported and skipped; the rest go into the study in
one transaction. The dialog returns True when something was imported.
"""

from __future__ import annotations

import glob
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DirectoryTree, Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from coding.importing import import_transcripts
from coding.importing.transcript import apply_participant_sheet, source_transcripts
from coding.models import StudyError
from coding.study import Store

from .base import StudioModal


def expand(pattern: str, base: Path) -> list[Path]:
    """The files of a glob, or the file or folder named, relative to `base` (a folder is read as its
    transcript files by `importers.batch.read_all`)."""
    raw = Path(pattern.strip()).expanduser()
    path = raw if raw.is_absolute() else base / raw
    if any(ch in pattern for ch in "*?["):
        return sorted(Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
    if path.exists():
        return [path]
    raise StudyError("no such file or folder", path=str(path))


class TranscriptTree(DirectoryTree):
    """Folders and transcript files only; hidden files stay hidden."""

    def filter_paths(self, paths):
        return [p for p in paths if not p.name.startswith(".")]


class ImportDialog(StudioModal[bool]):
    CSS_PATH = "importer.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="import.close"),
        Binding("ctrl+o", "start", "Import", id="import.start", priority=True),
    ]

    def __init__(self, store_path: Path, coder: str, *, start_dir: Path | None = None) -> None:
        super().__init__()
        self.store_path = store_path
        self.coder = coder
        self.start_dir = start_dir or Path.cwd()
        self.imported = False
        self._target = "#path"  # the field a file picked in the tree goes to

    def compose(self) -> ComposeResult:
        with Vertical(classes="import"):
            yield Label("Import transcripts (.txt .md .docx .vtt .srt .csv) or a REFI-QDA project (.qdpx .qdc)",
                        classes="import-title")
            yield Input(placeholder="path, folder or glob, e.g. interviews/*.vtt", id="path")
            yield Input(placeholder="participants sheet (optional): people.csv with name, role, segment …",
                        id="people")
            yield TranscriptTree(self.start_dir, id="tree")
            yield ProgressBar(id="progress", show_eta=False)
            with VerticalScroll(id="report-box"):  # the whole import report, however long
                yield Static("enter imports · tab moves to the participants sheet and the file tree · escape closes",
                             id="report", markup=False)  # file names and notes are not markup

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Changed)
    def _typed_in(self, event: Input.Changed) -> None:
        self._target = f"#{event.input.id}"

    def on_descendant_focus(self, event) -> None:
        if isinstance(event.widget, Input):
            self._target = f"#{event.widget.id}"

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        field = self.query_one(self._target, Input)
        field.value = str(event.path)
        field.focus()

    @on(DirectoryTree.DirectorySelected)
    def _folder(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#path", Input).value = str(event.path)

    @on(Input.Submitted)
    def action_start(self) -> None:
        pattern = self.query_one("#path", Input).value.strip()
        people = self.query_one("#people", Input).value.strip()
        if not pattern and not people:
            self.notify("Type a path or pick a file first", severity="warning")
            return
        self.query_one("#report", Static).update("reading…")
        self.import_files(pattern, people)

    def _progress(self, done: int, total: int, name: str) -> None:
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#report", Static).update(f"read {done}/{total}: {name}")

    def _store_progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#report", Static).update(f"storing {done:,} of {total:,} sources")

    def _done(self, lines: list[str], added: int, *, sheet: bool = False) -> None:
        self.imported = self.imported or added > 0 or sheet
        self.query_one("#report", Static).update("\n".join(lines) or "nothing imported")
        self.notify(lines[0] if sheet else f"Imported {added} source{'s' if added != 1 else ''}", timeout=3)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def import_files(self, pattern: str, people: str = "") -> None:
        import importers
        from importers.batch import read_all

        worker = get_current_worker()
        rows = None
        if people:
            sheet = expand(people, self.start_dir)
            if len(sheet) != 1 or not sheet[0].is_file():
                raise StudyError("name one participants sheet (.csv)", path=people)
            rows = importers.load_participants(sheet[0])
        if not pattern:  # the sheet alone: attributes for the people already in the study
            with Store.open(self.store_path, coder=self.coder) as store:
                notes = apply_participant_sheet(store, rows, filename=sheet[0].name)
            self.app.call_from_thread(self._done, [f"applied {sheet[0].name}", *notes], 0, sheet=True)
            return
        paths = expand(pattern, self.start_dir)
        if not paths:
            raise StudyError(f"no files match {pattern!r}")
        if any(p.suffix.lower() in (".qdpx", ".qdc") for p in paths):
            self._import_exchange(paths, rows, worker)
            return

        def progress(done: int, total: int, name: str) -> None:
            self.app.call_from_thread(self._progress, done, total, name)

        with Store.open(self.store_path, coder=self.coder) as store:
            existing = source_transcripts(store)
        read = read_all(paths, listed=any(ch in pattern for ch in "*?["), keep_going=True, existing=existing,
                        progress=progress, cancelled=lambda: worker.is_cancelled)
        if read is None:
            return
        bad = [f"skipped: {line}" for line in read.bad]
        if not read.transcripts:
            raise StudyError("no file could be imported: " + "; ".join(read.bad + read.notes)[:300])
        def storing(done: int, total: int) -> None:
            self.app.call_from_thread(self._store_progress, done, total)

        with Store.open(self.store_path, coder=self.coder) as store:
            report = import_transcripts(store, read.transcripts, participant_rows=rows,
                                              participants_file=sheet[0].name if people else "participants sheet",
                                              progress=storing)
            self.app.call_from_thread(self._done, read.notes + report.lines() + bad, report.count)
            self._segment(store, worker)

    def _import_exchange(self, paths: list[Path], rows, worker) -> None:
        """A REFI-QDA project or codebook from another tool, on its own, in one transaction."""
        from coding.exchange.apply import import_project
        from importers import MAX_BYTES
        from importers.qdpx import read_project_file

        if len(paths) != 1 or rows:
            raise StudyError("import a .qdpx or .qdc file on its own (without other files or a sheet)")
        self.app.call_from_thread(self._progress, 0, 1, paths[0].name)
        project = read_project_file(paths[0], max_bytes=MAX_BYTES)
        with Store.open(self.store_path, coder=self.coder) as store:
            report = import_project(store, project, filename=paths[0].name)
            self.app.call_from_thread(self._done, report.lines(), len(report.sources_added),
                                      sheet=not report.sources_added)
            if report.sources_added:
                self._segment(store, worker)

    def _segment(self, store: Store, worker) -> None:
        """Cut the new turns into candidate quotes now (coding.nlp.segments), with progress."""
        from coding.nlp.segments import segment_study

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._segment_progress, done, total)

        segment_study(store, progress=progress, cancelled=lambda: worker.is_cancelled)

    def _segment_progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        if done == total:
            self.notify(f"Candidate quotes ready: {done:,} turns cut into sentences", timeout=3)

    def action_close(self) -> None:
        self.workers.cancel_group(self, "import")
        self.finish(self.imported)
