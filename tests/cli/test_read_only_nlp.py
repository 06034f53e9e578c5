"""NLP on a study that may not be written (issue 8): the candidate quotes are cut in memory, nothing is written.

The study's turns were never cut into candidate quotes, so every command below must cut them, in memory.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from coding.codebook import find_code, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.nlp.segments import candidates, stale_turns
from coding.study import Store, studyfile
from tests.conftest import INTERVIEW_A, INTERVIEW_B, transcript_from_lines
from tests.unit.test_studyfile import IS_ROOT, _files


def _study(path: Path) -> None:
    """Two interviews coded by two coders (the report's method section then compares them), never cut."""
    store = new_study(path, coder="sam")
    import_transcripts(store, [transcript_from_lines("interview_a", INTERVIEW_A),
                              transcript_from_lines("interview_b", INTERVIEW_B)])
    for coder in ("sam", "priya"):
        for title, words in (("interview_a", "I waited three weeks for the results."),
                             ("interview_b", "I was confused.")):
            source = next(s for s in store.sources() if s.title == title)
            start = source.text.index(words)
            add_coding(store, source.id, start, start + len(words), find_code(store, "Anxious").id, coder=coder)
    assert stale_turns(store) > 0
    store.close()


def _unchanged(study: Path, before: dict[str, bytes]) -> bool:
    """The study byte-identical and nothing in a write-ahead log (root's mode=ro connection may leave an
    empty -wal and an -shm index in a folder only root can write)."""
    now = _files(study.parent)
    return now[study.name] == before[study.name] and not now.get(study.name + "-wal")


@pytest.fixture
def locked_study(tmp_path, monkeypatch):
    """A study whose file (0444) and folder (0555) may not be written. Root ignores permissions, so for
    root the check is told what it would say for anyone else (SQLite then opens the file with mode=ro,
    which refuses every write for real); forking to `nobody`, as test_studyfile does, would hang in
    scikit-learn's OpenMP pool, which does not survive a fork."""
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "s.rtui"
    _study(path)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    if IS_ROOT:
        locked = str(folder)
        real = studyfile.writable
        monkeypatch.setattr(studyfile, "writable", lambda p: not str(Path(p).absolute()).startswith(locked)
                            and real(p))
    yield path
    os.chmod(folder, 0o755)


def test_candidates_of_a_study_open_for_reading_are_cut_in_memory_and_match_the_stored_ones(tmp_path):
    path = tmp_path / "s.rtui"
    _study(path)
    before = _files(tmp_path)
    with Store.open(path, read_only=True) as store:
        in_memory = candidates(store, include_interviewers=True)
        again = candidates(store, include_interviewers=True)
        participants = candidates(store)
        one_source = candidates(store, source_id=in_memory[-1].source_id)
    assert _files(tmp_path) == before                       # not one byte written
    assert in_memory == again and all(c.id < 0 for c in in_memory)
    with Store.open(path) as store:                         # the same quotes, cut into the study
        stored = candidates(store, include_interviewers=True)
        assert [(c.source_id, c.participant_id, c.start, c.end, c.text) for c in stored] == \
            [(c.source_id, c.participant_id, c.start, c.end, c.text) for c in in_memory]
        assert [c.text for c in participants] == [c.text for c in candidates(store)]
        assert [c.text for c in one_source] == [c.text for c in candidates(store, source_id=one_source[0].source_id)]
        assert all(store.source_text(c.source_id)[c.start:c.end] == c.text for c in in_memory)


def test_cluster_suggest_report_agreement_and_matrix_work_on_a_read_only_study_in_a_read_only_folder(
        locked_study, tmp_path, capsys):
    from research_tui.cli import main

    before = _files(locked_study.parent)
    printed = {}
    for argv in (["cluster", "--json", "--k", "2"], ["suggest", "--json"], ["report", "-o", str(tmp_path / "r.docx")],
                 ["agreement", "--json"], ["matrix", "--rows", "kind:emotion", "--cols", "codes"]):
        assert main([argv[0], str(locked_study), *argv[1:]]) == 0, capsys.readouterr().err
        printed[argv[0]] = capsys.readouterr().out
        assert _unchanged(locked_study, before), argv
    assert _unchanged(locked_study, before)                  # nothing written: no candidates, no cache
    with Store.open(locked_study, read_only=True) as store:
        quotes = candidates(store)
        assert stale_turns(store) > 0
    run = json.loads(printed["cluster"])
    rest = run["unclustered"]["quotes"]  # quotes that say little are not clustered
    assert run["quotes"] == sum(c["size"] for c in run["clusters"]) == len(quotes) - len(rest) > 0
    assert {q["text"] for c in run["clusters"] for q in c["quotes"]} | {q["text"] for q in rest} \
        == {q.text for q in quotes}
    assert "quotes" in json.loads(printed["suggest"])
    agreement = json.loads(printed["agreement"])
    assert agreement["coders"] == ["priya", "sam"] and agreement["overall"]["percent"] == 1.0
    assert "Anxious" in printed["matrix"]
    assert (tmp_path / "r.docx").read_bytes()[:2] == b"PK"
    with zipfile.ZipFile(tmp_path / "r.docx") as docx:      # the method section compared the two coders
        assert "Krippendorff" in docx.read("word/document.xml").decode()
