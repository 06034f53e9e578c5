"""The persona-workshop kit read back with python-docx: eight cut-to-size cards per A4 page, every quote
verbatim (names replaced), a canvas and an empathy map per persona, and the cards CSV."""

from __future__ import annotations

import csv
import math
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

from coding import personas as P
from coding.codebook import get_code, list_stages
from coding.models import StudyError
from coding.synthesis import compute_journey
from exports.anonymize import Anonymizer
from exports.workshop import write_kit


def card_tables(document):
    return [t for t in document.tables if t._tbl.tblPr.find(qn("w:tblBorders")) is not None
            and t._tbl.tblPr.find(qn("w:tblBorders"))[0].get(qn("w:val")) == "dashed"]


def cards_of(document) -> list:
    return [cell for t in card_tables(document) for row in t.rows for cell in row.cells if cell.text.strip()]


def test_cards_eight_per_page_cut_to_size(demo, tmp_path):
    out, table_csv = tmp_path / "kit.docx", tmp_path / "cards.csv"
    kit = write_kit(demo, out, csv_path=table_csv, limit=None)                # every coded quote
    journey = compute_journey(demo)
    assert kit.cards == kit.quotes == len(journey.quotes) == 403 and kit.card_pages == math.ceil(403 / 8)
    document = docx.Document(str(out))
    tables = card_tables(document)
    assert len(tables) == kit.card_pages
    assert all(len(t.rows) == 4 and len(t.columns) == 2 for t in tables[:-1])
    for row in tables[0].rows:                                   # fixed size: the grid prints and cuts cleanly
        height = row._tr.trPr.find(qn("w:trHeight"))
        assert height.get(qn("w:hRule")) == "exact" and int(height.get(qn("w:val"))) > 3500
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)   # A4
    cells = cards_of(document)
    assert len(cells) == 403
    names = [p.name for p in demo.participants()]
    for cell in cells:
        quote, small = cell.paragraphs[0].text, cell.paragraphs[1].text
        assert quote.startswith("“") and not any(n in quote for n in names)
        assert small.startswith("#") and " · P" in small
        assert small.split(" · ")[2] in {s.name for s in list_stages(demo)}
        assert cell.paragraphs[1].runs[0].font.size.pt == 7        # small type
    anon = Anonymizer.from_store(demo, enabled=True)
    order = {s.id: i for i, s in enumerate(list_stages(demo))}
    expected = sorted(journey.quotes, key=lambda q: (order[q.stage_id], q.order))
    assert [c.paragraphs[0].text for c in cells] == [f"“{anon.anon(q.text)}”" for q in expected]
    with table_csv.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 403 and list(rows[0]) == ["card", "quote", "participant", "stage", "codes", "source",
                                                  "timestamp", "coding_id"]
    for row, cell, quote in zip(rows, cells, expected):
        assert cell.paragraphs[0].text == f"“{row['quote']}”" and int(row["coding_id"]) == quote.id
        assert row["stage"] == get_code(demo, quote.stage_id).name and row["participant"].startswith("P")


def test_a_canvas_and_an_empathy_map_per_persona(demo, tmp_path):
    out = tmp_path / "kit.docx"
    kit = write_kit(demo, out)
    names = [p.name for p in P.personas(demo)]
    assert kit.personas == names
    document = docx.Document(str(out))
    h1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [x for n in names for x in (f"Persona canvas: {n}", f"Empathy map: {n}")]
    cut = [t._tbl for t in card_tables(document)]                  # kept alive: lxml proxies stay the same
    boxes = [t for t in document.tables if not any(t._tbl is e for e in cut)]
    assert len(boxes) == 2 * len(names)
    canvas, empathy = boxes[0], boxes[1]
    titles = {cell.paragraphs[0].text for row in canvas.rows for cell in row.cells}
    assert {"Picture", names[0], "Goals", "Needs that set them apart", "Pains that set them apart", "In their words",
            "Journey highlights"} <= titles
    assert {cell.paragraphs[0].text for row in empathy.rows for cell in row.cells} == {
        "Says", "Thinks", "Does", "Feels", "Pains", "Gains"}
    landscape = [s for s in document.sections if round(s.page_width.mm) == 297]
    assert len(landscape) == len(names) and all(round(s.page_height.mm) == 210 for s in landscape)
    goals = next(cell for row in canvas.rows for cell in row.cells if cell.paragraphs[0].text == "Goals")
    assert [p.text for p in goals.paragraphs[1:]] == [f"• {g}" for g in P.personas(demo)[0].goals]


def test_one_persona_and_names_on_request(demo, tmp_path):
    persona = P.find_persona(demo, "Needs a person")
    out = tmp_path / "one.docx"
    kit = write_kit(demo, out, persona="needs", anonymize=False, limit=None)
    members = set(persona.participant_ids)
    journey = compute_journey(demo, members=persona.participant_ids)
    assert kit.personas == ["Needs a person"] and kit.cards == len(journey.quotes)
    assert all(set(q.participant_ids) <= members for q in journey.quotes)
    text = "\n".join(c.text for c in cards_of(docx.Document(str(out))))
    assert "Ruth Evans" in text and "Aisha Khan" not in text
    with pytest.raises(StudyError, match="workshop kit is a Word file"):
        write_kit(demo, tmp_path / "kit.pdf")


def test_a_long_quote_is_never_lost(tmp_path):
    from tests.unit.test_personas import small_study

    long = "I waited " + "and waited " * 120 + "for the letter."
    store = small_study(tmp_path / "long.rtui", {"Person A": [(long, ["Consideration", "Frustrated"]),
                                                             ("It was fine.", ["Use", "Neutral"])]},
                        {"Person A": {"segment": "NHS"}})
    out, table_csv = tmp_path / "kit.docx", tmp_path / "cards.csv"
    write_kit(store, out, csv_path=table_csv)
    cells = cards_of(docx.Document(str(out)))
    assert "cut: full quote in the cards CSV" in cells[0].paragraphs[1].text
    assert cells[0].paragraphs[0].runs[0].font.size.pt == 8
    with table_csv.open(encoding="utf-8-sig") as fh:
        assert next(csv.DictReader(fh))["quote"] == long
    assert cells[1].paragraphs[0].runs[0].font.size.pt == 15     # a short quote is big enough to read on a wall


@pytest.mark.slow
def test_kit_pages_render(demo, tmp_path):
    """`make check-docs`: the kit as pages (LibreOffice, pdftoppm): cover, card pages, two pages a persona."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None or shutil.which("pdfinfo") is None:
        pytest.skip("libreoffice and poppler-utils are needed")
    out = tmp_path / "kit.docx"
    kit = write_kit(demo, out)
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=240)
    info = subprocess.run(["pdfinfo", str(tmp_path / "kit.pdf")], capture_output=True, text=True, check=True)
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages")))
    assert pages == 1 + kit.card_pages + 2 * len(kit.personas)
