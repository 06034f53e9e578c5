"""Codings: a code applied to an exact span of a source's text, by a coder, with an origin and a memo."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from .codebook import find_code, get_code, list_codes
from .models import ORIGINS, Coding, StudyError
from .study.actionlog import now

_CODING_COLS = ("c.id, c.source_id, c.char_start, c.char_end, c.code_id, c.coder, c.origin, "
                "c.created_at, c.modified_at, c.memo")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def list_codings(store, *, source_id: int | None = None, code: str | int | None = None,
            code_ids: Iterable[int] | None = None, kind: str | None = None,
            participant_id: int | None = None, origin: str | None = None,
            spoken_only: bool = False) -> list[Coding]:
    """Codings in reading order, filtered. `code` is a code id or name; `code_ids` matches any.
    `spoken_only` leaves out codings of words nobody said (see `unspoken_coding_ids`): what synthesis
    and every export but the REFI-QDA project read."""
    where, args = [], []
    if source_id is not None:
        where.append("c.source_id = ?")
        args.append(source_id)
    if code is not None:
        code_id = code if isinstance(code, int) else find_code(store, code).id
        where.append("c.code_id = ?")
        args.append(code_id)
    if code_ids is not None:
        ids = list(code_ids)
        where.append(f"c.code_id IN ({', '.join('?' for _ in ids) or 'NULL'})")
        args.extend(ids)
    if kind is not None:
        where.append("c.code_id IN (SELECT id FROM codes WHERE kind = ?)")
        args.append(kind)
    if origin is not None:
        where.append("c.origin = ?")
        args.append(origin)
    if participant_id is not None:
        where.append("EXISTS (SELECT 1 FROM utterances u WHERE u.source_id = c.source_id "
                     "AND u.char_start < c.char_end AND u.char_end > c.char_start AND u.participant_id = ?)")
        args.append(participant_id)
    sql = f"SELECT {_CODING_COLS} FROM codings c JOIN sources s ON s.id = c.source_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY s.position, c.char_start, c.char_end, c.id"
    rows = store.db.execute(sql, args).fetchall()
    if spoken_only and (unspoken := unspoken_coding_ids(store)):
        rows = [r for r in rows if r[0] not in unspoken]
    return [_with_text(store, r) for r in rows]


def code_counts(store, *, spoken_only: bool = False) -> dict[int, tuple[int, int]]:
    """code id -> (codings, distinct participants quoted, not counting interviewers, moderators and the
    team); `spoken_only`: not counting codings of words nobody said (turns marked not speech)."""
    staff = {r[0] for r in store.db.execute("SELECT id FROM participants WHERE role != 'participant'")}
    counts: dict[int, int] = {c.id: 0 for c in list_codes(store)}
    people: dict[int, set[int]] = {c: set() for c in counts}
    unspoken = unspoken_coding_ids(store) if spoken_only else set()
    for coding_id, code_id, source_id, start, end in store.db.execute(
            "SELECT id, code_id, source_id, char_start, char_end FROM codings").fetchall():
        if coding_id in unspoken:
            continue
        counts[code_id] = counts.get(code_id, 0) + 1
        people.setdefault(code_id, set()).update(
            p for p in store.participants_of_span(source_id, start, end) if p not in staff)
    return {k: (counts[k], len(people.get(k, ()))) for k in counts}

# -- changes ---------------------------------------------------------------------------------


def unspoken_coding_ids(store) -> set[int]:
    """Codings of words nobody said: every turn they touch is marked not speech (a header, a note such as
    "Participant withdrew consent"). They stay in the study and the reader, but synthesis, counts and
    exports leave them out."""
    out: set[int] = set()
    for (sid,) in store.db.execute("SELECT DISTINCT source_id FROM utterances WHERE not_speech").fetchall():
        turns = store.db.execute("SELECT char_start, char_end, not_speech FROM utterances WHERE source_id = ? "
                                "ORDER BY char_start", [sid]).fetchall()
        starts = [t[0] for t in turns]
        for cid, a, b in store.db.execute("SELECT id, char_start, char_end FROM codings WHERE source_id = ?",
                                         [sid]).fetchall():
            touched = [ns for start, end, ns in turns[:bisect.bisect_left(starts, b)] if end > a]
            if touched and all(touched):
                out.add(cid)
    return out


def _with_text(store, row) -> Coding:
    return Coding(*row, text=store.source_text(row[1])[row[2]:row[3]])


def get_coding(store, coding_id: int) -> Coding:
    row = store.db.execute(
        f"SELECT {_CODING_COLS} FROM codings c JOIN sources s ON s.id = c.source_id WHERE c.id = ?",
        [coding_id],
    ).fetchone()
    if row is None:
        raise StudyError(f"no coding with id {coding_id}")
    return _with_text(store, row)


def _check_span(store, source_id: int, start: int, end: int) -> None:
    length = len(store.source_text(source_id))
    if not (0 <= start < end <= length):
        raise StudyError(f"span {start}..{end} is outside the source text (0..{length})")


def coding_values(store, source_id, start, end, code_id, memo, origin, coder) -> dict:
    if origin not in ORIGINS:
        raise StudyError(f"unknown coding origin {origin!r}")
    _check_span(store, source_id, start, end)
    get_code(store, code_id)
    stamp = now()
    return {"source_id": source_id, "char_start": start, "char_end": end, "code_id": code_id,
            "coder": coder or store.coder, "origin": origin, "created_at": stamp,
            "modified_at": stamp, "memo": memo}


def is_duplicate(store, values: dict) -> bool:
    """The same coder already put this code on exactly this span (another coder may: agreement)."""
    return store.db.execute(
        "SELECT 1 FROM codings WHERE source_id = ? AND char_start = ? AND char_end = ? AND code_id = ? "
        "AND coder = ?", [values["source_id"], values["char_start"], values["char_end"], values["code_id"],
                          values["coder"]]).fetchone() is not None


def add_coding(store, source_id: int, start: int, end: int, code_id: int, *, memo: str = "",
               origin: str = "human", coder: str | None = None) -> Coding:
    """Code text[start:end] of a source. Raises if this coder already gave that exact span this code."""
    return code_span(store, source_id, start, end, [code_id], memo=memo, origin=origin, coder=coder)[0]


def code_span(store, source_id: int, start: int, end: int, code_ids: Iterable[int], *, memo: str = "",
              origin: str = "human", coder: str | None = None) -> list[Coding]:
    """Code text[start:end] of a source with one or more codes: one command, one undo step, all or
    nothing. If this coder already gave the span one of the codes, nothing is saved."""
    code_ids = list(dict.fromkeys(code_ids))
    if not code_ids:
        raise StudyError("name at least one code")
    codes = [get_code(store, code_id) for code_id in code_ids]
    text = store.source_text(source_id)[start:end]
    short = text if len(text) <= 40 else text[:37] + "..."
    with store.command("add_coding", f"coded '{short}' as {', '.join(c.name for c in codes)}") as rec:
        new_ids = []
        for code in codes:  # checked under the write lock: a concurrent twin cannot slip past
            values = coding_values(store, source_id, start, end, code.id, memo, origin, coder)
            if is_duplicate(store, values):
                raise StudyError(f"that quote is already coded '{code.name}'; nothing was saved"
                                 if len(codes) > 1 else f"that quote is already coded '{code.name}'")
            new_ids.append(rec.insert("codings", values))
    return [get_coding(store, i) for i in new_ids]


def add_codings(store, items: Iterable[tuple[int, int, int, int]], *, origin: str = "human",
                summary: str = "", coder: str | None = None) -> int:
    """Apply many (source_id, start, end, code_id) codings as one command; skips exact duplicates."""
    added = 0
    items = list(items)
    with store.command("add_codings", summary or f"coded {len(items)} quotes") as rec:
        for source_id, start, end, code_id in items:
            values = coding_values(store, source_id, start, end, code_id, "", origin, coder)
            if not is_duplicate(store, values):
                rec.insert("codings", values)
                added += 1
    return added


def remove_coding(store, coding_id: int) -> None:
    coding = get_coding(store, coding_id)
    name = get_code(store, coding.code_id).name
    with store.command("remove_coding", f"removed {name} from '{coding.text[:40]}'") as rec:
        rec.delete("codings", coding_id)


def remove_codings(store, coding_ids: Iterable[int], *, summary: str = "") -> int:
    """Remove many codings as one undoable command; returns how many were removed."""
    ids = list(dict.fromkeys(coding_ids))
    if not ids:
        return 0
    for coding_id in ids:
        get_coding(store, coding_id)  # an unknown id fails before anything is written
    with store.command("remove_codings", summary or f"removed {len(ids)} codings") as rec:
        for coding_id in ids:
            rec.delete("codings", coding_id)
    return len(ids)


def set_coding_memo(store, coding_id: int, memo: str) -> Coding:
    get_coding(store, coding_id)
    with store.command("memo", f"memo on coding {coding_id}") as rec:
        rec.update("codings", coding_id, {"memo": memo, "modified_at": now()})
    return get_coding(store, coding_id)
