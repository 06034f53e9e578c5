"""`research-tui answers` and the participants' question legend, on a SurveyMonkey-shaped export."""

from __future__ import annotations

import json
from pathlib import Path

from research_tui.cli import main

SURVEYS = Path(__file__).resolve().parents[1] / "data" / "importers" / "surveys"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_answers_lists_questions_and_every_answer_to_one(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    code, out, err = run(capsys, "import", study, SURVEYS / "surveymonkey_booking_app.csv")
    assert code == 0, err
    assert "survey: 8 columns left out: 'Collector ID' (survey metadata), 'Start Date'" in out
    code, out, _ = run(capsys, "answers", study)
    assert out.splitlines() == [
        "q14          3 answers    0 empty  Which features do you use? - Other (please specify)",
        "q15          6 answers    2 empty  What was the hardest part of getting started?",
        "q17          5 answers    3 empty  Is there anything else you would like to tell us?"]
    source = "114523987652"
    run(capsys, "code", study, source, "The password rules", "Pain point")
    code, out, _ = run(capsys, "answers", study, "hardest part")
    lines = out.splitlines()
    assert lines[:2] == ["q15 · What was the hardest part of getting started?",
                         "6 answers from surveymonkey_booking_app.csv; 2 empty-looking left out (--empty lists them)"]
    assert lines[3].endswith("for an app I open once a month.  [Pain point]")
    code, out, _ = run(capsys, "answers", study, "17", "--empty", "--json")
    data = json.loads(out)
    assert data["question"]["key"] == "q17"
    assert [a["text"] for a in data["answers"] if a["empty"]] == ["NA", "NA", "none"]
    assert len(data["answers"]) == 8
    code, _, err = run(capsys, "answers", study, "q99")
    assert code != 0 and "no question 'q99'" in err
    code, out, _ = run(capsys, "info", study)
    assert "(5 empty-looking survey answers, such as 'NA' or '-', are kept but not counted)" in out
    code, out, _ = run(capsys, "info", study, "--json")
    assert json.loads(out)["empty_answers"] == 5 and json.loads(out)["totals"]["utterances"] == 14


def test_participants_show_the_questions_behind_short_keys(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    run(capsys, "import", study, SURVEYS / "qualtrics_checkout.csv")
    code, out, _ = run(capsys, "participants", study)
    assert "Q1=Every week, Q2=Card, Q5=25-34" in out
    assert out.rstrip().endswith("attribute questions:\n  Q1       How often do you shop with us online?\n"
                                 "  Q2       Which payment method did you use? - Selected Choice\n"
                                 "  Q5       Age group")
    code, out, _ = run(capsys, "participants", study, "--json")
    assert json.loads(out)[0]["questions"]["Q1"] == "How often do you shop with us online?"
