"""Pure functions behind the reader and the quotes list: sentences, words, wrapping, layout."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from research_tui.widgets.quote_list import quote_rows
from research_tui.widgets.transcript_layout import (
    BLANK,
    HEADER,
    TEXT,
    Span,
    TranscriptDoc,
    Turn,
    layout_lines,
    split_sentences,
    word_left,
    word_right,
    wrap_span,
)


def parts(text, spans):
    return [text[a:b] for a, b in spans]


def test_sentences_split_on_end_marks_and_line_breaks_within_the_span():
    text = 'Me: Hello there. Dr. Patel said "fine!" Really?  Yes\nnew line here'
    start = 4
    assert parts(text, split_sentences(text, start, len(text))) == [
        "Hello there.", 'Dr. Patel said "fine!"', "Really?", "Yes", "new line here"]
    assert parts(text, split_sentences(text, start, 16)) == ["Hello there."]
    assert split_sentences(text, 5, 5) == [] and split_sentences("   ", 0, 3) == []
    assert parts("Wait... What? 3.5 hours", split_sentences("Wait... What? 3.5 hours", 0, 23)) == [
        "Wait...", "What?", "3.5 hours"]
    text = "It was just... awful, e.g. the wait. Then home."
    assert parts(text, split_sentences(text, 0, len(text))) == ["It was just... awful, e.g. the wait.", "Then home."]


@given(st.text(alphabet="ab .!?\n", max_size=80))
def test_sentences_are_trimmed_ordered_and_inside_the_span(text):
    out = split_sentences(text, 0, len(text))
    last = 0
    for a, b in out:
        assert last <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        last = b
    words = "".join(text.split())
    assert "".join("".join(text[a:b].split()) for a, b in out) == words


def test_word_steps_stay_inside_their_bounds():
    text = "one two  three"
    assert word_right(text, 0, len(text)) == 3
    assert word_right(text, 3, len(text)) == 7
    assert word_right(text, 7, 9) == 9
    assert word_left(text, len(text), 0) == 9
    assert word_left(text, 9, 0) == 4
    assert word_left(text, 4, 4) == 4


def test_wrap_keeps_exact_offsets_and_width():
    text = "Speaker: the quick brown fox jumps over the lazy dog\nand a supercalifragilistic word"
    lines = wrap_span(text, 9, len(text), 12)
    assert parts(text, lines) == ["the quick", "brown fox", "jumps over", "the lazy dog", "and a",
                                  "supercalifra", "gilistic", "word"]
    assert all(b - a <= 12 for a, b in lines)


@given(st.text(alphabet="abc \n", max_size=120), st.integers(min_value=1, max_value=30))
def test_wrap_never_loses_a_word_or_exceeds_the_width(text, width):
    lines = wrap_span(text, 0, len(text), width)
    assert all(0 < b - a <= width for a, b in lines)
    assert "".join("".join(text[a:b].split()) for a, b in lines) == "".join(text.split())


def test_layout_has_a_header_text_lines_and_blanks_and_maps_sentences():
    text = "A: One. Two is longer.\nB: Three.\n"
    turns = [(3, 22), (26, 32)]
    sentences = [s for a, b in turns for s in split_sentences(text, a, b)]
    layout = layout_lines(text, turns, sentences, width=13)
    kinds = [k for k, *_ in layout.lines]
    assert kinds == [HEADER, TEXT, TEXT, BLANK, HEADER, TEXT]
    assert [text[a:b] for k, _, a, b in layout.lines if k == TEXT] == ["One. Two is", "longer.", "Three."]
    assert layout.sentence_line == [1, 1, 5] and layout.turn_line == [0, 4]


def doc():
    text = "I: Hi there.\nP: I waited. It was awful.\n"
    turns = [Turn(1, 1, "I01", "interviewer", "", 3, 12), Turn(2, 2, "P01", "participant", "00:00:04", 16, 39)]
    spans = [Span(10, 16, 39, 5, "Pain point", "#d62728"), Span(11, 26, 39, 6, "Frustrated", "#c0392b")]
    return TranscriptDoc(1, "t", text, turns, spans)


def test_transcript_doc_sentences_turns_and_spans():
    d = doc()
    assert parts(d.text, d.sentences) == ["Hi there.", "I waited.", "It was awful."]
    assert d.sentence_turn == [0, 1, 1] and d.turn_sentences == [(0, 1), (1, 3)]
    assert [s.name for s in d.spans_over(26, 39)] == ["Frustrated", "Pain point"]   # shortest first
    assert [s.name for s in d.spans_over(3, 12)] == []
    assert d.turn_is_coded(1) and not d.turn_is_coded(0)
    assert d.layout(20) is d.layout(20)                                            # cached per width


def test_quote_rows_are_three_lines_cut_with_an_ellipsis():
    from coding.queries import Quote

    q = Quote(1, 1, "t", 0, 10, "word " * 40, 1, "Code", "theme", "#fff", "", "me", (1,), ("P01",))
    rows = quote_rows(q, 30)
    assert len(rows) == 2 and rows[1].endswith("…") and all(len(r) <= 30 for r in rows)


def wrap_word_by_word(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """The reference: the word-at-a-time wrap `wrap_span` replaced (it must give the same lines)."""
    import re

    width = max(1, width)
    lines: list[tuple[int, int]] = []
    para = start
    breaks = [m.start() for m in re.compile("\n").finditer(text, start, end)] + [end]
    for stop in breaks:
        line_a = line_b = -1
        for m in re.compile(r"\S+").finditer(text, para, stop):
            a, b = m.span()
            while b - a > width:
                if line_a >= 0:
                    lines.append((line_a, line_b))
                    line_a = -1
                lines.append((a, a + width))
                a += width
            if line_a < 0:
                line_a, line_b = a, b
            elif b - line_a <= width:
                line_b = b
            else:
                lines.append((line_a, line_b))
                line_a, line_b = a, b
        if line_a >= 0:
            lines.append((line_a, line_b))
        para = stop + 1
    return lines


@given(st.text(alphabet="ab \t\n\u00a0\r.", max_size=160), st.integers(min_value=1, max_value=25),
       st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=20))
def test_wrap_gives_the_lines_the_word_by_word_wrap_gave(text, width, cut_start, cut_end):
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    assert wrap_span(text, start, end, width) == wrap_word_by_word(text, start, end, width)
