"""Sources in the studio: on the home screen's sources table x deletes, e renames and f replaces the file of the
highlighted source; the command palette does the same from any screen. Keys are pressed, then the Store is
asked."""

from __future__ import annotations

from textual.command import CommandPalette

from coding.codebook import find_code
from coding.codings import add_coding, list_codings
from research_tui.screens.dialogs import ConfirmDialog, TextDialog
from research_tui.screens.home import HomeScreen
from research_tui.screens.reader import ReaderScreen
from tests.tui.conftest import app_for, notices, run, source_id, until


def titles(study) -> list[str]:
    return [s.title for s in study.sources()]


def test_delete_a_source_from_home_then_undo(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("down", "x")                                   # results
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert app.screen.message.startswith("Delete results with its 4 turns, 0 codings and memos? 1 "
                                                 "participant who spoke only there go too.")
            await pilot.press("y")
            await until(pilot, lambda: titles(study) == ["clinic_visit", "follow_up"])
            assert "George Wilson" not in {p.name for p in study.participants()}
            assert "2 sources" in str(app.screen.query_one("#home-title").render())
            await pilot.press("ctrl+z")
            await until(pilot, lambda: titles(study) == ["clinic_visit", "results", "follow_up"])
            assert "George Wilson" in {p.name for p in study.participants()}

    run(body())


def test_rename_and_replace_a_source_from_home(study, tmp_path):
    sid = source_id(study, "clinic_visit")
    text = study.source_text(sid)
    start = text.index("It was awful.")
    add_coding(study, sid, start, start + len("It was awful."), find_code(study, "Frustrated").id)
    corrected = tmp_path / "clinic_visit_v2.txt"
    corrected.write_text(text.replace("How did you first hear", "How did you hear") + "Interviewer: Thank you.\n")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, TextDialog))
            await pilot.press("ctrl+a", "ctrl+k", *"Clinic visit (Aisha)", "enter")
            await until(pilot, lambda: titles(study)[0] == "Clinic visit (Aisha)")
            await pilot.press("f")
            await until(pilot, lambda: isinstance(app.screen, TextDialog))
            await pilot.press(*str(corrected), "enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert ("Clinic visit (Aisha): 4 turns replaced by 5 from clinic_visit_v2.txt; 1 of 1 codings kept "
                    "their words") in app.screen.message
            await pilot.press("y")
            await until(pilot, lambda: study.sources()[0].filename == "clinic_visit_v2.txt")
            (coding,) = list_codings(study)
            assert coding.text == "It was awful." and study.sources()[0].title == "Clinic visit (Aisha)"
            assert any("Replaced the file of Clinic visit (Aisha): 1 codings kept, 0 removed" in n
                       for n in notices(app))
            await pilot.press("f")
            await until(pilot, lambda: isinstance(app.screen, TextDialog))
            await pilot.press(*str(tmp_path / "missing.txt"), "enter")
            await until(pilot, lambda: any("missing.txt" in n for n in notices(app)))
            assert isinstance(app.screen, HomeScreen) and study.sources()[0].filename == "clinic_visit_v2.txt"

    run(body())


def test_delete_the_source_open_in_the_reader_from_the_palette(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("down", "enter")                              # results, in the reader
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.view.doc is not None)
            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette))
            await pilot.press(*"Delete source: results")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            await pilot.press("y")
            await until(pilot, lambda: "results" not in titles(study))
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen)
                        and app.screen.source_id == source_id(study, "clinic_visit"))

    run(body())
