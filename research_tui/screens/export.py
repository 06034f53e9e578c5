"""Export the study: Word journey map, the map as a web page, the persona-workshop kit, CSV of codings,
Markdown summary, REFI-QDA (.qdpx, .qdc) or a complete copy of the study (.rtui).

The dialog only collects choices; `exports.EXPORTERS` does the work in a worker thread that opens
its own Store. Success and failure are notifications; the dialog closes with the path written.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, Static

from coding.codebook import list_stages
from coding.models import StudyError
from coding.study import Store
from coding.synthesis import segment_keys

from .base import StudioModal

FORMATS = (("docx", "Word journey map (.docx)", ".docx"),
           ("html", "Journey map page for the browser (.html, one offline file)", ".html"),
           ("workshop", "Persona-workshop kit: quote cards, canvases, empathy maps (.docx, A4)", ".docx"),
           ("csv", "Codings table (.csv)", ".csv"),
           ("markdown", "Markdown summary (.md)", ".md"),
           ("qdpx", "REFI-QDA project for NVivo, ATLAS.ti, MAXQDA (.qdpx)", ".qdpx"),
           ("qdc", "REFI-QDA codebook (.qdc)", ".qdc"),
           ("rtui", "A copy of the study: everything, plans, personas and history too (.rtui)", ".rtui"))
SEGMENTED = ("docx", "html", "markdown", "csv", "qdpx")  # the formats that can be written for one group of participants
JOURNEYS = ("docx", "html", "markdown", "workshop")  # they compute a journey (and take the emotion model's valence)
SUFFIX = {key: suffix for key, _, suffix in FORMATS}
EVERYONE = "everyone"
EVERY_STAGE = "every stage"
CARDS = 48  # the kit's cards by default: `exports.workshop_cards.DEFAULT_LIMIT` (not imported: python-docx loads late)


def default_path(study_path: Path, fmt: str) -> Path:
    stem = study_path.stem + {"csv": "-codings", "qdpx": "", "qdc": "-codebook", "rtui": "-copy",
                              "workshop": "-workshop"}.get(fmt, "-journey")
    return study_path.with_name(stem + SUFFIX[fmt])


class ExportDialog(StudioModal[Path | None]):
    """Choose a format, a file, pseudonyms or names, and optionally a segment; ctrl+s exports."""

    CSS_PATH = "export.tcss"
    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="export.run", priority=True),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.format = "docx"
        self.running = False

    def compose(self) -> ComposeResult:
        segments = [(f"{k} = {v}", (k, v)) for k, values in segment_keys(self.store).items() for v in values]
        with Vertical(classes="dialog", id="export-box"):
            yield Label("Export the study", classes="dialog-title")
            with RadioSet(id="export-format"):
                for i, (key, label, _) in enumerate(FORMATS):
                    yield RadioButton(label, value=i == 0, id=f"format-{key}")
            yield Label("File")
            yield Input(str(default_path(self.store.path, self.format)), id="export-path")
            yield Checkbox("Pseudonyms only (anonymize names, also inside quotes)", self.store.anonymize,
                           id="export-anonymize")
            yield Label("Participants (report, map page and summary)")
            yield Select([("Everyone", EVERYONE), *segments], value=EVERYONE, allow_blank=False,
                         id="export-segment")
            with Vertical(id="export-workshop"):
                yield Label("Workshop kit: the strongest quotes as cards (0: every coded quote)")
                with Horizontal(classes="export-row"):
                    yield Input(str(CARDS), type="integer", id="export-limit")
                    yield Select([("Every stage", EVERY_STAGE), *((c.name, c.name) for c in list_stages(self.store))],
                                 value=EVERY_STAGE, allow_blank=False, id="export-stage")
                    yield Input(placeholder="only with code … (optional)", id="export-code")
            yield Static("", id="export-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (ctrl+s)", variant="primary", id="export-go")
                yield Button("Cancel (esc)", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-workshop").display = False
        self.query_one("#export-path", Input).focus()

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        old = self.format
        self.format = FORMATS[event.index][0]
        path_input = self.query_one("#export-path", Input)
        if path_input.value.strip() in ("", str(default_path(self.store.path, old))):
            path_input.value = str(default_path(self.store.path, self.format))
        elif Path(path_input.value).suffix.lower() == SUFFIX[old]:
            path_input.value = str(Path(path_input.value).with_suffix(SUFFIX[self.format]))
        self.query_one("#export-segment", Select).disabled = self.format not in SEGMENTED
        self.query_one("#export-anonymize", Checkbox).disabled = self.format == "rtui"  # a copy is the study
        self.query_one("#export-workshop").display = self.format == "workshop"
        if self.format == "workshop":  # cards go on a wall for a room: pseudonyms unless asked (as `workshop`)
            self.query_one("#export-anonymize", Checkbox).value = True

    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted, "#export-path, #export-limit, #export-code")
    def _submitted(self) -> None:
        self.action_export()

    def choices(self) -> dict:
        """What the researcher chose, as plain values."""
        segment = self.query_one("#export-segment", Select).value
        return {
            "format": self.format,
            "path": Path(self.query_one("#export-path", Input).value.strip()).expanduser(),
            "anonymize": self.query_one("#export-anonymize", Checkbox).value,
            "segment": None if segment in (EVERYONE, Select.BLANK) or self.format not in SEGMENTED
            else tuple(segment),
            **(self._workshop() if self.format == "workshop" else {}),
        }

    def _workshop(self) -> dict:
        """The kit's choices, as `exports.workshop.write_kit` takes them ("limit": a message when not a number)."""
        limit = self.query_one("#export-limit", Input).value.strip()
        stage = self.query_one("#export-stage", Select).value
        code = self.query_one("#export-code", Input).value.strip()
        return {"limit": int(limit) if limit.isdigit() else (CARDS if not limit else "the number of cards is a "
                                                             f"whole number (0: every coded quote), not {limit!r}"),
                "stages": [] if stage in (EVERY_STAGE, Select.BLANK) else [stage],
                "codes": [code] if code else []}

    def action_export(self) -> None:
        if self.running:
            return
        choice = self.choices()
        if not str(choice["path"]).strip() or choice["path"] == Path("."):
            self._status("Give a file name.", error=True)
            return
        if isinstance(choice.get("limit"), str):
            self._status(choice["limit"], error=True)
            return
        if not choice["path"].is_absolute():
            choice["path"] = self.store.path.parent / choice["path"]
        self.running = True
        self._status(f"Writing {choice['path'].name}…")
        self.run_export(self.store.path, choice)

    def action_cancel(self) -> None:
        if not self.running:
            self.dismiss(None)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(self, study_path: Path, choice: dict) -> None:
        from exports import EXPORTERS  # lazy: python-docx loads only when exporting
        from exports.common import WouldOverwrite

        kwargs = {"anonymize": choice["anonymize"], "force": choice.get("force", False)}
        note = ""
        if choice["format"] in SEGMENTED:
            kwargs["segment"] = choice["segment"]
        if choice["format"] in JOURNEYS:
            from coding.synthesis import model_valence  # quotes with no emotion code: the model's valence

            kwargs["valence_of"] = model_valence()
        try:
            with Store.open(study_path, read_only=True) as store:
                if choice["format"] == "rtui":  # a complete copy: never over an existing file
                    from coding.study.backup import copy_study

                    copy_study(store, choice["path"])
                elif choice["format"] == "workshop":
                    from exports.workshop import write_kit

                    kit = write_kit(store, choice["path"], limit=choice["limit"] or None, stages=choice["stages"],
                                    codes=choice["codes"], **kwargs)
                    note = f": {kit.cards} quote cards" + (f" (the strongest of {kit.quotes})"
                                                            if kit.cards < kit.quotes else "")
                else:
                    EXPORTERS[choice["format"]](store, choice["path"], **kwargs)
        except WouldOverwrite:  # a file this export did not write: ask before replacing it
            self.app.call_from_thread(self._ask_replace, study_path, choice)
            return
        except StudyError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        finally:
            self.running = False
        self.app.call_from_thread(self._done, choice["path"], note)

    def _ask_replace(self, study_path: Path, choice: dict) -> None:
        from .dialogs import ask_to_replace

        def replace() -> None:
            self.running = True
            self.run_export(study_path, {**choice, "force": True})

        ask_to_replace(self.app, choice["path"], replace,
                       lambda: self._status("Not replaced: choose another file name.", error=True))

    def _done(self, path: Path, note: str = "") -> None:
        self.notify(f"Wrote {path}{note}", title="Exported")
        self.dismiss(path)

    def _failed(self, message: str) -> None:
        self._status(message, error=True)
        self.notify(message, severity="error", title="Export failed")

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(text)
        status.set_class(error, "-error")
