"""CSV survey exports: one Transcript per respondent, one utterance per answered open question.

Which column is the respondent id, which hold free text and which are attributes (role, country ...) is
guessed from the data unless given (`survey_columns` reads the header rows and says what each column
is); `SurveyChoice.lines()` says what was chosen and what was left out, every column, for the import
report. Each answer keeps its question: the utterance's `question` is the column's short key and
`Transcript.questions` maps keys to the full questions. An empty-looking answer ("NA", "-", "none",
"no comment") is kept as data but flagged (`Utterance.empty`), so counts and suggestions can skip it.

`read_survey_file` reads a file into a `Survey`: the respondents checked and counted, held as the file's
text and the columns chosen, not as a Transcript each (a survey of a million respondents was a million
objects, gigabytes). `Survey.rows()` reads them again one at a time, for the study to store in bulk
(`coding.respondents`); iterating a `Survey` gives each respondent's Transcript, as `read_survey` does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice

from coding.models import ImportFailed, Transcript, Utterance, is_empty_answer

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
    text: str = field(default="", repr=False)  # the newline-normalized file, to read the rows again
    dialect: object = None
    header_rows: int = 1


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


def _records(text: str, dialect, name: str) -> Iterator[tuple[int, list[str]]]:
    """The CSV's records with the line each starts on, blank ones skipped (not the first); a CSV error
    carries its line."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    start, first = 1, True
    try:
        for record in reader:
            if first or "".join(record).strip():  # a cell with more than spaces in it
                first = False
                yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed(f"bad CSV: {exc}", path=name, line=start) from None


def _padded(record: list[str], width: int, *, dialect, name: str, line: int) -> list[str]:
    """A respondent's record as wide as the header; more values than columns is an error."""
    if len(record) == width:
        return record
    if any(cell.strip() for cell in record[width:]):  # trailing empty cells are harmless
        raise ImportFailed(
            f"{len(record)} values but the header has {width} columns (a {dialect.delimiter!r} "
            "inside an answer that is not in quotes?); nothing was imported", path=name, line=line)
    return (record + [""] * width)[:width]


def read_table(text: str, *, name: str) -> Table:
    """Parse CSV text (delimiter sniffed; one, two or three header rows) into columns and respondent
    rows; errors carry the line number."""
    text = normalize_newlines(text)
    if not text.strip():
        raise ImportFailed("empty file", path=name)
    dialect = _dialect(text[:65536])
    records = _records(text, dialect, name)
    first = list(islice(records, 3))
    if not first or not any(first[0][1]):
        raise ImportFailed("no header row", path=name)
    head = columns([r for _, r in first])
    width = len(head.columns)
    rows, lines = [], []
    for line, record in chain(first[head.rows:], records):
        rows.append(_padded(record, width, dialect=dialect, name=name, line=line))
        lines.append(line)
    return Table([c.name for c in head.columns], rows, lines, head.columns, head.layout, text, dialect, head.rows)


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


Respondent = tuple[str, int, int, str, list[tuple[int, int, str, bool]], dict[str, str]]


