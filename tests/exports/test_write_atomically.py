"""`write_atomically`: the one place that decides whether an output may be written (issue 8 item 1)."""

from __future__ import annotations

import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from coding.codebook import new_study
from coding.models import StudyError
from exports.common import WouldOverwrite, docx_with_subject, text_starting_with, write_atomically


def _text(data: str):
    return lambda tmp: tmp.write_text(data, encoding="utf-8")


def test_writes_a_new_file_privately_with_nothing_left_over(tmp_path):
    out = tmp_path / "sub" / "out.csv"
    out.parent.mkdir()
    write_atomically(out, _text("coding_id,x\n"), "CSV file")
    assert out.read_text() == "coding_id,x\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["out.csv"]


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_that_is_not_there_is_refused_not_created(tmp_path, force):
    """A mistyped `-o /nonexistent/dir/x.docx` is a bad path like any other: no folders appear."""
    out = tmp_path / "nonexistent" / "dir" / "x.csv"
    with pytest.raises(StudyError, match=r"x\.csv: the folder .*nonexistent/dir does not exist; create it first"):
        write_atomically(out, _text("coding_id,x\n"), "CSV file", force=force)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "file").write_text("x")
    with pytest.raises(StudyError, match="is not a folder"):
        write_atomically(tmp_path / "file" / "x.csv", _text("coding_id,x\n"), "CSV file", force=force)
    assert (tmp_path / "file").read_text() == "x"


@pytest.mark.parametrize("force", [False, True])
def test_never_writes_over_a_study_or_its_wal(tmp_path, force):
    study = tmp_path / "s.rtui"
    store = new_study(study)
    store.set_anonymize(True)  # the -wal file holds something
    before = study.read_bytes()
    for target in (study, tmp_path / "s.rtui-wal", tmp_path / "link.md"):
        if target.name == "link.md":
            target.symlink_to(study)
        wal = (tmp_path / "s.rtui-wal").read_bytes()
        with pytest.raises(StudyError, match="never writes over a study"):
            write_atomically(target, _text("# oops"), "Markdown summary", force=force)
        assert study.read_bytes() == before and (tmp_path / "s.rtui-wal").read_bytes() == wal
    assert store.anonymize is True
    store.close()
    assert not list(tmp_path.glob(".*.part"))


def test_an_unrelated_file_needs_force(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("respondent,answer\n1,hello\n")
    with pytest.raises(WouldOverwrite, match="not a CSV file written by research-tui; .*--force"):
        write_atomically(notes, _text("coding_id,x\n"), "CSV file", replaces=text_starting_with("coding_id,"))
    assert notes.read_text() == "respondent,answer\n1,hello\n"
    write_atomically(notes, _text("coding_id,x\n"), "CSV file", force=True)
    assert notes.read_text() == "coding_id,x\n"


def test_an_earlier_output_of_the_same_kind_is_replaced(tmp_path):
    out = tmp_path / "codings.csv"
    out.write_bytes("\ufeffcoding_id,source\n1,a\n".encode())
    write_atomically(out, _text("coding_id,source\n"), "CSV file", replaces=text_starting_with("coding_id,"))
    assert out.read_text() == "coding_id,source\n"


def test_docx_with_subject_reads_the_core_properties(tmp_path):
    def docx(name: str, **props) -> Path:
        path = tmp_path / name
        fields = "".join(f"<dc:{k}>{v}</dc:{k}>" for k, v in props.items())
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("docProps/core.xml", f"<cp:coreProperties>{fields}</cp:coreProperties>")
        return path

    is_report = docx_with_subject("Customer journey map")
    assert is_report(docx("r.docx", creator="Sam", subject="Customer journey map"))
    assert not is_report(docx("k.docx", creator="Sam", subject="Persona workshop kit"))
    assert not is_report(docx("t.docx", creator="Aisha Khan"))
    assert docx_with_subject("Kit & cards")(docx("a.docx", subject="Kit &amp; cards"))


def test_a_stale_part_file_from_a_killed_run_is_removed_a_live_one_is_not(tmp_path):
    out = tmp_path / "r.md"
    stale = tmp_path / ".r.md.abc123.part"
    stale.write_text("half a file")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".r.md.def456.part"
    fresh.write_text("another export, running now")
    other = tmp_path / ".notes.md.xyz.part"
    other.write_text("not ours")
    os.utime(other, (old, old))
    write_atomically(out, _text("# S: customer journey\n"), "Markdown summary")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.md.xyz.part", ".r.md.def456.part", "r.md"]


def test_a_failure_leaves_the_earlier_file_and_no_part(tmp_path):
    out = tmp_path / "r.csv"
    out.write_text("coding_id,before\n")

    def broken(tmp):
        tmp.write_text("coding_id,half")
        raise OSError(28, "No space left on device")

    with pytest.raises(StudyError, match=r"r.csv: cannot write the CSV file \(No space left on device\)"):
        write_atomically(out, broken, "CSV file", replaces=text_starting_with("coding_id,"))
    assert out.read_text() == "coding_id,before\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_dash_is_standard_output(tmp_path, capsysbinary, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_atomically("-", lambda tmp: tmp.write_bytes(b"\xef\xbb\xbfcoding_id\r\n"), "CSV file")
    assert capsysbinary.readouterr().out == b"\xef\xbb\xbfcoding_id\r\n"
    assert list(tmp_path.iterdir()) == []  # no file called "-"


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(StudyError, match="this is a folder"):
        write_atomically(tmp_path, _text("x"), "report", force=True)
