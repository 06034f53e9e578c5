"""Codings, the codebook and undo/redo through the action log (also after a restart)."""

from __future__ import annotations

import pytest

from coding.codebook import add_code, delete_code, find_code, get_code, list_stages, merge_codes, move_code, update_code
from coding.codings import add_coding, add_codings, code_counts, get_coding, list_codings, set_coding_memo, trim_span
from coding.models import StudyError
from coding.search import search_turns
from coding.sources import set_source_memo
from coding.study import Store
from tests.conftest import span_of


def test_add_coding_quote_is_exact(study):
    sid, a, b = span_of(study, "interview_a", "Nobody called me back.")
    coding = add_coding(study, sid, a, b, find_code(study, "Frustrated").id, memo="key moment")
    assert coding.text == "Nobody called me back."
    assert coding.coder == "tester" and coding.origin == "human" and coding.memo == "key moment"
    assert list_codings(study, code="Frustrated") == [coding]
    aisha = next(p for p in study.participants() if p.name == "Aisha Khan")
    assert list_codings(study, participant_id=aisha.id) == [coding]
    assert study.participants_of_span(sid, a, b) == [aisha.id]


def test_coding_errors(study):
    sid, a, b = span_of(study, "interview_a", "Nobody called me back.")
    code = find_code(study, "Support").id
    add_coding(study, sid, a, b, code)
    with pytest.raises(StudyError, match="already coded 'Support'"):
        add_coding(study, sid, a, b, code)
    with pytest.raises(StudyError, match="outside the source text"):
        add_coding(study, sid, 0, 10_000, code)
    with pytest.raises(StudyError, match="no code with id 999"):
        add_coding(study, sid, a, b, 999)
    assert len(list_codings(study)) == 1
    second = add_coding(study, sid, a, b, code, coder="second coder")  # a second coder's own judgement
    assert [c.coder for c in list_codings(study)] == ["tester", "second coder"]
    assert second.text == "Nobody called me back."


def test_undo_redo_survive_restart(study):
    path = study.path
    sid, a, b = span_of(study, "interview_b", "The radiographer was lovely")
    add_coding(study, sid, a, b, find_code(study, "Use").id)
    add_coding(study, sid, a, b, find_code(study, "Reassured").id)
    study.close()
    store = Store.open(path, coder="tester")
    assert store.undo().summary == "coded 'The radiographer was lovely' as Reassured"
    assert [c.code_id for c in list_codings(store)] == [find_code(store, "Use").id]
    store.close()
    store = Store.open(path)
    assert store.redo().state == "done"
    assert len(list_codings(store)) == 2
    assert store.redo() is None
    # a new command after an undo drops the redo stack
    store.undo()
    add_coding(store, sid, a, b, find_code(store, "Delighted").id)
    assert store.redo() is None
    assert [a.state for a in store.history(3)] == ["done", "dropped", "done"]
    store.close()


