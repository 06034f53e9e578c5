"""REFI-QDA from the studio: the export dialog writes a .qdpx, the import dialog reads one."""

from __future__ import annotations

from textual.widgets import RadioButton

from coding.codebook import new_study
from importers.qdpx import read_qdpx
from research_tui.screens.export import ExportDialog
from research_tui.screens.importer import ImportDialog
from tests.exchange.conftest import signature
from tests.tui.conftest import app_for, run, settle


def test_export_qdpx_then_import_it_into_another_study(rich_study, tmp_path):

    async def export():
        app = app_for(rich_study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("E")
            await pilot.pause()
            assert isinstance(app.screen, ExportDialog)
            app.screen.query_one("#format-qdpx", RadioButton).value = True
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not isinstance(app.screen, ExportDialog)

    run(export())
    written = rich_study.path.with_name("rich.qdpx")
    project = read_qdpx(written.read_bytes(), name=written.name)
    assert len(project.sources) == 3 and project.cases
    fresh = new_study(tmp_path / "fresh.rtui", template="blank")

    async def import_it():
        app = app_for(fresh)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, ImportDialog)
            await pilot.press(*str(written), "enter")
            await settle(app, pilot)
            assert "added 3 sources" in str(app.screen.query_one("#report").render())

    run(import_it())
    assert signature(fresh)["codings"] == signature(rich_study)["codings"]
    fresh.close()


def test_export_a_copy_of_the_study_from_the_studio(demo, tmp_path):
    """The export dialog's last format is a complete copy (personas, plans, history), never over a file."""
    from coding.study import Store
    from research_tui.screens.export import ExportDialog as Dialog
    from tests.tui.conftest import notices

    async def body():
        app = app_for(demo)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("E")
            await pilot.pause()
            app.screen.query_one("#format-rtui", RadioButton).value = True
            await pilot.pause()
            assert app.screen.query_one("#export-path").value.endswith("demo-copy.rtui")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not isinstance(app.screen, Dialog)
            await pilot.press("E")
            await pilot.pause()
            app.screen.query_one("#format-rtui", RadioButton).value = True
            await pilot.pause()
            await pilot.press("ctrl+s")                    # again: the copy exists, nothing is written over
            await settle(app, pilot)
            assert isinstance(app.screen, Dialog)
            assert any("a copy is always a new file" in n for n in notices(app))

    run(body())
    with Store.open(demo.path.with_name("demo-copy.rtui")) as copy:
        assert len(copy.db.execute("SELECT * FROM personas").fetchall()) == 3
        assert copy.db.execute("SELECT count(*) FROM stage_plans WHERE to_be != ''").fetchone()[0] == 5
        assert len(copy.history(100)) == len(demo.history(100))
