"""CSV survey exports: one Transcript per respondent, one utterance per answered open question.

Which column is the respondent id, which hold free text and which are attributes (role, country ...) is
guessed from the data unless given (`survey_columns` reads the header rows and says what each column
is); `SurveyChoice.lines()` says what was chosen and what was left out, every column, for the import
report. Each answer keeps its question: the utterance's `question` is the column's short key and
`Transcript.questions` maps keys to the full questions. An empty-looking answer ("NA", "-", "none",
"no comment") is kept as data but flagged (`Utterance.empty`), so counts and suggestions can skip it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from itertools import islice

from coding.answers import is_empty_answer
from coding.models import ImportFailed, Transcript, Utterance

from .encoding import normalize_newlines, xml_safe
from .survey_columns import Column, classify, columns

_ID_WORDS = {"id", "respondent", "participant", "case", "uid", "respondentid", "responseid", "participantid",
             "userid", "caseid"}
@dataclass(frozen=True)
class SurveyChoice:
    id_column: str | None  # None: respondents are numbered by row
    text_columns: tuple[str, ...]
    attribute_columns: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...] = ()  # (column, why)
    keys: dict = field(default_factory=dict, compare=False)  # column -> short key
    layout: str = field(default="", compare=False)  # "SurveyMonkey", "Qualtrics", "Google Forms" or ""

    def _named(self, cols) -> str:
        return ", ".join(repr(c) if self.keys.get(c, c) == c else f"{self.keys[c]} {c!r}" for c in cols)

    def lines(self) -> list[str]:
        """The import report's lines: every column used and every column left out, in full."""
        def count(n: int, what: str) -> str:
            return f"{n} {what}{'s' if n != 1 else ''}"

        ident = f"id column {self.id_column!r}" if self.id_column else "respondents numbered by row"
        layout = f"{self.layout} export, " if self.layout else ""
        out = [f"survey: {layout}{ident}",
               f"survey: {count(len(self.text_columns), 'answer column')}: {self._named(self.text_columns)}"]
        if self.attribute_columns:
            out.append(f"survey: {count(len(self.attribute_columns), 'attribute column')}: "
                       f"{self._named(self.attribute_columns)}")
        if self.left_out:
            out.append(f"survey: {count(len(self.left_out), 'column')} left out: "
                       + ", ".join(f"{self._named([c])} ({why})" for c, why in self.left_out))
        return out

    def describe(self) -> str:
        return "; ".join(line.removeprefix("survey: ") for line in self.lines())


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # padded to the header's width
    lines: list[int]  # the line each row starts on
    columns: list[Column] = field(default_factory=list)
    layout: str = ""


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
    """Parse CSV text (delimiter sniffed; one, two or three header rows) into columns and respondent
    rows; errors carry the line number."""
    text = normalize_newlines(text)
    if not text.strip():
        raise ImportFailed("empty file", path=name)
    dialect = _dialect(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record) or not records:
                records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed(f"bad CSV: {exc}", path=name, line=start) from None
    if not records or not any(records[0][1]):
        raise ImportFailed("no header row", path=name)
    head = columns([r for _, r in records[:3]])
    width = len(head.columns)
    rows, lines = [], []
    for line, record in records[head.rows:]:
        if any(cell.strip() for cell in record[width:]):  # trailing empty cells are harmless
            raise ImportFailed(
                f"{len(record)} values but the header has {width} columns (a {dialect.delimiter!r} "
                "inside an answer that is not in quotes?); nothing was imported", path=name, line=line)
        rows.append((record + [""] * width)[:width])
        lines.append(line)
    return Table([c.name for c in head.columns], rows, lines, head.columns, head.layout)


def find_column(table: Table, wanted: str, *, name: str) -> str:
    """A column by its name, its short key (q12) or its question, case and spaces aside."""
    want = " ".join(wanted.split()).casefold()
    for c in table.columns:
        if wanted == c.name:
            return c.name
    for c in table.columns:
        if want in (c.name.casefold(), c.key.casefold(), c.question.casefold()):
            return c.name
    cols = ", ".join(repr(c.label()) for c in table.columns)
    raise ImportFailed(f"no column {wanted!r}; the columns are {cols}", path=name)


