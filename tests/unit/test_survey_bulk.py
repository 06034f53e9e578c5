"""A survey file's respondents are stored in bulk as they are read (`coding.respondents`), not as a
Transcript each held until the end (issue 19 item 6: a million rows took 468 s and 2.1 GB). The study
must get exactly the rows the one-by-one path gives it: these tests import the same files both ways
and compare every row, and check the one transaction, progress and undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coding.codebook import list_codes, new_study
from coding.importing import import_transcripts
from coding.importing import survey as respondents
from coding.nlp.segments import segment_study
from coding.search import search_spans, search_turns
from coding.study import Store
from importers import Survey, load_with_report
from research_tui.cli import main
from tests.conftest import INTERVIEW_A, transcript_from_lines

JUPYTER = Path(__file__).parents[1] / "data/public/surveys/jupyter_ux_survey_2015/20160115235816-SurveyExport.csv"
HEADER = "respondent,segment,How often do you book?,What would make booking easier for you?\n"


def _rows(tmp_path: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _read(path: Path, way: str, **options) -> list:
    """A file's transcripts as the import gets them: one Survey (bulk), or a Transcript per respondent."""
    result = load_with_report(path, survey_options=options or None)
    assert isinstance(result.transcripts, Survey)
    return [result.transcripts] if way == "bulk" else list(result.transcripts)


def _content(store: Store) -> dict:
    """Every row an import writes (the time of import aside), the candidate quotes and the search index."""
    segment_study(store)
    q = store.db.execute
    return {
        "sources": q("SELECT id, title, filename, format, content_hash, text, metadata, position, memo "
                     "FROM sources ORDER BY id").fetchall(),
        "participants": q("SELECT * FROM participants ORDER BY id").fetchall(),
        "utterances": q("SELECT * FROM utterances ORDER BY id").fetchall(),
        "questions": q("SELECT * FROM questions ORDER BY id").fetchall(),
        "candidates": q("SELECT * FROM candidates ORDER BY id").fetchall(),
        "search": q("SELECT rowid, text FROM utterances_fts ORDER BY rowid").fetchall(),
        "found": q("SELECT rowid FROM utterances_fts WHERE utterances_fts MATCH 'reminder' ORDER BY rowid").fetchall(),
        "log": q("SELECT kind, summary, changes, undoable, state FROM actions ORDER BY id").fetchall(),
    }


def _both_ways(tmp_path: Path, steps) -> tuple[dict, dict]:
    """Run `steps(store, way)` (imports, returning their report lines) on a new study each way."""
    out = {}
    for way in ("one by one", "bulk"):
        with new_study(tmp_path / f"{way}.rtui", coder="tester") as store:
            lines = steps(store, way)
            out[way] = (_content(store), lines)
    return out["one by one"], out["bulk"]


def _assert_same(old: tuple[dict, list], new: tuple[dict, list]) -> None:
    for table in old[0]:
        assert new[0][table] == old[0][table], table
    assert new[1] == old[1]


def test_a_real_survey_export_gives_the_same_rows_either_way(tmp_path):
    """975 respondents of the Jupyter UX survey: sources, participants with attributes, answers with their
    offsets and questions, candidate quotes, the search index and the log, row for row."""
    def steps(store, way):
        return import_transcripts(store, _read(JUPYTER, way)).lines()

    old, new = _both_ways(tmp_path, steps)
    _assert_same(old, new)
    content = new[0]
    assert len(content["sources"]) == 975 and len(content["utterances"]) == 10252
    assert len(content["candidates"]) >= 10252 and len(content["search"]) == 10252
    assert new[1][0].startswith("imported 20160115235816-SurveyExport.csv: 975 respondents")
    text = {sid: t for sid, _, _, _, _, t, *_ in content["sources"]}
    for _uid, sid, _pid, _pos, _a, _b, start, end, words, *_ in content["utterances"]:
        assert text[sid][start:end] == words  # offsets exact


