"""Two coders, two copies of a study: merge brings the other's codings in, one undoable step."""

from __future__ import annotations

import pytest

from coding.codebook import add_code, find_code, list_codes, new_study
from coding.codings import add_coding, list_codings
from coding.exchange.apply import import_project
from coding.exchange.snapshot import project_from_store
from coding.importing import import_transcripts
from coding.models import StudyError
from coding.study import Store
from exports.qdpx import write_qdpx
from importers.qdpx import read_qdpx
from research_tui.commands.exchange import snapshot_copy


def _colleague_copy(study: Store, tmp_path) -> Store:
    """The colleague got the study file before anyone coded, and coded it themselves."""
    snapshot_copy(study.path, tmp_path / "other.rtui")
    other = Store.open(tmp_path / "other.rtui", coder="priya")
    a = next(s for s in other.sources() if s.title == "interview_a")
    for words, code in (("I waited three weeks for the results.", "Frustrated"),   # main said Anxious
                        ("Nobody called me back.", "Frustrated")):
        start = a.text.index(words)
        add_coding(other, a.id, start, start + len(words), find_code(other, code).id)
    add_code(other, "Communication", "theme")
    start = a.text.index("It was awful.")
    add_coding(other, a.id, start, start + len("It was awful."), find_code(other, "Communication").id)
    return other


def test_merge_adds_their_codings_and_undo_takes_it_back(rich_study, tmp_path):
    before_rows = rich_study.db.execute("SELECT * FROM codings ORDER BY id").fetchall()
    before_codes = len(list_codes(rich_study))
    other = _colleague_copy(rich_study, tmp_path)
    report = import_project(rich_study, project_from_store(other, origin="research-tui study"), merge=True,
                            filename="other.rtui")
    assert report.codings_added == 3 and report.codes_added == ["Communication"]
    theirs = list_codings(rich_study, code="Frustrated")
    assert {(c.text, c.coder) for c in theirs} >= {("I waited three weeks for the results.", "priya"),
                                                   ("Nobody called me back.", "priya")}
    assert rich_study.history(1)[0].summary.startswith("merged other.rtui")
    rich_study.undo()
    assert rich_study.db.execute("SELECT * FROM codings ORDER BY id").fetchall() == before_rows
    assert len(list_codes(rich_study)) == before_codes


def test_merge_from_a_qdpx_matches_sources_by_content(rich_study, tmp_path):
    other = _colleague_copy(rich_study, tmp_path)
    write_qdpx(other, tmp_path / "other.qdpx", anonymize=False)
    n = len(list_codings(rich_study))
    report = import_project(rich_study, read_qdpx((tmp_path / "other.qdpx").read_bytes(), name="other.qdpx"),
                            merge=True, filename="other.qdpx")
    assert report.codings_added == 3
    assert report.codings_present == n          # our own codings came back and were recognised
    assert len(report.sources_matched) == 3 and report.sources_added == []


def test_merge_never_adds_sources_and_refuses_strangers(rich_study, tmp_path):
    stranger = new_study(tmp_path / "stranger.rtui", coder="x")
    from tests.conftest import transcript_from_lines

    import_transcripts(stranger, [transcript_from_lines("else", ["Zed: something else entirely"])])
    before = rich_study.totals()
    with pytest.raises(StudyError, match="share no source"):
        import_project(rich_study, project_from_store(stranger), merge=True, filename="stranger.rtui")
    assert rich_study.totals() == before
