"""The report on a study imported from real public transcripts and coded the way a new researcher does it
(a few quotes by hand, a phrase autocoded), read back from the .docx."""

from __future__ import annotations

from pathlib import Path

import docx

from research_tui.cli import main

PUBLIC = Path(__file__).resolve().parents[1] / "data" / "public" / "transcripts" / "qualcoder_sample"


def _map_row(document, lane: str) -> list[str]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Stage")
    row = next(r for r in table.rows if r.cells[0].text == lane)
    return [c.text for c in row.cells[1:]]


def test_an_autocoded_pain_point_shows_its_words_on_the_map_not_the_rule(tmp_path):
    study = tmp_path / "course.rtui"
    assert main(["new", str(study), "--template", "journey"]) == 0
    assert main(["import", str(study), str(PUBLIC / "transcript.txt")]) == 0
    assert main(["autocode", str(study), "--code", "Pain point", "--phrase", "struggling"]) == 0
    assert main(["code", str(study), "transcript", "I am struggling with the lecture slides", "Use",
                 "Frustrated"]) == 0
    out = tmp_path / "r.docx"
    assert main(["report", str(study), "-o", str(out)]) == 0
    document = docx.Document(str(out))
    pains = " ".join(_map_row(document, "Pain points"))
    assert "Pain point (1)" in pains
    assert "“I am struggling with the lecture slides.”" in pains
    assert "autocoded" not in "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