ROWS = ["R1,NHS,Weekly,The reminder texts arrive after the appointment.",
        "R2,Private,Monthly,NA",
        "R3,NHS,,Booking online would be easier than phoning at eight.",
        "R4,,Weekly,",
        "r1,NHS,Daily,A reminder the day before."]  # the same person as R1 (names compare without case)


def test_a_second_wave_existing_people_generic_labels_and_a_file_named_twice(tmp_path):
    """What the bulk path decides like the one-by-one path: respondents already in the study (their
    attributes joined), a survey imported again (skipped), new rows of it, respondents numbered by row
    ("Respondent 3", one per file), a label of the research team, a forced interviewer, an existing
    question's key taken by another question, and the same file named twice in one import."""
    first = _rows(tmp_path, "wave1.csv", ROWS[:3])
    wave2 = tmp_path / "w2"
    wave2.mkdir()
    again = _rows(wave2, "wave1.csv", ROWS)  # same name, two more rows
    numbered = _rows(tmp_path, "numbered.csv", [r.split(",", 1)[1] for r in ROWS],
                     header=HEADER.split(",", 1)[1])
    other = _rows(tmp_path, "other.csv", ["R9,NHS,Daily,Parking was the worst part of it all."],
                  header="respondent,segment,How often do you book?,What was the worst part of the visit?\n")
    team = transcript_from_lines("interview_a", [*INTERVIEW_A, "Respondent 2: Thanks, noted."],
                                 roles={"Interviewer": "interviewer", "Respondent 2": "team"})

    def steps(store, way):
        lines = import_transcripts(store, [team, *_read(first, way)]).lines()
        lines += import_transcripts(store, _read(first, way)).lines()  # all of it already there
        lines += import_transcripts(store, [*_read(again, way), *_read(numbered, way)],
                                          interviewers=["R3"]).lines()
        lines += import_transcripts(store, [*_read(other, way), *_read(other, way)]).lines()
        return lines

    old, new = _both_ways(tmp_path, steps)
    _assert_same(old, new)
    lines = new[1]
    assert "wave1.csv: skipped, this survey is already in the study (3 respondents)" in lines
    assert "wave1.csv: 3 of 4 respondents are already in the study and were skipped; 1 new ones imported" in lines
    assert "other.csv: 1 of 2 respondents are already in the study and were skipped; 1 new ones imported" in lines
    assert "other.csv: another question of the study is already 'q4'; this survey's 'q4' (What was the worst " \
           "part of the visit?) is 'q4.2'" in lines
    people = {name: (pseudo, role, attrs) for _, name, pseudo, role, attrs in new[0]["participants"]}
    assert people["R1 (wave1)"] == ("P02", "participant", '{"segment": "NHS", "q3": "Daily"}')  # r1 joined R1
    assert people["Respondent 2"][1] == "team" and "Respondent 2 (numbered)" not in people
    assert people["Respondent 5 (numbered)"][0] == "P07" and people["R9 (other)"][0] == "P08"
    assert sum(s[2] == "other.csv" for s in new[0]["sources"]) == 1  # named twice, stored once


def test_respondents_named_by_name_new_known_and_special(tmp_path):
    """Respondents with their own names, most simply new people (written without the per-speaker rules),
    next to those a rule applies to: a name already in the study in another case, a name repeated in
    another file, a forced interviewer, a name with spaces around it, the unattributed stand-in, a
    generic label the study has as a team member, non-ASCII names and a taken pseudonym."""
    names = tmp_path / "names.csv"
    names.write_text(HEADER + "\n".join([
        "Ana Lima,NHS,Weekly,The reminder came late.", "Björn,Private,,Booking online was easy.",
        "\" Chidi \",NHS,Daily,Nobody called back.", "(unattributed),NHS,Weekly,Odd name for a person.",
        "Dana,NHS,Weekly,I am the moderator really.", "Respondent 2,NHS,Weekly,The team member's id.",
        "ÉMILE,,Monthly,Waiting room was cold.", "P01,NHS,Weekly,My id looks like a pseudonym."]) + "\n",
        encoding="utf-8")
    more = _rows(tmp_path, "more.csv", ["ana lima,Private,Daily,Second survey and the same person.",
                                        "émile,NHS,Weekly,Same person in lower case?", "Fay,NHS,Weekly,New here."])
    team = transcript_from_lines("interview_a", [*INTERVIEW_A, "Respondent 2: Thanks, noted.", "Ana Lima: Hello."],
                                 roles={"Interviewer": "interviewer", "Respondent 2": "team"})

    def steps(store, way):
        lines = import_transcripts(store, [team]).lines()
        lines += import_transcripts(store, [*_read(names, way), *_read(more, way)], interviewers=["dana"]).lines()
        return lines

    old, new = _both_ways(tmp_path, steps)
    _assert_same(old, new)
    people = {name: (pseudo, role) for _, name, pseudo, role, _ in new[0]["participants"]}
    assert people["Dana"][1] == "interviewer" and people["Björn"][1] == "participant"
    assert "ana lima" not in people and "Fay" in people and len(new[0]["sources"]) == 12


