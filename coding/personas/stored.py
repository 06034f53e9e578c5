"""Persona drafts kept in the study, and every edit to them as one undoable command.

Tables `personas` (name, description, goals, attributes, position, method) and `persona_members`
(persona, participant; a participant is in one persona at most). A persona's `attributes` is NULL until
the researcher edits them: until then they are computed from the members on every read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from ..models import StudyError
from ..people import find_participant
from ..study.actionlog import now
from .model import Drafting, Persona

_COLS = "id, name, description, goals, attributes, position, method"


def personas(store) -> list[Persona]:
    rows = store.db.execute(f"SELECT {_COLS} FROM personas ORDER BY position, id").fetchall()
    members: dict[int, list[int]] = {}
    for persona_id, pid in store.db.execute(
            "SELECT m.persona_id, m.participant_id FROM persona_members m "
            "JOIN participants p ON p.id = m.participant_id ORDER BY m.participant_id").fetchall():
        members.setdefault(persona_id, []).append(pid)
    return [_persona(r, members.get(r[0], [])) for r in rows]


def _persona(r, members: Sequence[int]) -> Persona:
    attributes = json.loads(r[4]) if r[4] is not None else None
    return Persona(r[0], r[1], r[2], tuple(json.loads(r[3])), attributes, r[5], tuple(members), json.loads(r[6]))


def find_persona(store, ref: int | str) -> Persona:
    """A persona by id (an int), name (any case), number in the list (1, 2 ...) or a unique start of its name."""
    found = personas(store)
    if isinstance(ref, int):
        for p in found:
            if p.id == ref:
                return p
        raise StudyError(f"no persona with id {ref}")
    wanted = " ".join(str(ref).split()).casefold()
    for p in found:
        if p.name.casefold() == wanted:
            return p
    if wanted.isdigit() and 1 <= int(wanted) <= len(found):
        return found[int(wanted) - 1]
    starts = [p for p in found if p.name.casefold().startswith(wanted)] if wanted else []
    if len(starts) == 1:
        return starts[0]
    known = "; ".join(f"{i}. {p.name}" for i, p in enumerate(found, 1)) or "none yet (run `research-tui personas`)"
    what = "is ambiguous" if len(starts) > 1 else "matches no persona"
    raise StudyError(f"{str(ref)!r} {what}; personas: {known}")


def persona_of(store, participant_id: int) -> Persona | None:
    return next((p for p in personas(store) if participant_id in p.participant_ids), None)


def save_drafts(store, drafting: Drafting) -> list[Persona]:
    """Replace the study's personas with these drafts: one undoable command.

    A stored persona whose members mostly stay together (more than half of them in one new draft) carries
    over to that draft: same id, name and number in the list, and the description and goals the researcher
    wrote (text still as drafted is drafted anew), so `rename 2 …` after a redraft still means the same people.
    When two stored personas mostly land in one draft, the one with more members there carries over. The
    other drafts get the free numbers in drafting order and names that no kept persona leads with."""
    if not drafting.sketches:
        raise StudyError(drafting.reason or "no persona drafts to save")
    old = personas(store)
    kept = carry_over(old, drafting.sketches)
    sketches = list(drafting.sketches)
    order = numbered(old, kept, len(sketches))
    if kept:
        from .drafting import name_drafts

        fresh = [i for i in range(len(sketches)) if i not in kept]
        it = iter(name_drafts([sketches[i] for i in fresh], reserved=[p.name for p in kept.values()],
                              numbers=[order.index(i) + 1 for i in fresh]))
        sketches = [s if i in kept else next(it) for i, s in enumerate(sketches)]
    method = {"k": drafting.k, "participants": drafting.participants, "features": list(drafting.features),
              "silhouettes": {str(k): v for k, v in drafting.silhouettes.items()}, "chosen": drafting.reason}
    summary = f"drafted {len(sketches)} personas (k = {drafting.k})"
    if kept:
        summary += f"; kept {len(kept)} whose members mostly stay"
    with store.command("draft_personas", summary) as rec:
        for (mid,) in store.db.execute("SELECT id FROM persona_members ORDER BY id").fetchall():
            rec.delete("persona_members", mid)
        staying = {p.id for p in kept.values()}
        for p in old:
            if p.id not in staying:
                rec.delete("personas", p.id)
        for pos, i in enumerate(order):
            s = sketches[i]
            drafted = {"description": s.description, "goals": list(s.goals)}
            row = {"position": pos, "method": json.dumps({**method, "drafted": drafted}), "modified_at": now()}
            if i in kept:
                was = kept[i]
                as_drafted = was.method.get("drafted")
                if as_drafted is not None and was.description == as_drafted.get("description"):
                    row["description"] = s.description      # never edited: drafted anew from the coding
                if as_drafted is not None and list(was.goals) == as_drafted.get("goals"):
                    row["goals"] = json.dumps(list(s.goals))
                rec.update("personas", was.id, row)
                pid = was.id
            else:
                pid = rec.insert("personas", {**row, "name": s.name, "description": s.description,
                                              "goals": json.dumps(list(s.goals)), "attributes": None,
                                              "created_at": now()})
            for member in s.participant_ids:
                rec.insert("persona_members", {"persona_id": pid, "participant_id": member})
    return personas(store)


def carry_over(old: Sequence[Persona], sketches: Sequence) -> dict[int, Persona]:
    """draft index -> the stored persona it continues: more than half of that persona's members are in the
    draft (so a persona continues at most one draft); of several, the one with most members there."""
    best: dict[int, tuple[int, int, Persona]] = {}
    for rank, p in enumerate(old):
        members = set(p.participant_ids)
        if not members:
            continue
        for i, s in enumerate(sketches):
            together = len(members & set(s.participant_ids))
            if 2 * together > len(members) and (i not in best or (together, -rank) > best[i][:2]):
                best[i] = (together, -rank, p)
    return {i: p for i, (_, _, p) in best.items()}


def numbered(old: Sequence[Persona], kept: dict[int, Persona], n: int) -> list[int]:
    """The order of the n drafts in the list: a kept persona at its old number when it still exists, the
    others (new drafts, in drafting order; then kept ones whose number is gone) in the free places."""
    number = {p.id: i for i, p in enumerate(old)}
    slots: list[int | None] = [None] * n
    for i, p in sorted(kept.items(), key=lambda kv: number[kv[1].id]):
        if number[p.id] < n:
            slots[number[p.id]] = i
    placed = {i for i in slots if i is not None}
    rest = iter([i for i in range(n) if i not in kept] + [i for i in kept if i not in placed])
    return [i if i is not None else next(rest) for i in slots]


def add_persona(store, name: str, participants: Iterable[int] = ()) -> Persona:
    """A new, empty (or hand-picked) persona; participants move to it from wherever they were."""
    name = _check_name(store, name)
    position = store.db.execute("SELECT coalesce(max(position) + 1, 0) FROM personas").fetchone()[0]
    with store.command("add_persona", f"added persona '{name}'") as rec:
        new = rec.insert("personas", {"name": name, "description": "", "goals": "[]", "attributes": None,
                                      "position": position, "method": "{}", "created_at": now(),
                                      "modified_at": now()})
        for pid in participants:
            _place(store, rec, store.participant(pid).id, new)
    return find_persona(store, new)


def rename_persona(store, ref: int | str, name: str) -> Persona:
    persona = find_persona(store, ref)
    name = _check_name(store, name, keep=persona.id)
    with store.command("rename_persona", f"renamed persona '{persona.name}' to '{name}'") as rec:
        rec.update("personas", persona.id, {"name": name, "modified_at": now()})
    return find_persona(store, persona.id)


def edit_persona(store, ref: int | str, *, description: str | None = None, goals: Sequence[str] | None = None,
                 attributes: dict[str, str | None] | None = None, computed_attributes: bool = False) -> Persona:
    """Change the description, the goals (the whole list), or attributes (`{"age_band": "55+"}`; None or ""
    removes one); `computed_attributes=True` drops the edits and computes them from the members again."""
    persona = find_persona(store, ref)
    values: dict[str, object] = {}
    if description is not None:
        values["description"] = description.strip()
    if goals is not None:
        values["goals"] = json.dumps([" ".join(g.split()) for g in goals if g.strip()])
    if computed_attributes:
        values["attributes"] = None
    elif attributes:
        current = dict(persona.attributes) if persona.attributes is not None else computed(store, persona)
        for key, value in attributes.items():
            key = " ".join(str(key).split())
            if not key:
                raise StudyError("an attribute needs a name: ATTR=VALUE")
            if value is None or not str(value).strip():
                current.pop(key, None)
            else:
                current[key] = " ".join(str(value).split())
        values["attributes"] = json.dumps(current)
    if not values:
        return persona
    values["modified_at"] = now()
    what = ", ".join(k for k in ("description", "goals", "attributes") if k in values)
    with store.command("edit_persona", f"edited {what} of persona '{persona.name}'") as rec:
        rec.update("personas", persona.id, values)
    return find_persona(store, persona.id)


def computed(store, persona: Persona) -> dict[str, str]:
    from .attributes import shared_attributes
    from .profiles import Study

    study = Study(store)
    return shared_attributes(study.people, persona.participant_ids, study.speaking)


def merge_personas(store, source: int | str, into: int | str) -> Persona:
    """Everyone in `source` joins `into`; its goals are added to the target's; `source` is removed."""
    src, dst = find_persona(store, source), find_persona(store, into)
    if src.id == dst.id:
        raise StudyError("cannot merge a persona into itself")
    goals = list(dict.fromkeys([*dst.goals, *src.goals]))
    with store.command("merge_personas", f"merged persona '{src.name}' into '{dst.name}'") as rec:
        for (mid,) in store.db.execute("SELECT id FROM persona_members WHERE persona_id = ?", [src.id]).fetchall():
            rec.update("persona_members", mid, {"persona_id": dst.id})
        rec.update("personas", dst.id, {"goals": json.dumps(goals), "modified_at": now()})
        rec.delete("personas", src.id)
    return find_persona(store, dst.id)


