"""A damaged study gets one line that quotes nothing of the study and names `restore` (issue 19 item 7)."""

from __future__ import annotations

import sqlite3

import pytest

from coding.study.studyfile import explain
from tests.cli.test_cli_safety import run, study  # noqa: F401  (the fixture)

NAMES = ("Aisha", "George", "Wilson", "Khan", "interview_aisha", "interview_george")


def _damage(path, *statements):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def _check(capsys, study, argv, what):  # noqa: F811
    code, out, err = run(capsys, argv[0], study, *argv[1:])
    assert code == 1, err
    assert err.startswith(f"research-tui: error: {study}: the study file is damaged ({what}") and err.count("\n") == 1
    assert f"restore a backup: `research-tui restore {study}` lists them" in err
    assert "unexpected" not in err and not [n for n in NAMES if n in err]


@pytest.mark.parametrize("argv", [["info"], ["export", "--format", "csv", "-o", "-"]])
def test_text_that_is_not_utf8_is_not_quoted(study, capsys, argv):  # noqa: F811
    """Before: 'database error: Could not decode to UTF-8 column 'text' with text '…Aisha…' over lines."""
    assert run(capsys, "anonymize", study, "on")[0] == 0
    _damage(study, "UPDATE utterances SET text = CAST(X'416973686120486B616E3A0AFF0A4B68616E' AS TEXT) "
                   "WHERE id = (SELECT min(id) FROM utterances)",
            "UPDATE sources SET text = CAST(X'416973686120486B616E3A0AFF0A4B68616E' AS TEXT)")
    _check(capsys, study, argv, "text that is not readable")


def test_a_coding_of_a_code_that_is_not_there(study, capsys):  # noqa: F811
    """Before: `unexpected error: KeyError: -79` on export."""
    _damage(study, "UPDATE codings SET code_id = -79")
    _check(capsys, study, ["export", "--format", "csv", "-o", "-"], "1 row of codings point at rows that are not there")
    _check(capsys, study, ["report", "-o", "-", "--no-model-valence"], "1 row of codings point at rows")


def test_a_turn_of_a_speaker_who_is_not_there(study, capsys, tmp_path):  # noqa: F811
    _damage(study, "UPDATE utterances SET participant_id = 999 WHERE id = (SELECT min(id) FROM utterances)")
    _check(capsys, study, ["export", "--format", "qdpx", "-o", tmp_path / "x.qdpx"],
           "1 row of utterances point at rows that are not there")
    assert not (tmp_path / "x.qdpx").exists()


def test_attributes_that_are_not_json(study, capsys):  # noqa: F811
    assert run(capsys, "participants", study, "set", "Aisha Khan", "segment=NHS")[0] == 0
    _damage(study, """UPDATE participants SET attributes = '{"segment": "Aisha Khan' WHERE name = 'Aisha Khan'""")
    _check(capsys, study, ["participants"], "a value that is not readable (not JSON) of participants.attributes")


def test_a_healthy_study_with_a_bug_is_still_an_unexpected_error_on_one_line(study, capsys, monkeypatch):  # noqa: F811
    def boom(*_a, **_k):
        raise ValueError("first line\nsecond line")

    monkeypatch.setattr("research_tui.commands.study.nlp_status", boom)
    code, _out, err = run(capsys, "info", study)
    assert (code, err) == (2, "research-tui: unexpected error: ValueError: first line second line "
                              "(run with --debug for details)\n")


def test_explain_never_quotes_the_study():
    message = str(explain(sqlite3.OperationalError("Could not decode to UTF-8 column 'text' with text 'Aisha Khan "
                                                   "said\nthe letter'"), "s.rtui"))
    assert message == ("s.rtui: the study file is damaged (text that is not readable); "
                       "restore a backup: `research-tui restore s.rtui` lists them")
    other = str(explain(sqlite3.OperationalError("no such column: 'Aisha Khan'\nmore"), "my study.rtui"))
    assert "Aisha" not in other and "\n" not in other and "restore 'my study.rtui'" in other


def test_a_row_not_found_by_its_id_is_checked_for_damage(study, capsys, monkeypatch):  # noqa: F811
    from coding.models import StudyError

    def lookup(*_a, **_k):
        raise StudyError("no source with id 0")

    monkeypatch.setattr("research_tui.commands.study.nlp_status", lookup)
    assert run(capsys, "info", study)[2] == "research-tui: error: no source with id 0\n"   # healthy: as it was
    _damage(study, "UPDATE codings SET source_id = 0")
    _check(capsys, study, ["info"], "1 row of codings point at rows that are not there")
