"""One import of many files, settled as a whole (importers.batch): interviewers across files, the same
call in two formats, files that are not interviews, duplicate titles.

`tests/data/importers/academic/` holds ten interviews labelled `P1 0:00` / `A1 0:10` as academic
transcripts are (A1 interviews; in interview_07 A1 asks one opening question and then only listens, so
that file alone does not say who interviews) and the study's README.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from importer_testkit import FIXTURES

from coding.codebook import new_study
from coding.importing import import_transcripts
from coding.importing.transcript import source_transcripts
from coding.models import Transcript
from importers import load
from importers.batch import choose_files, not_an_interview, read_all, settle
from importers.speakers import Turn, finish, render

ACADEMIC = FIXTURES / "academic"
OTTER = FIXTURES / "otter"


def test_ten_academic_interviews_give_ten_participants_and_one_interviewer(tmp_path):
    read = read_all([ACADEMIC])
    assert len(read.transcripts) == 10
    assert "README.txt: skipped, its name says it is not an interview (name the file on its own to import it)" \
        in read.notes
    assert all(t.roles == {"A1": "interviewer"} for t in read.transcripts)
    seventh = next(t for t in read.transcripts if t.filename == "interview_07.txt")
    assert "'A1' taken as the interviewer: 'A1' interviews in 9 of the 10 files of this import" in seventh.notes
    assert "'A1' interviews in 9 of the 10 files it speaks in: one interviewer across them, also in " \
           "interview_07.txt" in read.notes

    store = new_study(tmp_path / "s.rtui", template="blank")
    import_transcripts(store, read.transcripts)
    assert len(store.participants(role="participant")) == 10
    (interviewer,) = store.participants(role="interviewer")
    assert (interviewer.name, interviewer.pseudonym) == ("A1", "I01")
    assert {p.name for p in store.participants(role="participant")} == {
        f"P1 (interview_{n:02d})" for n in range(1, 11)}
    # the interviewer's turns in every file belong to that one person
    sources = {s.id for s in store.sources()}
    assert {u.source_id for u in store.utterances() if u.participant_id == interviewer.id} == sources


def _talk(name: str, turns: list[tuple[str, str]]) -> Transcript:
    text, utterances = render([Turn(s, w) for s, w in turns])
    return finish(Transcript(name, f"{name}.txt", "text", text, utterances))


ASKED = [("A1", "How do you plan your week?"), ("P1", "On Sunday evenings, with a paper diary and a pencil."),
         ("A1", "Why paper?"), ("P1", "Because the phone distracts me and the diary never runs out of battery.")]
ASKED_TOO = [("A1", "What happens when a plan changes?"), ("P1", "I cross things out and write them again in red."),
             ("A1", "Does that work?"), ("P1", "Mostly. The diary gets messy by Friday, but I can still read it.")]
ASKED_BACK = [("A1", "Let me explain the study first. It is about planning, and it takes about an hour."),
              ("P1", "Okay. Do I need anything?"), ("A1", "No, nothing at all, just yourself."),
              ("P1", "And will it be recorded?"), ("A1", "Yes, only the audio, and it stays with us.")]


def test_a_file_where_the_participant_seemed_to_ask_follows_the_other_files():
    files = [_talk("one", ASKED), _talk("two", ASKED_TOO), _talk("three", ASKED_BACK)]
    assert files[2].roles == {"P1": "interviewer"}  # the file alone gets it wrong
    notes = settle(files).notes
    assert files[2].roles == {"A1": "interviewer"}
    assert "'A1' taken as the interviewer: 'A1' interviews in 2 of the 3 files of this import ('P1' is a " \
           "participant here)" in files[2].notes
    assert notes == ["'A1' interviews in 2 of the 3 files it speaks in: one interviewer across them, also in "
                     "three.txt"]


def test_diarization_labels_and_named_interviewers_are_not_generalised():
    def diarized(turns):
        return [("Speaker 1", w) if s == "A1" else ("Speaker 2", w) for s, w in turns]

    files = [_talk("one", diarized(ASKED)), _talk("two", diarized(ASKED_TOO)),
             _talk("three", [(s, w) for s, w in reversed(diarized(ASKED_BACK))])]
    assert files[2].roles == {"Speaker 2": "interviewer"}
    assert settle(files).notes == []  # "Speaker 1" is whoever spoke first in each call
    assert [t.roles for t in files] == [{"Speaker 1": "interviewer"}] * 2 + [{"Speaker 2": "interviewer"}]
    forced = [_talk("one", ASKED), _talk("two", ASKED_TOO), _talk("three", ASKED_BACK)]
    assert settle(forced, forced=True).notes == [] and forced[2].roles == {"P1": "interviewer"}


def test_the_same_call_as_otter_txt_and_docx_is_imported_once(tmp_path):
    folder = tmp_path / "calls"
    folder.mkdir()
    for suffix in ("docx", "txt"):
        shutil.copy(OTTER / f"otter_call_03.{suffix}", folder / f"otter_call_03.{suffix}")
    shutil.copy(FIXTURES / "otter_interview.txt", folder)
    read = read_all([folder])
    assert sorted(t.filename for t in read.transcripts) == ["otter_call_03.txt", "otter_interview.txt"]
    assert "otter_call_03.docx: skipped, the same conversation as otter_call_03.txt (100% of the words, the " \
           "same speakers in the same order)" in read.notes


def test_a_twin_of_a_source_already_in_the_study_is_skipped(tmp_path):
    store = new_study(tmp_path / "s.rtui", template="blank")
    import_transcripts(store, load(OTTER / "otter_call_03.txt"))
    read = read_all([OTTER / "otter_call_03.docx"], existing=source_transcripts(store))
    assert read.transcripts == []
    assert read.notes == ["otter_call_03.docx: skipped, the same conversation as already in the study as "
                          "'otter_call_03' (100% of the words, the same speakers in the same order)"]


def test_other_conversations_are_not_twins_and_renamed_speakers_are_named():
    one = _talk("one", ASKED * 3)
    regrouped = _talk("two", [("A1", " ".join(w for _, w in ASKED))] + ASKED * 2)  # same words, other turns
    other = _talk("three", ASKED_TOO * 3)
    assert len(settle([one, regrouped, other]).transcripts) == 3
    renamed = _talk("four", [("Speaker 1" if s == "A1" else "Speaker 2", w) for s, w in ASKED * 3])
    settled = settle([one, renamed])
    assert settled.transcripts == [one]
    assert settled.notes == ["four.txt: skipped, the same conversation as one.txt (100% of the words, the same "
                             "turns; its speakers are called 'Speaker 1', 'Speaker 2' there 'A1', 'P1')"]


def test_duplicate_titles_are_warned_about(tmp_path):
    a, b = _talk("interview", ASKED), _talk("interview", ASKED_BACK)
    b.filename = "b/interview.txt"
    assert settle([a, b]).notes[0] == (
        "warning: 2 sources are titled 'interview' (interview.txt, b/interview.txt): the study tells them "
        "apart by adding the format or a number to the later titles")


def test_files_that_are_not_interviews(tmp_path):
    for name in ("README.md", "LICENSE.txt", "CHANGELOG.md", "notes.txt", "interview_3_notes.txt",
                 "interview_3.txt", "readme-first.txt", "Notebook.txt"):
        (tmp_path / name).write_text("Anna: Hello?\nBen: Hi.\n")
    files, notes = choose_files([tmp_path], (".txt", ".md"))
    assert [f.name for f in files] == ["Notebook.txt", "interview_3.txt"]
    assert len(notes) == 6 and all("skipped, its name says it" in n for n in notes)
    assert not_an_interview(tmp_path / "interview_3_notes.txt").startswith(
        "interview_3_notes.txt: skipped, its name says it holds notes, not an interview")
    files, notes = choose_files([tmp_path / "README.md"], (".txt", ".md"))  # named on its own: read
    assert [f.name for f in files] == ["README.md"] and notes == []


def test_subfolders_are_named_not_passed_over_in_silence(tmp_path):
    from coding.models import ImportFailed

    for folder, names in (("round1", ["a.txt", "b.vtt"]), ("round2", ["c.txt"]), ("empty", []), (".git", ["x.txt"])):
        (tmp_path / "study" / folder).mkdir(parents=True)
        for name in names:
            (tmp_path / "study" / folder / name).write_text("Anna: Hello?\nBen: Hi.\n")
    with pytest.raises(ImportFailed) as failed:  # only subfolders: say which hold transcripts
        choose_files([tmp_path / "study"], (".txt", ".vtt"))
    assert str(failed.value).endswith("no transcript files in this folder itself; its subfolders hold some, "
                                      "name them to import them: round1/ (2 files), round2/ (1 file)")
    (tmp_path / "study" / "top.txt").write_text("Anna: Hello?\nBen: Hi.\n")
    files, notes = choose_files([tmp_path / "study"], (".txt", ".vtt"))
    assert [f.name for f in files] == ["top.txt"]
    assert notes == ["study: subfolders are not read, name them to import them: round1/ (2 files), round2/ (1 file)"]
    files, notes = choose_files([tmp_path / "study" / "round1", tmp_path / "study" / "round2"], (".txt", ".vtt"))
    assert [f.name for f in files] == ["a.txt", "b.vtt", "c.txt"] and notes == []


def test_files_of_other_types_in_a_folder_are_named_not_passed_over(tmp_path, capsys):
    """The real podcast folder holds a .vtt, a .srt and a JSON transcript: the JSON (like an interview saved
    as PDF or old Word) is named in the import report, the study's own files and OS litter are not."""
    from research_tui.cli import main

    real = Path(__file__).resolve().parents[1] / "data" / "public" / "transcripts" / "podcast_buzzsprout"
    folder = tmp_path / "podcast"
    folder.mkdir()
    for f in real.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    for name in ("P07 interview.pdf", "~$P07.docx", "Thumbs.db", ".DS_Store", "old.qdpx"):
        (folder / name).write_bytes(b"x")
    files, notes = choose_files([folder], (".srt", ".txt", ".vtt"))
    assert [f.name for f in files] == ["example.srt", "example.vtt"]
    assert notes == ["podcast: 3 files of other types are not read: P07 interview.pdf, example.json, old.qdpx "
                     "(it reads .srt, .txt, .vtt; save an interview as one of these to import it; a REFI-QDA "
                     "project (.qdpx, .qdc) is imported on its own)"]
    study = folder / "study.rtui"
    assert main(["new", str(study)]) == 0
    capsys.readouterr()
    assert main(["import", str(study), str(folder)]) == 0
    out = capsys.readouterr().out
    assert "podcast: 3 files of other types are not read: P07 interview.pdf, example.json, old.qdpx" in out
    assert "study.rtui" not in out.split("imported")[0]
    assert "study now has 2 sources" in out
    # `interviews/*.docx` hands the shell's expansion over, Word's owner file of an open one included
    files, notes = choose_files([folder / "~$P07.docx", folder / "example.vtt"], (".docx", ".vtt"), listed=True)
    assert [f.name for f in files] == ["example.vtt"]
    assert notes == ["~$P07.docx: skipped, Word's owner file of an open document, not a transcript"]
