"""REFI-QDA and merge from the command line."""

from __future__ import annotations

import json

from coding.codebook import find_code
from coding.codings import add_coding
from research_tui.cli import main
from research_tui.commands.exchange import snapshot_copy
from tests.exchange.conftest import signature


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_import_qdpx(rich_study, tmp_path, capsys):
    path = rich_study.path
    rich_study.close()
    out = tmp_path / "s.qdpx"
    assert run(capsys, "export", path, "--format", "qdpx", "-o", out)[0] == 0
    assert run(capsys, "export", path, "--format", "qdc", "-o", tmp_path / "s.qdc")[0] == 0
    fresh = tmp_path / "fresh.rtui"
    run(capsys, "new", fresh, "--template", "blank")
    code, text, err = run(capsys, "import", fresh, out)
    assert code == 0, err
    assert "added 3 sources" in text and "codings: 6 added" in text
    code, text, _ = run(capsys, "info", fresh, "--json")
    assert json.loads(text)["totals"]["codings"] == 6
    code, _, err = run(capsys, "import", fresh, out, tmp_path / "s.qdc")
    assert code == 1 and "on its own" in err


def test_merge_and_undo(rich_study, tmp_path, capsys):
    from coding.study import Store

    snapshot_copy(rich_study.path, tmp_path / "theirs.rtui")
    theirs = Store.open(tmp_path / "theirs.rtui", coder="priya")
    a = next(s for s in theirs.sources() if s.title == "interview_b")
    start = a.text.index("I felt safe.")
    add_coding(theirs, a.id, start, start + len("I felt safe."), find_code(theirs, "Reassured").id)
    theirs.close()
    before = signature(rich_study)
    path = rich_study.path
    rich_study.close()
    code, text, err = run(capsys, "merge", path, tmp_path / "theirs.rtui")
    assert code == 0, err
    assert "codings: 1 added" in text
    assert run(capsys, "undo", path)[0] == 0
    with Store.open(path) as again:
        assert signature(again) == before
    code, _, err = run(capsys, "merge", path, path)
    assert code == 1 and "itself" in err
