"""The columns of a survey export: header rows, short keys for long questions, and what each column is.

Survey tools write their headers differently. SurveyMonkey adds a second header row (`Response`,
`Open-Ended Response`, `Other (please specify)`, the options of a matrix) under a first row where a
question spans several columns; Qualtrics writes three rows (short ids such as `Q12`, the question
text, then `{"ImportId":"QID12"}`); Google Forms writes one row starting with `Timestamp`. `columns()`
reads any of them into `Column`s with the full question and a short key: the tool's id (Qualtrics), the
header itself when short, else `q` and the column's number (`q12`), so `--segment q12=Daily` works while
the full question stays visible.

`classify()` says what each column is: a free-text answer, an attribute (a grouping such as role or
country), or left out, with the reason. "Other (please specify)" and write-in columns are answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SUBHEADER_ANSWER = {"response", "open-ended response", "open ended response", "answer"}
_MONKEY = _SUBHEADER_ANSWER | {"other (please specify)", "other (please specify):"}
_QUALTRICS_META = {"startdate", "enddate", "responseid", "recordeddate", "ipaddress", "finished", "progress"}
_LONG = 30  # characters: a longer header (a question) gets a short key
_OTHER = re.compile(r"\bother\b.*(?:specify|write|please|\)|:)|\(\s*other\s*\)|^other\b", re.IGNORECASE)
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?.*"
                   r"|\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
# headers that ask for typed answers
_OPEN_ASK = re.compile(r"\b(?:anything else|any other|comments?|why|please (?:explain|describe|tell)|tell us|"
                       r"describe|suggestions?|feedback|what (?:else|would|could|is one))\b", re.IGNORECASE)
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?%?")
# what the header says (letters and digits only, lower case) -> why the column is left out
_METADATA = {
    **dict.fromkeys(("timestamp", "date", "time", "timestarted", "datesubmitted", "startdate", "enddate",
                     "recordeddate", "submittedat", "submitdate", "completed", "completedat", "datestarted",
                     "durationinseconds", "duration", "lastpagesubmitted"), "dates, times and durations"),
    **dict.fromkeys(("ipaddress", "ip", "email", "emailaddress", "recipientemail", "recipientfirstname",
                     "recipientlastname", "firstname", "lastname", "fullname", "name", "phone", "phonenumber",
                     "locationlatitude", "locationlongitude", "latitude", "longitude", "postcode",
                     "zipcode", "useragent"), "personal data"),
    **dict.fromkeys(("collectorid", "responsetype", "distributionchannel", "userlanguage", "progress",
                     "finished", "externalreference", "externaldatareference", "customdata", "customdata1",
                     "referer", "referrer", "surveyid", "language"), "survey metadata"),
}


@dataclass(frozen=True)
class Column:
    index: int
    name: str      # the column as the export names it (SurveyMonkey: question - sub-heading)
    key: str       # the short name attributes and questions are stored under
    question: str  # the full question, shown with every answer
    open: bool = False  # the export says it holds typed answers (Open-Ended Response, a Qualtrics _TEXT)

    def label(self) -> str:
        """'q12 = How often do you…?' for a keyed question, the name otherwise."""
        return self.name if self.key == self.name else f"{self.key} = {self.name}"


@dataclass
class Header:
    columns: list[Column]
    rows: int      # header rows before the first respondent
    layout: str    # "SurveyMonkey", "Qualtrics", "Google Forms" or "" (one header row)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


_NUMBERED = re.compile(r"(Q\d+[a-z]?)(?:[\s.:)\-]+)\S", re.IGNORECASE)  # "Q5 What was…?" is Q5


def _key(name: str, index: int, taken: set[str]) -> str:
    numbered = _NUMBERED.match(name)
    if len(name) <= _LONG and "?" not in name and len(name.split()) <= 4:
        key = name
    else:
        key = numbered[1] if numbered else f"q{index + 1}"
    base, n = key, 2
    while key.casefold() in taken:
        key, n = f"{base}.{n}", n + 1
    taken.add(key.casefold())
    return key


def columns(records: list[list[str]]) -> Header:
    """Read the header row(s) of `records` (the CSV's rows, header first)."""
    first = [" ".join(h.split()) for h in records[0]]
    second = [" ".join(c.split()) for c in records[1]] if len(records) > 1 else []
    third = records[2] if len(records) > 2 else []
    taken: set[str] = set()
    monkey = sum(c.casefold() in _MONKEY for c in second)
    if monkey >= 2 or (monkey and any(not h for h in first[1:])):
        out, question = [], ""
        for i, h in enumerate(first):
            question = h or question
            sub = second[i] if i < len(second) else ""
            name = question if not sub or sub.casefold() in _SUBHEADER_ANSWER else f"{question} - {sub}"
            typed = sub.casefold().startswith(("open-ended", "open ended", "other (please specify"))
            out.append(Column(i, name, _key(name, i, taken), name, typed))
        return Header(_unique(out), 2, "SurveyMonkey")
    if {_norm(h) for h in first} & _QUALTRICS_META and len(records) > 2 and (
            sum(str(c).lstrip().startswith('{"ImportId"') for c in third) >= len(third) // 2):
        out = [Column(i, second[i] or h, h, second[i] or h, h.upper().endswith("_TEXT") or "_TEXT\"" in third[i])
               for i, h in enumerate(first)]
        for c in out:
            taken.add(c.key.casefold())
        return Header(_unique(out), 3, "Qualtrics")
    out = [Column(i, h, _key(h, i, taken), h) for i, h in enumerate(first)]
    layout = "Google Forms" if first and first[0].casefold() == "timestamp" else ""
    return Header(_unique(out), 1, layout)


def _unique(cols: list[Column]) -> list[Column]:
    """Two columns with one header (a question asked twice) keep apart as 'name (2)'."""
    seen: dict[str, int] = {}
    out = []
    for c in cols:
        n = seen[c.name.casefold()] = seen.get(c.name.casefold(), 0) + 1
        out.append(c if n == 1 or not c.name else Column(c.index, f"{c.name} ({n})", c.key, c.question))
    return out


def is_free_text(values: list[str]) -> bool:
    if not values:
        return False
    mean_len = sum(map(len, values)) / len(values)
    mean_words = sum(len(v.split()) for v in values) / len(values)
    return (mean_len >= 25 or mean_words >= 4) and len(set(values)) >= 0.5 * len(values)


def classify(column: Column, values: list[str], n_rows: int) -> tuple[str, str]:
    """('text' | 'attribute' | 'out', why) for one column and its non-empty values."""
    distinct = len(set(values))
    for name in (column.key, column.name):
        why = _METADATA.get(_norm(name))
        if why:
            return "out", why
    if not values:
        return "out", "no answers"
    if column.open:
        return "text", "typed answers"
    if _OTHER.search(column.name):
        return "text", "write-in answers (other)"
    if sum(bool(_DATE.fullmatch(v)) for v in values) >= 0.8 * len(values):
        return "out", "dates, times and durations"
    if is_free_text(values):
        return "text", "free text"
    longest = max(len(v.split()) for v in values)
    if distinct >= 0.3 * len(values) and (longest >= 7 or (_OPEN_ASK.search(column.question) and longest >= 3)):
        return "text", "free text (a few long answers)"
    if all(_NUMBER.fullmatch(v) for v in values):
        return ("attribute", "numbers, few values") if distinct <= 20 else ("out", f"numbers ({distinct} values)")
    if distinct <= 20 or (distinct <= 0.05 * n_rows and distinct <= 0.5 * len(values)):
        return "attribute", f"{distinct} value{'s' if distinct != 1 else ''}"
    if sum(";" in v for v in values) >= 0.3 * len(values):
        return "out", f"several choices in one cell, {distinct} combinations"
    if distinct >= 0.5 * len(values):
        return "text", "short open answers"
    return "out", f"{distinct} different values: too many for an attribute, too repetitive for answers"
