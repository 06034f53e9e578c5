"""Matrices: codes against attributes, or codes against codes, counting quotes or participants.

A dimension is `kind:K` (the codes of one kind, in codebook order), `codes` (every code) or `attr:KEY`
(the values participants have for an attribute). A **quote** is a coded span (the Quotes screen lists the
same), counted once however many coders coded it. A cell of code x attribute holds the quotes of the code
spoken by a participant with that value; a cell of code x code holds the quotes of either code that
overlap a coding of the other (they co-occur in the same words); its diagonal is every quote of the code.
**Participants** counts the people (role participant) who speak in a cell's quotes. Every count keeps
the quotes behind it (`Matrix.quotes`), so a number can be opened and read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .codebook import list_codes
from .codings import list_codings
from .models import CODE_KINDS, StudyError

Span = tuple[int, int, int]  # source id, start, end


@dataclass(frozen=True)
class Axis:
    spec: str
    keys: list          # code ids, or attribute values
    labels: list[str]


@dataclass
class Matrix:
    rows: Axis
    cols: Axis
    count: str                                             # "quotes" | "participants"
    quotes: dict[tuple[int, int], list[Span]] = field(default_factory=dict)    # (row i, col j) -> spans
    people: dict[tuple[int, int], set[int]] = field(default_factory=dict)

    def value(self, i: int, j: int) -> int:
        if self.count == "participants":
            return len(self.people.get((i, j), ()))
        return len(self.quotes.get((i, j), ()))

    def table(self) -> list[list[int]]:
        return [[self.value(i, j) for j in range(len(self.cols.keys))] for i in range(len(self.rows.keys))]


def axis(store, spec: str) -> Axis:
    spec = spec.strip()
    what, _, arg = spec.partition(":")
    if what == "kind" and arg in CODE_KINDS:
        codes = list_codes(store, arg)
        return Axis(spec, [c.id for c in codes], [c.name for c in codes])
    if what == "codes" and not arg:
        codes = list_codes(store)
        return Axis(spec, [c.id for c in codes], [f"{c.name} ({c.kind})" for c in codes])
    if what == "attr" and arg:
        values = sorted({str(p.attributes[arg]) for p in store.participants(role="participant")
                         if str(p.attributes.get(arg, "")).strip()})
        if not values:
            keys = sorted({k for p in store.participants() for k in p.attributes})
            raise StudyError(f"no participant has the attribute {arg!r}; attributes: {', '.join(keys) or 'none'}")
        return Axis(spec, values, values)
    raise StudyError(f"a matrix dimension is kind:KIND ({', '.join(CODE_KINDS)}), codes, or attr:KEY; not {spec!r}")


def compute(store, rows: str, cols: str, *, count: str = "quotes") -> Matrix:
    if count not in ("quotes", "participants"):
        raise StudyError(f"count quotes or participants, not {count!r}")
    r, c = axis(store, rows), axis(store, cols)
    if r.spec.startswith("attr:") and c.spec.startswith("attr:"):
        raise StudyError("one dimension of a matrix must be codes (kind:KIND or codes)")
    if r.spec.startswith("attr:"):  # attributes down the side: the same cells, transposed
        m = compute(store, cols, rows, count=count)
        return Matrix(r, c, count, {(j, i): v for (i, j), v in m.quotes.items()},
                      {(j, i): v for (i, j), v in m.people.items()})
    people = {p.id: p for p in store.participants(role="participant")}
    spans: dict[int, set[Span]] = {}
    for coding in list_codings(store, spoken_only=True):
        spans.setdefault(coding.code_id, set()).add((coding.source_id, coding.char_start, coding.char_end))
    speakers: dict[Span, list[int]] = {}

    def who(span: Span) -> list[int]:
        if span not in speakers:
            speakers[span] = [pid for pid in store.participants_of_span(*span) if pid in people]
        return speakers[span]

    m = Matrix(r, c, count)

    def put(i: int, j: int, span: Span) -> None:
        m.quotes.setdefault((i, j), []).append(span)
        m.people.setdefault((i, j), set()).update(who(span))

    if c.spec.startswith("attr:"):
        key = c.spec.partition(":")[2]
        col_of = {v: j for j, v in enumerate(c.keys)}
        for i, code_id in enumerate(r.keys):
            for span in sorted(spans.get(code_id, ())):
                hits = {col_of[str(people[pid].attributes[key])] for pid in who(span)
                        if str(people[pid].attributes.get(key, "")) in col_of}
                for j in sorted(hits):
                    m.quotes.setdefault((i, j), []).append(span)
                    m.people.setdefault((i, j), set()).update(
                        pid for pid in who(span) if str(people[pid].attributes.get(key, "")) == c.keys[j])
        return m
    by_source: dict[int, dict[int, list[tuple[int, int]]]] = {}
    for code_id, items in spans.items():
        for sid, a, b in items:
            by_source.setdefault(sid, {}).setdefault(code_id, []).append((a, b))
    for i, row_code in enumerate(r.keys):
        for j, col_code in enumerate(c.keys):
            found: set[Span] = set()
            if row_code == col_code:
                found = set(spans.get(row_code, ()))
            else:
                for sid, per in by_source.items():
                    xs, ys = per.get(row_code, []), per.get(col_code, [])
                    for a, b in xs:
                        for x, y in ys:
                            if a < y and x < b:
                                found.add((sid, a, b))
                                found.add((sid, x, y))
            for span in sorted(found):
                put(i, j, span)
    return m


def to_rows(m: Matrix, *, label=lambda s: s) -> list[list[str]]:
    """The matrix as CSV rows: a header of column labels, then one row per row label."""
    corner = f"{m.rows.spec} \\ {m.cols.spec} ({m.count})"
    out = [[corner, *(label(x) for x in m.cols.labels)]]
    for i, name in enumerate(m.rows.labels):
        out.append([label(name), *(str(m.value(i, j)) for j in range(len(m.cols.keys)))])
    return out
