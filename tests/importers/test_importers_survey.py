"""CSV survey answers (one transcript per respondent) and participant sheets."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importer_testkit import FIXTURES, shared

from coding.models import ImportFailed
from importers import load, load_participants, load_with_report
from importers.participants import read_participants
from importers.survey import SurveyChoice, read_survey

Q5 = "Q5 What was hardest about onboarding?"
Q7 = "Q7 What would you change first?"


def answers(t) -> list[str]:
    return [t.text[u.start : u.end] for u in t.utterances]


def test_small_semicolon_survey_guesses_columns():
    transcripts, choice = read_survey((FIXTURES / "survey_small.csv").read_text(), name="survey_small.csv")
    assert choice == SurveyChoice("Respondent ID", (Q5, Q7), ("Role", "Country", "Score"))
    assert choice.describe() == (
        f"id column 'Respondent ID'; 2 answer columns: Q5 '{Q5}', Q7 '{Q7}'; "
        "3 attribute columns: 'Role', 'Country', 'Score'"
    )
    assert choice.keys[Q5] == "Q5"  # a numbered question keeps its number as its short key
    # R-003 answered nothing and is left out
    assert [t.title for t in transcripts] == ["R-001", "R-002", "R-004"]
    first = transcripts[0]
    assert (first.format, first.filename, first.speakers) == ("csv", "survey_small.csv", ["R-001"])
    permissions = (
        "The permissions screen. I did not know who could see my drafts, so I kept everything private"
    )
    assert answers(first) == [permissions + " for weeks.", "Make sharing obvious from the first project"]
    assert first.text.startswith(f"{Q5}\nThe permissions screen.")
    assert f"\n\n{Q7}\nMake sharing obvious" in first.text
    assert first.attributes == {"R-001": {"Role": "Designer", "Country": "UK", "Score": "4"}}
    assert answers(transcripts[1]) == [
        "Setting up the API keys took most of a morning because the docs pointed to an old page."
    ]
    assert answers(transcripts[2])[1] == "A single inbox for recordings,\nwith the transcript next to it"
    for t in transcripts:
        t.check()


def test_explicit_columns_and_unknown_column():
    text = (FIXTURES / "survey_small.csv").read_text()
    transcripts, choice = read_survey(
        text, name="s.csv", id_column="respondent id", text_columns=[Q7], attribute_columns=["Country"]
    )
    assert choice.describe() == (
        f"id column 'Respondent ID'; 1 answer column: Q7 '{Q7}'; 1 attribute column: 'Country'; "
        f"3 columns left out: 'Role' (not chosen; looks like an attribute), Q5 '{Q5}' (not chosen; looks like "
        "answers), 'Score' (not chosen; looks like an attribute)")
    assert [t.title for t in transcripts] == ["R-001", "R-004"]
    assert transcripts[1].attributes == {"R-004": {"Country": "UK"}}
    with pytest.raises(ImportFailed) as info:
        read_survey(text, name="s.csv", text_columns=["Q9"])
    assert str(info.value).startswith("s.csv: no column 'Q9'; the columns are 'Respondent ID', 'Role'")


def test_tab_separated_without_id_column_numbers_rows():
    text = (
        "Team\tComment\nSales\tThe reports take far too long to load every Monday morning.\n"
        "Support\t\nSales\tI would like to export straight to a spreadsheet, please.\n"
    )
    transcripts, choice = read_survey(text, name="t.csv")
    assert choice.id_column is None
    assert choice.describe() == "respondents numbered by row; 1 answer column: 'Comment'; 1 attribute column: 'Team'"
    assert [(t.title, t.speakers) for t in transcripts] == [
        ("Respondent 1", ["Respondent 1"]),
        ("Respondent 3", ["Respondent 3"]),
    ]


def test_duplicate_ids_and_bad_csv():
    text = "ID,Answer\nA1,This is a long enough answer to count as text\nA1,Another long answer given here\n"
    with pytest.raises(ImportFailed) as info:
        read_survey(text, name="d.csv", id_column="ID")
    assert (info.value.line, info.value.detail) == (3, "respondent id 'A1' repeats (first on line 2)")
    with pytest.raises(ImportFailed, match="found no free-text answer columns"):
        read_survey("a,b\n1,2\n3,4\n", name="n.csv")


def test_an_answer_split_by_an_unquoted_delimiter_is_refused_not_cut():
    header = "respondent;age band;What was hardest about booking?\n"
    ok = 'R1;18-34;"The letter said one date; the text another."\nR2;55+;Nobody answered the phone for days.;;\n'
    transcripts, _choice = read_survey(header + ok, name="s.csv")
    assert [t.text.splitlines()[1] for t in transcripts] == ["The letter said one date; the text another.",
                                                             "Nobody answered the phone for days."]
    bad = "R1;18-34;The letter said one date; the text message said another.\nR2;55+;Nobody answered for days.\n"
    with pytest.raises(ImportFailed) as info:
        read_survey(header + bad, name="s.csv")
    assert info.value.line == 2 and "4 values but the header has 3 columns" in info.value.detail


def test_jupyter_survey_export():
    """The real SurveyGizmo export: every column is used or left out with a reason, write-ins and short
    open answers ("Tool / Application #1", "Other - Write In") are answers, long questions get keys."""
    result = load_with_report(shared("surveys/jupyter_ux_survey_2015/20160115235816-SurveyExport.csv"))
    transcripts, choice = result.transcripts, result.survey
    assert choice.id_column is None  # no id column in this export: rows are numbered
    assert len(choice.text_columns) == 28
    assert choice.text_columns[0].startswith("What, if anything, hinders you")
    write_ins = [c for c in choice.text_columns if c.startswith(("Other - Write In", "Other word(s)", "Tool /"))]
    assert len(write_ins) == 5
    assert choice.attribute_columns[:2] == ("Status", "How often do you use Jupyter Notebook?")
    assert choice.left_out == (
        ("Time Started", "dates, times and durations"), ("Date Submitted", "dates, times and durations"),
        ("Select all the words that best describe Jupyter Notebook.",
         "several choices in one cell, 292 combinations"))
    header = next(csv.reader(open(shared("surveys/jupyter_ux_survey_2015/20160115235816-SurveyExport.csv"),
                                  encoding="utf-8")))
    used = {*choice.text_columns, *choice.attribute_columns, *(c for c, _ in choice.left_out)}
    assert used == {" ".join(h.split()) for h in header}  # every column accounted for
    report = "\n".join(result.notes)
    assert " more" not in report.replace("even more", "").replace("see more", "")
    assert all(f"'{c}'" in report for c in used)  # in full
    assert len(transcripts) == 975  # of 1,706 rows, those with at least one open answer
    first = transcripts[0]
    assert first.title == "Respondent 2"
    assert answers(first)[0] == (
        "Ways to hide helper function definitions (or easier ways to import functions "
        "from notebooks). But those might be bad practices"
    )
    assert [u.question for u in first.utterances][:3] == ["q5", "q7", "q8"]
    assert first.questions["q4"] == "How often do you use Jupyter Notebook?"
    assert first.attributes["Respondent 2"]["Status"] == "Complete"
    assert first.attributes["Respondent 2"]["q4"] == "Daily"  # --segment q4=Daily
    assert result.notes[0] == "survey: respondents numbered by row"
    assert result.notes[-1].startswith("survey: 975 respondents with answers, 10252 answers, 25 of them empty-looking")
    for t in transcripts:
        t.check()
        assert all(t.text[u.start : u.end].strip() == t.text[u.start : u.end] for u in t.utterances)


def test_qualcoder_survey456():
    transcripts = load(shared("transcripts/qualcoder_sample/survey456.csv"))
    assert [t.title for t in transcripts] == ["ID4", "ID5", "ID6"]
    assert transcripts[1].attributes == {"ID5": {"Gender": "m", "Interest": "golf"}}  # empty Age left out
    assert answers(transcripts[2]) == [
        (
            "I did not enrol in any studies, even though I am retired. "
            "Currently, I am mainly enjoying being away "
            "from work and doing my gardening."
        )
    ]


def test_load_passes_survey_options():
    transcripts = load(FIXTURES / "survey_small.csv", survey_options={"text_columns": Q5})
    assert [t.title for t in transcripts] == ["R-001", "R-002", "R-004"]
    assert all(len(t.utterances) == 1 for t in transcripts)
    with pytest.raises(ImportFailed, match="unknown survey option 'id'"):
        load(FIXTURES / "survey_small.csv", survey_options={"id": "x"})


def test_participants_sheet():
    rows = load_participants(FIXTURES / "participants.csv")
    assert rows == [
        {"name": "Anna Keller", "Role": "interviewer", "Segment": "", "Age band": "", "Region": ""},
        {
            "name": "Participant 4",
            "Role": "participant",
            "Segment": "Frequent caller",
            "Age band": "55-64",
            "Region": "North",
        },
        {
            "name": "Jordan",
            "Role": "participant",
            "Segment": "Switcher",
            "Age band": "25-34",
            "Region": "South",
        },
    ]


def test_participants_semicolon_and_pseudonym_column_with_duplicate():
    with pytest.raises(ImportFailed) as info:
        load_participants(FIXTURES / "participants_duplicate.csv")
    assert str(info.value) == "participants_duplicate.csv:4: duplicate name 'p1' (first on line 2)"


def test_participants_errors():
    with pytest.raises(ImportFailed) as info:
        load_participants(FIXTURES / "participants_no_name.csv")
    assert info.value.detail == (
        "no name column (one of name, participant, speaker, pseudonym, id); the columns are 'Role', 'Segment'"
    )
    with pytest.raises(ImportFailed, match="empty file"):
        read_participants("\n \n", name="p.csv")
    with pytest.raises(ImportFailed, match="no participants"):
        read_participants("Name,Role\n", name="p.csv")
    assert read_participants("Speaker\tSegment\nP1\tNew\n", name="p.tsv") == [
        {"name": "P1", "Segment": "New"}
    ]


CSV_TOKENS = [
    "a",
    "b",
    ",",
    ";",
    "\t",
    "\n",
    '"',
    "ID",
    "Name",
    "a long answer with several words in it",
    "\r\n",
]


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CSV_TOKENS), max_size=40).map("".join))
def test_csv_readers_only_raise_import_failed(data):
    try:
        transcripts, _ = read_survey(data, name="fuzz.csv")
    except ImportFailed:
        transcripts = []
    for t in transcripts:
        t.check()
        assert all(t.text[u.start : u.end].strip() for u in t.utterances)
    try:
        rows = read_participants(data, name="fuzz.csv")
    except ImportFailed:
        return
    assert all(row["name"] for row in rows)


def test_a_sheet_with_no_answers_says_which_option_names_them(tmp_path, capsys):
    """The Jupyter survey team's roles.csv (`;` separated, an unnamed id column, codes and keywords): no
    column looks like free text, and the error names the CLI option, not an internal argument."""
    from research_tui.cli import main

    sheet = tmp_path / "roles.csv"
    sheet.write_text(";roles_roles;roles_keywords;roles_primary\n1;scientist,student;student;student\n"
                     "5;scientist;(astro|bio|geo)?physic(s|ist)?;scientist\n6;educator;professor;educator\n",
                     encoding="utf-8")
    study = tmp_path / "s.rtui"
    assert main(["new", str(study)]) == 0
    assert main(["import", str(study), str(sheet)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("research-tui: error: roles.csv: found no free-text answer columns; name them with "
                          "--text-column COL (columns: ") and "text_columns" not in err
    assert err.count("\n") == 0
