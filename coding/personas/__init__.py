"""Personas: participant profiles, persona drafts clustered from the coding, and the drafts kept in the study.

API
---
    profiles(store, *, valence_of=None) -> list[Profile]          every participant with coded quotes
    participant_profile(store, who) -> Profile                    by id, name or pseudonym
    draft_personas(store, *, k=None) -> Drafting                  cluster; nothing stored
    save_drafts(store, drafting) -> list[Persona]                 replace the stored personas (undoable)
    personas(store) -> list[Persona]; find_persona(store, ref)    stored, in order
    describe(store, personas=None) -> list[Sketch]                stored personas as they are now
    persona_scope(store, ref) -> (name, participant ids)          for a journey or report of one persona
    rename_persona, edit_persona, merge_personas, delete_persona, add_persona, move_participant,
    reorder_persona                                               each one undoable command

A profile is one participant: attributes, the stages they spoke about, their top needs, pains and emotions
(quotes carrying each), their own emotion curve (mean valence per stage) and their strongest quotes (most
intense first, one per stage before a second).

A sketch describes a group (a draft, or a stored persona now): the attributes at least 60% of its members
share ("mostly 55+", "NHS"), the needs, pain points and themes that set it apart — lift above 1.2 and said
by at least two members (`profiles.sets_apart`), those at least half the members mention first, highest lift
first, where lift = (share of members' quotes carrying the code, averaged over members + 0.01) / (the same
over the other participants + 0.01); nothing is listed as setting a group apart at a lift of 1.2 or below —
the needs and pains most present in what they say (`top_needs`, `top_pains`), its most shared emotions,
what members asked for (opportunities), goals (the distinctive needs until edited), representative quotes
and the group's emotion curve (`coding.synthesis.stage_valence` per stage over quotes valued as the journey
values them: pass the journey's `valence_of`). How drafts are made and named: see `coding.personas.drafting`.
"""

from __future__ import annotations

from ..people import find_participant
from .drafting import MIN_PARTICIPANTS, draft
from .model import CodeCount, CurvePoint, Drafting, Lift, Persona, Profile, Sketch
from .profiles import Study, profile, sketch
from .stored import (
    add_persona,
    delete_persona,
    edit_persona,
    find_persona,
    merge_personas,
    move_participant,
    persona_of,
    personas,
    rename_persona,
    reorder_persona,
    save_drafts,
)


def profiles(store, *, valence_of=None) -> list[Profile]:
    study = Study(store, valence_of)
    return [profile(study, pid) for pid in study.speaking]


def participant_profile(store, who: int | str, *, valence_of=None) -> Profile:
    person = find_participant(store, who)
    return profile(Study(store, valence_of), person.id)


def draft_personas(store, *, k: int | None = None, valence_of=None) -> Drafting:
    return draft(Study(store, valence_of), k=k)


def describe(store, selected: list[Persona] | None = None, *, valence_of=None,
             study: Study | None = None) -> list[Sketch]:
    """Stored personas described from their members' coding as it is now."""
    study = study or Study(store, valence_of)
    chosen = personas(store) if selected is None else selected
    return [sketch(study, p.participant_ids, name=p.name, goals=p.goals, description=p.description or None,
                   attributes=p.attributes, persona_id=p.id) for p in chosen]


def persona_scope(store, ref: int | str) -> tuple[str, tuple[int, ...]]:
    persona = find_persona(store, ref)
    if not persona.participant_ids:
        from ..models import StudyError

        raise StudyError(f"persona {persona.name!r} has no participants")
    return persona.name, persona.participant_ids


__all__ = [
    "MIN_PARTICIPANTS", "CodeCount", "CurvePoint", "Drafting", "Lift", "Persona", "Profile", "Sketch", "Study",
    "add_persona", "delete_persona", "describe", "draft_personas", "edit_persona", "find_persona",
    "merge_personas", "move_participant", "participant_profile", "persona_of", "persona_scope", "personas",
    "profiles", "rename_persona", "reorder_persona", "save_drafts", "sketch",
]
