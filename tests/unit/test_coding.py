"""Codings, the codebook and undo/redo through the action log (also after a restart)."""

from __future__ import annotations

import pytest

from coding.codingops import trim_span
from coding.models import StudyError
from coding.store import Store
from tests.conftest import span_of


def test_add_coding_quote_is_exact(study):
    sid, a, b = span_of(study, "interview_a", "Nobody called me back.")
    coding = study.add_coding(sid, a, b, study.find_code("Frustrated").id, memo="key moment")
    assert coding.text == "Nobody called me back."
    assert coding.coder == "tester" and coding.origin == "human" and coding.memo == "key moment"
    assert study.codings(code="Frustrated") == [coding]
    aisha = next(p for p in study.participants() if p.name == "Aisha Khan")
    assert study.codings(participant_id=aisha.id) == [coding]
    assert study.participants_of_span(sid, a, b) == [aisha.id]


def test_coding_errors(study):
    sid, a, b = span_of(study, "interview_a", "Nobody called me back.")
    code = study.find_code("Support").id
    study.add_coding(sid, a, b, code)
    with pytest.raises(StudyError, match="already coded 'Support'"):
        study.add_coding(sid, a, b, code)
    with pytest.raises(StudyError, match="outside the source text"):
        study.add_coding(sid, 0, 10_000, code)
    with pytest.raises(StudyError, match="no code with id 999"):
        study.add_coding(sid, a, b, 999)
    assert len(study.codings()) == 1
    second = study.add_coding(sid, a, b, code, coder="second coder")  # a second coder's own judgement
    assert [c.coder for c in study.codings()] == ["tester", "second coder"] and second.text == "Nobody called me back."


def test_undo_redo_survive_restart(study):
    path = study.path
    sid, a, b = span_of(study, "interview_b", "The radiographer was lovely")
    study.add_coding(sid, a, b, study.find_code("Use").id)
    study.add_coding(sid, a, b, study.find_code("Reassured").id)
    study.close()
    store = Store.open(path, coder="tester")
    assert store.undo().summary == "coded 'The radiographer was lovely' as Reassured"
    assert [c.code_id for c in store.codings()] == [store.find_code("Use").id]
    store.close()
    store = Store.open(path)
    assert store.redo().state == "done"
    assert len(store.codings()) == 2
    assert store.redo() is None
    # a new command after an undo drops the redo stack
    store.undo()
    store.add_coding(sid, a, b, store.find_code("Delighted").id)
    assert store.redo() is None
    assert [a.state for a in store.history(3)] == ["done", "dropped", "done"]
    store.close()


def test_merge_codes_moves_codings_and_undo_restores(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    frustrated, angry = study.find_code("Frustrated"), study.find_code("Angry")
    study.add_coding(sid, a, b, frustrated.id)
    study.add_coding(sid, a, b, angry.id)  # same quote: merging must not duplicate it
    sid2, c, d = span_of(study, "interview_b", "I was confused.")
    study.add_coding(sid2, c, d, frustrated.id)
    moved = study.merge_codes(frustrated.id, angry.id)
    assert moved == 2
    assert [(x.text, x.code_id) for x in study.codings()] == [("It was awful.", angry.id),
                                                              ("I was confused.", angry.id)]
    with pytest.raises(StudyError):
        study.code(frustrated.id)
    study.undo()
    assert sorted(x.code_id for x in study.codings()) == sorted([frustrated.id, angry.id, frustrated.id])
    assert study.code(frustrated.id).name == "Frustrated"


def test_merge_keeps_another_coders_judgement(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    frustrated, angry = study.find_code("Frustrated"), study.find_code("Angry")
    study.add_coding(sid, a, b, angry.id, coder="first")
    study.add_coding(sid, a, b, frustrated.id, coder="second")
    study.merge_codes(frustrated.id, angry.id)
    assert sorted((c.coder, c.code_id) for c in study.codings()) == [("first", angry.id), ("second", angry.id)]


def test_delete_code_reports_count_and_undo(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    code = study.add_code("Waiting", "theme", description="Any wait")
    child = study.add_code("Waiting for results", "theme", parent_id=code.id)
    study.add_coding(sid, a, b, code.id)
    assert study.delete_code(code.id) == 1
    assert study.codings() == [] and study.code(child.id).parent_id is None
    study.undo()
    assert study.code(child.id).parent_id == code.id and len(study.codings()) == 1


def test_rename_recolour_valence_and_parent_rules(study):
    code = study.find_code("Anxious")
    study.update_code(code.id, name="Worried", colour="#ff0000", valence=-1.5)
    updated = study.code(code.id)
    assert (updated.name, updated.colour, updated.valence) == ("Worried", "#ff0000", -1.5)
    with pytest.raises(StudyError, match="already exists"):
        study.update_code(code.id, name="angry")
    with pytest.raises(StudyError, match="from -2 to 2"):
        study.update_code(code.id, valence=5)
    parent = study.add_code("Feelings", "emotion")
    study.update_code(code.id, parent_id=parent.id)
    with pytest.raises(StudyError, match="under itself"):
        study.update_code(parent.id, parent_id=code.id)
    with pytest.raises(StudyError, match="already exists"):
        study.add_code("  worried ", "emotion")


def test_reorder_stages(study):
    use = study.find_code("Use")
    study.move_code(use.id, -2)
    assert [c.name for c in study.stages()][:5] == ["Awareness", "Consideration", "Use", "Purchase",
                                                     "Onboarding"]
    study.undo()
    assert [c.name for c in study.stages()][2] == "Purchase"


def test_bulk_codings_are_one_command(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    ids = [study.find_code(n).id for n in ("Support", "Angry", "Support")]
    added = study.add_codings([(sid, a, b, i) for i in ids], summary="demo")
    assert added == 2
    study.undo()
    assert study.codings() == []


def test_memos(study):
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    coding = study.add_coding(sid, a, b, study.find_code("Angry").id)
    study.set_coding_memo(coding.id, "strongest words in the study")
    study.set_source_memo(sid, "good rapport")
    assert study.coding(coding.id).memo == "strongest words in the study"
    assert study.source_memo(sid) == "good rapport"
    utterances = study.utterances(sid)
    study.undo()
    assert study.source_memo(sid) == ""
    # undoing a memo on a source leaves the source's turns, codings and search index alone
    assert study.utterances(sid) == utterances and study.coding(coding.id).text == "It was awful."
    assert any(u.source_id == sid for u in study.search("awful"))
    study.redo()
    assert study.source_memo(sid) == "good rapport" and study.utterances(sid) == utterances
    assert study.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_trim_span():
    assert trim_span("  hello  ", 0, 9) == (2, 7)
    assert trim_span("   ", 0, 3) == (3, 3)


def test_code_counts_count_every_coding_but_only_participants(study):
    sid, a, b = span_of(study, "interview_a", "How did you first hear about the scan?")  # the interviewer
    support = study.find_code("Support").id
    study.add_coding(sid, a, b, support)
    sid, a, b = span_of(study, "interview_a", "It was awful.")
    study.add_coding(sid, a, b, support)
    sid, a, b = span_of(study, "interview_b", "I was confused.")
    study.add_coding(sid, a, b, support)
    assert study.code_counts()[support] == (3, 2)


def test_span_across_two_turns_has_both_speakers(study):
    source = study.sources()[0]
    assert study.participants_of_span(source.id, 0, 3) == []  # the label "Int" is in no turn
    first = source.text.index("My GP")
    people = study.participants_of_span(source.id, first, source.text.index("And the results") + 3)
    names = sorted(study.participant(p).name for p in people)
    assert names == ["Aisha Khan", "Interviewer"]
