"""Codings: a code applied to an exact span of a source's text, by a coder, with an origin and a memo."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from .actionlog import now
from .models import ORIGINS, Coding, StudyError

_CODING_COLS = ("c.id, c.source_id, c.char_start, c.char_end, c.code_id, c.coder, c.origin, "
                "c.created_at, c.modified_at, c.memo")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class CodingMixin:
    """Coding reads and changes; mixed into `Store`."""

    def codings(self, *, source_id: int | None = None, code: str | int | None = None,
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
            code_id = code if isinstance(code, int) else self.find_code(code).id
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
        rows = self.db.execute(sql, args).fetchall()
        if spoken_only and (unspoken := self.unspoken_coding_ids()):
            rows = [r for r in rows if r[0] not in unspoken]
        return [self._with_text(r) for r in rows]

    def unspoken_coding_ids(self) -> set[int]:
        """Codings of words nobody said: every turn they touch is marked not speech (a header, a note such as
        "Participant withdrew consent"). They stay in the study and the reader, but synthesis, counts and
        exports leave them out."""
        out: set[int] = set()
        for (sid,) in self.db.execute("SELECT DISTINCT source_id FROM utterances WHERE not_speech").fetchall():
            turns = self.db.execute("SELECT char_start, char_end, not_speech FROM utterances WHERE source_id = ? "
                                    "ORDER BY char_start", [sid]).fetchall()
            starts = [t[0] for t in turns]
            for cid, a, b in self.db.execute("SELECT id, char_start, char_end FROM codings WHERE source_id = ?",
                                             [sid]).fetchall():
                touched = [ns for start, end, ns in turns[:bisect.bisect_left(starts, b)] if end > a]
                if touched and all(touched):
                    out.add(cid)
        return out

    def _with_text(self, row) -> Coding:
        return Coding(*row, text=self.source_text(row[1])[row[2]:row[3]])

    def coding(self, coding_id: int) -> Coding:
        row = self.db.execute(
            f"SELECT {_CODING_COLS} FROM codings c JOIN sources s ON s.id = c.source_id WHERE c.id = ?",
            [coding_id],
        ).fetchone()
        if row is None:
            raise StudyError(f"no coding with id {coding_id}")
        return self._with_text(row)

    def _check_span(self, source_id: int, start: int, end: int) -> None:
        length = len(self.source_text(source_id))
        if not (0 <= start < end <= length):
            raise StudyError(f"span {start}..{end} is outside the source text (0..{length})")

    def _coding_values(self, source_id, start, end, code_id, memo, origin, coder) -> dict:
        if origin not in ORIGINS:
            raise StudyError(f"unknown coding origin {origin!r}")
        self._check_span(source_id, start, end)
        self.code(code_id)
        stamp = now()
        return {"source_id": source_id, "char_start": start, "char_end": end, "code_id": code_id,
                "coder": coder or self.coder, "origin": origin, "created_at": stamp,
                "modified_at": stamp, "memo": memo}

    def _is_duplicate(self, values: dict) -> bool:
        """The same coder already put this code on exactly this span (another coder may: agreement)."""
        return self.db.execute(
            "SELECT 1 FROM codings WHERE source_id = ? AND char_start = ? AND char_end = ? AND code_id = ? "
            "AND coder = ?", [values["source_id"], values["char_start"], values["char_end"], values["code_id"],
                              values["coder"]]).fetchone() is not None

    def add_coding(self, source_id: int, start: int, end: int, code_id: int, *, memo: str = "",
                   origin: str = "human", coder: str | None = None) -> Coding:
        """Code text[start:end] of a source. Raises if this coder already gave that exact span this code."""
        return self.code_span(source_id, start, end, [code_id], memo=memo, origin=origin, coder=coder)[0]

    def code_span(self, source_id: int, start: int, end: int, code_ids: Iterable[int], *, memo: str = "",
                  origin: str = "human", coder: str | None = None) -> list[Coding]:
        """Code text[start:end] of a source with one or more codes: one command, one undo step, all or
        nothing. If this coder already gave the span one of the codes, nothing is saved."""
        code_ids = list(dict.fromkeys(code_ids))
        if not code_ids:
            raise StudyError("name at least one code")
        codes = [self.code(code_id) for code_id in code_ids]
        text = self.source_text(source_id)[start:end]
        short = text if len(text) <= 40 else text[:37] + "..."
        with self.command("add_coding", f"coded '{short}' as {', '.join(c.name for c in codes)}") as rec:
            new_ids = []
            for code in codes:  # checked under the write lock: a concurrent twin cannot slip past
                values = self._coding_values(source_id, start, end, code.id, memo, origin, coder)
                if self._is_duplicate(values):
                    raise StudyError(f"that quote is already coded '{code.name}'; nothing was saved"
                                     if len(codes) > 1 else f"that quote is already coded '{code.name}'")
                new_ids.append(rec.insert("codings", values))
        return [self.coding(i) for i in new_ids]

    def add_codings(self, items: Iterable[tuple[int, int, int, int]], *, origin: str = "human",
                    summary: str = "", coder: str | None = None) -> int:
        """Apply many (source_id, start, end, code_id) codings as one command; skips exact duplicates."""
        added = 0
        items = list(items)
        with self.command("add_codings", summary or f"coded {len(items)} quotes") as rec:
            for source_id, start, end, code_id in items:
                values = self._coding_values(source_id, start, end, code_id, "", origin, coder)
                if not self._is_duplicate(values):
                    rec.insert("codings", values)
                    added += 1
        return added

    def remove_coding(self, coding_id: int) -> None:
        coding = self.coding(coding_id)
        name = self.code(coding.code_id).name
        with self.command("remove_coding", f"removed {name} from '{coding.text[:40]}'") as rec:
            rec.delete("codings", coding_id)

    def remove_codings(self, coding_ids: Iterable[int], *, summary: str = "") -> int:
        """Remove many codings as one undoable command; returns how many were removed."""
        ids = list(dict.fromkeys(coding_ids))
        if not ids:
            return 0
        for coding_id in ids:
            self.coding(coding_id)  # an unknown id fails before anything is written
        with self.command("remove_codings", summary or f"removed {len(ids)} codings") as rec:
            for coding_id in ids:
                rec.delete("codings", coding_id)
        return len(ids)

    def set_coding_memo(self, coding_id: int, memo: str) -> Coding:
        self.coding(coding_id)
        with self.command("memo", f"memo on coding {coding_id}") as rec:
            rec.update("codings", coding_id, {"memo": memo, "modified_at": now()})
        return self.coding(coding_id)

    def set_source_memo(self, source_id: int, memo: str) -> None:
        title = self.source(source_id).title
        with self.command("memo", f"memo on source '{title}'") as rec:
            rec.update("sources", source_id, {"memo": memo})
