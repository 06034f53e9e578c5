"""CSV survey exports: one Transcript per respondent, one utterance per answered open question.

Which column is the respondent id, which hold free text and which are attributes (role, country ...) is
guessed from the data unless given; `SurveyChoice.describe()` says what was chosen, for the import report.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from itertools import islice

from coding.models import ImportFailed, Transcript, Utterance

from .encoding import normalize_newlines, xml_safe

_ID_WORDS = {
    "id",
    "respondent",
    "participant",
    "case",
    "uid",
    "respondentid",
    "responseid",
    "participantid",
    "userid",
    "caseid",
}


@dataclass(frozen=True)
class SurveyChoice:
    id_column: str | None  # None: respondents are numbered by row
    text_columns: tuple[str, ...]
    attribute_columns: tuple[str, ...]

    def describe(self) -> str:
        def names(cols: tuple[str, ...]) -> str:
            shown = [repr(c if len(c) <= 50 else c[:49] + "…") for c in cols[:6]]
            more = f" and {len(cols) - 6} more" if len(cols) > 6 else ""
            return ", ".join(shown) + more

        ident = f"id column {self.id_column!r}" if self.id_column else "respondents numbered by row"
        text = f"text column{'s' if len(self.text_columns) != 1 else ''} {names(self.text_columns)}"
        attrs = f"attributes {names(self.attribute_columns)}" if self.attribute_columns else "no attributes"
        return f"{ident}, {text}, {attrs}"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # padded to the header's width
    lines: list[int]  # the line each row starts on


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """csv.Sniffer's guess among , ; tab, kept only if it splits the rows consistently."""

    def score(delimiter: str) -> tuple[float, int]:
        try:
            rows = list(islice(csv.reader(io.StringIO(sample), delimiter=delimiter), 50))
        except csv.Error:
            return (0.0, 0)
        if not rows or len(rows[0]) < 2:
            return (0.0, 0)
        width = len(rows[0])
        return (sum(len(r) == width for r in rows) / len(rows), width)

    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",;\t")
        if score(sniffed.delimiter)[0] >= 0.8:
            return sniffed
    except csv.Error:
        pass
    best = max(",;\t", key=score)

    class Guessed(csv.excel):
        delimiter = best

    return Guessed


def read_table(text: str, *, name: str) -> Table:
    """Parse CSV text (delimiter sniffed) into a header and rows; errors carry the line number."""
    text = normalize_newlines(text)
    if not text.strip():
        raise ImportFailed("empty file", path=name)
    dialect = _dialect(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header: list[str] | None = None
    rows, lines = [], []
    start = 1
    try:
        for record in reader:
            if header is None:
                header = [" ".join(h.split()) for h in record]
            elif any(cell.strip() for cell in record):
                if any(cell.strip() for cell in record[len(header):]):  # trailing empty cells are harmless
                    raise ImportFailed(
                        f"{len(record)} values but the header has {len(header)} columns (a {dialect.delimiter!r} "
                        "inside an answer that is not in quotes?); nothing was imported", path=name, line=start)
                rows.append((record + [""] * len(header))[: len(header)])
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed(f"bad CSV: {exc}", path=name, line=start) from None
    if not header or not any(header):
        raise ImportFailed("no header row", path=name)
    return Table(header, rows, lines)


def find_column(table: Table, wanted: str, *, name: str) -> str:
    if wanted in table.header:
        return wanted
    for h in table.header:
        if h.casefold() == " ".join(wanted.split()).casefold():
            return h
    cols = ", ".join(repr(h) for h in table.header)
    raise ImportFailed(f"no column {wanted!r}; the columns are {cols}", path=name)


def _values(table: Table, i: int) -> list[str]:
    return [r[i].strip() for r in table.rows if r[i].strip()]


def _guess_id(table: Table) -> str | None:
    for i, h in enumerate(table.header):
        words = re.sub(r"[_\-#]+", " ", h.casefold()).split()
        if not words or len(words) > 3 or not (set(words) | {"".join(words)}) & _ID_WORDS:
            continue
        values = _values(table, i)
        if len(values) == len(table.rows) and len(set(values)) == len(values):
            return h
    return None


def _is_free_text(values: list[str]) -> bool:
    if not values:
        return False
    mean_len = sum(map(len, values)) / len(values)
    mean_words = sum(len(v.split()) for v in values) / len(values)
    return (mean_len >= 25 or mean_words >= 4) and len(set(values)) >= 0.5 * len(values)


def guess_columns(table: Table) -> SurveyChoice:
    ident = _guess_id(table)
    text, attrs = [], []
    for i, h in enumerate(table.header):
        if h == ident or not h:
            continue
        values = _values(table, i)
        if _is_free_text(values):
            text.append(h)
        elif values and (
            len(set(values)) <= 20
            or (len(set(values)) <= 0.05 * len(table.rows) and len(set(values)) <= 0.5 * len(values))
        ):
            attrs.append(h)
    return SurveyChoice(ident, tuple(text), tuple(attrs))


def read_survey(
    text: str,
    *,
    name: str,
    id_column: str | None = None,
    text_columns: list[str] | None = None,
    attribute_columns: list[str] | None = None,
) -> tuple[list[Transcript], SurveyChoice]:
    """One Transcript per respondent with at least one answer; the choice of columns made."""
    table = read_table(text, name=name)
    guess = guess_columns(table)
    ident = find_column(table, id_column, name=name) if id_column else guess.id_column
    texts = (
        tuple(find_column(table, c, name=name) for c in text_columns)
        if text_columns
        else tuple(c for c in guess.text_columns if c != ident)
    )
    attrs = (
        tuple(find_column(table, c, name=name) for c in attribute_columns)
        if attribute_columns is not None
        else tuple(c for c in guess.attribute_columns if c != ident and c not in texts)
    )
    choice = SurveyChoice(ident, texts, attrs)
    if not texts:
        cols = ", ".join(repr(h) for h in table.header)
        raise ImportFailed(
            f"found no free-text answer columns; choose them with text_columns (columns: {cols})", path=name
        )
    col = {h: i for i, h in reversed(list(enumerate(table.header)))}  # first of duplicate headers
    seen: dict[str, int] = {}
    out: list[Transcript] = []
    for n, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
        respondent = row[col[ident]].strip() if ident else f"Respondent {n}"
        if ident:
            if not respondent:
                raise ImportFailed(f"empty respondent id in column {ident!r}", path=name, line=line)
            if respondent in seen:
                raise ImportFailed(
                    f"respondent id {respondent!r} repeats (first on line {seen[respondent]})",
                    path=name,
                    line=line,
                )
            seen[respondent] = line
        parts: list[str] = []
        utterances: list[Utterance] = []
        pos = 0
        for c in texts:
            answer = xml_safe(normalize_newlines(row[col[c]])).strip()
            if not answer:
                continue
            block = f"{c}\n{answer}\n\n"
            start = pos + len(c) + 1
            utterances.append(Utterance(respondent, start, start + len(answer)))
            parts.append(block)
            pos += len(block)
        if not utterances:
            continue
        attributes = {a: row[col[a]].strip() for a in attrs if row[col[a]].strip()}
        t = Transcript(
            respondent,
            name,
            "csv",
            "".join(parts),
            utterances,
            metadata={"survey": name, "row": n, "line": line},
            attributes={respondent: attributes} if attributes else {},
        )
        t.check()
        out.append(t)
    if not out:
        raise ImportFailed(f"no respondent answered the text columns ({choice.describe()})", path=name)
    return out, choice
