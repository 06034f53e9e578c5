"""Cutting a very long turn: a sentence of more than `MAX_WORDS` words (speech transcribed without
punctuation, automatic captions run together) is cut in two at the clause boundary nearest its middle (a
comma, a dash, or before "and", "but", "so" ...), or the space nearest it, again until every piece is
short enough; a block of over `PIPE_CHARS` characters reaches spaCy in pieces cut after a sentence's end.

Linear in the text: its words and clause boundaries are found once, in arrays, and each cut is a bisection;
a space is looked for outwards from the middle. (Scanning again at every cut, a 50 MB line took 21 minutes.)
Part of `coding.nlp.segments`, which cuts every turn into candidate quotes.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left

MAX_WORDS = 60  # longer "sentences" (speech transcribed without punctuation) are cut at a clause boundary
_WORD = re.compile(r"\w+")
_SPACE = " \t\r\n\f\v\u00a0\u2028\u2029"


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _SPACE:
        a += 1
    while b > a and text[b - 1] in _SPACE:
        b -= 1
    return a, b


_CLAUSE = re.compile(r"(?<=[,;:—–])\s+|\s+(?=(?:and|but|so|because|then|which|when)\b)", re.IGNORECASE)


class _Cuts:
    """Where a pattern matches in text[a:b] (starts and ends, found once, kept as compact arrays)."""

    def __init__(self, pattern: re.Pattern, text: str, a: int, b: int):
        self.starts = array("q", map(_START, pattern.finditer(text, a, b)))
        self.ends = array("q", map(_END, pattern.finditer(text, a, b)))

    def nearest(self, lo: int, hi: int, middle: int) -> tuple[int, int] | None:
        """The match starting strictly between lo and hi nearest to middle (the earlier on a tie)."""
        k = bisect_left(self.starts, middle)
        best = None
        for i in (k - 1, k):
            if 0 <= i < len(self.starts) and lo < self.starts[i] < hi and (
                    best is None or abs(self.starts[i] - middle) < abs(self.starts[best] - middle)):
                best = i
        return None if best is None else (self.starts[best], self.ends[best])


_START, _END = re.Match.start, re.Match.end
_RUN = re.compile(r"(?<!\s)\s+")  # a whole run of white space (found from anywhere inside the text)


def _nearest_space(text: str, lo: int, hi: int, middle: int, end: int) -> tuple[int, int] | None:
    """The run of white space starting strictly between lo and hi nearest to middle (the earlier on a
    tie), looked for outwards from middle, so a cut costs what lies between middle and the run."""
    after = _RUN.search(text, middle, end)
    after = after.span() if after and after.start() < hi else None
    before, width = None, 64
    while before is None:
        start = max(lo + 1, middle - width)
        for m in _RUN.finditer(text, start, middle):
            if m.start() < middle:
                before = m.start()
        if start == lo + 1:
            break
        width *= 4
    if before is not None:
        before = (before, _RUN.match(text, before, end).end())
        if after is None or middle - before[0] <= after[0] - middle:
            return before
    return after


def split_long(text: str, a: int, b: int, max_words: int = MAX_WORDS) -> list[tuple[int, int]]:
    """Cut text[a:b] at clause boundaries (or spaces) near the middle until no piece exceeds max_words.

    Linear: the words and clause boundaries of text[a:b] are found once and each cut looks them up; a
    space is looked for outwards from the middle (a 50 MB line of captions without a full stop took 21
    minutes when every cut scanned the text from its start again)."""
    if b - a < 2 * max_words:  # a word and a space between words: too short to hold max_words + 1 words
        return [(a, b)]
    if not _more_than(max_words).search(text, a, b):  # most sentences: one search, no list of their words
        return [(a, b)]
    words = array("q", map(_START, _WORD.finditer(text, a, b)))
    if len(words) <= max_words:
        return [(a, b)]
    clauses = _Cuts(_CLAUSE, text, a, b)
    out: list[tuple[int, int]] = []
    todo = [(a, b)]
    while todo:  # depth first, left before right: the pieces come out in text order
        a, b = todo.pop()
        i, j = bisect_left(words, a), bisect_left(words, b)
        if j - i <= max_words:
            out.append((a, b))
            continue
        middle = words[i + (j - i) // 2]
        lo, hi = words[i + max_words // 4], words[j - max_words // 4]  # neither side shorter than a quarter
        best = clauses.nearest(lo, hi, middle) or _nearest_space(text, lo, hi, middle, b)
        if best is None:  # one enormous token ("a-b-c-..."): leave it whole
            out.append((a, b))
            continue
        todo += [_strip(text, best[1], b), _strip(text, a, best[0])]
    return out


def _more_than(n: int) -> re.Pattern:
    """Matches where n + 1 words begin (runs of word characters, apart); possessive, so linear."""
    return _MORE.get(n) or _MORE.setdefault(n, re.compile(r"\b\w++" + r"\W++\w++" * n))


_MORE: dict[int, re.Pattern] = {}
PIPE_CHARS = 100_000  # longer blocks reach the pipeline in pieces (spaCy refuses a text over a million)
_SENTENCE_END = re.compile(r"[.!?…][\"')\]}»”’]*\s+")


def _pieces(text: str, a: int, b: int, size: int = PIPE_CHARS) -> list[tuple[int, int]]:
    """text[a:b] in pieces of at most `size` characters, each cut after a sentence's end (or at a space)."""
    out = []
    while b - a > size:
        end = None
        for m in _SENTENCE_END.finditer(text, a + size // 2, a + size):
            end = m.end()
        if end is None:
            space = text.rfind(" ", a + size // 2, a + size)
            end = space + 1 if space > 0 else a + size
        piece = _strip(text, a, end)
        if piece[0] < piece[1]:
            out.append(piece)
        a = _strip(text, end, b)[0]
    out.append((a, b))
    return out
