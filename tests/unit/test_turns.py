"""Correcting people and turns after import: delete a participant (turns become unattributed), mark a
turn as not speech, split a turn and give part of it to another speaker. Offsets stay exact, counts
and synthesis ignore what is not a person or not speech, and one undo restores everything."""

from __future__ import annotations

import pytest

from coding import turns
from coding.codebook import find_code
from coding.codings import add_coding, code_counts, list_codings
from coding.models import UNATTRIBUTED, UNATTRIBUTED_NAME, StudyError
from coding.nlp.segments import candidates
from coding.people import (
    delete_participant,
    find_participant,
    merge_participants,
    rename_participant,
    set_participant_role,
)
from coding.synthesis import compute_journey
from tests.tui.conftest import make_study, source_id, span


@pytest.fixture
def study(tmp_path):
    store = make_study(tmp_path / "s.rtui")
    yield store
    store.close()


def tables(store) -> dict:
    return {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
            for t in ("participants", "utterances", "codings", "actions")}


def exact(store) -> None:
    for s in store.sources():
        for u in store.utterances(s.id):
            assert s.text[u.char_start:u.char_end] == u.text and u.text == u.text.strip()


def test_deleting_a_participant_keeps_their_turns_as_unattributed_and_undo_restores_them(study):
    mei = find_participant(study, "Mei Chen")
    sid = source_id(study, "follow_up")
    s, a, b = span(study, "follow_up", "I felt in control.")
    add_coding(study, s, a, b, find_code(study, "Confident").id)
    add_coding(study, s, a, b, find_code(study, "Purchase").id)   # a stage: a journey quote
    assert [q.participant_ids for q in compute_journey(study).quotes] == [(mei.id,)]
    before_people = study.totals()["participants"]
    before = {t: v for t, v in tables(study).items() if t != "actions"}

    assert delete_participant(study, "Mei Chen") == 1
    assert mei.id not in {p.id for p in study.participants()}
    stand_in = find_participant(study, "unattributed")
    assert (stand_in.name, stand_in.role) == (UNATTRIBUTED_NAME, UNATTRIBUTED)
    [turn] = [u for u in study.utterances(sid) if "The app was easy" in u.text]
    assert turn.participant_id == stand_in.id                     # kept, readable
    assert {c.text for c in list_codings(study)} == {"I felt in control."}   # the codings stay
    assert study.totals()["participants"] == before_people - 1    # the stand-in is nobody
    assert code_counts(study)[find_code(study, "Confident").id] == (1, 0)
    assert [q.participant_ids for q in compute_journey(study).quotes] == [()]   # nobody's quote
    assert stand_in.id not in {c.participant_id for c in candidates(study)}

    study.undo()
    assert {t: v for t, v in tables(study).items() if t != "actions"} == before
    assert study.participants_of_span(s, a, b) == [mei.id]


def test_a_second_deletion_reuses_the_stand_in_and_the_stand_in_cannot_be_changed(study):
    delete_participant(study, "Mei Chen")
    delete_participant(study, "George Wilson")
    assert [p.name for p in study.participants() if p.role == UNATTRIBUTED] == [UNATTRIBUTED_NAME]
    for change in (lambda: delete_participant(study, "unattributed"),
                   lambda: rename_participant(study, "unattributed", "Someone"),
                   lambda: set_participant_role(study, "unattributed", "participant"),
                   lambda: merge_participants(study, "unattributed", "Aisha Khan"),
                   lambda: merge_participants(study, "Aisha Khan", "unattributed")):
        with pytest.raises(StudyError, match="unattributed"):
            change()


def test_an_unattributed_turn_is_given_to_its_speaker(study):
    delete_participant(study, "Mei Chen")
    sid = source_id(study, "follow_up")
    orphan = next(u for u in study.utterances(sid) if "The app was easy" in u.text)
    assert turns.set_speaker(study, [orphan.id], "Aisha Khan") == 1
    assert turns.turn(study, orphan.id).participant_id == find_participant(study, "Aisha Khan").id
    assert "gave 1 turn to P01" in study.history(1)[0].summary