def test_a_failure_half_way_leaves_the_study_as_it_was(tmp_path, monkeypatch):
    """One transaction: rows already written by earlier batches go too, the search index and its trigger
    are as before, and the same import works afterwards."""
    monkeypatch.setattr(respondents, "FLUSH", 100)
    calls = []
    flush = respondents.Pending.flush

    def failing(self):
        calls.append(1)
        if len(calls) == 4:
            raise sqlite3.OperationalError("disk I/O error (injected)")
        flush(self)

    with new_study(tmp_path / "s.rtui", coder="tester") as store:
        import_transcripts(store, [transcript_from_lines("interview_a", INTERVIEW_A)])
        before = _content(store)
        monkeypatch.setattr(respondents.Pending, "flush", failing)
        with pytest.raises(Exception, match="disk I/O error"):
            import_transcripts(store, _read(JUPYTER, "bulk"))
        assert len(calls) == 4  # three batches of 100 respondents were written before it failed
        assert _content(store) == before
        assert store.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'utterances_ai'").fetchone()[0]
        monkeypatch.setattr(respondents.Pending, "flush", flush)
        report = import_transcripts(store, _read(JUPYTER, "bulk"))
        assert report.count == 975 and store.totals()["sources"] == 976
        assert len(search_turns(store, "notebook")) > 0  # indexed


def test_the_cli_shows_progress_and_the_import_leaves_undo_as_it_was(tmp_path, capsys, monkeypatch):
    from research_tui.progress import Progress

    monkeypatch.setattr(Progress, "ALWAYS", True)
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    monkeypatch.setattr(Progress, "EVERY", 0.001)
    monkeypatch.setattr("coding.importing.PROGRESS_EVERY", 1)
    survey = _rows(tmp_path, "booking.csv", [f"R{i},NHS,Weekly,I booked it on the phone after {i} tries."
                                             for i in range(1, 301)])
    study = tmp_path / "s.rtui"
    assert main(["new", str(study)]) == 0
    assert main(["codes", str(study), "add", "Waiting", "--kind", "theme"]) == 0
    capsys.readouterr()
    assert main(["import", str(study), str(survey)]) == 0
    captured = capsys.readouterr()
    assert "\rresearch-tui: storing sources" in captured.err and "of 300" in captured.err
    assert "imported booking.csv: 300 respondents, each a source ('R1' … 'R300'), 300 answers" in captured.out
    assert "study now has 300 sources, 300 participants, 300 utterances" in captured.out
    assert main(["history", str(study)]) == 0
    assert "imported 300 sources" in capsys.readouterr().out
    assert main(["undo", str(study)]) == 0  # an import is not an undo step: undo takes back the code added
    with Store.open(study) as store:
        assert "Waiting" not in {c.name for c in list_codes(store)}
        assert store.totals()["sources"] == 300
    assert main(["sources", str(study), "delete", "R7"]) == 0  # a respondent removed, undoably
    assert main(["undo", str(study)]) == 0
    with Store.open(study) as store:
        assert store.totals()["sources"] == 300 and len(search_spans(store, "tries")) == 300
