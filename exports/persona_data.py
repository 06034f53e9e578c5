"""Personas and participant profiles as plain data (JSON for the CLI, rows for the workshop CSV), honouring
the study's anonymize setting: pseudonyms for people, names replaced inside quotes."""

from __future__ import annotations

from coding.personas import Profile, Sketch
from coding.synthesis.model import Quote

from .anonymize import Anonymizer


def _lifts(items, size: int) -> list[dict]:
    return [{"code": x.code.name, "participants": x.members, "of": size, "share": round(x.share, 3),
             "lift": round(x.lift, 2), "quotes": len(x.quote_ids)} for x in items]


def quote_dict(q: Quote, anon: Anonymizer, codes: dict) -> dict:
    stage = codes[q.stage_id].name if q.stage_id in codes else None  # None: a coded span with no stage
    return {
        "text": anon.anon(q.text), "participants": [anon.label(p) for p in q.participant_ids],
        "source": anon.source_label(q.source_id), "timestamp": q.timestamp or None, "stage": stage,
        "codes": sorted({codes[a.code_id].name for a in q.attached}), "coding_id": q.id,
    }


def sketch_dict(s: Sketch, anon: Anonymizer, codes: dict) -> dict:
    size = max(1, s.size)
    return {
        "id": s.persona_id, "name": anon.anon(s.name), "description": anon.anon(s.description),
        "participants": [anon.people[p].pseudonym for p in s.participant_ids],
        "people": [{"pseudonym": anon.people[p].pseudonym, "name": None if anon.enabled else anon.people[p].name,
                    "attributes": anon.people[p].attributes} for p in s.participant_ids],
        "attributes": {k: anon.anon(v) for k, v in s.attributes.items()},
        "attributes_edited": s.attributes_edited,
        "goals": [anon.anon(g) for g in s.goals],
        "needs": _lifts(s.needs, size), "pains": _lifts(s.pains, size), "themes": _lifts(s.themes, size),
        "top_needs": _lifts(s.top_needs, size), "top_pains": _lifts(s.top_pains, size),
        "emotions": _lifts(s.emotions, size),
        "opportunities": _lifts(s.opportunities, size),
        "quotes": [quote_dict(q, anon, codes) for q in s.quotes],
        "curve": [{"stage": c.stage.name, "valence": None if c.valence is None else round(c.valence, 3),
                   "participants": c.participants, "quotes": c.quotes} for c in s.curve],
    }


def profile_dict(p: Profile, anon: Anonymizer, codes: dict) -> dict:
    def counted(items):
        return [{"code": c.code.name, "quotes": c.quotes} for c in items]

    return {
        "pseudonym": p.participant.pseudonym, "name": None if anon.enabled else p.participant.name,
        "attributes": p.participant.attributes, "quotes": len(p.quotes),
        "stages": counted(p.stages), "needs": counted(p.needs), "pains": counted(p.pains),
        "emotions": counted(p.emotions), "opportunities": counted(p.opportunities),
        "curve": [{"stage": c.stage.name, "valence": None if c.valence is None else round(c.valence, 3),
                   "quotes": c.quotes} for c in p.curve],
        "strongest": [quote_dict(q, anon, codes) for q in p.strongest],
    }
