"""Imports index their turns for search in one statement (not a trigger call per row), and stay atomic."""

from __future__ import annotations

import pytest

from coding.codebook import new_study
from coding.importing import import_transcripts
from coding.models import StudyError
from coding.search import search_turns
from coding.study import Store
from tests.conftest import INTERVIEW_A, INTERVIEW_B, transcript_from_lines

TRIGGER = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'utterances_ai'"


def _fts_rows(store) -> list[tuple]:
    return store.db.execute("SELECT rowid, text FROM utterances_fts ORDER BY rowid").fetchall()


def test_imported_turns_are_searchable_and_the_trigger_is_back(tmp_path):
    store = new_study(tmp_path / "s.rtui")
    trigger = store.db.execute(TRIGGER).fetchone()[0]
    import_transcripts(store, [transcript_from_lines("a", INTERVIEW_A)])
    import_transcripts(store, [transcript_from_lines("b", INTERVIEW_B)])
    assert store.db.execute(TRIGGER).fetchone()[0] == trigger
    assert _fts_rows(store) == store.db.execute("SELECT id, text FROM utterances ORDER BY id").fetchall()
    assert [u.text for u in search_turns(store, "radiographer")] == [INTERVIEW_B[1].partition(": ")[2]]
    assert len(search_turns(store, "results")) == sum("results" in line for line in INTERVIEW_A + INTERVIEW_B) == 3
    store.db.execute("INSERT INTO utterances_fts(utterances_fts) VALUES ('integrity-check')")
    # rows added later (outside an import) are indexed by the trigger as before
    with store.db.atomic():
        store.db.execute("INSERT INTO utterances (source_id, participant_id, position, char_start, char_end, text) "
                         "SELECT source_id, participant_id, 99, 0, 5, 'zebra crossing' FROM utterances LIMIT 1")
    assert [u.text for u in search_turns(store, "zebra")] == ["zebra crossing"]


def test_a_failed_import_leaves_no_rows_no_index_and_the_trigger(tmp_path):
    store = new_study(tmp_path / "s.rtui")
    import_transcripts(store, [transcript_from_lines("a", INTERVIEW_A)])
    before = _fts_rows(store), store.db.execute(TRIGGER).fetchone()
    empty = transcript_from_lines("b", INTERVIEW_B)
    empty.utterances = []  # refused after the first transcript's turns were inserted
    with pytest.raises(StudyError, match="no speech"):
        import_transcripts(store, [transcript_from_lines("c", [line + " Again." for line in INTERVIEW_B]), empty])
    assert (_fts_rows(store), store.db.execute(TRIGGER).fetchone()) == before
    assert store.db.execute("SELECT count(*) FROM utterances").fetchone()[0] == len(INTERVIEW_A)
    store.close()
    reopened = Store.open(tmp_path / "s.rtui")
    assert reopened.db.execute(TRIGGER).fetchone() == before[1]
