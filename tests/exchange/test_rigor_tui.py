"""The Agreement and Matrix screens, driven with Pilot; assertions on what is in the Store."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList

from coding.codebook import find_code
from coding.codings import add_coding, list_codings
from research_tui.screens.agreement import AgreementScreen
from research_tui.screens.dialogs import ConfirmDialog, TextDialog
from research_tui.screens.matrix import MatrixScreen
from research_tui.screens.reader import ReaderScreen
from tests.conftest import span_of
from tests.tui.conftest import app_for, notices, run
from tests.tui.conftest import settle as settle_tui


async def settle(app, pilot) -> None:
    """The studio's settle, plus the agreement worker (it computes in a thread)."""
    await settle_tui(app, pilot)
    ours = [w for w in app.workers if w.group in ("agreement", "merge")]
    if ours:
        await app.workers.wait_for_complete(ours)
    await pilot.pause()


async def open_screen(app, pilot, key: str, kind: type):
    """Press the key that opens a screen; returns the screen, once its work is done."""
    await pilot.pause()
    await pilot.press(key)
    await settle(app, pilot)
    assert isinstance(app.screen, kind)
    return app.screen


def _code(store, title, words, code, coder):
    sid, a, b = span_of(store, title, words)
    add_coding(store, sid, a, b, find_code(store, code).id, coder=coder)


def test_agreement_screen_reconciles_a_disputed_quote(study):
    for coder in ("sam", "priya"):
        _code(study, "interview_b", "I was confused.", "Confused", coder)
    _code(study, "interview_b", "I felt safe.", "Reassured", "sam")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(130, 40)) as pilot:
            screen = await open_screen(app, pilot, "A", AgreementScreen)
            table = screen.query_one("#agreement-codes", DataTable)
            assert table.row_count == 2
            disputes = screen.query_one("#agreement-disputes", OptionList)
            assert disputes.option_count == 1
            disputes.focus()
            disputes.highlighted = 0
            await pilot.press("b")                       # keep both: priya gets Reassured too
            await settle(app, pilot)
            assert {c.coder for c in list_codings(study, code="Reassured")} == {"sam", "priya"}
            assert screen.query_one("#agreement-disputes", OptionList).option_count == 0
            await pilot.press("ctrl+z")
            await settle(app, pilot)
            assert {c.coder for c in list_codings(study, code="Reassured")} == {"sam"}
            assert screen.query_one("#agreement-disputes", OptionList).option_count == 1
            disputes = screen.query_one("#agreement-disputes", OptionList)
            disputes.focus()
            disputes.highlighted = 0
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)

    run(body())


def test_matrix_screen_lists_the_quotes_behind_a_cell(study):
    _code(study, "interview_a", "I waited three weeks for the results.", "Anxious", "sam")
    _code(study, "interview_b", "I was confused.", "Confused", "sam")
    _code(study, "interview_b", "I was confused.", "Anxious", "sam")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(130, 40)) as pilot:
            screen = await open_screen(app, pilot, "X", MatrixScreen)
            assert screen.cols.startswith("attr:")          # emotions by the first attribute
            screen.rows = "kind:emotion"
            screen.cols = "attr:segment"
            screen.reload()
            await settle(app, pilot)
            grid = screen.query_one("#matrix-grid", DataTable)
            labels = [str(grid.get_row_at(i)[0]) for i in range(grid.row_count)]
            anxious = labels.index("Anxious")
            assert [str(v) for v in grid.get_row_at(anxious)[1:]] == ["1", "1"]
            grid.focus()
            grid.move_cursor(row=anxious, column=2)              # Anxious x Private
            await pilot.pause()
            quotes = screen.query_one("#matrix-quotes", OptionList)
            assert quotes.option_count == 1
            assert "I was confused." in str(quotes.get_option_at_index(0).prompt)
            await pilot.press("p")                                 # count participants
            await settle(app, pilot)
            assert screen.count == "participants"
            grid.move_cursor(row=anxious, column=2)
            await pilot.pause()
            quotes.focus()
            quotes.highlighted = 0
            await pilot.press("o")
            await settle(app, pilot)
            assert isinstance(app.screen, ReaderScreen)

    run(body())


def test_matrix_export_asks_before_replacing_a_file_it_did_not_write(study, tmp_path):
    _code(study, "interview_b", "I was confused.", "Confused", "sam")
    notes = tmp_path / "notes.csv"
    notes.write_text("my own notes\n")

    async def export(app, pilot) -> None:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        app.screen.query_one("#text", Input).value = str(notes)
        await pilot.press("enter")
        await pilot.pause()

    async def body():
        app = app_for(study)
        async with app.run_test(size=(130, 40)) as pilot:
            matrix = await open_screen(app, pilot, "X", MatrixScreen)
            await export(app, pilot)
            assert isinstance(app.screen, ConfirmDialog)          # asked, not told to "add --force"
            assert not any("--force" in n for n in notices(app)), notices(app)
            assert notes.read_text() == "my own notes\n"
            await pilot.press("n")
            await pilot.pause()
            assert app.screen is matrix and notes.read_text() == "my own notes\n"
            await export(app, pilot)
            await pilot.press("y")
            await pilot.pause()
            assert app.screen is matrix
            assert notes.read_text(encoding="utf-8-sig").startswith('kind:stage \\ attr:')
            assert f"Wrote {notes}" in notices(app)
            await export(app, pilot)                               # now a matrix: replaced without asking
            assert app.screen is matrix

    run(body())


def test_agreement_screen_reads_a_read_only_study(study, monkeypatch):
    """A studio opened on a study it may not write (read-only file or folder) still computes agreement:
    the worker reads the study too, cutting candidate quotes in memory."""
    from coding.nlp.segments import stale_turns
    from coding.study import Store, studyfile
    from tests.tui.conftest import errors

    for coder in ("sam", "priya"):
        _code(study, "interview_b", "I was confused.", "Confused", coder)
    _code(study, "interview_b", "I felt safe.", "Reassured", "sam")
    assert stale_turns(study) > 0
    before = study.path.read_bytes()
    monkeypatch.setattr(studyfile, "writable", lambda p: False)  # what a read-only file says (root ignores it)
    read_only = Store.open(study.path, read_only=True)

    async def body():
        app = app_for(read_only)
        async with app.run_test(size=(130, 40)) as pilot:
            screen = await open_screen(app, pilot, "A", AgreementScreen)
            assert errors(app) == []
            assert screen.query_one("#agreement-codes", DataTable).row_count == 2
            assert screen.query_one("#agreement-disputes", OptionList).option_count == 1

    run(body())
    read_only.close()
    assert study.path.read_bytes() == before and stale_turns(study) > 0
