"""Changes made by another program while the studio is open (the CLI in a second terminal) show up:
on the screen in front within a second, on the others when they are opened again."""

from __future__ import annotations

from coding.codebook import add_code, find_code
from coding.codings import add_coding
from coding.people import find_participant, merge_participants
from coding.study import Store
from research_tui.app import StudioApp
from research_tui.cli import main
from research_tui.screens.codebook import CodebookScreen
from research_tui.screens.home import HomeScreen
from research_tui.screens.reader import ReaderScreen
from research_tui.widgets.row_table import RowTable
from tests.tui.conftest import app_for, run, until


def people_cells(app) -> list[str]:
    table = app.screen.query_one("#people", RowTable)
    return [table.get_row_at(i)[0] for i in range(table.row_count)]


def test_a_cli_rename_and_coding_show_up_on_the_open_screen(study, capsys):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert "George Wilson" in people_cells(app)
            assert main(["participants", str(study.path), "rename", "George Wilson", "George W."]) == 0
            app.check_outside_changes()                         # what the timer does every second
            await until(pilot, lambda: any("changed outside the studio" in n.message for n in app._notifications))
            await until(pilot, lambda: "George W." in people_cells(app))

            await pilot.press("enter")                          # the reader on clinic_visit
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.view.doc)
            view = app.screen.view
            assert not any(view.doc.turn_spans)
            assert main(["code", str(study.path), "clinic_visit", "It was awful.", "Frustrated"]) == 0
            await until(pilot, lambda: any(view.doc.turn_spans))
            [span] = [s for spans in view.doc.turn_spans for s in spans]
            assert (span.name, view.doc.text[span.start:span.end]) == ("Frustrated", "It was awful.")

    run(body())


def test_a_hidden_screen_rereads_the_study_when_opened_again(study, monkeypatch, capsys):
    monkeypatch.setattr(StudioApp, "OUTSIDE_CHECK_SECONDS", 3600.0)  # only the screen's own check

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("C")
            await until(pilot, lambda: isinstance(app.screen, CodebookScreen))
            codebook = app.screen
            await pilot.press("H")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            with Store.open(study.path, coder="colleague") as other:   # another program's connection
                add_code(other, "Parking", "touchpoint")
            await pilot.press("C")
            await until(pilot, lambda: isinstance(app.screen, CodebookScreen))
            assert "Parking" in {c.name for c in codebook.codes.values()}

    run(body())


def test_cached_turns_are_forgotten_when_another_program_merges_people(study):
    aisha = find_participant(study, "Aisha Khan")
    sid = next(s.id for s in study.sources() if s.title == "clinic_visit")
    text = study.source_text(sid)
    a = text.index("My GP")
    assert study.participants_of_span(sid, a, a + 5) == [aisha.id]     # cached now
    assert not study.changed_elsewhere()
    with Store.open(study.path) as other:
        merge_participants(other, "Aisha Khan", "George Wilson")
    assert study.changed_elsewhere() and not study.changed_elsewhere()  # once
    assert study.participants_of_span(sid, a, a + 5) == [find_participant(study, "George Wilson").id]


def test_a_worker_filling_a_cache_is_not_a_change(study):
    """The studio's own workers cut turns and read emotions with their own connection: that is no news
    ("The study was changed outside the studio" showed up in the reader on every suggestion run)."""
    from coding.nlp.segments import candidates

    assert not study.changed_elsewhere()
    with Store.open(study.path) as worker:
        assert candidates(worker)                       # cuts the turns: writes the candidates table
    assert not study.changed_elsewhere()
    sid = study.sources()[0].id
    text = study.source_text(sid)
    add_coding(study, sid, 0, text.index(" "), find_code(study, "Anxious").id)   # our own change
    with Store.open(study.path) as worker:
        worker.set_setting("segmenter", "something else")
        worker.db.conn.commit()
    assert not study.changed_elsewhere()
    with Store.open(study.path, coder="colleague") as other:
        add_code(other, "Parking", "touchpoint")
    assert study.changed_elsewhere()


def test_the_studio_says_at_once_when_its_wal_and_shm_files_are_deleted(study):
    """Issue 19 item 3: within the second, an error names what happened; changes are then refused."""
    from pathlib import Path

    from coding.models import StudyError

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            app.check_outside_changes()
            assert not [n for n in app._notifications if n.severity == "error"]
            for suffix in ("-wal", "-shm"):
                Path(f"{study.path}{suffix}").unlink()
            app.check_outside_changes()                         # what the timer does every second
            app.check_outside_changes()                         # said once, not every second
            await until(pilot, lambda: any(n.severity == "error" for n in app._notifications))
            [said] = [n for n in app._notifications if n.severity == "error"]
            assert said.title == "Changes cannot be saved"
            assert "-wal and -shm files were deleted or replaced while it was open; nothing was saved" in said.message
            try:
                add_code(study, "Lost", "theme")
            except StudyError:
                pass
            else:
                raise AssertionError("a write into deleted files was accepted")

    run(body())
