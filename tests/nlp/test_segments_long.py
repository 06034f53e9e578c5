"""Very long turns cut in linear time, the same cuts as before (issue 19 item 6: a 50 MB line of captions
without a full stop took 21 minutes, every cut scanning the text from its start again)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coding.nlp.longturns import _CLAUSE, _WORD, MAX_WORDS, PIPE_CHARS, _strip, split_long
from coding.nlp.segments import split_turn


def _reference(text: str, a: int, b: int, max_words: int = MAX_WORDS) -> list[tuple[int, int]]:
    """split_long as it was first written (recursive, quadratic): the rules, obviously right."""
    words = [m.start() for m in _WORD.finditer(text, a, b)]
    if len(words) <= max_words:
        return [(a, b)]
    middle = words[len(words) // 2]
    lo, hi = words[max_words // 4], words[-(max_words // 4)]
    cuts = [m for m in _CLAUSE.finditer(text, a, b) if lo < m.start() < hi]
    if not cuts:
        cuts = [m for m in re.finditer(r"\s+", text[:b]) if lo < m.start() < hi and m.start() >= a]
    if not cuts:
        return [(a, b)]
    best = min(cuts, key=lambda m: (abs(m.start() - middle), m.start()))
    left, right = _strip(text, a, best.start()), _strip(text, best.end(), b)
    return _reference(text, *left, max_words) + _reference(text, *right, max_words)


TOKENS = ["a", "bb", "and", "but", ",", ";", "—", "so", "x-y", "word", "When", "é", "then,", "ok:"]
SEPARATORS = [" ", "", "  ", ", ", "\n", "\u00a0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(SEPARATORS)), max_size=300),
       st.sampled_from([4, 8, 12, 60]))
def test_the_same_cuts_as_the_reference(parts, max_words):
    text = "".join(t + s for t, s in parts)
    a, b = _strip(text, 0, len(text))
    assert split_long(text, a, b, max_words) == _reference(text, a, b, max_words)


def test_a_long_line_with_full_stops_reaches_the_pipeline_in_pieces():
    """spaCy refuses a text of over a million characters; a 1.3 million character line is cut first."""
    sentence = "The waiting room was cold and nobody told me how long it would take. "
    text = sentence * (1_300_000 // len(sentence))
    spans = split_turn(text)
    assert len(text) > 10 * PIPE_CHARS
    assert len(spans) == text.count(". ")  # every sentence one candidate, none lost at a piece's edge
    assert all(text[a:b] == sentence.strip() for a, b in spans)
