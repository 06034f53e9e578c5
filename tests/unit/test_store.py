"""The study file: creation, import, participants, offsets, search, settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coding.codebook import find_code, list_stages, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.importing.transcript import apply_participant_sheet, is_generic_label
from coding.models import StudyError, Transcript, Utterance
from coding.search import search_turns
from coding.sources import source_summaries
from coding.study import Store
from coding.study.schema import SCHEMA_VERSION
from tests.conftest import INTERVIEW_A, span_of, transcript_from_lines


def test_new_study_has_journey_codebook_and_settings(tmp_path):
    store = new_study(tmp_path / "s.rtui", name="Patients")
    stages = [c.name for c in list_stages(store)]
    assert stages == ["Awareness", "Consideration", "Purchase", "Onboarding", "Use", "Support",
                      "Renewal/Advocacy"]
    assert find_code(store, "Frustrated").valence == -2
    assert find_code(store, "Clear information").attributes == {"need_type": "functional"}
    assert store.name == "Patients" and store.anonymize is False
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.mark.parametrize("template,first", [("inquiry", "Inquiry"), ("lifecycle", "Reach"), ("blank", None)])
def test_other_templates(tmp_path, template, first):
    store = new_study(tmp_path / "s.rtui", template=template)
    stages = list_stages(store)
    assert (stages[0].name if stages else None) == first


def test_unknown_template_creates_nothing(tmp_path):
    with pytest.raises(StudyError, match="unknown codebook template 'nope'"):
        new_study(tmp_path / "s.rtui", template="nope")
    assert not (tmp_path / "s.rtui").exists()


def test_create_refuses_existing_and_open_refuses_missing_or_foreign(tmp_path):
    new_study(tmp_path / "s.rtui").close()
    with pytest.raises(StudyError, match="already exists"):
        new_study(tmp_path / "s.rtui")
    with pytest.raises(StudyError, match="no such study file"):
        Store.open(tmp_path / "missing.rtui")
    junk = tmp_path / "junk.rtui"
    junk.write_text("hello, not a database")
    with pytest.raises(StudyError, match="not a research-tui study"):
        Store.open(junk)


def test_import_keeps_exact_offsets_and_roles(study):
    totals = study.totals()
    assert totals["sources"] == 2 and totals["utterances"] == 8
    assert totals["participants"] == 3  # one shared "Interviewer" + two named patients
    for source in study.sources():
        for u in study.utterances(source.id):
            assert source.text[u.char_start:u.char_end] == u.text
    people = {p.name: p for p in study.participants()}
    assert people["Interviewer"].role == "interviewer" and people["Interviewer"].pseudonym == "I01"
    assert people["Aisha Khan"].pseudonym == "P01" and people["George Wilson"].pseudonym == "P02"
    assert people["Aisha Khan"].attributes == {"segment": "NHS", "age_band": "35-54"}


def test_reimport_same_content_is_skipped(study):
    before = study.totals()
    report = import_transcripts(study, [transcript_from_lines("again", INTERVIEW_A)])
    assert report.added == []
    assert report.skipped == ["again.txt: skipped, the same text is already in the study as 'interview_a'"]
    assert study.totals() == before


def test_generic_labels_are_scoped_per_source(tmp_path):
    store = new_study(tmp_path / "s.rtui")
    lines = ["Interviewer: Hi?", "Respondent: Hello there."]
    import_transcripts(store, [transcript_from_lines("one", lines, roles={"Interviewer": "interviewer"}),
                              transcript_from_lines("two", lines + ["Respondent: More."],
                                                    roles={"Interviewer": "interviewer"})])
    names = sorted(p.name for p in store.participants())
    assert names == ["Interviewer", "Respondent (one)", "Respondent (two)"]
    assert is_generic_label("Speaker 2") and is_generic_label("P1") and not is_generic_label("Aisha Khan")


def test_a_sheet_row_for_a_label_of_several_files_is_not_given_to_the_first(tmp_path):
    """Two focus groups both have a "Participant 1": a sheet row "Participant 1" cannot say which."""
    store = new_study(tmp_path / "s.rtui")
    lines = ["Moderator: Hi all?", "Participant 1: Hello.", "Participant 2: Hi."]
    import_transcripts(store, [transcript_from_lines("london", lines, roles={"Moderator": "moderator"}),
                              transcript_from_lines("leeds", lines[:2] + ["Participant 1: More."],
                                                    roles={"Moderator": "moderator"})])
    notes = apply_participant_sheet(store, [
        {"name": "Participant 1", "segment": "renter"}, {"name": "Participant 2", "segment": "owner"},
         {"name": "Participant 1 (leeds)", "segment": "owner"}], filename="people.csv")
    people = {p.name: p for p in store.participants()}
    assert notes[0] == "people.csv: attributes joined for 2 of 3 rows"
    assert notes[1] == ("people.csv: 'Participant 1' is 2 people in the study (Participant 1 (london) = P01, "
                        "Participant 1 (leeds) = P03); row not used: name one of them in full or by pseudonym")
    assert people["Participant 1 (london)"].attributes == {}  # was given the row meant for nobody in particular
    assert people["Participant 2 (london)"].attributes == {"segment": "owner"}  # one of them: its label is enough
    assert people["Participant 1 (leeds)"].attributes == {"segment": "owner"}


def test_a_sheet_names_a_speaker_whose_label_adds_credentials_or_a_title(tmp_path):
    """The real podcast transcript labels the guest 'Mireille B. Reece, Psy.D'; a participants sheet names
    her 'Mireille B. Reece'. Her row is joined to her (and says so), not dropped as nobody's."""
    from importers import load

    real = Path(__file__).resolve().parents[1] / "data" / "public" / "transcripts" / "changelog_podcast"
    store = new_study(tmp_path / "s.rtui")
    import_transcripts(store, load(real / "brain-science-2.md"))
    import_transcripts(store, [transcript_from_lines("call", ["Dr. Anna Keller (she/her): Hello?", "Sam: Hi.",
                                                             "Anna Keller - iPad: Still there?"])])
    notes = apply_participant_sheet(store, [
        {"name": "Mireille B. Reece", "segment": "clinician"}, {"name": "anna keller", "segment": "nurse"},
         {"name": "Adam", "segment": "host"}], filename="people.csv")
    people = {p.name: p for p in store.participants()}
    assert notes[0] == "people.csv: attributes joined for 1 of 3 rows"
    assert "people.csv: 'Mireille B. Reece' joined to the speaker 'Mireille B. Reece, Psy.D'" in notes
    assert people["Mireille B. Reece, Psy.D"].attributes == {"segment": "clinician"}
    assert ("people.csv: 'anna keller' could be 2 speakers ('Dr. Anna Keller (she/her)', 'Anna Keller - iPad'); "
            "row not used: name one in full") in notes
    assert "people.csv: no speaker named 'Adam' in the study; row not used" in notes
    assert people["Adam Stacoviak"].attributes == {}


