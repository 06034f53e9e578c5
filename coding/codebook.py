"""The codebook: codes of each kind (stages in journey order), templates, and every change to them.

Each change is a command in the action log, so it is saved at once and undoable. Merging moves
codings and loses nothing; deleting says how many codings go with the code.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from .models import CODE_KINDS, Code, StudyError
from .study import Store
from .study.backup import backup
from .study.store import code_row

KIND_LABELS = {
    "stage": "Stages", "need": "Needs", "emotion": "Emotions", "touchpoint": "Touchpoints",
    "pain_point": "Pain points", "opportunity": "Opportunities", "theme": "Themes",
}
_KIND_COLOURS = {
    "stage": ["#4e79a7", "#59a14f", "#9c755f", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#bab0ac"],
    "need": ["#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948"],
    "touchpoint": ["#8cd17d", "#86bcb6", "#a0cbe8", "#ffbe7d"],
    "pain_point": ["#d62728"],
    "opportunity": ["#17becf"],
    "theme": ["#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"],
}
_CODE_COLS = "id, name, kind, parent_id, colour, description, position, valence, attributes"
_KIND_ORDER = "CASE kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(CODE_KINDS)) + " END"


def template_names() -> list[str]:
    files = resources.files("coding").joinpath("templates").iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".json"))


def load_template(name: str) -> list[dict]:
    if name not in template_names():
        raise StudyError(f"unknown codebook template {name!r}; choose one of: {', '.join(template_names())}")
    data = json.loads(resources.files("coding").joinpath("templates", f"{name}.json").read_text("utf-8"))
    return data["codes"]


def new_study(path: str | Path, *, template: str = "journey", name: str | None = None, coder: str | None = None,
              codes: list[dict] | None = None) -> Store:
    """A new study file with the codebook of `template`, or with `codes` (template-style dicts) when given.
    An unknown template or a bad code fails before the file is made, or removes it."""
    codes = load_template(template) if codes is None else codes  # fail before creating the file
    return Store.create(path, name=name, coder=coder, settings={"template": template},
                        fill=lambda store: insert_template_codes(store, codes))


def valence_colour(valence: float | None) -> str:
    """Red for negative, grey for neutral, green for positive emotions."""
    if valence is None:
        return "#999999"
    if valence <= -1.5:
        return "#c0392b"
    if valence < 0:
        return "#e67e22"
    if valence == 0:
        return "#95a5a6"
    if valence < 1.5:
        return "#27ae60"
    return "#1e8449"


def default_colour(kind: str, index: int, valence: float | None = None) -> str:
    if kind == "emotion":
        return valence_colour(valence)
    palette = _KIND_COLOURS.get(kind, _KIND_COLOURS["theme"])
    return palette[index % len(palette)]


def _check_kind(kind: str) -> None:
    if kind not in CODE_KINDS:
        raise StudyError(f"unknown code kind {kind!r}; choose one of: {', '.join(CODE_KINDS)}")


def _check_valence(valence) -> float | None:
    if valence is None or valence == "":
        return None
    try:
        v = float(valence)
    except (TypeError, ValueError):
        raise StudyError(f"valence must be a number from -2 to 2, not {valence!r}") from None
    if not -2 <= v <= 2:
        raise StudyError(f"valence must be from -2 to 2, not {v:g}")
    return v


def list_codes(store, kind: str | None = None) -> list[Code]:

    sql = f"SELECT {_CODE_COLS} FROM codes"
    args: list = []
    if kind:
        sql += " WHERE kind = ?"
        args.append(kind)
    rows = store.db.execute(sql + f" ORDER BY {_KIND_ORDER}, position, name COLLATE NOCASE", args)
    return [code_row(r) for r in rows.fetchall()]


def list_stages(store) -> list[Code]:
    return list_codes(store, "stage")


def get_code(store, code_id: int) -> Code:

    row = store.db.execute(f"SELECT {_CODE_COLS} FROM codes WHERE id = ?", [code_id]).fetchone()
    if row is None:
        raise StudyError(f"no code with id {code_id}")
    return code_row(row)


def find_code(store, name: str, kind: str | None = None) -> Code:
    """A code by name (any case), optionally of one kind; 'kind:name' also works."""
    if kind is None and ":" in name and name.split(":", 1)[0] in CODE_KINDS:
        kind, name = name.split(":", 1)
    matches = [c for c in list_codes(store, kind) if c.name.casefold() == name.strip().casefold()]
    if not matches:
        raise StudyError(f"no code named {name!r}")
    if len(matches) > 1:
        kinds = ", ".join(f"{c.kind}:{c.name}" for c in matches)
        raise StudyError(f"code name {name!r} is ambiguous; say which: {kinds}")
    return matches[0]


def insert_template_codes(store, codes: list[dict]) -> None:
    positions: dict[str, int] = {}
    for spec in codes:
        kind = spec["kind"]
        _check_kind(kind)
        pos = positions.get(kind, 0)
        positions[kind] = pos + 1
        valence = _check_valence(spec.get("valence"))
        store.db.execute(
            "INSERT INTO codes (name, kind, colour, description, position, valence, attributes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [spec["name"], kind, spec.get("colour") or default_colour(kind, pos, valence),
             spec.get("description", ""), pos, valence, json.dumps(spec.get("attributes", {}))],
        )


def add_code(store, name: str, kind: str, *, parent_id: int | None = None, colour: str | None = None,
             description: str = "", valence=None, attributes: dict | None = None) -> Code:
    return add_codes(store, [name], kind, parent_id=parent_id, colour=colour, description=description,
                          valence=valence, attributes=attributes)[0]


def add_codes(store, names: list[str], kind: str, *, parent_id: int | None = None, colour: str | None = None,
              description: str = "", valence=None, attributes: dict | None = None) -> list[Code]:
    """Add codes of one kind, in order, as one undoable command: all of them, or none when one name is
    empty, given twice or taken."""
    names = [" ".join(str(n).split()) for n in names]
    if not names or not all(names):
        raise StudyError("a code needs a name")
    _check_kind(kind)
    valence = _check_valence(valence)
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise StudyError(f"{name!r} is named twice; nothing was added")
        seen.add(name.casefold())
        if store.db.execute("SELECT 1 FROM codes WHERE kind = ? AND name = ? COLLATE NOCASE",
                           [kind, name]).fetchone():
            raise StudyError(f"a {kind} code named {name!r} already exists"
                             + ("; nothing was added" if len(names) > 1 else ""))
    if parent_id is not None:
        get_code(store, parent_id)
    summary = f"added {kind} code '{names[0]}'" if len(names) == 1 else \
        f"added {len(names)} {kind} codes: " + ", ".join(f"'{n}'" for n in names)
    ids = []
    with store.command("add_code", summary) as rec:
        for name in names:
            pos = store.db.execute("SELECT coalesce(max(position) + 1, 0) FROM codes WHERE kind = ?",
                                  [kind]).fetchone()[0]
            ids.append(rec.insert("codes", {
                "name": name, "kind": kind, "parent_id": parent_id,
                "colour": colour or default_colour(kind, pos, valence), "description": description,
                "position": pos, "valence": valence, "attributes": json.dumps(attributes or {}),
            }))
    return [get_code(store, i) for i in ids]


def update_code(store, code_id: int, **fields) -> Code:
    """Rename, recolour, describe, set valence, attributes or parent (parent_id=None for top)."""
    old = get_code(store, code_id)
    allowed = {"name", "colour", "description", "valence", "attributes", "parent_id"}
    unknown = set(fields) - allowed
    if unknown:
        raise StudyError(f"cannot change {', '.join(sorted(unknown))} of a code")
    values = dict(fields)
    if "name" in values:
        values["name"] = " ".join(str(values["name"]).split())
        if not values["name"]:
            raise StudyError("a code needs a name")
        clash = store.db.execute("SELECT id FROM codes WHERE kind = ? AND name = ? COLLATE NOCASE AND id != ?",
                                [old.kind, values["name"], code_id]).fetchone()
        if clash:
            raise StudyError(f"a {old.kind} code named {values['name']!r} already exists")
    if "valence" in values:
        values["valence"] = _check_valence(values["valence"])
    if "attributes" in values:
        values["attributes"] = json.dumps(values["attributes"] or {})
    if values.get("parent_id") is not None:
        _check_parent(store, code_id, values["parent_id"])
    what = ", ".join(sorted(values))
    with store.command("update_code", f"changed {what} of '{old.name}'") as rec:
        rec.update("codes", code_id, values)
    return get_code(store, code_id)


def _check_parent(store, code_id: int, parent_id: int) -> None:
    seen = {code_id}
    current: int | None = parent_id
    while current is not None:
        if current in seen:
            raise StudyError("a code cannot be moved under itself or one of its children")
        seen.add(current)
        current = get_code(store, current).parent_id


def move_code(store, code_id: int, delta: int) -> Code:
    """Move a code up (delta < 0) or down within its kind: reorders journey stages."""
    code = get_code(store, code_id)
    siblings = list_codes(store, code.kind)
    index = next(i for i, c in enumerate(siblings) if c.id == code_id)
    target = max(0, min(len(siblings) - 1, index + delta))
    if target == index:
        return code
    order = siblings[:]
    order.insert(target, order.pop(index))
    with store.command("move_code", f"moved {code.kind} '{code.name}' to position {target + 1}") as rec:
        for pos, c in enumerate(order):
            if c.position != pos:
                rec.update("codes", c.id, {"position": pos})
    return get_code(store, code_id)


def merge_codes(store, source_id: int, into_id: int) -> int:
    """Move every coding of `source_id` to `into_id`, then remove the source code. Returns codings moved."""
    if source_id == into_id:
        raise StudyError("cannot merge a code into itself")
    src, dst = get_code(store, source_id), get_code(store, into_id)
    rows = store.db.execute("SELECT id, source_id, char_start, char_end, coder FROM codings WHERE code_id = ?",
                           [source_id]).fetchall()
    existing = {tuple(r) for r in store.db.execute(
        "SELECT source_id, char_start, char_end, coder FROM codings WHERE code_id = ?", [into_id])}
    backup(store, f"before merging codes {src.name} into {dst.name}")
    moved = 0
    with store.command("merge_codes", f"merged '{src.name}' into '{dst.name}'") as rec:
        for cid, sid, a, b, coder in rows:
            if (sid, a, b, coder) in existing:  # this coder already gave the quote the target code
                rec.delete("codings", cid)
            else:
                rec.update("codings", cid, {"code_id": into_id})
                existing.add((sid, a, b, coder))
            moved += 1
        for (child,) in store.db.execute("SELECT id FROM codes WHERE parent_id = ?", [source_id]).fetchall():
            rec.update("codes", child, {"parent_id": into_id})
        rec.delete("codes", source_id)
    return moved


def delete_code(store, code_id: int) -> int:
    """Delete a code and its codings (children move up a level). Returns how many codings went."""
    code = get_code(store, code_id)
    ids = [r[0] for r in store.db.execute("SELECT id FROM codings WHERE code_id = ?", [code_id])]
    if ids:  # a bulk delete: back up first
        backup(store, f"before deleting code {code.name}")
    with store.command("delete_code", f"deleted '{code.name}' and {len(ids)} codings") as rec:
        for cid in ids:
            rec.delete("codings", cid)
        for (child,) in store.db.execute("SELECT id FROM codes WHERE parent_id = ?", [code_id]).fetchall():
            rec.update("codes", child, {"parent_id": code.parent_id})
        rec.delete("codes", code_id)
    return len(ids)
