"""A code matrix as CSV (`coding.matrix`): column labels across, row labels down, counts in the cells."""

from __future__ import annotations

import csv
from pathlib import Path

from coding.matrix import compute, to_rows

from .anonymize import Anonymizer
from .common import write_atomically


def write_matrix(store, path: str | Path, *, rows: str, cols: str, count: str = "quotes",
                 anonymize: bool | None = None):
    """Write the matrix; returns it (its `quotes` say which quotes are behind every number)."""
    anonymize = store.anonymize if anonymize is None else bool(anonymize)
    anon = Anonymizer.from_store(store, enabled=anonymize)
    m = compute(store, rows, cols, count=count)
    body = to_rows(m, label=anon.anon)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(body)

    write_atomically(Path(path), write, "matrix CSV")
    return m
