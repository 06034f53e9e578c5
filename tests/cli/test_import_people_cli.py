"""`research-tui import` on folders as researchers get them: academic interviews, one call exported twice."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

from coding.codebook import list_codes
from coding.codings import add_coding, code_counts
from coding.people import find_participant
from coding.study import Store
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
    assert out.strip().endswith("study now has 10 sources, 10 participants (not counted: 1 interviewer), "
                                "204 utterances")
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


def test_the_research_team_across_files_is_one_person_each_and_counts_for_no_one(tmp_path, capsys):
    """Issue 16: ten academic interviews with a note-taker (A5, in 8 files) and a colleague who led one
    interview (R1) give 10 participants and 3 team members; a team member's words reach no one."""
    from coding.synthesis import compute_journey

    study = tmp_path / "s.rtui"
    run(capsys, "new", study, "--template", "journey")
    code, out, err = run(capsys, "import", study, DATA / "academic_team")
    assert code == 0, err
    assert "'A5' speaks in 8 of the 10 files of this import and is the one interviewed in none of them" in out
    assert "study now has 10 sources, 10 participants (not counted: 2 interviewers, 1 team member)" in out
    code, out, _ = run(capsys, "participants", study, "--json")
    people = json.loads(out)
    assert Counter(p["role"] for p in people) == {"participant": 10, "interviewer": 2, "team": 1}
    code, out, err = run(capsys, "participants", study, "role", "A5", "observer")
    assert (code, out.strip()) == (0, "'A5' is now observer (O01)")
    code, out, err = run(capsys, "participants", study, "role", "O01", "team")
    assert (code, out.strip()) == (0, "'A5' is now team (T01)")
    code, _, err = run(capsys, "participants", study, "role", "A5", "boss")
    assert code == 1 and "unknown role 'boss'; choose one of: participant, interviewer, moderator, team, " \
        "observer" in err
    with Store.open(study) as store:
        a5 = find_participant(store, "A5")
        turn = next(u for u in store.utterances() if u.participant_id == a5.id)
        stage = list_codes(store, "stage")[0]
        add_coding(store, turn.source_id, turn.char_start, turn.char_end, stage.id)
        (column,) = [c for c in compute_journey(store).stages if c.stage.id == stage.id]
        assert len(column.quotes) == 1 and column.participant_ids == ()  # said, by no one the study counts
        assert code_counts(store)[stage.id] == (1, 0)
