"""Participants after import: rename, role, attributes, merge; every change undoable."""

from __future__ import annotations

import pytest

from coding.codebook import find_code
from coding.codings import add_coding
from coding.models import StudyError
from coding.people import (
    find_participant,
    merge_participants,
    rename_participant,
    set_participant_attribute,
    set_participant_role,
)
from coding.search import search_turns
from tests.conftest import span_of


def test_rename_by_name_or_pseudonym_and_undo(study):
    aisha = find_participant(study, "Aisha Khan")
    renamed = rename_participant(study, aisha.pseudonym, "Aisha K.")
    assert renamed.name == "Aisha K." and renamed.pseudonym == aisha.pseudonym
    with pytest.raises(StudyError, match="merge the two instead"):
        rename_participant(study, "Aisha K.", "george wilson")
    with pytest.raises(StudyError, match="no participant named 'Nobody'"):
        rename_participant(study, "Nobody", "X")
    study.undo()
    assert study.participant(aisha.id).name == "Aisha Khan"


def test_role_change_moves_the_automatic_pseudonym(study):
    aisha = find_participant(study, "Aisha Khan")
    assert aisha.pseudonym.startswith("P")
    moderator = set_participant_role(study, "Aisha Khan", "moderator")
    assert moderator.role == "moderator" and moderator.pseudonym == "M01"
    with pytest.raises(StudyError, match="unknown role"):
        set_participant_role(study, "Aisha Khan", "boss")
    study.undo()
    back = study.participant(aisha.id)
    assert (back.role, back.pseudonym) == ("participant", aisha.pseudonym)


def test_attributes_set_and_remove(study):
    p = set_participant_attribute(study, "Aisha Khan", "region", "North")
    assert p.attributes["region"] == "North" and p.attributes["segment"] == "NHS"
    p = set_participant_attribute(study, "Aisha Khan", "segment", "")
    assert "segment" not in p.attributes and p.attributes["region"] == "North"
    study.undo()
    assert find_participant(study, "Aisha Khan").attributes["segment"] == "NHS"


def test_merge_moves_turns_combines_attributes_and_undo_restores(study):
    aisha, george = find_participant(study, "Aisha Khan"), find_participant(study, "George Wilson")
    set_participant_attribute(study, george.id, "region", "West")
    sid, a, b = span_of(study, "interview_b", "The radiographer was lovely")
    add_coding(study, sid, a, b, find_code(study, "Use").id)
    assert study.participants_of_span(sid, a, b) == [george.id]
    george_turns = [u.id for u in study.utterances() if u.participant_id == george.id]

    moved = merge_participants(study, "George Wilson", "Aisha Khan")
    assert moved == len(george_turns) > 0
    assert "George Wilson" not in [p.name for p in study.participants()]
    assert study.participants_of_span(sid, a, b) == [aisha.id]
    kept = study.participant(aisha.id)
    assert kept.attributes["region"] == "West" and kept.attributes["segment"] == "NHS"  # Aisha's values win
    assert [u.text for u in search_turns(study, "radiographer")][0].startswith("The radiographer")
    with pytest.raises(StudyError, match="into themself"):
        merge_participants(study, "Aisha Khan", aisha.pseudonym)

    study.undo()
    assert study.participant(george.id).name == "George Wilson"
    assert [u.id for u in study.utterances() if u.participant_id == george.id] == george_turns
    assert study.participants_of_span(sid, a, b) == [george.id]
    assert "region" not in study.participant(aisha.id).attributes
    assert study.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_merge_keeps_the_persona_of_the_person_merged_and_undo_restores_every_membership(study):
    from coding.personas.stored import add_persona

    aisha, george = find_participant(study, "Aisha Khan"), find_participant(study, "George Wilson")
    add_persona(study, "Careful planners", [george.id])
    members = "SELECT id, persona_id, participant_id FROM persona_members ORDER BY id"
    before = study.db.execute(members).fetchall()
    assert [r[2] for r in before] == [george.id]

    merge_participants(study, "George Wilson", "Aisha Khan")
    (row,) = study.db.execute(members).fetchall()
    assert row[1:] == (before[0][1], aisha.id)               # Aisha had no persona: she takes George's

    study.undo()
    assert study.db.execute(members).fetchall() == before    # the same rows, ids included
    study.redo()
    study.undo()
    assert study.db.execute(members).fetchall() == before


def test_merge_into_someone_with_a_persona_and_undo_brings_back_the_other_membership(study):
    from coding.personas.stored import add_persona

    aisha, george = find_participant(study, "Aisha Khan"), find_participant(study, "George Wilson")
    add_persona(study, "Careful planners", [george.id])
    add_persona(study, "In a hurry", [aisha.id])
    members = "SELECT id, persona_id, participant_id FROM persona_members ORDER BY id"
    before = study.db.execute(members).fetchall()

    merge_participants(study, "George Wilson", "Aisha Khan")
    assert [r[2] for r in study.db.execute(members)] == [aisha.id]  # Aisha keeps her own persona
    study.undo()
    assert study.db.execute(members).fetchall() == before
