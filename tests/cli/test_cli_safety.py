"""The CLI never loses a study (issue 8 items 1, 2, 4, 6, 10, 11, 15; issue 7 item 18)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from coding.codebook import get_code, insert_template_codes, list_codes, new_study
from coding.codings import add_codings, list_codings
from coding.study import Store, backup
from research_tui.cli import main
from tests.conftest import INTERVIEW_A, INTERVIEW_B


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def study(tmp_path) -> Path:
    path = tmp_path / "s.rtui"
    for name, lines in (("interview_aisha.txt", INTERVIEW_A), ("interview_george.txt", INTERVIEW_B)):
        (tmp_path / name).write_text("\n".join(lines) + "\n")
    assert main(["new", str(path)]) == 0
    assert main(["import", str(path), str(tmp_path / "interview_aisha.txt"), str(tmp_path / "interview_george.txt"),
                 "--interviewer", "Interviewer"]) == 0
    assert main(["code", str(path), "interview_aisha", "I was nervous.", "Anxious"]) == 0
    return path


def _state(study: Path) -> tuple:
    with Store.open(study, read_only=True) as s:
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return tuple(s.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("sources", "participants", "codes", "codings", "actions"))


# -- item 1: no command writes over a study, or over a file it did not write -------------------------
@pytest.mark.parametrize("argv", [
    ["export", "--format", "markdown"], ["export", "--format", "csv"], ["report"],
    ["export", "--format", "csv", "--force"], ["report", "--force"],
])
def test_an_export_never_writes_over_a_study(study, tmp_path, capsys, argv):
    target = study
    if argv[0] == "report":  # a study may have any name, also one that ends in .docx
        target = tmp_path / "other-study.docx"
        new_study(target).close()
    before = _state(study), target.read_bytes()
    code, out, err = run(capsys, argv[0], study, "-o", target, *argv[1:])
    assert code == 1 and out == ""
    assert err == f"research-tui: error: {target}: this is a research-tui study: the " \
                  f"{'report' if argv[0] == 'report' else ('CSV file' if 'csv' in argv else 'Markdown summary')} " \
                  "never writes over a study; choose another file name\n"
    assert (_state(study), target.read_bytes()) == before


def test_an_unrelated_file_needs_force_and_an_earlier_export_does_not(study, tmp_path, capsys):
    notes = tmp_path / "notes.md"
    notes.write_text("# My own notes\n")
    code, _, err = run(capsys, "export", study, "--format", "markdown", "-o", notes)
    assert code == 1 and "not a Markdown summary written by research-tui" in err and "--force" in err
    assert notes.read_text() == "# My own notes\n"
    assert run(capsys, "export", study, "--format", "markdown", "-o", notes, "--force")[0] == 0
    assert notes.read_text().startswith("# s: customer journey")
    for argv in (["export", "--format", "markdown", "-o", notes], ["export", "--format", "csv", "-o", "c.csv"],
                 ["report", "-o", "r.docx"]):  # the normal loop: run it again, the earlier output is replaced
        argv = [a if a not in ("c.csv", "r.docx") else tmp_path / a for a in argv]
        assert run(capsys, argv[0], study, *argv[1:])[0] == 0
        assert run(capsys, argv[0], study, *argv[1:])[0] == 0
    transcript = tmp_path / "interview_george.docx"  # a Word transcript: a .docx, but not our report
    document = docx.Document()
    document.add_paragraph("Interviewer: Tell me about the day of the scan.")
    document.core_properties.author = "George Wilson"
    document.save(transcript)
    before = transcript.read_bytes()
    code, _, err = run(capsys, "report", study, "-o", transcript)
    assert code == 1 and "not a report written by research-tui" in err
    assert transcript.read_bytes() == before


def test_the_matrix_csv_follows_the_same_rules(study, tmp_path, capsys):
    out = tmp_path / "m.csv"
    argv = ["matrix", study, "--rows", "kind:emotion", "--cols", "kind:stage"]
    assert run(capsys, *argv, "-o", out)[0] == 0
    assert run(capsys, *argv, "-o", out)[0] == 0  # an earlier matrix is replaced
    code, _, err = run(capsys, *argv, "-o", study, "--force")
    assert code == 1 and "never writes over a study" in err
    code, out_text, _ = run(capsys, *argv, "-o", "-")
    assert code == 0 and out_text.startswith("\ufeffkind:emotion \\ kind:stage (quotes),")
    notes = tmp_path / "notes.csv"
    notes.write_text("a,b\n")
    code, _, err = run(capsys, *argv, "-o", notes)
    assert code == 1 and "not a matrix CSV written by research-tui" in err


@pytest.mark.parametrize("argv,check", [
    (["export", "--format", "csv"], lambda b: b.startswith("\ufeffcoding_id,".encode())),
    (["export", "--format", "markdown"], lambda b: b.startswith(b"# s: customer journey")),
    (["report"], lambda b: "word/document.xml" in zipfile.ZipFile(io.BytesIO(b)).namelist()),
    (["export", "--format", "html"], lambda b: b.startswith(b"<!doctype html>") and b.rstrip().endswith(b"</html>")),
])
def test_dash_means_standard_output_for_every_export(study, tmp_path, capsysbinary, monkeypatch, argv, check):
    monkeypatch.chdir(tmp_path)
    code = main([argv[0], str(study), "-o", "-", *argv[1:]])
    captured = capsysbinary.readouterr()
    assert code == 0 and check(captured.out), captured.err
    assert b"wrote" not in captured.out
    assert not (tmp_path / "-").exists()


def test_output_piped_into_head_ends_quietly(study, tmp_path):
    with Store.open(study) as s:  # enough output to fill the pipe: 600 codes, 2,000 codings
        with s.writing():
            insert_template_codes(s, [{"kind": "theme", "name": f"Theme {i:03d} " + "x" * 60} for i in range(600)])
        source = s.sources()[0]
        add_codings(s, [(source.id, i, i + 5, code.id) for code in list_codes(s, "theme")[:40] for i in range(50)])
    for command in (f"codes {study} --json", f"export {study} --format csv -o -", f"history {study}"):
        result = subprocess.run(f"{sys.executable} -m research_tui.cli {command} | head -c 100",
                                shell=True, capture_output=True, timeout=120)
        assert len(result.stdout) == 100, command
        assert result.stderr == b"", (command, result.stderr)


# -- item 2: one code command, one transaction ------------------------------------------------------
def test_code_with_many_codes_is_one_step_and_all_or_nothing(study, capsys):
    before = _state(study)
    code, _, err = run(capsys, "code", study, "interview_aisha", "I was nervous.", "Confused", "Anxious", "Use")
    assert code == 1 and err == "research-tui: error: that quote is already coded 'Anxious'; nothing was saved\n"
    assert _state(study) == before
    code, out, err = run(capsys, "code", study, "interview_aisha", "It was awful.", "Frustrated", "Use", "Pain point")
    assert code == 0, err
    with Store.open(study) as s:
        assert len(list_codings(s)) == 4
        assert s.history(1)[0].summary == "coded 'It was awful.' as Frustrated, Use, Pain point"
    assert run(capsys, "undo", study)[0] == 0
    with Store.open(study) as s:
        assert [c.text for c in list_codings(s)] == ["I was nervous."]


# -- item 4: only new and demo create a study ------------------------------------------------------
@pytest.mark.parametrize("command", ["info", "codes", "participants", "history", "undo", "import", "restore",
                                     "anonymize", "code", "export", "report", "open"])
def test_no_command_but_new_turns_a_file_into_a_study(tmp_path, capsys, command):
    empty = tmp_path / "empty.rtui"
    empty.write_bytes(b"")
    extra = {"import": [tmp_path / "x.txt"], "anonymize": ["on"], "code": ["s", "w", "Anxious"],
             "export": ["--format", "csv", "-o", tmp_path / "o.csv"], "report": ["-o", tmp_path / "o.docx"],
             "restore": ["1"]}.get(command, [])
    (tmp_path / "x.txt").write_text("A: hello there\n")
    code, out, err = run(capsys, command, empty, *extra)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert str(empty) in err
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.rtui", "x.txt"]


# -- item 6: restore -------------------------------------------------------------------------------
def test_restore_lists_and_restores_backups(study, capsys):
    assert "no backups" in run(capsys, "restore", study)[1]
    assert run(capsys, "codes", study, "merge", "Anxious", "Confused")[0] == 0  # a merge: backed up first
    assert run(capsys, "codes", study, "delete", "Confused")[0] == 0            # a bulk delete: too
    with Store.open(study) as s:
        assert list_codings(s) == []
    code, out, _ = run(capsys, "restore", study)
    lines = out.splitlines()
    assert code == 0 and re.match(r"\s+1  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  before deleting code confused ", lines[1])
    assert "before merging codes" in lines[2]
    code, out, err = run(capsys, "restore", study, "2")
    assert code == 0 and out.startswith(f"restored {study} from ")
    assert "the study as it was before is kept as" in err
    with Store.open(study) as s:
        assert [(c.text, get_code(s, c.code_id).name) for c in list_codings(s)] == [("I was nervous.", "Anxious")]
    assert [b.reason for b in backup.list_backups(study)][0] == "before restore"
    code, _, err = run(capsys, "restore", study, "9")
    assert code == 1 and "there is no backup number 9; the study has 3" in err


def test_info_and_restore_of_a_study_with_a_damaged_schema(study, capsys):
    """Issue 19 item 1: one flipped byte in a table's CREATE statement; SQLite's error quotes the bytes."""
    assert run(capsys, "codes", study, "merge", "Anxious", "Confused")[0] == 0  # backed up first
    data = bytearray(study.read_bytes())
    data[data.index(b"CREATE TABLE memos") + 3] ^= 0xFF
    study.write_bytes(bytes(data))
    code, _, err = run(capsys, "info", study)
    assert code == 1 and err == f"research-tui: error: {study}: the study file is damaged; " \
                                f"restore a backup: `research-tui restore {study}` lists them\n"
    code, out, err = run(capsys, "restore", study, "1")
    assert code == 0 and out.startswith(f"restored {study} from ")
    aside = backup.list_backups(study)[0]
    assert aside.reason == "replaced by restore" and aside.path.read_bytes() == bytes(data)
    code, out, _ = run(capsys, "info", study)
    assert code == 0
    with Store.open(study) as s:
        assert [(c.text, get_code(s, c.code_id).name) for c in list_codings(s)] == [("I was nervous.", "Anxious")]


# -- item 10: numbers --------------------------------------------------------------------------------
@pytest.mark.parametrize("argv,message", [
    (["import", "{s}", "x.txt", "--max-mb", "nan"], "argument --max-mb: must be a finite number, not 'nan'"),
    (["import", "{s}", "x.txt", "--max-mb", "inf"], "argument --max-mb: must be a finite number, not 'inf'"),
    (["import", "{s}", "x.txt", "--max-mb", "-1"], "argument --max-mb: must be more than 0, not '-1'"),
    (["import", "{s}", "x.txt", "--max-mb", "lots"], "argument --max-mb: must be a number, not 'lots'"),
    (["history", "{s}", "--limit", "0"], "argument --limit: must be at least 1, not '0'"),
    (["history", "{s}", "--limit", "2.5"], "argument --limit: must be a whole number, not '2.5'"),
    (["code", "{s}", "a", "b", "Anxious", "--occurrence", "0"], "argument --occurrence: must be at least 1"),
    (["codes", "{s}", "add", "X", "--kind", "emotion", "--valence", "nan"], "argument --valence: must be a finite"),
    (["codes", "{s}", "add", "X", "--kind", "emotion", "--valence", "2.5"], "argument --valence: must be at most 2"),
    # issue 19 item 8: digits 0-9 alone, and no overflow
    (["code", "{s}", "a", "b", "Anxious", "--occurrence", "٤٤"],
     "argument --occurrence: must be a whole number written with the digits 0-9 alone, not '٤٤'"),
    (["code", "{s}", "a", "b", "Anxious", "--occurrence", " 44"], "written with the digits 0-9 alone, not ' 44'"),
    (["code", "{s}", "a", "b", "Anxious", "--occurrence", "+44"], "written with the digits 0-9 alone, not '+44'"),
    (["code", "{s}", "a", "b", "Anxious", "--occurrence", "99999999999999999999999"],
     "argument --occurrence: must be at most 9223372036854775807"),
    (["codes", "{s}", "add", "X", "--kind", "emotion", "--valence", "١"], "must be a number written with the digits"),
])
def test_every_number_is_checked_in_one_line(study, capsys, argv, message):
    before = _state(study)
    code, out, err = run(capsys, *[a.replace("{s}", str(study)) for a in argv])
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err, err
    assert _state(study) == before


@pytest.mark.parametrize("argv,message", [
    (["split", "٢", "words"], "turns split takes one TURN number"),
    (["split", "+2", "words"], "turns split takes one TURN number"),
    (["not-speech", "+2"], "turn numbers look like 3 or 3-5,8, not '+2'"),
    (["not-speech", "٢"], "turn numbers look like 3 or 3-5,8, not '٢'"),
    (["not-speech", "1-٢"], "turn numbers look like 3 or 3-5,8, not '1-٢'"),
])
def test_turn_numbers_are_digits_0_to_9(study, capsys, argv, message):
    """Issue 19 item 8: `٤٤`, `+44` were read as 44."""
    before = _state(study)
    code, out, err = run(capsys, "turns", study, "interview_aisha", *argv)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1 and message in err, err
    assert _state(study) == before


def test_a_huge_history_limit_is_everything(study, capsys):
    """Issue 19 item 8: OverflowError."""
    code, out, err = run(capsys, "history", study, "--limit", "99999999999999999999999")
    assert (code, err) == (0, "") and len(out.splitlines()) == _state(study)[-1]


@pytest.mark.parametrize("argv", [["{s}", ""], ["{s}", "{a}", ""], ["{s}", "--participants", ""],
                                  ["{s}", "--media", ""], ["{s}", "", "--keep-going"]])
def test_an_empty_file_name_is_refused_not_read_as_this_folder(study, tmp_path, capsys, monkeypatch, argv):
    """Issue 19 item 8: `import STUDY ""` imported every file of the current folder (Path("") is ".")."""
    here = tmp_path / "here"
    here.mkdir()
    (here / "interview_zoe.txt").write_text("Interviewer: How was it?\nZoe Park: Slow, and nobody called back.\n")
    monkeypatch.chdir(here)
    before = _state(study)
    args = [a.format(s=study, a=tmp_path / "interview_aisha.txt") for a in argv]
    code, out, err = run(capsys, "import", *args)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert "an empty name is no file or folder; give its name (. for this folder)" in err
    assert _state(study) == before


# -- item 11: options and files in any order ------------------------------------------------------
def test_options_and_files_in_any_order(study, tmp_path, capsys):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4")
    good = tmp_path / "more.txt"
    good.write_text("Interviewer: Why?\nMei Chen: Because the app was easy.\n")
    code, out, err = run(capsys, "import", study, "--keep-going", bad, "--max-mb", "5", good)
    assert code == 1 and "imported more.txt" in out and "bad.pdf" in err
    code, _, err = run(capsys, "code", "--memo", "first visit", study, "--coder", "sam", "interview_george",
                       "I felt safe.", "Reassured")
    assert code == 0, err
    with Store.open(study) as s:
        coding = list_codings(s, code="Reassured")[0]
        assert (coding.memo, coding.coder) == ("first visit", "sam")
    assert run(capsys, "report", "-o", tmp_path / "r.docx", study, "--debug")[0] == 0
    assert run(capsys, "--json", "info", study)[0] == 2  # a command's option before the command: refused
    assert json.loads(run(capsys, "info", "--json", study)[1])["totals"]["sources"] == 3


# -- item 15: anonymity in every command ------------------------------------------------------------
def test_anonymized_study_prints_no_names_anywhere(study, tmp_path, capsys):
    assert run(capsys, "participants", study, "rename", "George Wilson", "George W. Wilson")[0] == 0
    assert run(capsys, "anonymize", study, "on")[0] == 0
    more = tmp_path / "interview_mei.txt"
    more.write_text("Interviewer: And you?\nMei Chen: I booked online.\n")
    outputs = [run(capsys, "import", study, more)[1]]
    for argv in (["info"], ["info", "--json"], ["history"], ["participants"], ["participants", "--json"],
                 ["codes"], ["export", "--format", "csv", "-o", "-"], ["export", "--format", "markdown", "-o", "-"]):
        code, out, err = run(capsys, argv[0], study, *argv[1:])
        assert code == 0, err
        outputs.append(out + err)
    assert run(capsys, "undo", study)[0] == 0  # the rename's summary names George
    outputs.append(run(capsys, "redo", study)[1])
    text = "\n".join(outputs)
    for name in ("Aisha", "Khan", "George", "Wilson", "Mei", "Chen", "aisha", "george", "mei"):
        assert not re.search(rf"\b{name}\b", text), (name, [o for o in outputs if name in o][:1])
    info = json.loads(outputs[2])
    assert info["sources"][0]["speakers"] == ["I01", "P01"]