def _values(table: Table, i: int) -> list[str]:
    return [r[i].strip() for r in table.rows if r[i].strip()]


def _guess_id(table: Table) -> str | None:
    for i, h in enumerate(table.header):
        words = re.sub(r"[_\-#]+", " ", h.casefold()).split()
        key = table.columns[i].key.casefold() if table.columns else ""
        if not ((words and len(words) <= 3 and (set(words) | {"".join(words)}) & _ID_WORDS) or key in _ID_WORDS):
            continue
        values = _values(table, i)
        if len(values) == len(table.rows) and len(set(values)) == len(values):
            return h
    return None


def guess_columns(table: Table) -> SurveyChoice:
    ident = _guess_id(table)
    text, attrs, out = [], [], []
    for i, h in enumerate(table.header):
        if h == ident:
            continue
        if not h:
            out.append((f"column {i + 1}", "no header"))
            continue
        kind, why = classify(table.columns[i], _values(table, i), len(table.rows))
        {"text": text, "attribute": attrs}.get(kind, out).append(h if kind != "out" else (h, why))
    return SurveyChoice(ident, tuple(text), tuple(attrs), tuple(out), _keys(table), table.layout)


def _keys(table: Table) -> dict[str, str]:
    return {c.name: c.key for c in table.columns}


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
    texts = (tuple(find_column(table, c, name=name) for c in text_columns) if text_columns
             else tuple(c for c in guess.text_columns if c != ident))
    attrs = (tuple(find_column(table, c, name=name) for c in attribute_columns) if attribute_columns is not None
             else tuple(c for c in guess.attribute_columns if c != ident and c not in texts))
    why = {**dict.fromkeys(guess.text_columns, "not chosen; looks like answers"),
           **dict.fromkeys(guess.attribute_columns, "not chosen; looks like an attribute"), **dict(guess.left_out)}
    used = {ident, *texts, *attrs}
    left_out = tuple((h, why.get(h, "not chosen")) for h in (c.name for c in table.columns) if h and h not in used)
    left_out += tuple((c, w) for c, w in guess.left_out if c.startswith("column ") and c not in table.header)
    choice = SurveyChoice(ident, texts, attrs, left_out, _keys(table), table.layout)
    if not texts:
        cols = ", ".join(repr(c.label()) for c in table.columns)
        raise ImportFailed(
            f"found no free-text answer columns; name them with --text-column COL (columns: {cols})", path=name
        )
    by_name = {c.name: c for c in table.columns}
    questions = {by_name[c].key: by_name[c].question for c in (*texts, *attrs)}
    seen: dict[str, int] = {}
    out: list[Transcript] = []
    for n, (row, line) in enumerate(zip(table.rows, table.lines), start=1):
        respondent = row[by_name[ident].index].strip() if ident else f"Respondent {n}"
        if ident:
            if not respondent:
                raise ImportFailed(f"empty respondent id in column {ident!r}", path=name, line=line)
            if respondent in seen:
                raise ImportFailed(f"respondent id {respondent!r} repeats (first on line {seen[respondent]})",
                                   path=name, line=line)
            seen[respondent] = line
        parts: list[str] = []
        utterances: list[Utterance] = []
        pos = 0
        for c in texts:
            column = by_name[c]
            answer = xml_safe(normalize_newlines(row[column.index])).strip()
            if not answer:
                continue
            block = f"{column.question}\n{answer}\n\n"
            start = pos + len(column.question) + 1
            utterances.append(Utterance(respondent, start, start + len(answer), question=column.key,
                                        empty=is_empty_answer(answer)))
            parts.append(block)
            pos += len(block)
        if not utterances:
            continue
        attributes = {by_name[a].key: row[by_name[a].index].strip() for a in attrs if row[by_name[a].index].strip()}
        t = Transcript(respondent, name, "csv", "".join(parts), utterances,
                       metadata={"survey": name, "row": n, "line": line},
                       attributes={respondent: attributes} if attributes else {}, questions=questions)
        t.check()
        out.append(t)
    if not out:
        raise ImportFailed(f"no respondent answered the text columns ({choice.describe()})", path=name)
    return out, choice
