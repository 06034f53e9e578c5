"""Big inputs in linear time (issue 19 item 6). Times and memory are `make bench` rows
(benchmarks/large_inputs.py); these tests hold the behaviour the faster code must keep."""

from __future__ import annotations

import random

from coding.codebook import add_code, list_codes, new_study
from coding.exchange.apply import import_project
from importers.batch import choose_files, settle
from importers.qdpx import read_qdc
from research_tui.cli import main
from tests.conftest import transcript_from_lines

WORDS = "the scan letter waiting room nurse results phone app booking referral doctor worried relieved".split()


def _codebook(codes: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="x">'
            f"<Codes>{codes}</Codes></CodeBook>").encode()


def _code(i: int, name: str, children: str = "") -> str:
    return f'<Code guid="00000000-0000-4000-8000-{i:012d}" name="{name}" isCodable="true">{children}</Code>'


def test_ten_thousand_codes_of_one_name_each_get_their_own(tmp_path):
    """Before: the 10,002nd "Same" raised StopIteration (names were tried up to "Same (9999)")."""
    project = read_qdc(_codebook("".join(_code(i, "Same") for i in range(10_002))), name="same.qdc")
    with new_study(tmp_path / "s.rtui", template="blank") as study:
        report = import_project(study, project, filename="same.qdc")
        names = [c.name for c in list_codes(study)]
        assert len(report.codes_added) == 10_002
        assert names[:3] == ["Same", "Same (2)", "Same (3)"] and names[-1] == "Same (10002)"
        assert len(set(n.casefold() for n in names)) == 10_002
        positions = [p for (p,) in study.db.execute("SELECT position FROM codes ORDER BY id")]
        assert positions == list(range(10_002))  # one after another, as the per-code query gave them


def test_a_codebook_keeps_its_nesting_and_goes_after_the_codes_already_there(tmp_path):
    book = _code(1, "Waiting", _code(2, "Other") + _code(3, "Letters")) + _code(4, "Staff", _code(5, "Other"))
    with new_study(tmp_path / "s.rtui") as study:
        add_code(study, "Already here", "theme")
        last = max(c.position for c in list_codes(study) if c.kind == "theme")
        import_project(study, read_qdc(_codebook(book), name="b.qdc"), filename="b.qdc")
        codes = {c.name: c for c in list_codes(study)}
        assert codes["Other (Staff)"].parent_id == codes["Staff"].id  # a second "Other" named by its parent
        assert codes["Other"].parent_id == codes["Waiting"].id
        added = [codes[n].position for n in ("Waiting", "Other", "Letters", "Staff", "Other (Staff)")]
        assert added == list(range(last + 1, last + 6))


def _interview(rng: random.Random, name: str, turns: int = 8) -> list[str]:
    return [f"{'Interviewer' if k % 2 == 0 else 'Participant'}: {' '.join(rng.choices(WORDS, k=12))}."
            for k in range(turns)]


def test_twins_are_found_among_many_interviews():
    """Each interview is compared only with those sharing its smallest 5-gram hashes; twins are still found:
    the same call exported twice, and a copy with a few words changed (95% of its 5-grams in common)."""
    rng = random.Random(19)
    talks = [transcript_from_lines(f"interview_{i:03d}", _interview(rng, str(i), 20)) for i in range(400)]
    twin = transcript_from_lines("interview_007 copy", [line for line in _lines(talks[7])])
    near = _lines(talks[12])
    near[3] = near[3].replace(near[3].split()[3], "parking", 1)
    near_twin = transcript_from_lines("interview_012 edited", near)
    settled = settle([*talks, twin, near_twin])
    assert len(settled.transcripts) == 400
    skipped = sorted(n for n in settled.notes if "skipped, the same conversation" in n)
    assert [n.split(":")[0] for n in skipped] == ["interview_007 copy.txt", "interview_012 edited.txt"]
    assert "the same conversation as interview_007.txt (100% of the words" in skipped[0]


def _lines(t) -> list[str]:
    return [f"{u.speaker}: {t.text[u.start:u.end]}" for u in t.utterances]


def test_a_folder_of_many_files_is_chosen_once_each(tmp_path):
    folder = tmp_path / "calls"
    folder.mkdir()
    for i in range(3000):
        (folder / f"call_{i:04d}.txt").write_text("A: hi\n")
    files, notes = choose_files([folder, folder / "call_0001.txt", folder], (".txt",))
    assert len(files) == 3000 and files[0].name == "call_0000.txt" and notes == []


def test_info_shows_a_survey_as_one_line(tmp_path, capsys):
    survey = tmp_path / "visits.csv"
    rng = random.Random(3)
    survey.write_text("respondent,segment,What happened at your visit?\n"
                      + "".join(f"r{i},NHS,{' '.join(rng.choices(WORDS, k=5))}\n" for i in range(300)))
    talk = tmp_path / "interview_a.txt"
    talk.write_text("Interviewer: How was it?\nAisha Khan: I waited three weeks for the results.\n")
    study = tmp_path / "s.rtui"
    assert main(["new", str(study)]) == 0
    assert main(["import", str(study), str(survey), str(talk)]) == 0
    capsys.readouterr()
    assert main(["info", str(study)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "  visits.csv                   csv     300 utt    1500 words    0% coded  300 respondents"
    assert lines[3].startswith("  interview_a                  text      2 utt") and len(lines) == 5
    assert main(["anonymize", str(study), "on"]) == 0 and main(["info", str(study)]) == 0
    assert capsys.readouterr().out.splitlines()[-3].startswith("  survey 1                     csv     300 utt")


def test_a_long_import_shows_its_progress_on_standard_error(tmp_path, capsys, monkeypatch):
    """On a terminal, after a second (here at once): what it is doing, how far, cleared at the end."""
    from research_tui.progress import Progress

    monkeypatch.setattr(Progress, "ALWAYS", True)
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    monkeypatch.setattr(Progress, "EVERY", 0.001)
    monkeypatch.setattr("coding.importing.PROGRESS_EVERY", 1)
    folder = tmp_path / "calls"
    folder.mkdir()
    rng = random.Random(5)
    for i in range(40):
        (folder / f"call_{i:02d}.txt").write_text("\n".join(_interview(rng, str(i))) + "\n")
    study = tmp_path / "s.rtui"
    assert main(["new", str(study)]) == 0
    assert main(["import", str(study), str(folder)]) == 0
    captured = capsys.readouterr()
    err = captured.err
    assert "\rresearch-tui: reading files" in err and "\rresearch-tui: storing sources" in err
    drawn = [part for part in err.split("\r") if part.strip()]
    assert all(p.startswith("research-tui: ") for p in drawn)
    assert err.endswith("\r") and err.rsplit("\r", 2)[-2].strip() == ""  # wiped: nothing left on the line
    assert "\r" not in captured.out and "study now has 40 sources" in captured.out


def test_no_progress_when_standard_error_is_not_a_terminal(tmp_path, capsys):
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "call.txt").write_text("Interviewer: How was it?\nParticipant: Long.\n")
    study = tmp_path / "s.rtui"
    assert main(["new", str(study)]) == 0
    assert main(["import", str(study), str(folder)]) == 0
    assert capsys.readouterr().err == ""