def test_import_is_one_transaction(tmp_path):
    store = new_study(tmp_path / "s.rtui")
    good = transcript_from_lines("good", ["A person: words here."])
    bad = Transcript("bad", "bad.txt", "text", "short", [Utterance("X", 0, 99)])
    with pytest.raises(StudyError, match="bad.txt"):
        import_transcripts(store, [good, bad])
    assert store.totals()["sources"] == 0 and store.participants() == []
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_participant_sheet_unknown_rows_and_pseudonym_override(study):
    notes = apply_participant_sheet(study, [
        {"name": "P02", "region": "North", "pseudonym": "Patient-G"}, {"name": "Nobody", "region": "x"}],
        filename="people.csv")
    assert notes[0] == "people.csv: attributes joined for 1 of 2 rows"
    assert "no speaker named 'Nobody'" in notes[1]
    george = next(p for p in study.participants() if p.name == "George Wilson")
    assert george.pseudonym == "Patient-G" and george.attributes["region"] == "North"


def test_fulltext_search_is_stemmed_and_safe(study):
    hits = search_turns(study, "waiting")
    assert [h.text[:20] for h in hits] == ["I waited three weeks"]
    assert search_turns(study, '"; DROP TABLE x') == []
    hits = search_turns(study, "results OR radiographer")
    assert sorted(h.text.split()[1] for h in hits) == ["radiographer", "results", "the", "waited"]


def test_source_summaries_and_coded_share(study):
    sid, a, b = span_of(study, "interview_a", "I waited three weeks for the results.")
    add_coding(study, sid, a, b, find_code(study, "Support").id)
    summary = {s["title"]: s for s in source_summaries(study)}
    assert summary["interview_a"]["speakers"] == ["Interviewer", "Aisha Khan"]
    assert summary["interview_a"]["utterances"] == 4
    spoken = sum(u.char_end - u.char_start for u in study.utterances(sid))
    assert summary["interview_a"]["coded_share"] == pytest.approx((b - a) / spoken)
    assert summary["interview_b"]["coded_share"] == 0


def test_database_enforces_offsets(study):
    with pytest.raises(sqlite3.IntegrityError):
        study.db.execute("INSERT INTO codings (source_id, char_start, char_end, code_id, coder, created_at, "
                         "modified_at) VALUES (1, 5, 5, 1, 'x', 'now', 'now')")


def test_same_title_from_two_formats_gets_a_distinct_title(study):
    t = transcript_from_lines("interview_a", ["Ann: something else entirely."])
    t.format = "vtt"
    report = import_transcripts(study, [t])
    assert report.added[0]["title"] == "interview_a (vtt)"
    assert [s.title for s in study.sources()][-1] == "interview_a (vtt)"