def test_a_header_marked_as_not_speech_is_kept_but_never_counted(study):
    sid = source_id(study, "clinic_visit")
    first = turns.turns_of(study, sid)[0]                        # "How did you first hear ..."
    totals = study.totals()
    assert turns.set_not_speech(study, [first.id]) == 1
    row = turns.turn(study, first.id)
    assert row.not_speech and row.text == first.text             # kept, as it was
    assert study.totals()["utterances"] == totals["utterances"] - 1
    assert study.totals()["words"] == totals["words"] - len(first.text.split())
    assert study.participants_of_span(sid, first.char_start, first.char_end) == []
    assert first.id not in {c.id for c in candidates(study, include_interviewers=True)
                            if c.source_id == sid and c.start < first.char_end and c.end > first.char_start}
    assert not [c for c in candidates(study, include_interviewers=True)
                if c.source_id == sid and c.start >= first.char_start and c.end <= first.char_end]
    assert turns.set_not_speech(study, [first.id], False) == 1
    assert not turns.turn(study, first.id).not_speech
    study.undo()
    assert turns.turn(study, first.id).not_speech


def test_splitting_a_turn_keeps_offsets_exact_and_gives_the_rest_to_another_speaker(study):
    sid = source_id(study, "results")
    text = study.source_text(sid)
    answer = turns.turns_of(study, sid)[1]                       # George: "The results letter ... twice."
    s, a, b = span(study, "results", "I was confused.")
    add_coding(study, s, a, b, find_code(study, "Confused").id)
    before = {t: v for t, v in tables(study).items() if t != "actions"}
    at = turns.find_in_turn(text, answer, "I rang the helpline")
    first_id, second_id = turns.split_turn(study, answer.id, at, "Interviewer")
    exact(study)
    rows = turns.turns_of(study, sid)
    assert [r.id for r in rows][:3] == [rows[0].id, first_id, second_id]
    assert [r.position for r in rows] == sorted(r.position for r in rows) and len({r.position for r in rows}) == 5
    first, second = rows[1], rows[2]
    assert first.text == "The results letter was full of jargon. I was confused."
    assert second.text == "I rang the helpline twice."
    assert second.participant_id == find_participant(study, "Interviewer").id
    assert first.char_start == answer.char_start and second.char_end == answer.char_end
    assert list_codings(study)[0].text == "I was confused."
    assert study.participants_of_span(sid, second.char_start, second.char_end) == [second.participant_id]
    assert {c.text for c in candidates(study, include_interviewers=True) if c.source_id == sid} >= {
        "I rang the helpline twice."}
    study.undo()
    assert {t: v for t, v in tables(study).items() if t != "actions"} == before
    assert second_id not in {u.id for u in study.utterances(sid)}


def test_a_split_needs_words_on_both_sides(study):
    sid = source_id(study, "results")
    answer = turns.turns_of(study, sid)[1]
    for at in (answer.char_start, answer.char_end, answer.char_start - 3):
        with pytest.raises(StudyError, match="split"):
            turns.split_turn(study, answer.id, at)
    with pytest.raises(StudyError, match="do not occur"):
        turns.find_in_turn(study.source_text(sid), answer, "helicopter")
    assert study.history(1)[0].summary.startswith("imported")  # nothing was recorded


def test_undoing_a_deletion_brings_back_the_persona_membership_it_took(study):
    mei = find_participant(study, "Mei Chen")
    study.db.execute("INSERT INTO personas (id, name, created_at, modified_at) VALUES (1, 'Confident', 'x', 'x')")
    study.db.execute("INSERT INTO persona_members (persona_id, participant_id) VALUES (1, ?)", [mei.id])
    members = "SELECT persona_id, participant_id FROM persona_members"
    delete_participant(study, mei.id)
    assert study.db.execute(members).fetchall() == []
    study.undo()
    assert study.db.execute(members).fetchall() == [(1, mei.id)]
