"""Every candidate quote with the emotion model's reading, as CSV: anyone can check what the model says.

One row per candidate quote (coded or not), in reading order: `quote_id`, `source`, `participant`,
`text`, `char_start`, `char_end`, `codes` (names of the codes on it, "; "), `model_emotion`,
`model_confidence`, `model_valence` (of the words the model read), `valence` (the experience valence
synthesis takes from the model, empty when left out), `left_out` (why: thanks, apology, greeting,
answer, backchannel, meta, question back, no topic), `coded_valence` (the mean of its emotion codes)
and `valence_used` (what the journey uses: coded, else the model's). UTF-8 with a byte-order mark,
cells made safe as in `csv_export`; anonymized like every export.
"""

from __future__ import annotations

import csv
from pathlib import Path

from coding.guards.text import csv_cell
from coding.nlp.experience import quote_readings

from .anonymize import Anonymizer
from .common import text_starting_with, write_atomically

COLUMNS = ("quote_id", "source", "participant", "text", "char_start", "char_end", "codes", "model_emotion",
           "model_confidence", "model_valence", "valence", "left_out", "coded_valence", "valence_used")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def rows(store, found=None, *, anonymize: bool | None = None, raw: bool = False) -> list[list[str]]:
    anon = Anonymizer.from_store(store, enabled=store.anonymize if anonymize is None else bool(anonymize))
    found = quote_readings(store) if found is None else found
    out = []
    for q in found:
        c, r = q.candidate, q.reading
        out.append([str(c.id), anon.source_label(c.source_id), anon.label(c.participant_id), anon.anon(c.text),
                    str(c.start), str(c.end), "; ".join(q.codes), r.emotion, f"{r.confidence:.3f}",
                    _number(r.model_valence), _number(r.valence), r.left_out, _number(q.coded_valence),
                    _number(q.valence_used)])
    return [[csv_cell(v, raw=raw) for v in row] for row in out]


def write_quotes_csv(store, path: str | Path, found=None, *, anonymize: bool | None = None, raw: bool = False,
                     force: bool = False) -> int:
    """Write the CSV (`-` for standard output); returns the number of quotes."""
    body = rows(store, found, anonymize=anonymize, raw=raw)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(COLUMNS)
            w.writerows(body)

    write_atomically(path, write, "quotes CSV", force=force, replaces=text_starting_with(",".join(COLUMNS[:4])))
    return len(body)
