"""Pure functions behind the transcript reader: sentences, word steps and wrapped lines.

Nothing here touches Textual or the study file, so it is tested and benchmarked on plain strings.
Every offset is a character offset into the source text, so `text[a:b]` is always what is shown.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from coding.codings import trim_span

# a sentence ends at . ! ? … (plus closing quotes/brackets) followed by white space, or at a line break
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "st", "prof", "e.g", "i.e", "etc", "vs", "no", "approx"}
_WORD = re.compile(r"\S+")
_NEXT_WORD = re.compile(r"[ \t]*(\w)")
_NEWLINE = re.compile(r"\n")

HEADER, TEXT, BLANK, QUESTION = 0, 1, 2, 3
INDENT = 2  # columns before the words of a turn (the selection bar lives there)


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as (a, b) offsets, trimmed of white space, in order."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.group() != "\n":
            word_start = text.rfind(" ", pos, m.start()) + 1 or pos
            word = text[max(word_start, pos):m.start()].casefold()
            if word in _ABBREVIATIONS and m.group() == ".":
                continue
            after = _NEXT_WORD.match(text, m.end(), end)
            if after and after.group(1).islower():  # "just... went", "e.g. this": the sentence goes on
                continue
        a, b = trim_span(text, pos, m.end())
        if a < b:
            out.append((a, b))
        pos = m.end()
    a, b = trim_span(text, pos, end)
    if a < b:
        out.append((a, b))
    return out


def word_left(text: str, pos: int, floor: int) -> int:
    """The start of the word before `pos` (not before `floor`)."""
    i = pos
    while i > floor and text[i - 1].isspace():
        i -= 1
    while i > floor and not text[i - 1].isspace():
        i -= 1
    return i


def word_right(text: str, pos: int, ceiling: int) -> int:
    """The end of the word after `pos` (not after `ceiling`)."""
    i = pos
    while i < ceiling and text[i].isspace():
        i += 1
    while i < ceiling and not text[i].isspace():
        i += 1
    return i


_LAST_SPACE = re.compile(r".*\s", re.DOTALL)  # matched from a line's start: ends just after its last space
_NON_SPACE = re.compile(r"\S")


def wrap_span(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Wrap text[start:end] into lines of at most `width` cells; returns (a, b) per line.

    Lines break between words (runs of non-white space) and at line breaks; a word longer than a line is
    cut. It steps a line at a time (the last white space within reach), not a word at a time (a 2,000-turn
    transcript: 3 ms instead of 19 ms; the reader lays out again on every resize and reload).
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    para = start
    while para <= end:
        stop = text.find("\n", para, end)
        stop = end if stop < 0 else stop
        last = stop  # the end of the paragraph's last word
        while last > para and text[last - 1].isspace():
            last -= 1
        m = _NON_SPACE.search(text, para, last)
        pos = m.start() if m else last  # a line starts at a word (or inside one that was cut)
        while pos < last:
            reach = pos + width
            if last <= reach:
                lines.append((pos, last))
                break
            space = _LAST_SPACE.match(text, pos, reach + 1)  # text[reach] may be the space after a word
            if space is None:  # the word at pos is longer than a line: cut it
                lines.append((pos, reach))
                pos = reach
                continue
            b = space.end() - 1
            while text[b - 1].isspace():
                b -= 1
            lines.append((pos, b))
            pos = _NON_SPACE.search(text, space.end(), last).start()
        para = stop + 1
    return lines


@dataclass
class Layout:
    """Wrapped lines of a transcript at one width.

    `lines[i]` is (kind, turn, a, b): a turn HEADER, a TEXT line showing text[a:b], or a BLANK
    between turns. A survey answer's HEADER shows its question instead of the speaker:
    `turn.question[a:b]`, wrapped on QUESTION lines. `sentence_line[s]` is the line where sentence s
    starts.
    """

    width: int
    lines: list[tuple[int, int, int, int]] = field(default_factory=list)
    sentence_line: list[int] = field(default_factory=list)
    turn_line: list[int] = field(default_factory=list)
    text_starts: list[int] | None = None  # for line_at_offset, made on first use


def layout_lines(text: str, turns: list[tuple[int, int]], sentences: list[tuple[int, int]],
                 width: int, questions: list[str] | None = None) -> Layout:
    """Lay out turns (each an (a, b) span of `text`) for a view `width` cells wide; a turn with a
    question (a survey answer) shows the question, wrapped, where the speaker would be."""
    layout = Layout(width)
    lines = layout.lines
    starts = [a for a, _ in sentences]
    s = 0
    for t, (a, b) in enumerate(turns):
        if t:
            lines.append((BLANK, t, a, a))
        layout.turn_line.append(len(lines))
        question = questions[t] if questions else ""
        if question:
            for i, (qa, qb) in enumerate(wrap_span(question, 0, len(question), width - 1)):
                lines.append((HEADER if i == 0 else QUESTION, t, qa, qb))
        else:
            lines.append((HEADER, t, a, a))
        wrapped = wrap_span(text, a, b, width - INDENT) or [(a, a)]
        for la, lb in wrapped:
            row = len(lines)
            lines.append((TEXT, t, la, lb))
            while s < len(starts) and starts[s] < lb:
                layout.sentence_line.append(row)
                s += 1
    while s < len(starts):  # sentences outside every turn (not expected): pin to the end
        layout.sentence_line.append(max(0, len(lines) - 1))
        s += 1
    return layout


def line_at_offset(layout: Layout, offset: int) -> int:
    """The TEXT line showing character `offset` (or the nearest one before it)."""
    if layout.text_starts is None:  # per line, the start of the last TEXT line so far: never decreasing
        starts, last = [], -1       # (a question line's offsets index the question, not the text)
        for kind, _t, a, _b in layout.lines:
            last = a if kind == TEXT else last
            starts.append(last)
        layout.text_starts = starts
    i = bisect.bisect_right(layout.text_starts, offset) - 1
    while i > 0 and layout.lines[i][0] != TEXT:
        i -= 1
    return max(0, i)


def find_spans(doc: TranscriptDoc, query: str) -> list[tuple[int, int]]:
    """Where `query` occurs in the shown turns, as (start, end) offsets into the source text, in order.

    Any case; white space in the query matches any white space (a line break too). Offsets come from
    the text itself (no case folding that could change lengths), so `text[start:end]` is the match."""
    words = query.split()
    if not words or not doc.turns:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    out: list[tuple[int, int]] = []
    for turn in doc.turns:
        out.extend(m.span() for m in pattern.finditer(doc.text, turn.start, turn.end))
    return out


def sentence_at(sentences: list[tuple[int, int]], offset: int) -> int:
    """Index of the sentence containing `offset`, else the one just before it."""
    i = bisect.bisect_right([a for a, _ in sentences], offset) - 1
    return max(0, min(i, len(sentences) - 1))


@dataclass(frozen=True)
class Turn:
    """One utterance as the reader shows it."""

    utterance_id: int
    participant_id: int
    label: str
    role: str
    time: str
    start: int
    end: int
    question: str = ""  # a survey answer's question ("q12 · How often …?"), shown above it
    not_speech: bool = False  # a header or a note: shown dimmed, never counted


@dataclass(frozen=True)
class Span:
    """One coding as the reader shows it."""

    coding_id: int
    start: int
    end: int
    code_id: int
    name: str
    colour: str


@dataclass
class TranscriptDoc:
    """A source ready to read: turns, sentences and coded spans, with layouts cached per width."""

    source_id: int
    title: str
    text: str
    turns: list[Turn]
    spans: list[Span]
    sentences: list[tuple[int, int]] = field(default_factory=list)
    sentence_turn: list[int] = field(default_factory=list)
    turn_sentences: list[tuple[int, int]] = field(default_factory=list)  # [first, last+1) per turn
    turn_spans: list[list[Span]] = field(default_factory=list)
    _layouts: dict[int, Layout] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for t, turn in enumerate(self.turns):
            first = len(self.sentences)
            for sentence in split_sentences(self.text, turn.start, turn.end):
                self.sentences.append(sentence)
                self.sentence_turn.append(t)
            self.turn_sentences.append((first, len(self.sentences)))
        self.sentence_starts = [a for a, _ in self.sentences]
        turn_starts = [t.start for t in self.turns]
        self.turn_spans = [[] for _ in self.turns]
        for span in sorted(self.spans, key=lambda s: (s.start, -s.end)):
            t = max(0, bisect.bisect_right(turn_starts, span.start) - 1)
            while t < len(self.turns) and self.turns[t].start < span.end:
                if self.turns[t].end > span.start:
                    self.turn_spans[t].append(span)
                t += 1

    def layout(self, width: int) -> Layout:
        if width not in self._layouts:
            if len(self._layouts) > 4:
                self._layouts.clear()
            self._layouts[width] = layout_lines(
                self.text, [(t.start, t.end) for t in self.turns], self.sentences, width,
                [t.question for t in self.turns] if any(t.question for t in self.turns) else None)
        return self._layouts[width]

    def sentence_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.sentence_starts, offset) - 1
        return max(0, min(i, len(self.sentences) - 1))

    def turn_of_offset(self, offset: int) -> int:
        return self.sentence_turn[self.sentence_at(offset)] if self.sentences else 0

    def spans_over(self, start: int, end: int) -> list[Span]:
        """Codings overlapping text[start:end], each once, shortest first."""
        seen: dict[int, Span] = {}
        t = self.turn_of_offset(start)
        while t < len(self.turns) and self.turns[t].start < max(end, start + 1):
            for span in self.turn_spans[t]:
                if span.start < max(end, start + 1) and span.end > start:
                    seen.setdefault(span.coding_id, span)
            t += 1
        return sorted(seen.values(), key=lambda s: (s.end - s.start, s.start))

    def turn_is_coded(self, t: int) -> bool:
        return bool(self.turn_spans[t])


def build_doc(source, utterances, people: dict, codings, codes: dict, *, anonymize: bool,
              speaker: int | None = None, questions: dict[int, str] | None = None) -> TranscriptDoc:
    """A TranscriptDoc from Store rows; `speaker` keeps only that participant's turns; `questions`
    (question id -> label) puts each survey answer's question above it."""
    from coding.models import format_ms

    questions = questions or {}
    turns = [
        Turn(u.id, u.participant_id, people[u.participant_id].label(anonymize),
             people[u.participant_id].role, format_ms(u.start_ms), u.char_start, u.char_end,
             questions.get(u.question_id, ""), bool(getattr(u, "not_speech", False)))
        for u in utterances if speaker is None or u.participant_id == speaker
    ]
    spans = [Span(c.id, c.char_start, c.char_end, c.code_id, codes[c.code_id].name, codes[c.code_id].colour)
             for c in codings]
    return TranscriptDoc(source.id, source.label(anonymize), source.text, turns, spans)
