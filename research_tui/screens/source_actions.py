"""Delete, rename or replace the file of a source, from the home screen's sources table or the command palette.

Each asks first (deleting says what goes with the source; replacing shows which codings keep their words
and which are removed), calls `coding.sources` (backed up where it is a bulk change, one undoable command)
and redraws the screen in front; the others re-read the study when they are shown next.
"""

from __future__ import annotations

from pathlib import Path

from coding import sources as source_ops
from coding.models import StudyError

from .base import attempt
from .dialogs import ConfirmDialog, TextDialog


def _label(app, source_id: int) -> str:
    return app.store.source(source_id).label(app.store.anonymize)


def _changed(app) -> None:
    reload = getattr(app.screen, "reload", None)
    if reload is not None:
        reload()


def delete_source(app, source_id: int) -> None:
    """Ask, then delete a source with its turns, codings and memos (and the people who spoke only there)."""
    store = app.store
    label = _label(app, source_id)
    q = store.db.execute
    turns = q("SELECT count(*) FROM utterances WHERE source_id = ?", [source_id]).fetchone()[0]
    codings = q("SELECT count(*) FROM codings WHERE source_id = ?", [source_id]).fetchone()[0]
    alone = q("SELECT count(DISTINCT participant_id) FROM utterances u WHERE source_id = ? AND NOT EXISTS "
              "(SELECT 1 FROM utterances o WHERE o.participant_id = u.participant_id AND o.source_id != ?) AND "
              "participant_id IN (SELECT id FROM participants WHERE role != 'unattributed')",
              [source_id, source_id]).fetchone()[0]
    message = (f"Delete {label} with its {turns} turn{'s' * (turns != 1)}, {codings} coding{'s' * (codings != 1)} "
               "and memos?" + (f" {alone} participant{'s' * (alone != 1)} who spoke only there go too."
                               if alone else "") + " The study is backed up first. (ctrl+z undoes)")

    def delete(ok: bool | None) -> None:
        if ok and (removed := attempt(app, source_ops.delete_source, store, source_id)) is not None:
            app.notify(f"Deleted {label}: {removed.turns} turns, {removed.codings} codings", timeout=4)
            _changed(app)

    app.push_screen(ConfirmDialog("Delete source", message, yes="Delete"), delete)


def rename_source(app, source_id: int) -> None:
    source = app.store.source(source_id)

    def save(title: str | None) -> None:
        if title and title.strip() and title.strip() != source.title \
                and attempt(app, source_ops.rename_source, app.store, source_id, title) is not None:
            _changed(app)

    shown = "" if app.store.anonymize else source.title
    app.push_screen(TextDialog(f"Rename {source.label(app.store.anonymize)}", shown, multiline=False), save)


def replace_source(app, source_id: int) -> None:
    """Ask for the new file, read it in a worker, show what happens to the codings, then replace."""
    store = app.store
    label = _label(app, source_id)
    hint = "a corrected transcript of the same interview (.txt .md .docx .vtt .srt) · enter reads it, escape cancels"

    def chosen(text: str | None) -> None:
        if not text or not text.strip():
            return
        path = Path(text.strip()).expanduser()
        if not path.is_absolute():
            path = store.path.parent / path
        app.run_worker(lambda: _read(app, source_id, path), thread=True, group="replace source", exit_on_error=False)

    app.push_screen(TextDialog(f"Replace the file of {label} with…", "", multiline=False, hint=hint), chosen)


def _read(app, source_id: int, path: Path) -> None:
    """In a worker: parse the file (pure, no study), then ask on the app's thread."""
    from importers import load

    try:
        read = load(path)
        if len(read) != 1:
            raise StudyError(f"a survey of {len(read)} respondents cannot replace one source", path=path.name)
    except StudyError as exc:
        app.call_from_thread(app.notify, str(exc), severity="error", title="Not replaced")
        return
    app.call_from_thread(_confirm, app, source_id, read[0])


def _confirm(app, source_id: int, new) -> None:
    store = app.store
    preview = attempt(app, source_ops.replace_source, store, source_id, new, dry_run=True)
    if preview is None:
        return
    label = _label(app, source_id)
    lines = preview.lines(label)
    shown = lines[:12] + ([f"… and {len(lines) - 12} more"] if len(lines) > 12 else [])
    message = "\n".join(shown) + "\n\nThe study is backed up first. (ctrl+z undoes)"
    if store.anonymize:
        from exports.anonymize import Anonymizer

        message = Anonymizer.from_store(store, enabled=True).anon(message)

    def replace(ok: bool | None) -> None:
        if ok and (done := attempt(app, source_ops.replace_source, store, source_id, new)) is not None:
            app.notify(f"Replaced the file of {label}: {done.kept} codings kept, {len(done.lost)} removed", timeout=5)
            _changed(app)

    app.push_screen(ConfirmDialog("Replace the source's file", message, yes="Replace"), replace)
