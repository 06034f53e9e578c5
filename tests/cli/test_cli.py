"""The CLI end to end: each command on real files, exit codes, one-line errors, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coding.codings import list_codings
from coding.models import StudyError
from coding.study import Store
from research_tui.cli import main

SHARED = Path(__file__).resolve().parents[1] / "data" / "public"  # copies of ../shared/data, see its README
TRANSCRIPTS = SHARED / "transcripts"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_new_import_info_json(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    assert run(capsys, "new", study, "--template", "journey")[0] == 0
    people = tmp_path / "people.csv"
    people.write_text("name,segment,age_band\nAdam Stacoviak,Host,35-54\n")
    code, out, err = run(capsys, "import", study, TRANSCRIPTS / "changelog_podcast" / "founders-talk-63.md",
                         TRANSCRIPTS / "podcast_buzzsprout" / "example.vtt",
                         TRANSCRIPTS / "qualcoder_sample" / "transcript.txt", "--participants", people)
    assert code == 0, err
    assert "imported founders-talk-63.md" in out
    code, out, _ = run(capsys, "info", study, "--json")
    info = json.loads(out)
    assert info["totals"]["sources"] == 3
    assert set(info["totals"]) == {"sources", "participants", "utterances", "words", "codes", "codings"}
    titles = [s["title"] for s in info["sources"]]
    assert titles == ["founders-talk-63", "example", "transcript"]
    ft = info["sources"][0]
    assert ft["format"] == "text" and ft["filename"] == "founders-talk-63.md"
    assert "Adam Stacoviak" in ft["speakers"] and ft["utterances"] > 20 and ft["words"] > 1000
    with Store.open(study) as store:
        adam = next(p for p in store.participants() if p.name == "Adam Stacoviak")
        assert adam.attributes == {"segment": "Host", "age_band": "35-54"}
        for s in store.sources():
            for u in store.utterances(s.id):
                assert s.text[u.char_start:u.char_end] == u.text
    code, out, _ = run(capsys, "info", study)
    assert "3 sources" in out


def test_reimport_is_skipped_with_message(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    f = TRANSCRIPTS / "qualcoder_sample" / "transcript.txt"
    run(capsys, "import", study, f)
    code, out, err = run(capsys, "import", study, f)
    assert code == 0
    assert "skipped, the same text is already in the study as 'transcript'" in out
    assert json.loads(run(capsys, "info", study, "--json")[1])["totals"]["sources"] == 1


def _snapshot(study: Path) -> tuple:
    with Store.open(study) as s:
        counts = tuple(s.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("sources", "participants", "utterances", "codings", "actions"))
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return counts


@pytest.mark.parametrize("name,content,message", [
    ("notes.pdf", b"%PDF-1.4", "unsupported file type"),
    ("empty.txt", b"", "empty file"),
    ("blob.txt", b"\x00\x01\x02binary\x00\xff" * 20, "binary"),
    ("broken.docx", b"PK\x03\x04truncated", "docx"),
    ("bad.vtt", b"WEBVTT\n\n00:00:01.000 --> nonsense\nhello\n", "bad.vtt"),
])
def test_bad_input_one_line_nonzero_nothing_written(tmp_path, capsys, name, content, message):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    run(capsys, "import", study, TRANSCRIPTS / "qualcoder_sample" / "transcript.txt")
    before = _snapshot(study)
    bad = tmp_path / name
    bad.write_bytes(content)
    good = TRANSCRIPTS / "podcast_buzzsprout" / "example.srt"
    code, out, err = run(capsys, "import", study, good, bad)
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("research-tui: error: ") and name in lines[0]
    assert message in lines[0]
    assert "Traceback" not in err
    assert _snapshot(study) == before


def test_keep_going_imports_good_files_and_lists_bad(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    bad = tmp_path / "empty.vtt"
    bad.write_bytes(b"")
    code, out, err = run(capsys, "import", study, TRANSCRIPTS / "podcast_buzzsprout" / "example.srt", bad,
                         "--keep-going")
    assert code == 1
    assert "empty.vtt" in err and "imported example.srt" in out
    assert json.loads(run(capsys, "info", study, "--json")[1])["totals"]["sources"] == 1


def test_size_limit(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    big = tmp_path / "big.txt"
    big.write_text("Ann: " + "word " * 300_000)
    code, _, err = run(capsys, "import", study, big, "--max-mb", "1")
    assert code == 1 and "big.txt" in err and "limit" in err


def test_missing_study_and_debug(tmp_path, capsys):
    code, _, err = run(capsys, "info", tmp_path / "nope.rtui")
    assert code == 1 and err.strip() == f"research-tui: error: {tmp_path / 'nope.rtui'}: no such study file " \
                                        "(create one with `research-tui new`)"
    with pytest.raises(StudyError):
        main(["--debug", "info", str(tmp_path / "nope.rtui")])


def test_survey_csv_with_columns(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    survey = tmp_path / "survey.csv"
    survey.write_text("resp,role,answer\n1,dev,The install was slow and confusing for me\n"
                      "2,pm,I loved how quickly the notebook started up today\n")
    code, out, err = run(capsys, "import", study, survey, "--id-column", "resp", "--text-column", "answer",
                         "--attribute-column", "role")
    assert code == 0, err
    info = json.loads(run(capsys, "info", study, "--json")[1])
    assert [s["title"] for s in info["sources"]] == ["1", "2"]
    code, _, err = run(capsys, "import", study, survey, "--text-column", "nope")
    assert code == 1 and "nope" in err and "survey.csv" in err


def test_code_undo_redo_history_codes(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    run(capsys, "import", study, TRANSCRIPTS / "qualcoder_sample" / "transcript.txt")
    with Store.open(study) as s:
        source = s.sources()[0]
        words = s.utterances(source.id)[1].text[:30]
    code, out, err = run(capsys, "code", study, "transcript", words, "Support", "Frustrated")
    assert code == 0, err
    with Store.open(study) as s:
        assert [c.text for c in list_codings(s)] == [words.strip()] * 2
    assert run(capsys, "undo", study)[1].startswith("undo: coded")
    assert run(capsys, "redo", study)[0] == 0
    assert "coded" in run(capsys, "history", study)[1]
    assert run(capsys, "codes", study, "add", "Waiting", "--kind", "theme")[0] == 0
    assert run(capsys, "codes", study, "merge", "Angry", "Frustrated")[0] == 0
    rows = json.loads(run(capsys, "codes", study, "--json")[1])
    frustrated = next(r for r in rows if r["name"] == "Frustrated")
    assert frustrated["codings"] == 1 and not any(r["name"] == "Angry" for r in rows)
    code, _, err = run(capsys, "code", study, "transcript", "words that are not there", "Support")
    assert code == 1 and "do not occur" in err
    assert run(capsys, "anonymize", study, "on")[0] == 0
    people = json.loads(run(capsys, "participants", study, "--json")[1])
    assert all(p["name"] is None for p in people) and people[0]["pseudonym"]


def test_bare_study_path_means_open(monkeypatch, tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    opened = []
    monkeypatch.setattr("research_tui.app.run_tui", lambda store, settings=None: opened.append(store.path))
    monkeypatch.setattr("research_tui.commands.study._on_a_terminal", lambda: True)
    assert main([str(study)]) == 0
    assert opened == [study]


def test_participants_rename_role_set_merge(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    run(capsys, "import", study, TRANSCRIPTS / "podcast_buzzsprout" / "example.srt")
    code, out, err = run(capsys, "participants", study, "rename", "Gilon", "Gillian")
    assert code == 0, err
    code, out, err = run(capsys, "participants", study, "merge", "Gillian", "Sarah")
    assert code == 0 and "turns moved" in out
    assert run(capsys, "participants", study, "role", "Travis", "interviewer")[0] == 0
    assert run(capsys, "participants", study, "set", "Sarah", "segment=Host")[0] == 0
    people = {p["name"]: p for p in json.loads(run(capsys, "participants", study, "--json")[1])}
    assert set(people) == {"Travis", "Sarah"}
    assert people["Travis"]["role"] == "interviewer" and people["Travis"]["pseudonym"].startswith("I")
    assert people["Sarah"]["attributes"] == {"segment": "Host"}
    code, _, err = run(capsys, "participants", study, "merge", "Nobody", "Sarah")
    assert code == 1 and "no participant named 'Nobody'" in err
    code, _, err = run(capsys, "participants", study, "set", "Sarah", "segment")
    assert code == 1 and "ATTR=VALUE" in err
    assert run(capsys, "undo", study)[0] == 0  # the attribute
    people = {p["name"]: p for p in json.loads(run(capsys, "participants", study, "--json")[1])}
    assert people["Sarah"]["attributes"] == {}


def test_import_a_folder_takes_its_transcript_files(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    code, out, err = run(capsys, "import", study, TRANSCRIPTS / "podcast_buzzsprout")  # .vtt, .srt and a .json
    assert code == 0, err
    with Store.open(study) as s:
        assert sorted(src.filename for src in s.sources()) == ["example.srt", "example.vtt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "import", study, empty)
    assert code == 1 and "no transcript files" in err and "empty" in err


def test_the_studio_is_not_opened_without_a_terminal(tmp_path, capsys):
    """Under a pipe or a script the studio would wait for keys forever at full CPU: say so instead."""
    study = tmp_path / "demo.rtui"
    code, out, err = run(capsys, "demo", study)  # capsys: standard output is not a terminal
    assert code == 0 and out.startswith("created the fictional MRI demo study")
    assert err.strip() == (f"not opening the studio: standard input or output is not a terminal "
                           f"(open it with `research-tui open {study}` in one)")
    before = study.stat().st_mtime_ns
    code, out, err = run(capsys, "open", study)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert f"{study}: the studio needs a terminal" in err
    code, out, err = run(capsys, study)  # `research-tui STUDY` is `open`
    assert code == 1 and "the studio needs a terminal" in err
    assert study.stat().st_mtime_ns == before
