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


# Escape sequences a hostile file or command line can put into study text
OSC_TITLE = "\x1b]0;pwned\x07"          # retitles the terminal
CLEAR = "\x1b[2J\x1b[H"                 # clears the screen
CSI8 = "\x9b31m"                        # 8-bit CSI: red, on terminals that honour C1
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"  # OSC 52: writes the clipboard
RAW = ("\x1b", "\x9b", "\x9d", "\x07", "\x9c")


@pytest.fixture
def hostile_study(tmp_path, capsys):
    study = tmp_path / "study.rtui"
    assert main(["new", str(study)]) == 0
    transcript = tmp_path / f"{OSC_TITLE}interview.txt"
    transcript.write_text(f"Interviewer: How was it?\nEve{CSI8}: It was =HYPERLINK(\"http://x\") {CLEAR}fine.\n"
                          "Interviewer: Thanks.\n", encoding="utf-8")
    assert main(["--coder", f"sam{CLIPBOARD}", "import", str(study), str(transcript)]) == 0
    assert main(["codes", str(study), "add", f"{CLEAR}Evil code", "--kind", "theme"]) == 0
    assert main(["participants", str(study), "set", f"Eve{CSI8}", f"segment={OSC_TITLE}NHS"]) == 0
    assert main(["--coder", f"sam{CLIPBOARD}", "code", str(study), f"{OSC_TITLE}interview", "It was",
                 f"{CLEAR}Evil code"]) == 0
    capsys.readouterr()
    return study


@pytest.mark.parametrize("argv", [
    ["info"], ["info", "--json"], ["codes"], ["codes", "--json"], ["participants"], ["participants", "--json"],
    ["history"],
])
def test_study_text_never_reaches_the_terminal_as_escape_sequences(hostile_study, capsys, argv):
    """Before: titles, names, codes, attributes and coders were printed raw: a file name could retitle or
    clear the terminal, or write the clipboard."""
    code, out, err = run(capsys, argv[0], hostile_study, *argv[1:])
    assert code == 0, err
    assert not any(ch in out + err for ch in RAW), repr(out + err)
    shown = {"info": "interview", "codes": "Evil code", "participants": "Eve", "history": "sam"}[argv[0]]
    assert shown in out


def test_errors_and_import_reports_are_clean_too(hostile_study, tmp_path, capsys):
    code, _, err = run(capsys, "code", hostile_study, f"{OSC_TITLE}interview", "It was", f"{CLIPBOARD}Nope")
    assert code == 1 and "Nope" in err and not any(ch in err for ch in RAW)
    again = tmp_path / f"{CLEAR}again.txt"
    again.write_text(f"P1{CSI8}: Hello {OSC_TITLE}there.\n", encoding="utf-8")
    code, out, err = run(capsys, "import", hostile_study, again)
    assert code == 0 and "again" in out and not any(ch in out + err for ch in RAW)


def test_csv_export_neutralises_formulas_unless_raw(hostile_study, tmp_path, capsys):
    import csv

    path = tmp_path / "codings.csv"
    code, _, err = run(capsys, "export", hostile_study, "--format", "csv", "-o", path)
    assert code == 0, err
    assert not any(ch in path.read_text(encoding="utf-8-sig") for ch in RAW)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["code"] == "Evil code" and row["attr:segment"] == "NHS" and row["participant"] == "Eve"
    assert main(["code", str(hostile_study), f"{OSC_TITLE}interview", '=HYPERLINK("http://x")',
                 f"{CLEAR}Evil code"]) == 0
    for option, expected in (([], "'=HYPERLINK"), (["--raw"], "=HYPERLINK")):
        out = tmp_path / f"codings{len(option)}.csv"
        code, _, err = run(capsys, "export", hostile_study, "--format", "csv", "-o", out, *option)
        assert code == 0, err
        with out.open(encoding="utf-8-sig", newline="") as fh:
            cells = sorted(r["text"] for r in csv.DictReader(fh))
        assert cells == sorted(["It was", expected + '("http://x")'])


BIDI = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")


def test_bidi_overrides_never_reach_the_terminal_or_an_export(hostile_study, tmp_path, capsys):
    """Issue 19 item 8: a code named "Quote\u202eexe.txt" was printed with its right-to-left override."""
    name = "Invoice\u202etxt.exe \u2066isolated\u2069"
    assert run(capsys, "codes", hostile_study, "add", name, "--kind", "theme")[0] == 0
    assert main(["code", str(hostile_study), f"{OSC_TITLE}interview", "Thanks", name]) == 0
    csv_out, md_out = tmp_path / "c.csv", tmp_path / "m.md"
    for argv in (["codes"], ["codes", "--json"], ["history"], ["export", "--format", "csv", "-o", csv_out],
                 ["export", "--format", "markdown", "-o", md_out, "--no-model-valence"]):
        code, out, err = run(capsys, argv[0], hostile_study, *argv[1:])
        assert code == 0, err
        assert not any(ch in out + err for ch in BIDI), (argv, out + err)
    assert "Invoicetxt.exe isolated" in run(capsys, "codes", hostile_study)[1]
    written = csv_out.read_text(encoding="utf-8-sig") + md_out.read_text(encoding="utf-8")
    assert "Invoicetxt.exe isolated" in written and not any(ch in written for ch in BIDI)
