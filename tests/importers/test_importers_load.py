"""`importers.load`: the registry, file-level refusals, error wrapping, options and the layering rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from importer_testkit import FIXTURES, make_docx

import importers
from coding.models import ImportFailed, UnsupportedFormat
from importers import READERS, SUPPORTED_SUFFIXES, load, load_with_report


def test_registry():
    assert SUPPORTED_SUFFIXES == (".csv", ".docx", ".md", ".srt", ".text", ".txt", ".vtt")
    assert {s: r.format for s, r in READERS.items()} == {
        ".txt": "text",
        ".md": "text",
        ".text": "text",
        ".docx": "docx",
        ".vtt": "vtt",
        ".srt": "srt",
        ".csv": "csv",
    }
    assert READERS[".docx"].binary and not READERS[".txt"].binary


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("a.txt", "text"),
        ("b.MD", "text"),
        ("c.text", "text"),
        ("d.vtt", "vtt"),
        ("e.srt", "srt"),
        ("f.docx", "docx"),
    ],
)
def test_dispatch_by_suffix(tmp_path, name, fmt):
    content = {
        "text": b"Anna: Hello.\nBen: Hi.\n",
        "vtt": b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>Hello.\n",
        "srt": b"1\n00:00:01,000 --> 00:00:02,000\nAnna: Hello.\n",
        "docx": make_docx("Anna: Hello.", "Ben: Hi."),
    }[fmt]
    path = tmp_path / name
    path.write_bytes(content)
    (t,) = load(path)
    assert (t.format, t.filename, t.title) == (fmt, name, name.rsplit(".", 1)[0])
    assert t.utterances[0].speaker == "Anna"
    assert t.text[t.utterances[0].start : t.utterances[0].end] == "Hello."


def test_unknown_suffix(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(UnsupportedFormat) as info:
        load(path)
    assert (
        str(info.value)
        == "notes.pdf: unsupported file type; supported: .csv, .docx, .md, .srt, .text, .txt, .vtt"
    )
    assert isinstance(info.value, ImportFailed)


def test_empty_file(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"")
    with pytest.raises(ImportFailed) as info:
        load(path)
    assert str(info.value) == "blank.txt: empty file"


def test_over_the_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Anna: hello\n" * 200_000)  # 2.3 MB
    with pytest.raises(ImportFailed) as info:
        load(path, max_bytes=1024 * 1024)
    assert str(info.value) == "big.txt: file is 2.3 MB, over the 1 MB limit"
    with pytest.raises(ImportFailed, match=r"file is 2\.3 MB, over the 50 KB limit"):
        load(path, max_bytes=50 * 1024)
    assert load(path)[0].utterances  # under the default 50 MB


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ImportFailed, match="cannot read the file"):
        load(tmp_path / "missing.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ImportFailed, match="cannot read the file") as info:
        load(folder)
    assert info.value.path == "folder.txt"


def test_unexpected_reader_errors_become_one_line(tmp_path, monkeypatch):
    def broken(data, *, name, interviewer=None):
        raise ValueError("lxml said something\nover two lines")

    monkeypatch.setitem(READERS, ".txt", importers.Reader("text", broken))
    path = tmp_path / "x.txt"
    path.write_text("hello")
    with pytest.raises(ImportFailed) as info:
        load(path)
    assert str(info.value) == "x.txt: could not read the file (ValueError: lxml said something)"


def test_interviewer_option_forces_the_role():
    (t,) = load(FIXTURES / "rev_interview.txt", interviewer=["jordan"])
    assert t.roles == {"Interviewer": "interviewer", "Jordan": "interviewer"}
    (t,) = load(FIXTURES / "otter_interview.txt", interviewer=["Participant 4"])
    assert t.roles == {"Participant 4": "interviewer"}  # no guess when the user says who interviewed


def test_load_with_report_collects_notes():
    result = load_with_report(FIXTURES / "merge_labels.txt")
    assert [t.title for t in result.transcripts] == ["merge_labels"]
    assert result.notes == [
        "merged speaker labels 'Interviewer1', 'INTERVIEWER 1' into 'Interviewer 1'",
        "merged speaker labels 'Dr Smith' into 'Dr. Smith'",
        "'Interviewer 1' is the interviewer (from the label)",
    ]
    assert result.survey is None


def test_core_does_not_import_the_ui():
    code = (
        "import sys, importers, importers.docx, importers.vtt, importers.survey; "
        "heavy = ('textual', 'rich', 'research_tui', 'spacy', 'sklearn', 'exports'); "
        "bad = [m for m in heavy if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    assert out.stdout.strip() == ""


def test_importers_do_not_print(capsys):
    load(FIXTURES / "focus_group.txt")
    load(FIXTURES / "teams_meeting.vtt")
    assert capsys.readouterr() == ("", "")
