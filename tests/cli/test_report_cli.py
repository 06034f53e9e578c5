"""`report` and `export` end to end on the demo study: files on disk, anonymization, one-line errors."""

from __future__ import annotations

import csv

import docx
import pytest

from coding.codebook import list_stages
from coding.study import Store
from research_tui.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.rtui"
    assert main(["demo", str(path), "--no-open"]) == 0
    return path


def _names(study) -> list[str]:
    with Store.open(study) as s:
        return [p.name for p in s.participants() if p.name]


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_report_anonymized_on_the_demo(demo, tmp_path, capsys):
    out = tmp_path / "journey.docx"
    code, stdout, err = run(capsys, "report", demo, "-o", out, "--anonymize")
    assert code == 0, err
    assert f"wrote {out}" in stdout
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert any("Moments that matter" in h for h in headings)
    assert any("Method" in h for h in headings)
    text = _all_text(document)
    with Store.open(demo) as s:
        stages = [c.name for c in list_stages(s)]
    for stage in stages:
        assert stage in text
    assert "P01" in text
    for name in _names(demo):
        assert name not in text, name
    assert len(document.inline_shapes) >= 1  # the emotion curve


def test_report_segment_and_compare(demo, tmp_path, capsys):
    out = tmp_path / "seg.docx"
    code, _, err = run(capsys, "report", demo, "-o", out, "--segment", "first_scan=yes",
                       "--compare", "first_scan=yes,no")
    assert code == 0, err
    text = _all_text(docx.Document(str(out)))
    assert "first_scan" in text and "yes" in text


def test_export_csv_and_markdown(demo, tmp_path, capsys):
    table = tmp_path / "codings.csv"
    code, _, err = run(capsys, "export", demo, "--format", "csv", "-o", table, "--anonymize")
    assert code == 0, err
    with table.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    with Store.open(demo) as s:
        assert len(rows) == s.totals()["codings"]
        sources = {src.pseudonym: src.text for src in s.sources()}  # anonymized: sources are S01 …
    for row in rows[:50]:
        start, end = int(row["char_start"]), int(row["char_end"])
        assert sources[row["source"]][start:end] == row["text"]
    names = _names(demo)
    assert not any(name in row["text"] or name == row["participant"] for row in rows for name in names)
    assert {row["filename"] for row in rows} == {""}

    summary = tmp_path / "journey.md"
    code, _, err = run(capsys, "export", demo, "--format", "markdown", "-o", summary)
    assert code == 0, err
    md = summary.read_text(encoding="utf-8")
    with Store.open(demo) as s:
        first_stage = list_stages(s)[0].name
    assert md.startswith("# ") and first_stage in md and "> " in md


def test_export_html_map_page(demo, tmp_path, capsys):
    from coding import personas as P

    page = tmp_path / "map.html"
    code, out, err = run(capsys, "export", demo, "--format", "html", "-o", page, "--anonymize", "--no-model-valence")
    assert code == 0 and out == f"wrote {page}\n", err
    text = page.read_text(encoding="utf-8")
    assert "default-src 'none'" in text and "15 participants" in text
    assert not any(name in text for name in _names(demo))
    with Store.open(demo) as s:
        persona = P.personas(s)[0]
    code, _, err = run(capsys, "export", demo, "--format", "html", "-o", page, "--persona", persona.name,
                       "--no-model-valence")
    assert code == 0, err
    assert f"participants with persona = {persona.name}" in page.read_text(encoding="utf-8")
    code, _, err = run(capsys, "export", demo, "--format", "csv", "-o", tmp_path / "c.csv", "--persona", "x")
    assert code == 1 and err == "research-tui: error: --persona works with --format html (and with `report`)\n"
    code, _, err = run(capsys, "export", demo, "--format", "html", "-o", tmp_path / "map.txt")
    assert code == 1 and "give the output an .html name" in err


@pytest.mark.parametrize("argv, message", [
    (["--segment", "segment"], "--segment takes ATTR=VALUE"),
    (["--compare", "segment=a"], "--compare takes ATTR=A,B"),
    (["--template", "missing.docx"], "missing.docx"),
])
def test_report_errors_are_one_line(demo, tmp_path, capsys, argv, message):
    out = tmp_path / "x.docx"
    code, _, err = run(capsys, "report", demo, "-o", out, *argv)
    assert code == 1
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_report_on_a_missing_study(tmp_path, capsys):
    code, _, err = run(capsys, "report", tmp_path / "nope.rtui", "-o", tmp_path / "x.docx")
    assert code == 1 and "nope.rtui" in err


def test_a_failed_write_keeps_the_previous_file(demo, tmp_path, capsys, monkeypatch):
    out = tmp_path / "journey.docx"
    assert run(capsys, "report", demo, "-o", out)[0] == 0
    previous = out.read_bytes()

    def broken_save(self, target):
        with open(target, "wb") as fh:
            fh.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("docx.document.Document.save", broken_save)
    code, _, err = run(capsys, "report", demo, "-o", out)
    assert code == 1 and "No space left on device" in err and "journey.docx" in err
    assert out.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == ["journey.docx"]


def test_report_says_when_a_template_keeps_the_map_off_one_page(demo, tmp_path, capsys):
    template = tmp_path / "big.docx"
    t = docx.Document()
    t.styles.add_style("Journey Map Text", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH).font.size = docx.shared.Pt(16)
    t.save(str(template))
    code, out, err = run(capsys, "report", demo, "-o", tmp_path / "big-report.docx", "--template", template)
    assert code == 0 and "wrote" in out
    assert err.startswith("note: the journey map does not fit one landscape page at 16 pt: it runs on")
    code, out, err = run(capsys, "report", demo, "-o", tmp_path / "plain.docx")
    assert code == 0 and err == ""
