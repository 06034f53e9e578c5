"""The journey map keeps its landscape page: planned with wide fallback fonts, read back with python-docx.

(`make check-docs` renders the pages with LibreOffice: see test_docx_report.py's slow tests.)
"""

from __future__ import annotations

import math

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from exports import write_report
from exports.docx_fit import Measure
from exports.docx_map import LADDER, ZWSP, column_widths
from tests.exports.wide_study import build

LANES = ["Doing", "Thinking", "Feeling", "Needs", "Pain points", "Opportunities"]


def _maps(doc):
    return [t for t in doc.tables if [c.text for c in t.columns[0].cells][1:] == LANES]


def _after(table):
    """The paragraph that follows a table in the body."""
    el = table._tbl.getnext()
    return docx.text.paragraph.Paragraph(el, None)


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wide")
    stores = {n: build(folder / f"wide{n}.rtui", stages=n) for n in (7, 10, 14)}
    yield folder, stores
    for store in stores.values():
        store.close()


def test_seven_stages_keep_the_full_budget(wide):
    folder, stores = wide
    summary = write_report(stores[7], folder / "seven.docx", anonymize=True)
    plan = summary.map
    assert plan.fits and plan.budget == LADDER[0] and len(plan.chunks) == 1
    assert max(plan.heights) <= plan.room
    doc = docx.Document(str(folder / "seven.docx"))
    assert doc.styles["Journey Map Text"].font.size == Pt(8)
    (table,) = _maps(doc)
    thinking = table.rows[2].cells[1]
    assert len(thinking.paragraphs) == 2  # two quotes per stage at the full budget


def test_ten_stages_fit_one_page_with_a_smaller_size_and_shorter_quotes(wide):
    folder, stores = wide
    summary = write_report(stores[10], folder / "ten.docx", anonymize=True)
    plan = summary.map
    assert plan.fits and len(plan.chunks) == 1 and plan.budget.size < 8
    assert sum(plan.widths[0]) <= 9.8 + 1e-6  # Letter landscape less 0.6" margins
    doc = docx.Document(str(folder / "ten.docx"))
    (table,) = _maps(doc)
    assert len(table.columns) == 11
    assert doc.styles["Journey Map Text"].font.size == Pt(plan.budget.size)
    assert doc.styles["Journey Map Lane"].font.size == Pt(plan.budget.size + 0.5)
    for cell in table.rows[2].cells[1:]:  # Thinking: the budget's quotes, each cut to its length
        quotes = [p.text.split("” — ")[0] for p in cell.paragraphs]
        assert len(quotes) <= plan.budget.quotes
        assert all(len(q.strip("“”")) <= plan.budget.quote_chars for q in quotes)
    names = [c.paragraphs[0].text for c in table.rows[0].cells[1:]]
    assert "Renewal/" + ZWSP + "Advocacy" in names or "Renewal/Advocacy" in names
    assert all(ZWSP not in n or "/" in n for n in names)  # a name breaks only after its slash
    following = _after(table)
    assert following.text == "Emotion curve" and following.paragraph_format.page_break_before


def test_many_stages_continue_on_the_next_page_with_their_own_header(wide):
    folder, stores = wide
    summary = write_report(stores[14], folder / "fourteen.docx", anonymize=True)
    assert [len(c) for c in summary.map.chunks] == [7, 7] and summary.map.fits
    doc = docx.Document(str(folder / "fourteen.docx"))
    first, second = _maps(doc)
    assert first.rows[0].cells[0].text == second.rows[0].cells[0].text == "Stage"
    caption = _after(first)
    assert caption.text == "Journey map (continued: stages 8–14)" and caption.paragraph_format.page_break_before


def test_a_template_map_style_too_large_runs_on_with_its_header_repeated(wide, tmp_path):
    folder, stores = wide
    template = tmp_path / "big.docx"
    t = docx.Document()
    style = t.styles.add_style("Journey Map Text", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(14)
    t.save(str(template))
    summary = write_report(stores[10], tmp_path / "big-out.docx", template=template)
    assert not summary.map.fits and summary.map.budget.size == 14
    assert summary.map.budget == LADDER[-1].__class__(14, *[getattr(LADDER[-1], f) for f in
                                                            ("quotes", "quote_chars", "codes", "needs",
                                                             "snippet_chars")])
    doc = docx.Document(str(tmp_path / "big-out.docx"))
    assert doc.styles["Journey Map Text"].font.size == Pt(14)  # the company's size is kept
    for table in _maps(doc):
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on the next page
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)  # breaks between lanes


def test_measure_wraps_like_a_word_processor():
    m = Measure()
    word = m.width("consultation", 10)
    assert m.width("consultation", 10, True) > word > 0
    assert m.lines([("consultation consultation", False)], word * 1.5, 10) == 2
    assert m.lines([("consultation consultation", False)], word * 2.5, 10) == 1
    assert m.lines([("x" * 40, False)], m.width("x" * 10, 10), 10) == 4  # a long word breaks where it must
    assert m.widest([("a ", False), ("consultation", True)], 10) == pytest.approx(m.width("consultation", 10, True))
    halves = max(m.width("Renewal/", 10, True), m.width("Advocacy", 10, True))
    assert m.lines([("Renewal/" + ZWSP + "Advocacy", True)], halves + 1, 10) == 2
    assert m.widest([("Renewal/" + ZWSP + "Advocacy", True)], 10) == pytest.approx(halves)
    assert m.widest([("Renewal/Advocacy", True)], 10) > halves + 1  # without it: one word, cut inside
    assert m.width("中文", 10) == pytest.approx(20)  # wide characters: one em each


def test_column_widths_give_long_words_room():
    from types import SimpleNamespace

    cols = [SimpleNamespace(quotes=(1,)) for _ in range(4)]
    assert column_widths(9.0, cols, 1.0) == [1.0, 2.0, 2.0, 2.0, 2.0]
    widths = column_widths(9.0, cols, 1.0, [3.0, 0.5, 0.5, 0.5])
    assert widths[1] == pytest.approx(3.0) and widths[2:] == pytest.approx([5 / 3] * 3)
    empty = [SimpleNamespace(quotes=()), *cols[:2]]
    assert column_widths(9.0, empty, 1.0)[1] == pytest.approx(0.85)
    assert math.isclose(sum(column_widths(9.0, empty, 1.0)), 9.0)


def _render(path, out):
    """PDF pages' text, through LibreOffice (skips when it or poppler is missing)."""
    import shutil
    import subprocess

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None or shutil.which("pdftotext") is None:
        pytest.skip("libreoffice and pdftotext (poppler-utils) are needed")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=300)
    pdf = out / (path.stem + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")


@pytest.mark.slow
@pytest.mark.parametrize("stages", [7, 10])
@pytest.mark.parametrize("font", [None, "DejaVu Sans", "Font Nobody Has"])
def test_map_stays_on_one_page_in_libreoffice(wide, tmp_path, stages, font):
    """Rendered with other fonts than the report was planned for: the lanes stay on the map's page."""
    folder, stores = wide
    path = tmp_path / f"map-{stages}.docx"
    write_report(stores[stages], path, anonymize=True)
    if font:
        doc = docx.Document(str(path))
        for name in ("Normal", "Journey Map Text", "Journey Map Lane"):
            doc.styles[name].font.name = font
        doc.save(str(path))
    pages = _render(path, tmp_path)
    at = next(i for i, page in enumerate(pages) if page.lstrip().startswith("Journey map"))
    assert "Opportunities" in pages[at] and "Pain points" in pages[at]
    assert pages[at + 1].lstrip().startswith("Emotion curve")
