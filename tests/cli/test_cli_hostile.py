"""Hostile input through the command line: report templates that are zip bombs or hide DOCTYPEs."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from research_tui.cli import main
from tests.zipkit import docx_bomb, member, rewrite


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.rtui"
    assert main(["demo", str(path), "--no-open"]) == 0
    return path


def test_report_template_zip_bomb_fails_fast_naming_the_limit(demo, tmp_path, capsys):
    """Before: the template was unpacked (23 s, 3 GB) before anything failed."""
    template = tmp_path / "corp.docx"
    template.write_bytes(docx_bomb(1000))
    out = tmp_path / "journey.docx"
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        code, _, err = run(capsys, "report", demo, "-o", out, "--template", template)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 1
    assert err.strip() == (f"research-tui: error: {template}: refusing this Word .docx template: word/document.xml "
                           "unpacks to 1,000 MiB, over the limit of 256 MiB per file (a zip bomb?)")
    assert peak < 32 * 1024 * 1024 and time.perf_counter() - t0 < 10
    assert not out.exists()


def test_report_template_with_a_doctype_in_its_header_is_refused(demo, tmp_path, capsys):
    import docx

    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "ACME confidential"
    template = tmp_path / "corp.docx"
    doc.save(str(template))
    data = template.read_bytes()
    header = member(data, "word/header1.xml").decode()
    evil = header.replace("encoding='UTF-8'", "encoding='UTF-16'").replace(
        "?>", '?><!DOCTYPE w:hdr [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    template.write_bytes(rewrite(data, {"word/header1.xml": evil.replace("ACME", "&x;").encode("utf-16")}))
    code, _, err = run(capsys, "report", demo, "-o", tmp_path / "journey.docx", "--template", template)
    assert code == 1
    assert "refusing a Word .docx template whose word/header1.xml declares a DOCTYPE or entities" in err
    template.write_bytes(data)  # the same template without the DOCTYPE is fine
    code, _, err = run(capsys, "report", demo, "-o", tmp_path / "journey.docx", "--template", template)
    assert code == 0, err
