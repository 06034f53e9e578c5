"""The studio shows the same one-line messages as the CLI, as notifications, and never crashes on them:
another program writing, a read-only study, backups from the palette, an export that would replace
a file research-tui did not write (issue 8 items 1, 3, 5, 6)."""

from __future__ import annotations

import sqlite3

from textual.widgets import Input

from coding.codebook import delete_code, find_code, get_code
from coding.codings import code_span, list_codings
from coding.study import Store, backup, studyfile
from research_tui.screens.dialogs import ConfirmDialog
from research_tui.screens.export import ExportDialog
from research_tui.screens.picker import PickList
from tests.tui.conftest import app_for, errors, notices, run, span


def _code(store: Store) -> None:
    sid, a, b = span(store, "clinic_visit", "I was nervous about it.")
    code_span(store, sid, a, b, [find_code(store, "Anxious").id, find_code(store, "Confused").id])


def test_a_write_while_another_program_writes_is_a_notification(study):
    _code(study)
    study.db.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(study.path, isolation_level=None)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(110, 32)) as pilot:
            other.execute("BEGIN IMMEDIATE")  # the CLI importing a big file, say
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert any("another program is writing to the study" in e for e in errors(app)), notices(app)
            assert len(list_codings(study)) == 2  # nothing undone, nothing broken
            other.execute("ROLLBACK")
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert any(n.startswith("Undone: coded") for n in notices(app))
            assert list_codings(study) == []

    try:
        run(body())
    finally:
        other.close()


def test_a_read_only_study_opens_and_refuses_changes_in_one_line(study, monkeypatch):
    _code(study)
    path = study.path
    study.close()
    monkeypatch.setattr(studyfile, "writable", lambda p: False)  # as for a write-protected file
    store = Store.open(path, read_only=True)

    async def body():
        app = app_for(store)
        async with app.run_test(size=(110, 32)) as pilot:
            await pilot.pause()
            assert any("s.rtui is read-only: you can read and export it" in n for n in notices(app))
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert f"{path}: the study is read-only (no write permission for the file or its folder); " \
                   "make both writable to change it" in errors(app)
            assert len(list_codings(store)) == 2

    run(body())
    store.close()


def test_backups_from_the_palette_restore_a_study(study):
    _code(study)
    delete_code(study, find_code(study, "Anxious").id)  # a bulk delete: backed up first
    assert len(list_codings(study)) == 1

    async def body():
        app = app_for(study)
        async with app.run_test(size=(110, 32)) as pilot:
            assert any(c.title == "Backups" for c in app.get_system_commands(app.screen))
            app.action_backups()
            await pilot.pause()
            assert isinstance(app.screen, PickList)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("y")
            await pilot.pause()
            assert any(n.startswith("Restored the study as it was at") for n in notices(app)), notices(app)
            names = sorted(get_code(app.store, c.code_id).name for c in list_codings(app.store))
            assert names == ["Anxious", "Confused"]
            assert [b.reason for b in backup.list_backups(study.path)][0] == "before restore"

    run(body())


def test_export_asks_before_replacing_a_file_it_did_not_write(study, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes\n")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(110, 32)) as pilot:
            app.push_screen(ExportDialog(study))
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#format-markdown").value = True
            await pilot.pause()
            dialog.query_one("#export-path", Input).value = str(notes)
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert notes.read_text() == "my own notes\n"
            await pilot.press("n")
            await pilot.pause()
            assert app.screen is dialog
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert notes.read_text().startswith("# Clinic study: customer journey")

    run(body())


def test_export_never_writes_over_the_study_from_the_dialog(study):
    before = study.path.read_bytes()

    async def body():
        app = app_for(study)
        async with app.run_test(size=(110, 32)) as pilot:
            app.push_screen(ExportDialog(study))
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#format-csv").value = True
            await pilot.pause()
            dialog.query_one("#export-path", Input).value = str(study.path)
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert any("never writes over a study" in e for e in errors(app))
            assert app.screen is dialog

    run(body())
    assert study.path.read_bytes() == before
