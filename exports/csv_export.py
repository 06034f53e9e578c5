"""Every coding as one CSV row, for spreadsheets and other analysis tools.

UTF-8 with a byte-order mark (so Excel reads accents), one header row. `text` is the exact quote,
`source.text[char_start:char_end]` (anonymized when asked: names become pseudonyms, `source` is the
neutral id S01 … and `filename` is left empty, see `exports.anonymize`). Participant
attributes get one column each (`attr:<key>`); a span spoken by several participants lists them
joined with "; ". Interviewers count only when nobody else speaks in the span. `stage` names the journey
stages the coding is in (the stage codings it overlaps in its source, "; "-joined, as synthesis attaches
codings to quotes): with `code`, it finds every quote behind a figure of the report's evidence appendix.

Cells are safe to open: terminal escape sequences and control characters are removed, and a cell that
starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return; OWASP's list) gets a leading `'` so a
spreadsheet shows it as text instead of running it; `raw=True` (`export --raw`) leaves that `'` out.
"""

from __future__ import annotations

import bisect
import csv
from pathlib import Path

from coding.codebook import list_codes
from coding.codings import list_codings
from coding.guards.text import csv_cell
from coding.models import format_ms
from coding.synthesis.quotes import scope_participants

from .anonymize import Anonymizer
from .common import code_path, text_starting_with, write_atomically

COLUMNS = ("coding_id", "source", "filename", "participant", "code", "code_path", "kind", "stage", "text",
           "char_start", "char_end", "start_time", "end_time", "coder", "origin", "memo", "created_at")


def rows(store, *, anonymize: bool | None = None, raw: bool = False,
         segment: tuple[str, str] | None = None) -> tuple[list[str], list[list[str]]]:
    """The header and the rows, as `write_csv` writes them; with `segment` (attribute, value) only the codings
    spoken by a participant with that value (an unknown attribute or value is a `StudyError`)."""
    anonymize = store.anonymize if anonymize is None else bool(anonymize)
    anon = Anonymizer.from_store(store, enabled=anonymize)
    people = {p.id: p for p in store.participants()}
    scope = scope_participants(people, segment) if segment is not None else None
    keys = sorted({k for p in people.values() for k in p.attributes})
    codes = {c.id: c for c in list_codes(store)}
    sources = {s.id: s for s in store.sources()}
    utts: dict[int, list] = {}
    for u in store.utterances():
        utts.setdefault(u.source_id, []).append(u)
    header = [*COLUMNS[:4], *(f"attr:{k}" for k in keys), *COLUMNS[4:]]
    codings = list_codings(store, spoken_only=True)
    staged: dict[int, list] = {}  # per source, its stage codings: the journey stages each coding is in
    for c in codings:
        if codes[c.code_id].kind == "stage":
            staged.setdefault(c.source_id, []).append(c)
    out = []
    for c in codings:
        source = sources[c.source_id]
        spoken = [u for u in utts.get(c.source_id, []) if u.char_start < c.char_end and u.char_end > c.char_start]
        pids = list(dict.fromkeys(u.participant_id for u in spoken))
        speakers = [pid for pid in pids if people[pid].role == "participant"] or pids
        if scope is not None and scope.isdisjoint(speakers):
            continue
        code = codes[c.code_id]
        attrs = ["; ".join(dict.fromkeys(anon.anon(people[pid].attributes.get(k, "")) for pid in speakers
                                          if people[pid].attributes.get(k, "") != ""))
                 for k in keys]
        start_ms, end_ms = _times(utts.get(c.source_id, []), c.char_start, c.char_end)
        out.append([
            str(c.id), anon.source_label(source.id), "" if anon.enabled else source.filename,
            anon.labels(speakers), *attrs,
            code.name, code_path(code, codes), code.kind,
            anon.anon("; ".join(dict.fromkeys(codes[s.code_id].name for s in staged.get(c.source_id, [])
                                              if s.char_start < c.char_end and s.char_end > c.char_start))),
            anon.anon(source.text[c.char_start:c.char_end]),
            str(c.char_start), str(c.char_end), format_ms(start_ms), format_ms(end_ms), anon.coder(c.coder), c.origin,
            anon.anon(c.memo), c.created_at,
        ])
    return [csv_cell(h, raw=raw) for h in header], [[csv_cell(v, raw=raw) for v in r] for r in out]


def _times(utterances: list, start: int, end: int) -> tuple[int | None, int | None]:
    """Start time of the utterance holding the first character, end time of the one holding the last."""
    ordered = sorted(utterances, key=lambda u: u.char_start)
    starts = [u.char_start for u in ordered]

    def holding(offset: int):
        i = bisect.bisect_right(starts, offset) - 1
        if 0 <= i < len(ordered) and offset < ordered[i].char_end:
            return ordered[i]
        return None

    first, last = holding(start), holding(end - 1)
    spoken = [u for u in ordered if u.char_start < end and u.char_end > start]
    first = first or (spoken[0] if spoken else None)
    last = last or (spoken[-1] if spoken else None)
    return (first.start_ms if first else None), (last.end_ms if last else None)


def write_csv(store, path: str | Path, *, anonymize: bool | None = None, raw: bool = False,
              segment: tuple[str, str] | None = None, force: bool = False) -> int:
    """Write one row per coding ("-": standard output); returns the number of rows. `raw` keeps formula-like
    cells as they are; `segment` keeps the codings of one group (see `rows`). An existing file is replaced
    only if it is a codings CSV (`force`: any file but a study; see `write_atomically`)."""
    header, body = rows(store, anonymize=anonymize, raw=raw, segment=segment)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(body)

    write_atomically(path, write, "CSV file", force=force, replaces=text_starting_with(f"{COLUMNS[0]},"))
    return len(body)
