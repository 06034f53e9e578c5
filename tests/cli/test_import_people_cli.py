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


def test_a_monologue_without_labels_is_said_to_count_for_no_one_until_named(tmp_path, capsys):
    """QualCoder's real ID1.docx is one participant's words with no speaker label: the import and the
    participants list say that 'Unknown speaker (ID1)' counts for no one, and how to name them; named, they
    count in the report."""
    real = Path(__file__).resolve().parents[1] / "data" / "public" / "transcripts" / "qualcoder_sample"
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    code, out, err = run(capsys, "import", study, real / "ID1.docx", real / "transcript.txt")
    assert code == 0, err
    assert ("ID1.docx: no speaker labels found: the whole document is one 'Unknown speaker' monologue, not "
            "counted as a participant until named (`research-tui participants STUDY rename`)") in out
    for who, words in (("ID1", "I really like learning new things"),
                       ("transcript", "I am struggling with the lecture slides")):
        assert run(capsys, "code", study, who, words, "Use")[0] == 0
    code, out, _ = run(capsys, "participants", study)
    assert out.rstrip().endswith("not counted as people until named (their turns had no speaker label; if one "
                                 "person speaks them: `research-tui participants STUDY rename WHO NAME`): P01")
    assert run(capsys, "export", study, "--format", "markdown", "-o", "-")[1].count("_1 participants, 2 quotes") == 1
    assert run(capsys, "participants", study, "rename", "P01", "Student ID1")[0] == 0
    code, out, _ = run(capsys, "participants", study)
    assert "not counted" not in out
    assert "_2 participants, 2 quotes" in run(capsys, "export", study, "--format", "markdown", "-o", "-")[1]
