"""`research-tui import` on folders as researchers get them: academic interviews, one call exported twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from coding.store import Store
from research_tui.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_folder_of_academic_interviews(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study, "--template", "blank")
    code, out, err = run(capsys, "import", study, DATA / "academic")
    assert code == 0, err
    assert "README.txt: skipped, its name says it is not an interview" in out
    assert "'A1' interviews in 9 of the 10 files it speaks in: one interviewer across them, also in " \
           "interview_07.txt" in out
    assert "interview_01.txt: guessed 'A1' is the interviewer: 9 of 10 turns are questions" in out
    assert out.strip().endswith("study now has 10 sources, 11 participants, 204 utterances")
    code, out, _ = run(capsys, "participants", study, "--json")
    people = json.loads(out)
    assert [p["role"] for p in people].count("interviewer") == 1
    assert [p["role"] for p in people].count("participant") == 10


def test_one_call_as_txt_and_docx_is_imported_once_also_later(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study, "--template", "blank")
    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(DATA / "otter" / "otter_call_03.txt", folder)
    code, out, err = run(capsys, "import", study, folder)
    assert code == 0, err
    code, out, err = run(capsys, "import", study, DATA / "otter" / "otter_call_03.docx")
    assert code == 0, err
    assert "otter_call_03.docx: skipped, the same conversation as already in the study as 'otter_call_03'" in out
    with Store.open(study) as store:
        assert len(store.sources()) == 1
        assert {p.name for p in store.participants()} == {"Anna Keller", "Tom Becker"}
