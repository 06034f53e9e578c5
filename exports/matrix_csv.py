"""A code matrix as CSV (`coding.matrix`): column labels across, row labels down, counts in the cells."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from coding.guards.text import csv_cell
from coding.matrix import compute, to_rows

from .anonymize import Anonymizer
from .common import write_atomically


def write_matrix(store, path: str | Path, *, rows: str, cols: str, count: str = "quotes",
                 anonymize: bool | None = None, force: bool = False):
    """Write the matrix ("-": standard output); returns it (its `quotes` say which quotes are behind every
    number). Labels are formula-safe (`coding.guards.text.csv_cell`). An existing file is replaced only if it
    is a matrix CSV (`force`: any file but a study)."""
    anonymize = store.anonymize if anonymize is None else bool(anonymize)
    anon = Anonymizer.from_store(store, enabled=anonymize)
    m = compute(store, rows, cols, count=count)
    body = to_rows(m, label=anon.anon)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows([csv_cell(v) for v in row] for row in body)

    write_atomically(path, write, "matrix CSV", force=force, replaces=_is_matrix)
    return m


_CORNER = re.compile(r'^"?.+ \\ .+ \((quotes|participants)\)"?,')  # what `to_rows` puts in the first cell


def _is_matrix(path: Path) -> bool:
    with path.open("rb") as fh:
        first = fh.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    return _CORNER.match(first) is not None
