"""The method section stays readable for a survey: beyond 30 participants, sources or coded sources it counts
them (by attribute value, by format and file, saturation in ten steps) instead of listing every one; up to 30
it lists them as before."""

from __future__ import annotations

import docx
import pytest

from coding.codings import list_codings
from exports import write_report
from exports.docx_method import MAX_LISTED
from tests.unit.test_personas import small_study


def survey_like(path, n: int):
    """n respondents, one source each (as a survey import makes them), most coded, with two attributes."""
    people, attributes = {}, {}
    for i in range(n):
        name = f"Respondent {i + 2}"
        codes = ["Use", "Frustrated" if i % 3 else "Delighted"] if i % 5 else []
        people[name] = [(f"Installing the kernels took me an afternoon, respondent {i}.", codes or ["Use"]),
                        (f"Sharing notebooks with colleagues is easy, respondent {i}.",
                         ["Renewal/Advocacy"] if i % 2 else [])]
        attributes[name] = {"q4": ["Daily", "Weekly", "Monthly"][i % 3], "q6": "" if i % 7 == 0 else "1+ years"}
    return small_study(path, people, attributes)


def method_part(doc) -> tuple[list[str], list]:
    """Paragraph texts and tables from the Method heading to the codebook appendix."""
    body = doc.element.body
    texts, tables, inside = [], [], False
    by_element = {t._tbl: t for t in doc.tables}
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            style = child.find(".//{*}pStyle")
            heading1 = style is not None and style.get(next(iter(style.attrib))) == "Heading1"
            if heading1:
                inside = text == "Method"
            if inside:
                texts.append(text)
        elif inside and child in by_element:
            tables.append(by_element[child])
    return texts, tables


@pytest.mark.parametrize("n", [MAX_LISTED + 10])
def test_many_sources_are_counted_not_listed(tmp_path, n):
    store = survey_like(tmp_path / "survey.rtui", n)
    write_report(store, tmp_path / "r.docx", anonymize=False)
    texts, tables = method_part(docx.Document(str(tmp_path / "r.docx")))
    assert texts[0] == "Method"
    assert max(len(t.rows) for t in tables) < n                              # nothing lists every one
    people = next(t for t in tables if t.rows[0].cells[0].text == "Attribute")
    rows = [[c.text for c in r.cells] for r in people.rows[1:]]
    assert ["q4", "Daily", str(sum(1 for i in range(n) if i % 3 == 0)), rows[0][3]] == rows[0]
    assert ["", "(none)", str(sum(1 for i in range(n) if i % 7 == 0))] == rows[-1][:3]
    assert any(f"{n} participants, " in t and "research-tui participants STUDY" in t for t in texts)
    assert any(t.startswith(f"{n} sources, {n} of them coded") and "research-tui info STUDY" in t for t in texts)
    formats = next(t for t in tables if t.rows[0].cells[0].text == "Format")
    assert [[c.text for c in r.cells] for r in formats.rows[1:]] == [["text", str(n), str(n)]]
    saturation = next(t for t in tables if t.rows[0].cells[0].text.startswith("Coded sources"))
    assert len(saturation.rows) == 1 + 10 and saturation.rows[1].cells[0].text.startswith("1–4: Respondent 2 … ")
    assert saturation.rows[-1].cells[2].text == str(len({c.code_id for c in list_codings(store)}))  # all, in the end


def test_up_to_thirty_are_listed(tmp_path):
    store = survey_like(tmp_path / "thirty.rtui", MAX_LISTED)
    write_report(store, tmp_path / "r.docx", anonymize=True)
    texts, tables = method_part(docx.Document(str(tmp_path / "r.docx")))
    listed = next(t for t in tables if t.rows[0].cells[0].text == "Pseudonym")
    assert len(listed.rows) == MAX_LISTED + 1
    sources = next(t for t in tables if t.rows[0].cells[0].text == "Source" and t.rows[0].cells[1].text == "Format")
    assert len(sources.rows) == MAX_LISTED + 1
    assert not any("counted here, not listed" in t for t in texts)
