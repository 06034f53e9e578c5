"""Agreement between coders on candidate quotes, checked against scikit-learn and worked examples."""

from __future__ import annotations

import pytest

from coding.agreement import cohen_kappa, compute, covers, krippendorff_alpha, resolve
from coding.codebook import find_code
from coding.codings import add_coding, list_codings
from coding.models import StudyError
from tests.conftest import span_of


def test_kappa_and_alpha_match_the_worked_example_and_sklearn():
    # Cohen's classic example (Wikipedia, "Cohen's kappa"): 50 proposals, 20 yes/yes, 15 no/no,
    # 5 yes/no, 10 no/yes -> p_o = 0.7, p_e = 0.5, kappa = 0.4; Krippendorff's alpha is 0.4 too here.
    a = [True] * 20 + [False] * 15 + [True] * 5 + [False] * 10
    b = [True] * 20 + [False] * 15 + [False] * 5 + [True] * 10
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    from sklearn.metrics import cohen_kappa_score

    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert krippendorff_alpha([a, b]) == pytest.approx(0.4)
    # by hand: 1 - (n-1) * disagreeing pairs / (2 * n_yes * n_no) = 1 - 99 * 30 / (2 * 55 * 45)
    assert krippendorff_alpha([a, b]) == pytest.approx(1 - 99 * 30 / (2 * 55 * 45))
    assert cohen_kappa([False] * 5, [False] * 5) is None and krippendorff_alpha([[False] * 5] * 2) is None


def test_covers_half_the_unit_or_lies_inside_it():
    assert covers((0, 10), (0, 20)) and covers((5, 8), (0, 20))
    assert not covers((15, 40), (0, 20))          # a quarter of the unit, spilling past it
    assert not covers((20, 30), (0, 20))


def _code(store, title, words, code, coder):
    sid, a, b = span_of(store, title, words)
    add_coding(store, sid, a, b, find_code(store, code).id, coder=coder)


@pytest.fixture
def two_coders(study):
    for coder in ("sam", "priya"):
        _code(study, "interview_a", "I waited three weeks for the results.", "Anxious", coder)
        _code(study, "interview_b", "I was confused.", "Confused", coder)
    _code(study, "interview_a", "Nobody told me how long it would take.", "Frustrated", "sam")
    _code(study, "interview_a", "Nobody told me how long it would take.", "Anxious", "priya")
    _code(study, "interview_b", "I felt safe.", "Reassured", "sam")
    return study


def test_compute_on_candidate_quotes(two_coders):
    from sklearn.metrics import cohen_kappa_score

    result = compute(two_coders, ["sam", "priya"])
    assert result.sources == ["interview_a", "interview_b"]
    # the participants' sentences of the two interviews: 6 in A, 4 in B (the interviewer's are left out)
    assert {c.scores.units for c in result.codes} == {10}
    by_name = {c.name: c.scores for c in result.codes}
    assert set(by_name) == {"Anxious", "Confused", "Frustrated", "Reassured"}
    assert by_name["Confused"].percent == 1.0 and by_name["Confused"].kappa == pytest.approx(1.0)
    assert by_name["Reassured"].applied == {"sam": 1, "priya": 0}
    assert by_name["Reassured"].percent == pytest.approx(9 / 10)
    assert by_name["Anxious"].applied == {"sam": 1, "priya": 2}
    assert [d.unit.text for d in result.disagreements] == ["Nobody told me how long it would take.",
                                                           "I felt safe."]
    nobody = result.disagreements[0]
    anxious, frustrated = find_code(two_coders, "Anxious").id, find_code(two_coders, "Frustrated").id
    assert nobody.codes == {"sam": (frustrated,), "priya": (anxious,)}
    # the pooled figures are scikit-learn's on every decision
    sam, priya = _decisions(two_coders, result)
    assert len(sam) == 40
    assert result.overall.kappa == pytest.approx(cohen_kappa_score(sam, priya))
    assert result.overall.percent == pytest.approx(sum(x == y for x, y in zip(sam, priya)) / 40)


def _decisions(store, result):
    from coding.agreement import covers as cov
    from coding.nlp.segments import candidates

    a, b = [], []
    rows = store.db.execute("SELECT source_id, char_start, char_end, code_id, coder FROM codings").fetchall()
    titles = {s.title: s.id for s in store.sources()}
    for c in result.codes:
        for title in result.sources:
            for cand in candidates(store, source_id=titles[title]):
                for coder, out in (("sam", a), ("priya", b)):
                    out.append(any(r[0] == cand.source_id and r[3] == c.code_id and r[4] == coder
                                   and cov((r[1], r[2]), (cand.start, cand.end)) for r in rows))
    return a, b


def test_resolve_keeps_one_side_or_both_and_undoes(two_coders):
    result = compute(two_coders, ["sam", "priya"])
    nobody = next(d for d in result.disagreements if "Nobody told me" in d.unit.text)
    before = two_coders.db.execute("SELECT * FROM codings ORDER BY id").fetchall()
    assert resolve(two_coders, nobody, "priya") == 2          # sam gets Anxious, loses Frustrated
    again = compute(two_coders, ["sam", "priya"])
    assert not any("Nobody told me" in d.unit.text for d in again.disagreements)
    assert {c.coder for c in list_codings(two_coders, code="Frustrated")} == set()
    two_coders.undo()
    assert two_coders.db.execute("SELECT * FROM codings ORDER BY id").fetchall() == before
    safe = next(d for d in result.disagreements if "I felt safe." in d.unit.text)
    assert resolve(two_coders, safe, None) == 1                # both: priya gets Reassured too
    assert {c.coder for c in list_codings(two_coders, code="Reassured")} == {"sam", "priya"}


def test_needs_two_coders(study):
    _code(study, "interview_a", "I was nervous.", "Anxious", "sam")
    with pytest.raises(StudyError, match="two coders"):
        compute(study)
    with pytest.raises(StudyError, match="no codings by 'zed'"):
        compute(study, ["sam", "zed"])


def test_agreement_cli(two_coders, capsys):
    import json

    from research_tui.cli import main

    path = two_coders.path
    two_coders.close()
    assert main(["agreement", str(path), "--coders", "sam,priya"]) == 0
    out = capsys.readouterr().out
    assert "10 candidate quotes" in out and "Reassured" in out and "2 disputed quotes" in out
    assert main(["agreement", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["coders"] == ["sam", "priya"] or data["coders"] == ["priya", "sam"]
    assert data["units"] == 10 and len(data["disagreements"]) == 2
    codes = {c["code"]: c for c in data["codes"]}
    assert codes["Reassured"]["percent"] == 0.9
    unit = next(d["unit"] for d in data["disagreements"] if d["text"] == "I felt safe.")
    assert main(["agreement", str(path), "--resolve", str(unit), "--keep", "all"]) == 0
    assert "1 coding changed" in capsys.readouterr().out
    assert main(["agreement", str(path), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["disagreements"]) == 1
    assert main(["agreement", str(path), "--resolve", "1"]) == 1
    assert "go together" in capsys.readouterr().err


def test_report_method_section_has_agreement(two_coders, tmp_path):
    import docx

    from exports.docx_report import write_report

    out = tmp_path / "r.docx"
    write_report(two_coders, out)
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("Agreement between coders")
    assert "10 candidate quotes" in texts[i + 1] and "kappa" in texts[i + 1]
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "Code" and t.rows[0].cells[3].text == "Agreement"]
    assert len(tables) == 1
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in tables[0].rows[1:]}
    assert rows["Reassured"][3] == "90%"
