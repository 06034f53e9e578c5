"""A study as a `QdaProject`: everything a .qdpx carries, read from the store (no anonymizing here):
sources, turns, codes, codings, participants, memos, stage plans and personas."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

from ..codebook import list_codes
from ..codings import list_codings
from ..models import CODE_KINDS
from .model import (
    QdaCase,
    QdaCode,
    QdaCoding,
    QdaNote,
    QdaPersona,
    QdaPlan,
    QdaProject,
    QdaSource,
    QdaTurn,
    QdaUser,
)

_NS = uuid.UUID("6f1c2f4e-5a44-4d1e-9a7e-3b1f0c7d2e11")  # our namespace for stable GUIDs


def guid(*parts: object) -> str:
    """The same study always gets the same GUIDs, so two exports of it compare equal."""
    return str(uuid.uuid5(_NS, "\x1f".join(str(p) for p in parts))).upper()


def project_from_store(store, *, origin: str = "research-tui",
                       segment: tuple[str, str] | None = None) -> QdaProject:
    """The study as a project. With `segment` (attribute, value): only the sources in which a participant
    with that value speaks, whole (every turn and coding in them), and the people who speak in them; the
    codebook stays whole. An unknown attribute or value is a `StudyError` naming the known ones."""
    study = store.setting("created_at") or store.name
    project = QdaProject(name=store.name, origin=origin)

    coders: dict[str, str] = {}

    def user(name: str) -> str:
        if name not in coders:
            coders[name] = guid(study, "user", name)
            project.users.append(QdaUser(coders[name], name))
        return coders[name]

    user(store.coder)
    project.codes = _codes(store, study)
    code_guid = {c.id: guid(study, "code", c.id) for c in list_codes(store)}

    people = store.participants()
    case_guid = {p.id: guid(study, "case", p.id) for p in people}
    spoken: dict[int, list[str]] = {p.id: [] for p in people}
    keys: dict[int, str] = {}
    for qid, key, text, survey, kind in store.db.execute(
            "SELECT id, key, text, survey, kind FROM questions ORDER BY position, id").fetchall():
        keys[qid] = key
        project.questions.append({"key": key, "text": text, "survey": survey, "kind": kind})
    sources = _sources_of(store, people, segment)
    for s in sources:
        src_guid = guid(study, "source", s.id)
        meta = {k: v for k, v in s.metadata.items()}
        source = QdaSource(src_guid, s.title, s.text, memo=store.source_memo(s.id), created=s.imported_at,
                           extra={"format": s.format, "filename": s.filename, "metadata": meta})
        for u in store.utterances(s.id):
            source.turns.append(QdaTurn(case_guid[u.participant_id], u.char_start, u.char_end, u.start_ms,
                                        u.end_ms, u.not_speech, keys.get(u.question_id), u.empty_answer))
            if not u.not_speech and src_guid not in spoken[u.participant_id]:
                spoken[u.participant_id].append(src_guid)
        for c in list_codings(store, source_id=s.id):
            source.codings.append(QdaCoding(code_guid[c.code_id], c.char_start, c.char_end, user(c.coder),
                                            c.created_at, c.origin, c.memo))
        project.sources.append(source)
    for p in people:
        if segment is None or spoken[p.id]:
            project.cases.append(QdaCase(case_guid[p.id], p.name, dict(p.attributes), p.role, p.pseudonym,
                                         spoken[p.id]))
    src_guid = {s.id: guid(study, "source", s.id) for s in sources}
    for mid, source_id, title, text in store.db.execute(
            "SELECT id, source_id, title, text FROM memos ORDER BY id").fetchall():
        if source_id is not None and source_id not in src_guid:
            continue  # a memo on a source left out of the segment
        project.notes.append(QdaNote(guid(study, "memo", mid), title or "Memo", text,
                                     src_guid.get(source_id) if source_id is not None else None))
    project.plans = _plans(store, code_guid)
    exported = {c.guid for c in project.cases}  # a segment's project: the members it has
    project.personas = [replace(p, case_guids=[g for g in p.case_guids if g in exported])
                        for p in _personas(store, study, case_guid)]
    return project


def _sources_of(store, people, segment: tuple[str, str] | None) -> list:
    """Every source, or those where a participant of the segment speaks (one turn is enough)."""
    sources = store.sources()
    if segment is None:
        return sources
    from ..synthesis.quotes import scope_participants

    scope = scope_participants({p.id: p for p in people}, segment)
    marks = ",".join("?" * len(scope))
    speaking = {sid for (sid,) in store.db.execute(
        f"SELECT DISTINCT source_id FROM utterances WHERE participant_id IN ({marks}) AND NOT not_speech",
        sorted(scope))}
    return [s for s in sources if s.id in speaking]


def _plans(store, code_guid: dict[int, str]) -> list[QdaPlan]:
    """Each stage's to-be plan that says something, stages in journey order (a deleted stage's plan stays
    behind in the study for undo; it is not exported)."""
    out = []
    for stage_id, as_is, to_be, kpis, opportunities in store.db.execute(
            "SELECT p.stage_id, p.as_is, p.to_be, p.kpis, p.opportunity_ids FROM stage_plans p "
            "JOIN codes c ON c.id = p.stage_id ORDER BY c.position, c.id").fetchall():
        plan = QdaPlan(code_guid[stage_id], to_be, as_is, json.loads(kpis),
                       [code_guid[o] for o in json.loads(opportunities) if o in code_guid])
        if plan.to_be or plan.as_is or plan.kpis or plan.opportunity_guids:
            out.append(plan)
    return out


def _personas(store, study: str, case_guid: dict[int, str]) -> list[QdaPersona]:
    members: dict[int, list[str]] = {}
    for persona_id, pid in store.db.execute("SELECT persona_id, participant_id FROM persona_members "
                                            "ORDER BY participant_id").fetchall():
        members.setdefault(persona_id, []).append(case_guid[pid])
    return [QdaPersona(guid(study, "persona", pid), name, description, json.loads(goals),
                       json.loads(attributes) if attributes is not None else None, json.loads(method),
                       members.get(pid, []))
            for pid, name, description, goals, attributes, method in store.db.execute(
                "SELECT id, name, description, goals, attributes, method FROM personas ORDER BY position, id")]


def _codes(store, study: str) -> list[QdaCode]:
    """Codes nested under their parents; kinds in the codebook's order, each kind in its own order."""
    codes = sorted(list_codes(store), key=lambda c: (CODE_KINDS.index(c.kind), c.position, c.id))
    nodes: dict[int, QdaCode] = {}
    for c in codes:
        extra: dict = {}
        if c.valence is not None:
            extra["valence"] = c.valence
        if c.attributes:
            extra["attributes"] = c.attributes
        nodes[c.id] = QdaCode(guid(study, "code", c.id), c.name, c.colour, c.description, c.kind, extra)
    roots: list[QdaCode] = []
    for c in codes:
        parent = nodes.get(c.parent_id) if c.parent_id is not None else None
        (parent.children if parent is not None else roots).append(nodes[c.id])
    return roots
