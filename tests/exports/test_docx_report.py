"""The Word journey report: read back with python-docx and compared on content, not bytes."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from coding.codebook import list_stages, new_study
from coding.models import StudyError
from coding.synthesis import compute_journey
from exports import EXPORTERS, write_report
from exports.anonymize import Anonymizer, xml_safe
from exports.charts import valence_hex
from tests.exports.journey_study import NAMES, docx_xml

LANES = ["Doing", "Thinking", "Feeling", "Needs", "Pain points", "Opportunities"]


@pytest.fixture(scope="module")
def report(scan_study, tmp_path_factory):
    store, _ids = scan_study
    path = tmp_path_factory.mktemp("report") / "journey.docx"
    summary = write_report(store, path, anonymize=True, compare=("segment", "NHS", "Private"))
    return path, summary, docx.Document(str(path))


def _headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def _body_sections(doc):
    """(element, section index) for each top-level table and paragraph, in order."""
    index = 0
    for child in doc.element.body.iterchildren():
        yield child, index
        if child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            index += 1


def _map_table(doc):
    for t in doc.tables:
        if [c.text for c in t.columns[0].cells][1:] == LANES:
            return t
    raise AssertionError("no journey map table")


def test_sections_and_headings(report):
    _path, summary, doc = report
    assert summary.sections == ["Executive summary", "Journey map", "Moments that matter", "Stage by stage",
                                "Segments compared: segment = NHS vs Private", "Method", "Appendix: evidence",
                                "Appendix: codebook"]
    assert _headings(doc, 1) == summary.sections
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == ["Scan journey"]
    assert "1. Support — mixed feelings" in _headings(doc, 2)
    assert "2. Onboarding — pain" in _headings(doc, 2)
    assert {"Awareness", "Onboarding", "Support", "Renewal/Advocacy"} <= set(_headings(doc, 2))
    assert summary.moments == 5 and summary.participants == 3 and summary.pictures == 1
    assert summary.anonymized is True


def test_map_table_has_stage_columns_and_lane_rows(report, scan_study):
    _path, _summary, doc = report
    table = _map_table(doc)
    stages = [s.name for s in list_stages(scan_study[0])]
    assert [c.paragraphs[0].text.replace("\u200b", "") for c in table.rows[0].cells[1:]] == stages  # ZWSP: a break
    assert table.rows[0].cells[1].paragraphs[1].text == "2 people · 3 quotes"
    onboarding = stages.index("Onboarding") + 1
    feeling = table.rows[LANES.index("Feeling") + 1].cells
    assert feeling[onboarding].paragraphs[0].text.startswith("mean −1.2 (n=3")
    assert "Website" in table.rows[1].cells[onboarding].text
    assert table.rows[4].cells[onboarding].text.splitlines() == [
        "Clear information (2, functional)", "Speed and convenience (1, functional)",
        "Feeling in control (1, emotional)"]
    assert "Website (1) online, owned" in table.rows[1].cells[onboarding].text


def test_feeling_cells_are_shaded_by_valence(report, scan_study):
    _path, _summary, doc = report
    table = _map_table(doc)
    journey = compute_journey(scan_study[0])
    feeling = table.rows[LANES.index("Feeling") + 1].cells[1:]
    for cell, col in zip(feeling, journey.stages):
        shd = cell._tc.tcPr.find(qn("w:shd"))
        if col.valence.mean is None:
            assert shd is None
        else:
            assert shd.get(qn("w:fill")) == valence_hex(col.valence.mean)
    assert valence_hex(-2) == "F1A9A0" and valence_hex(0) == "E4E4E4" and valence_hex(2) == "A9DFBF"


def test_map_is_in_a_landscape_section_and_the_rest_portrait(report):
    _path, _summary, doc = report
    table = _map_table(doc)
    where = {id(el): i for el, i in _body_sections(doc)}
    section = doc.sections[where[id(table._tbl)]]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert doc.sections[-1].orientation == WD_ORIENT.PORTRAIT
    widths = sum(c.width for c in table.rows[0].cells)
    assert widths <= section.page_width - section.left_margin - section.right_margin + 5000


def test_emotion_curve_picture_is_embedded(report):
    _path, _summary, doc = report
    assert len(doc.inline_shapes) == 1
    images = [p for p in doc.part.package.parts if p.content_type == "image/png"]
    assert len(images) == 1 and images[0].blob[:8] == b"\x89PNG\r\n\x1a\n"
    assert doc.inline_shapes[0].width > docx.shared.Inches(6)


def test_quotes_with_attribution(report):
    _path, summary, doc = report
    quotes = [p.text for p in doc.paragraphs if p.style.name in ("Quote", "Intense Quote")]
    assert "“The letter was confusing and I waited three weeks without news.”" in quotes
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert "— P01 · S01 · 00:00:40" in captions
    assert "— P02 · S02 · 01:02:05" in captions
    assert summary.quotes == len(quotes) - sum(1 for q in quotes if q.startswith("score ="))


def test_anonymized_report_has_no_real_names_anywhere(report):
    path, _summary, _doc = report
    xml = docx_xml(path)
    for name in NAMES:
        for token in (name, *name.split()):
            assert not re.search(rf"\b{re.escape(token)}\b", xml, re.IGNORECASE), token
    assert "saying this is P03 again" in xml  # the name inside the quote became the pseudonym
    assert "P01, tell me how you first heard" in xml


def test_report_with_names_when_not_anonymized(scan_study, tmp_path):
    path = tmp_path / "named.docx"
    summary = write_report(scan_study[0], path, anonymize=False)
    xml = docx_xml(path)
    assert "Aisha Khan" in xml and "saying this is Chloe Davies again" in xml
    assert summary.anonymized is False
    assert not any(h.startswith("Segments compared") for h in summary.sections)


def test_anonymize_none_follows_the_study_setting(fresh_study, tmp_path):
    store, _ids = fresh_study
    store.set_anonymize(True)
    write_report(store, tmp_path / "a.docx")
    assert "Aisha" not in docx_xml(tmp_path / "a.docx")


def test_segment_report(scan_study, tmp_path):
    path = tmp_path / "nhs.docx"
    summary = write_report(scan_study[0], path, segment=("segment", "NHS"), anonymize=True)
    doc = docx.Document(str(path))
    assert summary.participants == 2
    assert any("segment = NHS" in p.text for p in doc.paragraphs if p.style.name == "Subtitle")
    assert "P02" not in "\n".join(p.text for p in doc.paragraphs if p.style.name in ("Quote", "Caption"))


def test_segment_comparison_table(report):
    _path, _summary, doc = report
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Stage" and len(t.columns) == 6)
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}
    assert rows["Onboarding"] == ["−1.2", "2", "−1.0", "1", "−0.2"]
    assert rows["Support"] == ["+0.0", "2", "n/a", "0", "n/a"]


def test_method_and_codebook_appendix(report):
    _path, _summary, doc = report
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "score = 0.4 × reach + 0.4 × intensity / 2 + 0.2 × peak-end" in text
    assert "(8 quotes)" in text and "otherwise it has none (2 quotes)" in text
    assert "rachel: 40 codings" in text
    people = next(t for t in doc.tables if t.rows[0].cells[0].text == "Pseudonym")
    assert [r.cells[0].text for r in people.rows[1:]] == ["P01", "P02", "P03"]  # people, not interviewers
    assert [c.text for c in people.rows[0].cells] == ["Pseudonym", "Quotes", "age", "segment"]
    assert "Not counted as participants (interviewers, the research team, observers): I01 (interviewer), " \
           "I02 (interviewer)." in text
    appendix = doc.tables[-1]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in appendix.rows[1:]}
    assert rows["Pain point"][1:] == ["Pain points", "Something that goes wrong or costs effort.", "4", "3"]
    assert rows["Frustrated"][2].endswith("(valence −2.0)")


def test_xml_illegal_characters_do_not_break_the_report(report):
    _path, _summary, doc = report
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert any(q.startswith("“Nobody told me what to bring on the day.") for q in quotes)
    assert xml_safe("a\x00b\x0bc\x0cd\x1fe\ufffef\tg\nh") == "abcdef\tg\nh"


def test_template_keeps_header_and_styles_and_drops_body(scan_study, tmp_path):
    template = tmp_path / "acme.docx"
    t = docx.Document()
    t.sections[0].header.paragraphs[0].text = "ACME Confidential"
    t.add_paragraph("Delete me: template body")
    t.styles["Intense Quote"].delete()
    t.styles["Light Grid Accent 1"].delete()
    t.save(str(template))
    path = tmp_path / "branded.docx"
    summary = write_report(scan_study[0], path, template=template, anonymize=True)
    doc = docx.Document(str(path))
    assert "Delete me" not in docx_xml(path)
    assert doc.sections[0].header.paragraphs[0].text == "ACME Confidential"
    assert doc.sections[-1].header.is_linked_to_previous
    assert "added style 'Intense Quote'" in summary.notes
    assert doc.tables[0].style.name == "Table Grid"  # the fallback table style


def test_dotx_template(scan_study, tmp_path):
    from exports.docx_kit import _DOCX, _DOTX

    src = tmp_path / "base.docx"
    docx.Document().save(str(src))
    import zipfile

    dotx = tmp_path / "company.dotx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dotx, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(_DOCX.encode(), _DOTX.encode())
            zout.writestr(item, data)
    write_report(scan_study[0], tmp_path / "out.docx", template=dotx)
    assert docx.Document(str(tmp_path / "out.docx")).paragraphs[0].text == "Scan journey"


def test_template_errors_are_one_line(scan_study, tmp_path):
    with pytest.raises(StudyError, match="template file not found"):
        write_report(scan_study[0], tmp_path / "x.docx", template=tmp_path / "missing.docx")
    bad = tmp_path / "notes.docx"
    bad.write_text("not a zip")
    with pytest.raises(StudyError, match=r"not a valid Word \.docx template \(corrupt or truncated\)") as err:
        write_report(scan_study[0], tmp_path / "x.docx", template=bad)
    assert "\n" not in str(err.value)
    with pytest.raises(StudyError, match="known attributes"):
        write_report(scan_study[0], tmp_path / "x.docx", segment=("region", "North"))
    with pytest.raises(StudyError, match=r"\.docx"):
        write_report(scan_study[0], tmp_path / "x.pdf")


def test_empty_study_still_writes_a_report(tmp_path):

    store = new_study(tmp_path / "empty.rtui", name="Nothing yet")
    summary = write_report(store, tmp_path / "empty.docx")
    assert summary.pictures == 0 and summary.moments == 0
    assert "Journey map" in summary.sections


def test_anonymizer_rules():
    from coding.models import Participant

    people = [Participant(1, "Aisha Khan", "P01", "participant", {}),
              Participant(2, "Sam Patel", "I01", "interviewer", {}),
              Participant(3, "Sam Jones", "P02", "participant", {}),
              Participant(4, "Respondent (interview_03)", "P03", "participant", {}),
              Participant(5, "Interviewer", "I02", "interviewer", {})]
    anon = Anonymizer(people, enabled=True, speaker_labels={1: {"AK"}, 4: {"Respondent"}})
    assert anon.anon("aisha KHAN said Aisha's form was late") == "P01 said P01's form was late"
    assert anon.anon("Sam Patel asked Sam; Jones replied") == "I01 asked [name]; P02 replied"
    kept = ": the respondent and the interviewer; Khanate"
    assert anon.anon("AK" + kept) == "P01" + kept
    assert anon.label(1) == "P01" and anon.labels([]) == "unattributed"
    assert Anonymizer(people, enabled=False).anon("Aisha Khan") == "Aisha Khan"


def test_exporters_registry():
    assert set(EXPORTERS) == {"csv", "markdown", "docx", "qdpx", "qdc", "html"}
    assert EXPORTERS["docx"] is write_report


@pytest.mark.slow
def test_report_converts_to_pdf_with_libreoffice(report, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("libreoffice is not installed")
    path = report[0]
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "journey.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 5


@pytest.mark.slow
def test_demo_report_renders_to_pages(tmp_path):
    """`make check-docs`: the demo report through LibreOffice and pdftoppm; pages kept in out/docs to look at."""
    from pathlib import Path

    from research_tui.demo import build_demo

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None or shutil.which("pdftoppm") is None:
        pytest.skip("libreoffice and pdftoppm (poppler-utils) are needed")
    store = build_demo(tmp_path / "demo.rtui")
    path = tmp_path / "demo-journey.docx"
    write_report(store, path, anonymize=True, compare=("first_scan", "yes", "no"))
    store.close()
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    out = Path(__file__).resolve().parents[2] / "out" / "docs"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("demo-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "demo-journey.pdf"), str(out / "demo-page")],
                   check=True, capture_output=True, timeout=180)
    pages = sorted(out.glob("demo-page-*.png"))
    assert len(pages) >= 6
    # LibreOffice keeps the report's links to its evidence as links inside the PDF
    assert (tmp_path / "demo-journey.pdf").read_bytes().count(b"/Subtype/Link") > 500
    assert all(p.stat().st_size > 5_000 for p in pages)  # not blank
