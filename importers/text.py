"""Plain-text and Markdown transcripts: speaker labels found line by line, offsets into the file's own text.

Label forms: `Name: words`, `**Name:** words`, `**Name**: words`, `[00:01:23] Name: words`,
`00:01:23 Name: words`, `Name (00:01:23): words`, `Name [00:01:23]: words`, `[id1] words`, and header
lines followed by the words on the next lines: Otter's `Name  0:03`, Teams' `00:01:23 Name`, Rev's
`Name (00:01:23):`. A candidate label seen only once must pass `speakers.accept_once` and must not sit
in the middle of a sentence, so "Note: the time was 10:30" stays part of the turn it interrupts.
Otter's header block, footer and irregular labels (a known name alone on a line, a time alone on a
line) are handled with `otter.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from coding.models import ImportFailed, Transcript, Utterance

from . import speakers
from .encoding import normalize_newlines
from .otter import header_block, irregular_label_notes, otter_head, unnamed_turns
from .speakers import (
    COMMON_WORDS,
    METADATA_WORDS,
    NON_SPEECH,
    UNKNOWN,
    clean_label,
    looks_like_name,
    merge_key,
)
from .text_labels import once_in_a_long_text, repeated_titles

_TS = r"\d{1,2}(?::[0-5]\d){1,2}(?:[.,]\d{1,3})?"
_BOLD = re.compile(r"\*\*(?P<label>[^*]{1,70}?)\s*(?::\s*\*\*|\*\*\s*:)(?P<rest>.*)$")
_TS_FIRST = re.compile(
    rf"[\[(]?(?P<ts>{_TS})[\])]?\s+(?:[-–]\s+)?(?P<label>[^:]{{1,40}}?)\s*:(?P<rest>(?:\s.*)?)$"
)
_TS_HEADER = re.compile(rf"[\[(]?(?P<ts>{_TS})[\])]?\s+(?:[-–]\s+)?(?P<label>[^:]{{1,40}})$")
_NAME_TS = re.compile(
    rf"(?P<label>[^:\[\]()]{{1,40}}?)\s*[\[(](?P<ts>{_TS})[\])]\s*(?::(?P<rest>(?:\s.*)?))?$"
)
_OTTER = re.compile(rf"(?P<label>[^:]{{1,40}}?)(?P<sep>\s+)(?P<ts>{_TS})$")
# Zoom's saved closed captions: "[Sam Reid] 10:02:33" then the words (on the line or the next ones)
_BRACKET_TS = re.compile(rf"\[(?P<label>[^\]\d][^\]]{{0,39}})\]\s+(?P<ts>{_TS})(?P<rest>(?:\s.*)?)$")
_BRACKET = re.compile(r"\[(?P<label>[^\]\d][^\]]{0,39})\](?P<rest>(?:\s.*)?)$")
_PLAIN = re.compile(r"(?P<label>[^:]{1,40}?)\s*:(?P<rest>(?:\s.*)?)$")
_LABEL_TS = re.compile(rf"(?P<name>.*?)\s*[\[(](?P<ts>{_TS})[\])]$")
_INLINE_TS = re.compile(rf"\\?[\[(](?P<ts>{_TS})\\?[\])]\s*")
_HEADING = re.compile(r"#{1,6}(?:\s|$)")
# Teams' older Word/text transcripts: a cue time line, then the speaker's name alone, then the words
_CUE = re.compile(r"(?P<ts>\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)\s*-->\s*\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?$")
# separator lines and Otter's footer are not speech
_RULE = re.compile(r"[-*_=~]{3,}$", re.IGNORECASE)
_OTTER_FOOTER = re.compile(r"Transcribed by\s+\S*otter\.ai\S*$", re.IGNORECASE)
# a time alone on a line ("48:32"): Otter writes one where a paragraph starts without a speaker name
_BARE_TS = re.compile(rf"[\[(]?(?P<ts>{_TS})[\])]?$")
_ID_LIKE = re.compile(r"[A-Za-z]{1,4}\d+")
_SENTENCE_END = tuple(".?!…\"'”’)]:")
_NOT_PEOPLE = COMMON_WORDS | NON_SPEECH


def ts_ms(value: str) -> int:
    """'1:02:03.5' / '0:03' / '00:01:23,250' -> milliseconds."""
    main, _, frac = value.replace(",", ".").partition(".")
    parts = [int(p) for p in main.split(":")][-3:]
    h, m, s = [0] * (3 - len(parts)) + parts
    return ((h * 60 + m) * 60 + s) * 1000 + (int(frac.ljust(3, "0")[:3]) if frac else 0)


@dataclass(slots=True)
class _Cand:
    label: str
    key: str
    weak: bool  # header forms that are only speakers when they recur, or when the form recurs
    form: str
    ts: int | None
    words: tuple[int, int] | None  # absolute span of the words on this line, None if none


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    kind: str  # "blank" | "heading" | "text" | "cue" | "time" | "footer" | "head:keywords" | "head:speakers"
    cand: _Cand | None = None
    ts: int | None = None  # a bare time line's time


@dataclass(slots=True)
class Span:
    """A turn found in text: the words are text[start:end]."""

    speaker: str
    start: int
    end: int
    start_ms: int | None = None
    time_line: int | None = None  # started by a time alone on this line, with no speaker name


@dataclass
class Parsed:
    spans: list[Span]
    metadata: dict = field(default_factory=dict)
    labelled: bool = False
    name_lines: list[int] = field(default_factory=list)  # line numbers of a speaker's name with no time
    time_lines: list[int] = field(default_factory=list)  # line numbers of a time with no speaker name
    # (line, speaker) of such times given to the other person of a two-person talk (see `_unnamed_turns`)
    time_lines_moved: list[tuple[int, str]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # "Name: words" labels that only repeat one line


def _words(
    line: str, base: int, rest_at: int | None, ts: int | None
) -> tuple[tuple[int, int] | None, int | None]:
    """Span of the words after a label (skipping a leading `[03:55]` timestamp) and the timestamp."""
    if rest_at is None:
        return None, ts
    i = rest_at
    while i < len(line) and line[i].isspace():
        i += 1
    m = _INLINE_TS.match(line, i)
    if m:
        ts = ts if ts is not None else ts_ms(m["ts"])
        i = m.end()
    j = len(line.rstrip())
    return ((base + i, base + j) if i < j else None), ts


# The label forms in the order they are tried, each with what a line needs for it to match at all: a
# quick test that spares most lines most of the regexes (a 200,000-line file: 2.8 million calls fewer)
_FORMS = (
    (_BOLD, True, "bold"),
    (_TS_FIRST, False, "time first"),
    (_TS_HEADER, False, "time first"),
    (_NAME_TS, False, "bracket"),
    (_OTTER, False, "time last"),
    (_BRACKET_TS, False, "bracket first"),
    (_BRACKET, False, "bracket first"),
    (_PLAIN, False, "colon"),
)


def _candidate(line: str, base: int) -> _Cand | None:
    """`line` is stripped; `base` is its offset in the text."""
    first = line[0]
    possible = {"bold": line.startswith("**"), "time first": first.isdigit() or first in "[(",
                "bracket": "[" in line or "(" in line, "time last": line[-1].isdigit(),
                "bracket first": first == "[", "colon": ":" in line}
    for regex, lenient, needs in _FORMS:
        if not possible[needs]:
            continue
        m = regex.match(line)
        if not m:
            continue
        named = _named(m["label"], lenient)
        if named is None:
            continue
        label, ts, key = named
        ts = ts if ts is not None else m.groupdict().get("ts")
        weak = regex is _TS_HEADER or (regex is _OTTER and m["sep"] == " ")
        if regex is _BRACKET:
            weak = not _ID_LIKE.fullmatch(label)
        rest_at = m.start("rest") if "rest" in m.groupdict() and m["rest"] is not None else None
        words, ms = _words(line, base, rest_at, ts_ms(ts) if ts else None)
        return _Cand(label, key, weak, regex.pattern, ms, words)
    return None


@lru_cache(maxsize=4096)
def _named(raw: str, bold: bool) -> tuple[str, str | None, str] | None:
    """A label as matched -> (the label, the time inside a bold `**Name (00:01:23):**`, its merge key), or
    None when it is not a name. Cached: a transcript repeats a few labels thousands of times, and the
    cache hands out one string per label instead of one per line."""
    label, ts = clean_label(raw), None
    if bold and (lm := _LABEL_TS.match(label)):
        label, ts = clean_label(lm["name"]), lm["ts"]
    if not looks_like_name(label, lenient=bold):
        return None
    return label, ts, merge_key(label)


def _raw_lines(text: str):
    """(offset, line) for each line, without holding a list of every line of a 50 MB file."""
    pos = 0
    while (nl := text.find("\n", pos)) >= 0:
        yield pos, text[pos:nl]
        pos = nl + 1
    yield pos, text[pos:]


def _lines(text: str) -> list[_Line]:
    out = []
    cue_ms: int | None = None  # a Teams cue line "0:0:4.1 --> 0:0:9.0" was just read
    for pos, raw in _raw_lines(text):
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        start = pos + lead
        if not body:
            out.append(_Line(start, start, "blank"))
            continue
        if cue := _CUE.match(body):
            out.append(_Line(start, start + len(body), "cue"))
            cue_ms = ts_ms(cue["ts"])
            continue
        if _OTTER_FOOTER.match(body):
            out.append(_Line(start, start + len(body), "footer"))
        elif (head := otter_head(body)) is not None:
            out.append(_Line(start, start + len(body), "head:" + head))
        elif _HEADING.match(body) or _RULE.match(body):
            out.append(_Line(start, start + len(body), "heading"))
        elif bare := _BARE_TS.match(body):
            out.append(_Line(start, start + len(body), "time", ts=ts_ms(bare["ts"])))
        elif cue_ms is not None and looks_like_name(clean_label(body)):  # the speaker line of a cue
            label = clean_label(body)
            out.append(_Line(start, start + len(body), "text", _Cand(label, merge_key(label), False, "cue",
                                                                     cue_ms, None)))
        else:
            out.append(_Line(start, start + len(body), "text", _candidate(body, start)))
        cue_ms = None
    return out


def _title_like(line: str) -> bool:
    """A title or date line ahead of a labelled transcript ("Transcript", "November 2, 2023, 2:03PM")."""
    return len(line.split()) <= 12 and not line.endswith(tuple(".?!…\"'”’"))


def parse_turns(text: str) -> Parsed:
    """Find the turns in newline-normalized text. Headings, separator lines, Otter's header block and
    footer are in no turn; a time alone on a line starts a paragraph but is not speech."""
    lines = _lines(text)
    parsed = Parsed([])
    listed = header_block(lines, text, parsed.metadata)  # speakers named in Otter's header
    for ln in lines:
        if ln.kind.startswith("head:"):  # "SPEAKERS" after the first turn is someone's words
            ln.kind = "text"
        elif ln.kind == "footer":
            parsed.metadata["exported_by"] = "Otter.ai"
    if "keywords" in parsed.metadata or "speakers" in parsed.metadata:
        parsed.metadata["exported_by"] = "Otter.ai"
    parsed.titles = repeated_titles(lines, text)
    counts = Counter(ln.cand.key for ln in lines if ln.cand)
    if not listed and not {k for k, n in counts.items() if n >= 2} - _NOT_PEOPLE:
        once_in_a_long_text(lines, counts)
    recurring = {k for k, n in counts.items() if n >= 2}
    forms = {ln.cand.form for ln in lines if ln.cand and ln.cand.key in recurring}
    known = listed | (recurring - _NOT_PEOPLE)  # a known speaker's name alone on a line starts their turn
    cur: Span | None = None
    last_speaker: str | None = None
    pending_ts: int | None = None  # a bare time line waiting for the paragraph it stamps
    prev_open = False  # the previous line is speech that stops mid-sentence

    def close() -> None:
        nonlocal cur
        if cur is not None and cur.end > cur.start:
            parsed.spans.append(cur)
        cur = None

    for number, ln in enumerate(lines, 1):
        if ln.kind in ("blank", "cue", "meta"):
            prev_open = False
            continue
        if ln.kind == "time":
            if cur is not None and cur.start < 0:  # "Anna Keller" then "0:21": the time of that turn
                cur.start_ms = ln.ts if cur.start_ms is None else cur.start_ms
            else:
                close()
                pending_ts = ln.ts
            prev_open = False
            continue
        if (recurring or listed) and not parsed.labelled and cur is None and ln.cand is None and ln.kind == "text" \
                and pending_ts is None and _title_like(text[ln.start:ln.end]) \
                and not _name_line(text[ln.start:ln.end], known):  # a title or date before the first turn
            parsed.metadata.setdefault("preamble", []).append(text[ln.start:ln.end])
            continue
        c = ln.cand
        if c is None and ln.kind == "text" and known and not prev_open and _name_line(text[ln.start:ln.end], known):
            label = clean_label(text[ln.start:ln.end])
            c = _Cand(label, merge_key(label), False, "name", None, None)
            parsed.name_lines.append(number)
        accepted = c is not None and (c.form == "name" or (c.key in listed and c.key not in NON_SPEECH) or _accept(
            c,
            counts[c.key],
            len(recurring - {c.key}),
            prev_open,
            text[c.words[0] : c.words[1]] if c.words else "",
            forms,
        ))
        if c is not None and not accepted and c.key in _NOT_PEOPLE:
            if c.words is None:  # "Break: [19:48]", "[laughter]" alone: a marker, not speech
                close()
                prev_open = False
                continue
            if not parsed.labelled and cur is None and c.key in METADATA_WORDS:
                parsed.metadata[c.label] = text[c.words[0] : c.words[1]]
                continue
        if ln.kind in ("heading", "footer"):
            close()
            prev_open, pending_ts = False, None
            continue
        if accepted:
            close()
            parsed.labelled = True
            last_speaker = c.label
            start, end = c.words if c.words else (-1, -1)  # -1: the words follow on the next lines
            cur = Span(c.label, start, end, c.ts if c.ts is not None else pending_ts)
        elif pending_ts is not None:  # a time line with no name: the previous speaker goes on
            close()
            where = number - 1 - _blank_run(lines, number - 2) if parsed.labelled else None
            cur = Span(last_speaker or UNKNOWN, ln.start, ln.end, pending_ts, where)
        elif cur is None:
            cur = Span(last_speaker or UNKNOWN, ln.start, ln.end)
        else:
            if cur.start < 0:
                cur.start = ln.start
            cur.end = ln.end
        pending_ts = None
        prev_open = not text[ln.start : ln.end].endswith(_SENTENCE_END) and not (accepted and c.words is None)
    close()
    unnamed_turns(parsed, text)
    return parsed


def _name_line(line: str, known: set[str]) -> bool:
    """A known speaker's name alone on a line (Otter sometimes writes the name without the time)."""
    label = clean_label(line)
    return label == line.strip().strip("*_") and merge_key(label) in known and looks_like_name(label)


