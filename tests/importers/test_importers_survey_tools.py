"""Survey exports as the tools write them: SurveyMonkey (a second header row), Qualtrics (three header
rows), Google Forms (a timestamp first). Files in `tests/data/importers/surveys/`, shaped like the real
exports: respondent metadata, personal data, matrix and "Other (please specify)" columns, "NA" answers.
"""

from __future__ import annotations

import csv

import pytest
from importer_testkit import FIXTURES

from coding.models import is_empty_answer
from importers import load_with_report
from importers.survey import read_survey

SURVEYS = FIXTURES / "surveys"


def said(t) -> dict[str, str]:
    return {u.question: t.text[u.start:u.end] for u in t.utterances}


def test_surveymonkey_second_header_row():
    result = load_with_report(SURVEYS / "surveymonkey_booking_app.csv")
    choice, transcripts = result.survey, result.transcripts
    assert choice.layout == "SurveyMonkey"
    assert len(transcripts) == 8  # the "Response / Open-Ended Response" row is not a respondent
    assert [t.title for t in transcripts][:2] == ["114523987651", "114523987652"]
    assert choice.text_columns == ("Which features do you use? - Other (please specify)",
                                   "What was the hardest part of getting started?",
                                   "Is there anything else you would like to tell us?")
    assert choice.attribute_columns == ("How often do you use the booking app?", "Which features do you use? - Booking",
                                        "Which features do you use? - Reminders",
                                        "Which features do you use? - Messages",
                                        "How likely are you to recommend the app to a friend?")
    assert dict(choice.left_out) == {
        "Collector ID": "survey metadata", "Start Date": "dates, times and durations",
        "End Date": "dates, times and durations", "IP Address": "personal data", "Email Address": "personal data",
        "First Name": "personal data", "Last Name": "personal data", "Custom Data 1": "survey metadata"}
    mum = transcripts[4]
    assert said(mum)["q14"] == "Repeat prescriptions for my mum"  # "Other (please specify)": an answer
    assert mum.attributes == {"114523987655": {"q10": "Less than monthly", "q11": "Booking", "q13": "Messages",
                                               "q16": "3"}}
    assert mum.text.startswith("Which features do you use? - Other (please specify)\nRepeat prescriptions")
    assert result.notes[1].startswith(
        "survey: 3 answer columns: q14 'Which features do you use? - Other (please specify)', q15 ")


def test_qualtrics_three_header_rows():
    result = load_with_report(SURVEYS / "qualtrics_checkout.csv")
    choice, transcripts = result.survey, result.transcripts
    assert choice.layout == "Qualtrics"
    assert choice.id_column == "Response ID"
    assert len(transcripts) == 8  # neither the question row nor the ImportId row is a respondent
    assert [choice.keys[c] for c in choice.text_columns] == ["Q2_4_TEXT", "Q3", "Q4"]  # the write-in too
    assert [choice.keys[c] for c in choice.attribute_columns] == ["Q1", "Q2", "Q5"]
    assert len(choice.left_out) == 16
    assert ("IP Address", "personal data") in choice.left_out
    assert ("Location Latitude", "personal data") in choice.left_out
    third = transcripts[2]
    assert said(third) == {
        "Q2_4_TEXT": "Gift card and card together",
        "Q3": "The gift card field rejected the code twice because of a space at the end.",
        "Q4": "Let me pay with a gift card and a card in one go."}
    assert third.questions["Q3"] == "What, if anything, almost stopped you from completing your purchase?"
    assert third.attributes[third.title] == {"Q1": "Every week", "Q2": "Other", "Q5": "45-54"}


def test_google_forms_timestamp_and_email_left_out():
    result = load_with_report(SURVEYS / "google_forms_workshop.csv")
    choice = result.survey
    assert choice.layout == "Google Forms"
    assert choice.left_out == (("Timestamp", "dates, times and durations"), ("Email Address", "personal data"))
    assert [choice.keys[c] for c in choice.text_columns] == ["q4", "q5"]
    assert [choice.keys[c] for c in choice.attribute_columns] == ["q3", "q6"]
    assert result.notes[2] == ("survey: 2 attribute columns: q3 'How did you hear about the workshop?', "
                               "q6 'How would you rate the workshop overall?'")


@pytest.mark.parametrize("name", ["surveymonkey_booking_app.csv", "qualtrics_checkout.csv",
                                  "google_forms_workshop.csv"])
def test_every_column_is_used_or_left_out_with_a_reason(name):
    choice = load_with_report(SURVEYS / name).survey
    used = [choice.id_column, *choice.text_columns, *choice.attribute_columns, *(c for c, _ in choice.left_out)]
    width = len(next(csv.reader(open(SURVEYS / name, encoding="utf-8"))))
    assert len([c for c in used if c]) == width
    assert all(why for _, why in choice.left_out)


@pytest.mark.parametrize("answer, empty", [
    ("NA", True), ("N/A", True), ("n/a.", True), ("N.A.", True), ("-", True), ("--", True), ("...", True),
    ("None", True), ("none!", True), ("Nothing", True), ("No comment", True), ("no comments.", True),
    ("Not applicable", True), ("x", True),
    ("No", False), ("no", False), ("Yes", False), ("Nothing worked until I rang them.", False),
    ("None of the buttons did anything", False), ("NAS drive", False),
])
def test_empty_looking_answers(answer, empty):
    assert is_empty_answer(answer) is empty


def test_empty_answers_are_kept_and_flagged():
    transcripts, _ = read_survey((SURVEYS / "qualtrics_checkout.csv").read_text(encoding="utf-8"), name="q.csv")
    fourth = transcripts[3]
    assert said(fourth) == {"Q3": "NA", "Q4": "NA"}
    assert [u.empty for u in fourth.utterances] == [True, True]
    no = transcripts[7]
    assert said(no) == {"Q3": "No", "Q4": "No"} and not any(u.empty for u in no.utterances)


def test_columns_are_found_by_key_or_question():
    text = (SURVEYS / "surveymonkey_booking_app.csv").read_text(encoding="utf-8")
    _, choice = read_survey(text, name="s.csv", text_columns=["q15"], attribute_columns=["how often do you use "
                                                                                          "the booking app?"])
    assert choice.text_columns == ("What was the hardest part of getting started?",)
    assert choice.attribute_columns == ("How often do you use the booking app?",)
    assert ("Which features do you use? - Other (please specify)", "not chosen; looks like answers") \
        in choice.left_out
