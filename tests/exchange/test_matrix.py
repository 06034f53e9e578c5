"""Code matrices: counts that trace back to the quotes behind them."""

from __future__ import annotations

import csv

import pytest

from coding.codebook import find_code
from coding.codings import add_coding
from coding.matrix import compute
from coding.models import StudyError
from exports.matrix_csv import write_matrix
from tests.conftest import span_of


@pytest.fixture
def coded(study):
    def code(title, words, *names):
        sid, a, b = span_of(study, title, words)
        for name in names:
            add_coding(study, sid, a, b, find_code(study, name).id)

    code("interview_a", "I waited three weeks for the results.", "Anxious", "Awareness")
    code("interview_a", "I was nervous.", "Anxious")
    code("interview_b", "The results letter was full of jargon. I was confused.", "Confused", "Awareness")
    code("interview_b", "I felt safe.", "Reassured")
    add_coding(study, *span_of(study, "interview_b", "I was confused."), find_code(study, "Anxious").id, coder="priya")
    return study


def test_code_by_attribute(coded):
    m = compute(coded, "kind:emotion", "attr:segment")
    assert m.cols.labels == ["NHS", "Private"]
    values = dict(zip(m.rows.labels, m.table()))
    assert values["Anxious"] == [2, 1] and values["Confused"] == [0, 1] and values["Reassured"] == [0, 1]
    i, j = m.rows.labels.index("Anxious"), 1
    [(sid, a, b)] = m.quotes[(i, j)]
    assert coded.source_text(sid)[a:b] == "I was confused."
    people = compute(coded, "kind:emotion", "attr:segment", count="participants")
    assert dict(zip(people.rows.labels, people.table()))["Anxious"] == [1, 1]
    flipped = compute(coded, "attr:segment", "kind:emotion")
    assert flipped.table() == [list(col) for col in zip(*m.table())]


def test_code_by_code_co_occurrence(coded):
    m = compute(coded, "kind:emotion", "kind:stage")
    row = dict(zip(m.rows.labels, m.table()))
    awareness = m.cols.labels.index("Awareness")
    assert row["Anxious"][awareness] == 3   # its own quote, the stage quote it shares, and the overlapping one
    assert row["Confused"][awareness] == 1  # the same words carry both codes: one quote
    assert row["Reassured"][awareness] == 0
    diag = compute(coded, "kind:emotion", "kind:emotion")
    anxious = diag.rows.labels.index("Anxious")
    assert diag.table()[anxious][anxious] == 3


def test_bad_specs(coded):
    with pytest.raises(StudyError, match="kind:KIND"):
        compute(coded, "stage", "attr:segment")
    with pytest.raises(StudyError, match="no participant has the attribute 'colour'"):
        compute(coded, "kind:stage", "attr:colour")
    with pytest.raises(StudyError, match="must be codes"):
        compute(coded, "attr:segment", "attr:age_band")


def test_csv_and_cli(coded, tmp_path, capsys):
    from research_tui.cli import main

    out = tmp_path / "m.csv"
    write_matrix(coded, out, rows="kind:emotion", cols="attr:segment")
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["kind:emotion \\ attr:segment (quotes)", "NHS", "Private"]
    assert ["Anxious", "2", "1"] in rows
    path = coded.path
    coded.close()
    assert main(["matrix", str(path), "--rows", "kind:emotion", "--cols", "attr:segment", "--count",
                 "participants"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split()[-2:] == ["NHS", "Private"]
    assert any(line.split() == ["Anxious", "1", "1"] for line in printed)
    out = str(tmp_path / "s.csv")
    assert main(["matrix", str(path), "--rows", "kind:stage", "--cols", "attr:segment", "-o", out]) == 0
    assert (tmp_path / "s.csv").exists()