def _blank_run(lines: list[_Line], i: int) -> int:
    """How many blank lines end at index i (to find the time line above a paragraph)."""
    n = 0
    while i >= 0 and lines[i].kind == "blank":
        n += 1
        i -= 1
    return n


def _accept(c: _Cand, n: int, recurring_others: int, prev_open: bool, rest: str, forms: set[str]) -> bool:
    if c.key in NON_SPEECH:
        return False
    if n >= 2:
        return True
    if (c.weak and c.form not in forms) or not speakers.accept_once(
        c.key, rest, recurring_others=recurring_others
    ):
        return False
    return not (recurring_others >= 1 and prev_open)


def read_text(data: str, *, name: str, interviewer: list[str] | None = None) -> Transcript:
    """A .txt/.md transcript. `text` is the file's own (newline-normalized) text."""
    text = normalize_newlines(data)
    if not text.strip():
        raise ImportFailed("empty file", path=name)
    parsed = parse_turns(text)
    t = Transcript(
        title=Path(name).stem,
        filename=name,
        format="text",
        text=text,
        utterances=[Utterance(s.speaker, s.start, s.end, s.start_ms) for s in parsed.spans],
        metadata=dict(parsed.metadata),
    )
    if not parsed.labelled and t.utterances:
        t.notes.append(speakers.monologue_note("text"))
    if parsed.titles:
        shown = ", ".join(repr(label) for label in parsed.titles[:5])
        more = f" and {len(parsed.titles) - 5} more" if len(parsed.titles) > 5 else ""
        t.notes.append(f"{shown}{more}: read as titles, not speakers: each heads the same line again and again")
    t.notes.extend(irregular_label_notes(parsed))
    return speakers.finish(t, interviewer)
