"""A participants sheet: one row per person with a name column and any attributes (role, segment ...)."""

from __future__ import annotations

from coding.models import ImportFailed

from .survey import read_table

# the first of these headers (case-insensitive) found is the name column
NAME_COLUMNS = (
    "name",
    "participant",
    "pseudonym",
    "speaker",
    "participant name",
    "speaker name",
    "id",
    "participant id",
)


def read_participants(text: str, *, name: str) -> list[dict[str, str]]:
    """Rows as dicts: `name` plus every other column under its own (stripped) header, values stripped."""
    table = read_table(text, name=name)
    folded = [h.casefold() for h in table.header]
    column = next((folded.index(c) for c in NAME_COLUMNS if c in folded), None)
    if column is None:
        cols = ", ".join(repr(h) for h in table.header)
        raise ImportFailed(
            f"no name column (one of name, participant, speaker, pseudonym, id); the columns are {cols}",
            path=name,
        )
    if not table.rows:
        raise ImportFailed("no participants: the sheet has a header but no rows", path=name)
    seen: dict[str, int] = {}
    out: list[dict[str, str]] = []
    for row, line in zip(table.rows, table.lines):
        person = " ".join(row[column].split())
        if not person:
            raise ImportFailed(f"no name in column {table.header[column]!r}", path=name, line=line)
        key = person.casefold()
        if key in seen:
            raise ImportFailed(f"duplicate name {person!r} (first on line {seen[key]})", path=name, line=line)
        seen[key] = line
        record = {"name": person}
        for i, header in enumerate(table.header):
            if i != column and header and header.casefold() != "name":
                record[header] = row[i].strip()
        out.append(record)
    return out
