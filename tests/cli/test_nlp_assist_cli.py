"""`suggest` and `autocode` from the command line: output, JSON fields, and what lands in the Store."""

from __future__ import annotations

import json

from coding.codebook import get_code
from coding.codings import list_codings
from coding.study import Store
from research_tui.cli import main
from tests.nlp.test_suggest import KIND, WAIT, coded  # noqa: F401  (the fixture)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_suggest_json_fields(coded, capsys):  # noqa: F811
    path = coded.path
    code, out, err = run(capsys, "suggest", path, "--json")
    assert code == 0, err
    quotes = json.loads(out)["quotes"]
    assert quotes
    for q in quotes:
        assert {"id", "source", "participant", "text", "start", "end", "emotion", "valence", "codes"} <= set(q)
        assert coded.source_text(next(s.id for s in coded.sources() if s.title == q["source"]))[q["start"]:q["end"]] \
            == q["text"]
        assert q["valence"] is None or -2 <= q["valence"] <= 2          # the experience's, as `quotes` shows
        assert -2 <= q["model_valence"] <= 2 and (q["valence"] is None) == bool(q["left_out"])
        for c in q["codes"]:
            assert set(c) >= {"code", "confidence"} and 0.3 <= c["confidence"] <= 1
    waiting = [q for q in quotes if q["text"] in WAIT and any(c["code"] == "Waiting" for c in q["codes"])]
    assert waiting and all(q["source"] == "interview_3" and q["participant"] == "Di Evans" for q in waiting)
    code, out, _ = run(capsys, "suggest", path, "--code", "Waiting", "--min-confidence", "0.99", "--json")
    assert all(c["code"] == "Waiting" and c["confidence"] >= 0.99 for q in json.loads(out)["quotes"]
               for c in q["codes"])


def test_suggest_accept_and_reject_by_id(coded, capsys):  # noqa: F811
    path = coded.path
    _, out, _ = run(capsys, "suggest", path, "--code", "Waiting", "--json")
    quotes = json.loads(out)["quotes"]
    first, rest = quotes[0], quotes[1:]
    code, out, err = run(capsys, "--coder", "cleo", "suggest", path, "--code", "Waiting", "--accept", first["id"])
    assert code == 0, err
    assert out.startswith("accepted 1 suggestion")
    with Store.open(path) as store:
        accepted = list_codings(store, origin="suggestion")
        assert [(c.char_start, c.char_end, c.coder) for c in accepted] == [(first["start"], first["end"], "cleo")]
    code, out, _ = run(capsys, "suggest", path, "--code", "Waiting", "--reject", "all")
    assert code == 0 and out.startswith(f"rejected {len(rest)} suggestion")
    _, out, _ = run(capsys, "suggest", path, "--code", "Waiting", "--json")
    assert json.loads(out)["quotes"] == []
    code, _, err = run(capsys, "suggest", path, "--accept", "999999")
    assert code == 1 and "no suggestion on quote 999999" in err
    code, _, err = run(capsys, "suggest", path, "--accept", "1", "--reject", "2")
    assert code == 1 and "not both" in err


def test_suggest_plain_output(coded, capsys):  # noqa: F811
    code, out, err = run(capsys, "suggest", coded.path, "--code", "Reassured")
    assert code == 0
    assert any(line.startswith("#") and KIND[0] in line for line in out.splitlines())
    assert "→ Reassured" in out and "suggestion" in err


def test_autocode_dry_run_then_apply_then_undo(coded, capsys):  # noqa: F811
    path = coded.path
    before = len(list_codings(coded))
    code, out, err = run(capsys, "autocode", path, "--code", "Waiting", "--phrase", "letter", "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == '2 quotes would be coded Waiting (phrase "letter"; 6 already coded)'
    assert len(lines) == 3 and WAIT[3] in lines[1] and WAIT[0] in lines[2]
    with Store.open(path) as store:
        assert len(list_codings(store)) == before
    code, out, _ = run(capsys, "autocode", path, "--code", "Waiting", "--regex", r"letter\b")
    assert code == 0 and out.startswith("coded 2 quotes as Waiting")
    with Store.open(path) as store:
        assert len(list_codings(store)) == before + 2
    assert run(capsys, "undo", path)[0] == 0
    with Store.open(path) as store:
        assert len(list_codings(store)) == before
    code, _, err = run(capsys, "autocode", path, "--code", "Waiting")  # one of --phrase / --regex is required
    assert code == 2 and "--phrase" in err
    code, _, err = run(capsys, "autocode", path, "--code", "Waiting", "--regex", "[")
    assert code == 1 and "invalid regular expression" in err


def test_suggest_honours_the_study_anonymize_setting(coded, capsys):  # noqa: F811
    assert run(capsys, "anonymize", coded.path, "on")[0] == 0
    _, out, _ = run(capsys, "suggest", coded.path, "--json")
    quotes = json.loads(out)["quotes"]
    assert quotes and all(q["participant"].startswith("P") and "Di Evans" not in json.dumps(q) for q in quotes)
    assert all("interview_" not in q["source"] for q in quotes)


def test_suggest_top_and_source(coded, capsys):  # noqa: F811
    path = coded.path
    code, out, err = run(capsys, "suggest", path, "--json", "--min-confidence", "0", "--top", "3", "--source",
                         "interview_3")
    assert code == 0, err
    quotes = json.loads(out)["quotes"]
    assert 1 <= len(quotes) <= 3 and {q["source"] for q in quotes} == {"interview_3"}
    best = [max(c["confidence"] for c in q["codes"]) for q in quotes]
    assert best == sorted(best, reverse=True)                       # most confident first
    assert all(q["quotes"] and isinstance(q["question"], str) for q in quotes)
    code, _, err = run(capsys, "suggest", path, "--source", "nosuch")
    assert code != 0 and "no source titled 'nosuch'" in err
    code, _, err = run(capsys, "suggest", path, "--top", "0")
    assert code != 0 and "--top" in err


def test_uncode_removes_codings_in_one_undoable_step(coded, capsys):  # noqa: F811
    path = coded.path
    before = list_codings(coded)
    of_0 = [c for c in before if coded.source(c.source_id).title == "interview_0"]
    code, _, err = run(capsys, "uncode", path)
    assert code != 0 and "--all" in err                               # nothing said: nothing removed
    code, out, _ = run(capsys, "uncode", path, "interview_0", "--dry-run")
    assert code == 0 and out.startswith(f"{len(of_0)} codings of 'interview_0' would be removed")
    code, out, err = run(capsys, "uncode", path, "interview_0", "--code", "Waiting")
    assert code == 0, err
    waiting_0 = [c for c in of_0 if get_code(coded, c.code_id).name == "Waiting"]
    assert out.startswith(f"removed {len(waiting_0)} codings of 'interview_0'")
    with Store.open(path) as store:
        assert len(list_codings(store)) == len(before) - len(waiting_0)
        assert not [c for c in list_codings(store, code="Waiting") if store.source(c.source_id).title == "interview_0"]
    code, out, _ = run(capsys, "uncode", path, "interview_1", KIND[1])   # codings on those words only
    assert code == 0 and out.startswith("removed 1 coding of 'interview_1' on those words")
    assert run(capsys, "undo", path)[0] == 0 and run(capsys, "undo", path)[0] == 0
    with Store.open(path) as store:
        assert sorted(c.id for c in list_codings(store)) == sorted(c.id for c in before)
