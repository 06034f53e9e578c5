"""The studio's import dialog settles a folder as the CLI does: files that are not interviews, one call
exported twice, one interviewer across academic interviews; the whole report is shown."""

from __future__ import annotations

import shutil
from pathlib import Path

from research_tui.screens.importer import ImportDialog
from tests.tui.conftest import app_for, errors, run, settle

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"


def test_import_a_folder_from_the_studio(study, tmp_path):
    folder = tmp_path / "interviews"
    shutil.copytree(DATA / "academic", folder)
    for suffix in ("txt", "docx"):
        shutil.copy(DATA / "otter" / f"otter_call_03.{suffix}", folder)
    before = len(study.participants())

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, ImportDialog)
            await pilot.press(*str(folder), "enter")
            await settle(app, pilot)
            assert not errors(app)
            report = str(app.screen.query_one("#report").render())
            assert "README.txt: skipped, its name says it is not an interview" in report
            assert "otter_call_03.docx: skipped, the same conversation as otter_call_03.txt" in report
            assert "'A1' interviews in 9 of the 10 files it speaks in" in report
            assert "interview_10.txt: guessed 'A1' is the interviewer" in report  # the end of a long report too

    run(body())
    assert len(study.sources()) == 3 + 11
    new = {p.name: p.role for p in study.participants()[before:]}
    assert [r for r in new.values()].count("interviewer") == 2  # A1 and Anna Keller
    assert new["A1"] == "interviewer" and new["Tom Becker"] == "participant"
    assert len([n for n in new if n.startswith("P1 (")]) == 10