@dataclass(eq=False)
class Survey(Sequence):
    """The respondents of one survey file who answered, checked and counted, each read again when asked:
    `rows()` gives (respondent, row, line, text, answers, attributes), an answer being (start, end,
    question key, empty-looking); iterating gives each respondent's `Transcript`."""

    name: str
    choice: SurveyChoice
    questions: dict[str, str]  # question key -> the full question, of the text and attribute columns
    respondents: int = 0
    answers: int = 0
    empty: int = 0
    _text: str = field(default="", repr=False)
    _dialect: object = None
    _header_rows: int = 1
    _width: int = 0
    _ident: int | None = None  # the id column's index; None: respondents are numbered by row
    _texts: tuple[tuple[int, str, str], ...] = ()  # (index, key, question) of each answer column
    _attrs: tuple[tuple[int, str], ...] = ()  # (index, key) of each attribute column
    format = "csv"

    @property
    def filename(self) -> str:
        return self.name

    def rows(self) -> Iterator[Respondent]:
        records = islice(_records(self._text, self._dialect, self.name), self._header_rows, None)
        for n, (line, record) in enumerate(records, start=1):
            found = self._respondent(_padded(record, self._width, dialect=self._dialect, name=self.name, line=line),
                                     n, line)
            if found is not None:
                yield found

    def _respondent(self, row: list[str], n: int, line: int) -> Respondent | None:
        respondent = row[self._ident].strip() if self._ident is not None else f"Respondent {n}"
        parts: list[str] = []
        answers: list[tuple[int, int, str, bool]] = []
        pos = 0
        for index, key, question in self._texts:
            answer = row[index]
            if not answer or not (answer := xml_safe(normalize_newlines(answer)).strip()):
                continue
            start = pos + len(question) + 1
            answers.append((start, start + len(answer), key, is_empty_answer(answer)))
            parts.append(f"{question}\n{answer}\n\n")
            pos = start + len(answer) + 2
        if not answers:
            return None
        attributes = {key: value for index, key in self._attrs if (value := row[index].strip())}
        return respondent, n, line, "".join(parts), answers, attributes

    def _count(self, row: list[str]) -> None:
        """Count a respondent's answers as `_respondent` finds them, without building the text (read
        again by `rows()` when stored)."""
        answered = 0
        for index, _key, _question in self._texts:
            answer = row[index]
            if answer and (answer := xml_safe(normalize_newlines(answer)).strip()):
                answered += 1
                self.empty += is_empty_answer(answer)
        if answered:
            self.respondents += 1
            self.answers += answered

    def transcript(self, found: Respondent) -> Transcript:
        respondent, n, line, text, answers, attributes = found
        t = Transcript(respondent, self.name, "csv", text,
                       [Utterance(respondent, a, b, question=key, empty=empty) for a, b, key, empty in answers],
                       metadata={"survey": self.name, "row": n, "line": line},
                       attributes={respondent: attributes} if attributes else {}, questions=self.questions)
        t.check()
        return t

    def __iter__(self) -> Iterator[Transcript]:
        return map(self.transcript, self.rows())

    def __len__(self) -> int:
        return self.respondents

    def __getitem__(self, i):
        return list(self)[i]


def read_survey_file(
    text: str,
    *,
    name: str,
    id_column: str | None = None,
    text_columns: list[str] | None = None,
    attribute_columns: list[str] | None = None,
) -> Survey:
    """The respondents with at least one answer, checked (ids present and unique) and counted; the choice
    of columns made."""
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
    survey = Survey(name, choice, {by_name[c].key: by_name[c].question for c in (*texts, *attrs)},
                    _text=table.text, _dialect=table.dialect, _header_rows=table.header_rows,
                    _width=len(table.header), _ident=by_name[ident].index if ident else None,
                    _texts=tuple((by_name[c].index, by_name[c].key, by_name[c].question) for c in texts),
                    _attrs=tuple((by_name[a].index, by_name[a].key) for a in attrs))
    seen: dict[str, int] = {}
    rows = table.rows
    table.rows = []  # let each row go once checked
    for n, (row, line) in enumerate(zip(rows, table.lines), start=1):
        if ident:
            respondent = row[survey._ident].strip()
            if not respondent:
                raise ImportFailed(f"empty respondent id in column {ident!r}", path=name, line=line)
            if respondent in seen:
                raise ImportFailed(f"respondent id {respondent!r} repeats (first on line {seen[respondent]})",
                                   path=name, line=line)
            seen[respondent] = line
        survey._count(row)
        rows[n - 1] = None
    if not survey.respondents:
        raise ImportFailed(f"no respondent answered the text columns ({choice.describe()})", path=name)
    return survey


def read_survey(text: str, *, name: str, **columns) -> tuple[list[Transcript], SurveyChoice]:
    """One Transcript per respondent with at least one answer; the choice of columns made."""
    survey = read_survey_file(text, name=name, **columns)
    return list(survey), survey.choice
