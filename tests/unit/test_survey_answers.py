"""Survey answers in the study: every respondent is a person, re-imports are skipped as a whole, empty-
looking answers are flagged and left out of counts and candidate quotes, questions keep short keys."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from coding import answers as A
from coding.codebook import list_stages, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.people import find_participant
from coding.study import Store
from coding.study.schema import SCHEMA_VERSION, migrations
from coding.study.studyfile import APP_ID
from importers import load

SURVEYS = Path(__file__).resolve().parents[1] / "data" / "importers" / "surveys"
ANYTHING = "Is there anything else you would like to tell us about booking?"


def _study(tmp_path) -> Store:
    return new_study(tmp_path / "s.rtui", template="blank")


def _survey(tmp_path, rows: list[str], name: str = "feedback.csv") -> Path:
    path = tmp_path / name
    path.write_text("Respondent,How often do you book?," + ANYTHING + "\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


ROWS = ["R1,Weekly,NA", "R2,Monthly,no", "R3,Weekly,NA", "R4,Monthly,no",
        "R5,Weekly,The reminder texts arrive after the appointment.", "R6,Weekly,-"]


def test_two_respondents_with_the_same_short_answer_are_two_people(tmp_path):
    store = _study(tmp_path)
    report = import_transcripts(store, load(_survey(tmp_path, ROWS)))
    assert len(report.added) == 6 and report.skipped == []
    assert [s.title for s in store.sources()] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert len(store.participants()) == 6


def test_the_import_report_has_one_line_per_survey_file_not_per_respondent(tmp_path):
    from tests.conftest import transcript_from_lines

    store = _study(tmp_path)
    interview = transcript_from_lines("call", ["Interviewer: Hi?", "Dana Ortiz: Hello there."])
    report = import_transcripts(store, [*load(_survey(tmp_path, ROWS)), interview])
    imported = [line for line in report.lines() if line.startswith("imported ")]
    assert imported == ["imported feedback.csv: 6 respondents, each a source ('R1' … 'R6'), 6 answers",
                        "imported call.txt as 'call': 2 utterances, speakers Interviewer, Dana Ortiz"]


def test_the_same_survey_again_is_skipped_as_a_whole_and_new_rows_come_in(tmp_path):
    store = _study(tmp_path)
    import_transcripts(store, load(_survey(tmp_path, ROWS)))
    again = import_transcripts(store, load(_survey(tmp_path, ROWS)))
    assert again.added == []
    assert again.skipped == ["feedback.csv: skipped, this survey is already in the study (6 respondents)"]
    more = import_transcripts(store, load(_survey(tmp_path, ROWS + ["R7,Daily,NA", "R8,Daily,Easier cancelling."])))
    assert [a["title"] for a in more.added] == ["R7", "R8"]
    assert more.skipped == ["feedback.csv: 6 of 8 respondents are already in the study and were skipped; "
                            "2 new ones imported"]
    assert len(store.sources()) == 8


def test_empty_answers_are_kept_flagged_and_left_out_of_counts(tmp_path):
    store = _study(tmp_path)
    import_transcripts(store, load(_survey(tmp_path, ROWS)))
    flagged = [(u.text, u.empty_answer) for u in store.utterances()]
    assert flagged == [("NA", True), ("no", False), ("NA", True), ("no", False),
                       ("The reminder texts arrive after the appointment.", False), ("-", True)]
    totals = store.totals()
    assert (totals["utterances"], totals["words"]) == (3, 9)  # "no", "no" and the reminder sentence
    (question,) = A.questions(store)
    assert (question.key, question.text, question.answers, question.empty) == ("q3", ANYTHING, 3, 3)
    assert [a.text for a in A.answers(store, question)] == ["no", "no", "The reminder texts arrive after the "
                                                                        "appointment."]
    assert len(A.answers(store, question, include_empty=True)) == 6


def test_candidate_quotes_skip_empty_answers(tmp_path):
    from coding.nlp.segments import candidates

    store = _study(tmp_path)
    import_transcripts(store, load(_survey(tmp_path, ROWS)))
    assert [c.text for c in candidates(store)] == ["no", "no", "The reminder texts arrive after the appointment."]


def test_long_questions_get_short_keys_and_attributes_use_them(tmp_path):
    store = _study(tmp_path)
    import_transcripts(store, load(SURVEYS / "surveymonkey_booking_app.csv"))
    person = find_participant(store, "114523987651 (surveymonkey_booking_app)")  # an id scoped to its survey
    assert person.attributes == {"q10": "Weekly", "q11": "Booking", "q12": "Reminders", "q16": "9"}
    labels = A.attribute_questions(store)
    assert labels["q10"] == "How often do you use the booking app?"
    assert labels["q11"] == "Which features do you use? - Booking"
    assert [q.key for q in A.questions(store)] == ["q14", "q15", "q17"]
    assert A.find_question(store, "q15").text == "What was the hardest part of getting started?"
    assert A.find_question(store, "15").key == "q15"
    assert A.find_question(store, "hardest part").key == "q15"


def test_a_second_survey_with_other_questions_under_the_same_keys(tmp_path):
    store = _study(tmp_path)
    import_transcripts(store, load(SURVEYS / "google_forms_workshop.csv"))
    first = {q.key: q.text for q in A.questions(store)}
    other = tmp_path / "other.csv"
    other.write_text("Timestamp,Email Address,Where did you park today?,What did you think of the food at the event?,"
                     "What would you change about the workshop?\n"
                     "3/1/2024 10:00:00,,Car park B,The sandwiches were fine but there was nothing vegan at all.,"
                     "Less talking at the start.\n", encoding="utf-8")
    report = import_transcripts(store, load(other))
    keys = {q.key: q.text for q in A.questions(store)}
    assert keys["q4"] == first["q4"] and keys["q4.2"] == "What did you think of the food at the event?"
    assert keys["q5"] == first["q5"]  # the same question again keeps its key: answers line up
    assert "q5.2" not in keys
    assert any("this survey's 'q4' (What did you think of the food at the event?) is 'q4.2'" in n
               for n in report.notes)


def test_a_study_with_surveys_from_before_gets_questions_and_flags(tmp_path):
    path = tmp_path / "old.rtui"
    db = Database(path)
    db.execute(f"PRAGMA application_id = {APP_ID}")  # every study carries it: only studies are opened
    migrations.apply(db, stop_before="m007_survey_questions")
    text = f"{ANYTHING}\nNA\n\nHow often do you book?\nWeekly, and I hate it\n\n"
    db.execute("INSERT INTO sources VALUES (1, 'R1', 'feedback.csv', 'csv', 'h1', '2024-01-01', ?, "
               "'{\"survey\": \"feedback.csv\", \"row\": 1}', 0, '')", [text])
    db.execute("INSERT INTO participants VALUES (1, 'R1', 'P01', 'participant', '{}')")
    a = len(ANYTHING) + 1
    b = text.index("Weekly")
    db.execute("INSERT INTO utterances (id, source_id, participant_id, position, char_start, char_end, text, words) "
               "VALUES (1, 1, 1, 0, ?, ?, 'NA', 1)", [a, a + 2])
    db.execute("INSERT INTO utterances (id, source_id, participant_id, position, char_start, char_end, text, words) "
               "VALUES (2, 1, 1, 1, ?, ?, 'Weekly, and I hate it', 5)", [b, b + 21])
    db.close()
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION
    assert [(q.key, q.text) for q in A.questions(store)] == [("q1", ANYTHING), ("q2", "How often do you book?")]
    assert [u.empty_answer for u in store.utterances()] == [True, False]
    # re-importing the same file into the old study is recognised by file, row and text
    store.close()


def test_segment_by_a_short_key(tmp_path):
    from coding.synthesis import compute_journey

    store = new_study(tmp_path / "s.rtui", template="journey")
    import_transcripts(store, load(SURVEYS / "surveymonkey_booking_app.csv"))
    stage = list_stages(store)[0]
    for u in store.utterances():
        if u.question_id and not u.empty_answer:
            add_coding(store, u.source_id, u.char_start, u.char_end, stage.id)
    weekly = {p.id for p in store.participants() if p.attributes.get("q10") == "Weekly"}
    journey = compute_journey(store, segment=("q10", "Weekly"))
    quoted = {pid for q in journey.quotes for pid in q.participant_ids}
    assert len(weekly) == 3 and len(quoted) == 2 and quoted < weekly  # the third said only "-" and "NA"