def delete_persona(store, ref: int | str) -> int:
    """Remove a persona; its participants belong to none. Returns how many were freed."""
    persona = find_persona(store, ref)
    rows = store.db.execute("SELECT id FROM persona_members WHERE persona_id = ?", [persona.id]).fetchall()
    with store.command("delete_persona", f"deleted persona '{persona.name}' ({len(rows)} participants freed)") as rec:
        for (mid,) in rows:
            rec.delete("persona_members", mid)
        rec.delete("personas", persona.id)
    return len(rows)


def move_participant(store, participant: int | str, to: int | str | None) -> Persona | None:
    """Put a participant in persona `to` (None: in no persona)."""
    person = find_participant(store, participant)
    if person.role != "participant":
        raise StudyError(f"{person.name} is {person.role}, not a participant: only participants are in personas")
    target = find_persona(store, to) if to is not None else None
    where = f"'{target.name}'" if target else "no persona"
    with store.command("move_to_persona", f"moved {person.pseudonym} to {where}") as rec:
        _place(store, rec, person.id, target.id if target else None)
        if target:
            rec.update("personas", target.id, {"modified_at": now()})
    return find_persona(store, target.id) if target else None


def _place(store, rec, participant_id: int, persona_id: int | None) -> None:
    row = store.db.execute("SELECT id, persona_id FROM persona_members WHERE participant_id = ?",
                           [participant_id]).fetchone()
    if row is None and persona_id is not None:
        rec.insert("persona_members", {"persona_id": persona_id, "participant_id": participant_id})
    elif row is not None and persona_id is None:
        rec.delete("persona_members", row[0])
    elif row is not None and row[1] != persona_id:
        rec.update("persona_members", row[0], {"persona_id": persona_id})


def reorder_persona(store, ref: int | str, delta: int) -> Persona:
    persona = find_persona(store, ref)
    order = personas(store)
    index = next(i for i, p in enumerate(order) if p.id == persona.id)
    target = max(0, min(len(order) - 1, index + delta))
    if target == index:
        return persona
    order.insert(target, order.pop(index))
    with store.command("move_persona", f"moved persona '{persona.name}' to position {target + 1}") as rec:
        for pos, p in enumerate(order):
            if p.position != pos:
                rec.update("personas", p.id, {"position": pos})
    return find_persona(store, persona.id)


def _check_name(store, name: str, keep: int | None = None) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise StudyError("a persona needs a name")
    clash = store.db.execute("SELECT id FROM personas WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    if clash and clash[0] != keep:
        raise StudyError(f"a persona named {name!r} already exists")
    return name