def test_merge_codes_moves_codings_and_undo_restores(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    frustrated, angry = find_code(study, "Frustrated"), find_code(study, "Angry")
    add_coding(study, sid, a, b, frustrated.id)
    add_coding(study, sid, a, b, angry.id)  # same quote: merging must not duplicate it
    sid2, c, d = span_of(study, "interview_b", "I was confused.")
    add_coding(study, sid2, c, d, frustrated.id)
    moved = merge_codes(study, frustrated.id, angry.id)
    assert moved == 2
    assert [(x.text, x.code_id) for x in list_codings(study)] == [("It was awful.", angry.id),
                                                              ("I was confused.", angry.id)]
    with pytest.raises(StudyError):
        get_code(study, frustrated.id)
    study.undo()
    assert sorted(x.code_id for x in list_codings(study)) == sorted([frustrated.id, angry.id, frustrated.id])
    assert get_code(study, frustrated.id).name == "Frustrated"


def test_merge_keeps_another_coders_judgement(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    frustrated, angry = find_code(study, "Frustrated"), find_code(study, "Angry")
    add_coding(study, sid, a, b, angry.id, coder="first")
    add_coding(study, sid, a, b, frustrated.id, coder="second")
    merge_codes(study, frustrated.id, angry.id)
    assert sorted((c.coder, c.code_id) for c in list_codings(study)) == [("first", angry.id), ("second", angry.id)]


def test_delete_code_reports_count_and_undo(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    code = add_code(study, "Waiting", "theme", description="Any wait")
    child = add_code(study, "Waiting for results", "theme", parent_id=code.id)
    add_coding(study, sid, a, b, code.id)
    assert delete_code(study, code.id) == 1
    assert list_codings(study) == [] and get_code(study, child.id).parent_id is None
    study.undo()
    assert get_code(study, child.id).parent_id == code.id and len(list_codings(study)) == 1


def test_rename_recolour_valence_and_parent_rules(study):
    code = find_code(study, "Anxious")
    update_code(study, code.id, name="Worried", colour="#ff0000", valence=-1.5)
    updated = get_code(study, code.id)
    assert (updated.name, updated.colour, updated.valence) == ("Worried", "#ff0000", -1.5)
    with pytest.raises(StudyError, match="already exists"):
        update_code(study, code.id, name="angry")
    with pytest.raises(StudyError, match="from -2 to 2"):
        update_code(study, code.id, valence=5)
    parent = add_code(study, "Feelings", "emotion")
    update_code(study, code.id, parent_id=parent.id)
    with pytest.raises(StudyError, match="under itself"):
        update_code(study, parent.id, parent_id=code.id)
    with pytest.raises(StudyError, match="already exists"):
        add_code(study, "  worried ", "emotion")


def test_reorder_stages(study):
    use = find_code(study, "Use")
    move_code(study, use.id, -2)
    assert [c.name for c in list_stages(study)][:5] == ["Awareness", "Consideration", "Use", "Purchase",
                                                     "Onboarding"]
    study.undo()
    assert [c.name for c in list_stages(study)][2] == "Purchase"


def test_bulk_codings_are_one_command(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    ids = [find_code(study, n).id for n in ("Support", "Angry", "Support")]
    added = add_codings(study, [(sid, a, b, i) for i in ids], summary="demo")
    assert added == 2
    study.undo()
    assert list_codings(study) == []


def test_memos(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    coding = add_coding(study, sid, a, b, find_code(study, "Angry").id)
    set_coding_memo(study, coding.id, "strongest words in the study")
    set_source_memo(study, sid, "good rapport")
    assert get_coding(study, coding.id).memo == "strongest words in the study"
    assert study.source_memo(sid) == "good rapport"
    utterances = study.utterances(sid)
    study.undo()
    assert study.source_memo(sid) == ""
    # undoing a memo on a source leaves the source's turns, codings and search index alone
    assert study.utterances(sid) == utterances and get_coding(study, coding.id).text == "It was awful."
    assert any(u.source_id == sid for u in search_turns(study, "awful"))
    study.redo()
    assert study.source_memo(sid) == "good rapport" and study.utterances(sid) == utterances
    assert study.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_trim_span():
    assert trim_span("  hello  ", 0, 9) == (2, 7)
    assert trim_span("   ", 0, 3) == (3, 3)


def test_code_counts_count_every_coding_but_only_participants(study):
    sid, a, b = span_of(study, "interview_a", "How did you first hear about the scan?")  # the interviewer
    support = find_code(study, "Support").id
    add_coding(study, sid, a, b, support)
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    add_coding(study, sid, a, b, support)
    sid, a, b = span_of(study, "interview_b", "I was confused.")
    add_coding(study, sid, a, b, support)
    assert code_counts(study)[support] == (3, 2)


def test_span_across_two_turns_has_both_speakers(study):
    source = study.sources()[0]
    assert study.participants_of_span(source.id, 0, 3) == []  # the label "Int" is in no turn
    first = source.text.index("My GP")
    people = study.participants_of_span(source.id, first, source.text.index("And the results") + 3)
    names = sorted(study.participant(p).name for p in people)
    assert names == ["Aisha Khan", "Interviewer"]
