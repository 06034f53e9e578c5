"""Exports carry no terminal escape sequences: Markdown, Word and CSV share coding.textsafe."""

from __future__ import annotations

import csv

import pytest

from exports import write_csv, write_markdown, write_report
from tests.exports.journey_study import docx_xml

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


@pytest.mark.filterwarnings("error:Glyph")  # the emotion curve drew the ESC and BEL of a stage name
def test_markdown_word_and_csv_drop_escape_sequences(fresh_study, tmp_path):
    """Before: Markdown printed them raw; the Word report dropped the ESC but kept '[2J' and ']0;pwned'."""
    store, _ids = fresh_study
    store.set_setting("name", f"{ESCAPES}Scan journey")
    stage = store.stages()[0]
    store.update_code(stage.id, name=f"{stage.name}{ESCAPES}")
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
