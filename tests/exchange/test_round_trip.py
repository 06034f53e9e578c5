"""What a .qdpx round trip keeps, table by table, and what a native copy keeps (issue 16): the demo study
with its personas, to-be plans and KPIs, a turn marked not speech, and a survey with its questions."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from coding.codebook import new_study
from coding.exchange.apply import import_project
from coding.importing import import_transcripts
from coding.sources import set_source_memo
from coding.study import Store, backup
from coding.turns import set_not_speech
from exports.qdpx import write_qdpx
from importers import load
from importers.qdpx import read_qdpx

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "public" / "refi-qda" / "Project.xsd"
SURVEY = Path(__file__).resolve().parents[1] / "data" / "importers" / "survey_small.csv"
NS = "{urn:QDA-XML:project:1.0}"

# each: what a table holds, by value (ids differ between studies); JSON compared parsed
KEPT = {
    "codes": "SELECT name, kind, colour, description, position, valence, attributes, "
             "(SELECT name FROM codes p WHERE p.id = c.parent_id) FROM codes c",
    "sources": "SELECT title, filename, format, text, memo, position, imported_at, metadata FROM sources",
    "participants": "SELECT name, pseudonym, role, attributes FROM participants",
    "turns": "SELECT s.title, u.position, p.name, u.start_ms, u.end_ms, u.char_start, u.char_end, u.text, u.words, "
             "u.empty_answer, u.not_speech, (SELECT key FROM questions q WHERE q.id = u.question_id) "
             "FROM utterances u JOIN sources s ON s.id = u.source_id JOIN participants p ON p.id = u.participant_id",
    "codings": "SELECT s.title, c.char_start, c.char_end, k.name, c.coder, c.origin, c.created_at, c.memo "
               "FROM codings c JOIN sources s ON s.id = c.source_id JOIN codes k ON k.id = c.code_id",
    "memos": "SELECT (SELECT title FROM sources s WHERE s.id = m.source_id), title, text FROM memos m",
    "questions": "SELECT key, text, survey, kind, position FROM questions",
    "personas": "SELECT name, description, goals, attributes, position, method FROM personas",
    "persona members": "SELECT pe.name, p.name FROM persona_members m JOIN personas pe ON pe.id = m.persona_id "
                       "JOIN participants p ON p.id = m.participant_id",
    "stage plans": "SELECT k.name, sp.as_is, sp.to_be, sp.kpis, (SELECT json_group_array(o.name) FROM codes o, "
                   "json_each(sp.opportunity_ids) j WHERE o.id = j.value) FROM stage_plans sp "
                   "JOIN codes k ON k.id = sp.stage_id",
}


def _value(v):
    if isinstance(v, str) and v[:1] in "[{":
        try:
            return json.dumps(json.loads(v), sort_keys=True)
        except ValueError:
            return v
    return v


def content(path: Path) -> dict[str, list]:
    with sqlite3.connect(path) as db:
        return {name: sorted((tuple(_value(v) for v in row) for row in db.execute(sql)), key=repr)
                for name, sql in KEPT.items()}


@pytest.fixture
def full_study(demo, tmp_path):
    """The demo (3 personas, 5 stages planned with KPIs) plus a survey, a memo and a turn marked not speech."""
    import_transcripts(demo, load(SURVEY))
    source = demo.sources()[0]
    set_not_speech(demo, [demo.utterances(source.id)[0].id])
    set_source_memo(demo, source.id, "Recorded in the car park.")
    demo.db.execute("INSERT INTO memos (source_id, title, text, author, created_at, modified_at) "
                    "VALUES (NULL, 'Plan', 'Second round in May', 'sam', '2026-01-01', '2026-01-01')")
    demo.db.conn.commit()
    return demo


def test_a_qdpx_round_trip_keeps_plans_kpis_personas_questions_and_not_speech_turns(full_study, tmp_path):
    before = content(full_study.path)
    assert len(before["personas"]) == 3 and len(before["stage plans"]) == 5 and len(before["questions"]) == 5
    out = tmp_path / "study.qdpx"
    write_qdpx(full_study, out, anonymize=False)
    import xmlschema

    with zipfile.ZipFile(out) as z:
        xml = z.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(str(SCHEMA)).validate(xml)
    project = read_qdpx(out.read_bytes(), name="study.qdpx")
    assert project.skipped == []
    fresh = new_study(tmp_path / "fresh.rtui", template="blank", coder="someone")
    report = import_project(fresh, project, filename="study.qdpx")
    assert "to-be plans (with their KPIs): 5 stages" in report.lines() and "personas: 3" in report.lines()
    after = content(fresh.path)
    for table in KEPT:
        assert after[table] == before[table], table
    # what it does not keep: the change history (undo), and the study's own name and settings
    assert [a.summary for a in fresh.history()] == ["imported study.qdpx: 1820 codings, 70 new codes"]
    assert fresh.name == "fresh" and fresh.setting("template") == "blank"
    fresh.close()


def test_other_tools_see_plans_and_personas_as_notes_and_no_one_speaking_a_not_speech_turn(full_study, tmp_path):
    out = tmp_path / "study.qdpx"
    write_qdpx(full_study, out, anonymize=True)
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(out) as z:
        root = fromstring(z.read("project.qde"))
    notes = {n.get("name"): n.findtext(f"{NS}PlainTextContent") for n in root.iter(f"{NS}Note")}
    referred = {r.get("targetGUID") for r in root.iterfind(f"{NS}NoteRef")}
    plan = notes["To be: Waiting for results"]
    assert plan.startswith("To be: ") and "\nKPI: " in plan and "\nOpportunities: " in plan
    persona = next(text for name, text in notes.items() if name.startswith("Persona: "))
    assert "\nMembers: P" in persona and "Aisha" not in persona  # pseudonyms: the export is anonymized
    assert {n.get("guid") for n in root.iter(f"{NS}Note") if n.get("name").startswith(("To be", "Persona"))} \
        <= referred
    assert notes["Survey questions"].splitlines()[0] == "Q5: Q5 What was hardest about onboarding?"
    cases = {c.get("name"): {r.get("targetGUID") for r in c.iterfind(f"{NS}SelectionRef")}
             for c in root.iter(f"{NS}Case")}
    first = root.find(f"{NS}Sources/{NS}TextSource")
    header = next(s for s in first.iterfind(f"{NS}PlainTextSelection") if '"not_speech": true' in
                  (s.findtext(f"{NS}Description") or ""))
    assert not any(header.get("guid") in refs for refs in cases.values())
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{NS}Variable")}
    assert "persona" in variables.values()
    assert all("Aisha Khan" not in (n or "") for n in notes.values())


def test_a_project_does_not_overwrite_plans_or_personas_the_study_has(full_study, tmp_path):
    out = tmp_path / "study.qdpx"
    write_qdpx(full_study, out, anonymize=False)
    report = import_project(full_study, read_qdpx(out.read_bytes(), name="study.qdpx"), filename="study.qdpx")
    assert report.plans == report.personas == 0
    assert "kept the study's own to-be plan of stage 'Waiting for results' (the project's is not used)" \
        in report.notes
    assert "kept the study's own persona 'Short on time' (the project's is not used)" in report.notes


def test_a_native_copy_keeps_everything_the_history_too(full_study, tmp_path, capsys):
    from research_tui.cli import main

    before = content(full_study.path)
    copy = tmp_path / "copy.rtui"
    assert main(["copy", str(full_study.path), str(copy), "--name", "Second wave"]) == 0
    assert capsys.readouterr().out.startswith(f"copied {full_study.path} to {copy}: 14 sources")
    assert content(copy) == before
    with Store.open(copy) as copied:
        assert copied.name == "Second wave"
        assert [a.summary for a in copied.history(100)] == [a.summary for a in full_study.history(100)]
        assert copied.undo() is not None  # undo goes on in the copy
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    assert main(["copy", str(full_study.path), str(copy)]) == 1
    assert "a file of that name exists; a copy is always a new file" in capsys.readouterr().err
    with pytest.raises(Exception, match="exists"):
        backup.copy_study(full_study, full_study.path)


@pytest.mark.parametrize("anonymize", [False, True])
def test_two_respondents_who_answered_alike_stay_two_after_a_round_trip(tmp_path, anonymize):
    survey = tmp_path / "pulse.csv"
    survey.write_text("id,What should we fix first?,Team\nr1,The search is slow,Design\nr2,The search is slow,"
                      "Research\nr3,Nothing really,Design\n")
    study = new_study(tmp_path / "s.rtui", template="blank")
    import_transcripts(study, load(survey, survey_options={"text_columns": ["What should we fix first?"]}))
    out = tmp_path / "s.qdpx"
    write_qdpx(study, out, anonymize=anonymize)
    fresh = new_study(tmp_path / "fresh.rtui", template="blank")
    report = import_project(fresh, read_qdpx(out.read_bytes(), name="s.qdpx"), filename="s.qdpx")
    assert len(report.sources_added) == 3 and report.sources_matched == []
    assert sorted(p.attributes["Team"] for p in fresh.participants()) == ["Design", "Design", "Research"]
    assert [(u.text, u.question_id is not None) for u in fresh.utterances()] == [
        ("The search is slow", True), ("The search is slow", True), ("Nothing really", True)]
    again = import_project(fresh, read_qdpx(out.read_bytes(), name="s.qdpx"), filename="s.qdpx")
    assert again.sources_added == [] and len(again.sources_matched) == 3
