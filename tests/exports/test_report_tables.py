"""The report's tables read right: the title page's facts count each coding once and have no empty
header row, and no column is so narrow that a word ("Codings", "Opportunities") breaks inside it."""

from __future__ import annotations

import docx
import pytest

from coding.codebook import find_code, new_study
from coding.codings import add_coding, list_codings
from coding.importing import import_transcripts
from exports import write_report
from exports.docx_fit import fit_columns
from exports.docx_kit import _word_room
from tests.exports.journey_study import transcript


@pytest.fixture(scope="module")
def two_stage_report(tmp_path_factory):
    """One answer coded with two stages and two other codes: four codings, two stage quotes."""
    folder = tmp_path_factory.mktemp("tables")
    store = new_study(folder / "t.rtui", template="journey", name="Tables", coder="rachel")
    import_transcripts(store, [transcript("Call", "call.vtt", {"Interviewer": "interviewer"}, [
        ("Interviewer", "How was the first week?", 0),
        ("Dana Ortiz", "The import kept failing and support took two days to answer.", 4_000)])])
    source = store.sources()[0]
    words = "The import kept failing and support took two days to answer."
    start = source.text.index(words)
    for code in ("stage:Onboarding", "stage:Support", "Frustrated", "Pain point"):
        add_coding(store, source.id, start, start + len(words), find_code(store, code).id)
    write_report(store, folder / "t.docx", anonymize=True)
    yield store, docx.Document(str(folder / "t.docx"))
    store.close()


def test_title_page_facts_have_no_empty_header_and_count_each_coding_once(two_stage_report):
    store, doc = two_stage_report
    facts = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert facts[0] == ["Study", "Tables"]  # no blank header row above the facts
    assert dict(facts)["Quotes (stage codings)"] == "2"
    assert dict(facts)["Codings behind the map"] == "4 (of 4 in the study)"  # was "6 (of 4 …)"
    assert len(list_codings(store)) == 4
    look = doc.tables[0]._tbl.tblPr.find(docx.oxml.ns.qn("w:tblLook"))
    assert look.get(docx.oxml.ns.qn("w:firstRow")) == "0"  # its first row is not styled as a header


def test_no_column_breaks_a_word(two_stage_report):
    _store, doc = two_stage_report
    codebook = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["Code", "Kind"])
    for i, column in enumerate(codebook.columns):
        words = [(c.text, r == 0 or i == 0) for r, c in enumerate(column.cells)]
        assert column.width >= docx.shared.Inches(_word_room(words)) - 1000, codebook.rows[0].cells[i].text
    kinds = [r.cells[1].text for r in codebook.rows[1:]]
    assert "Opportunities" in kinds and "Pain points" in kinds


def test_fit_columns_takes_room_from_columns_that_have_it():
    assert fit_columns([1.0, 2.0], [0.5, 0.5], 6.0) == [1.0, 2.0]           # everything fits: as planned
    assert fit_columns([4.0, 8.0], [0.5, 0.5], 6.0) == [2.0, 4.0]           # too wide: scaled to the page
    fitted = fit_columns([2.3, 0.7, 0.65], [1.0, 0.9, 0.7], 3.65)
    assert fitted[1] == pytest.approx(0.9) and fitted[2] == pytest.approx(0.7)
    assert sum(fitted) == pytest.approx(3.65) and fitted[0] < 2.3          # the wide column gave way
    assert fit_columns([1.0, 1.0], [3.0, 1.0], 2.0) == [1.5, 0.5]           # needs beyond the page: scaled
