"""A REFI-QDA source's positions mapped to our offsets: "\\r\\n" pairs and characters beyond U+FFFF, in
characters or UTF-16 code units (issue 19: the map is linear in size, not a list of every position)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from importers.qdpx_text import SourceText


def _reference(raw: str) -> tuple[list[int], dict[int, int]]:
    """The position map as it was first written: one entry per character (slow, obviously right)."""
    m, p, i = [], 0, 0
    while i < len(raw):
        m.append(p)
        if raw[i] == "\r" and i + 1 < len(raw) and raw[i + 1] == "\n":
            m.append(p)
            i += 1
        p += 1
        i += 1
    m.append(p)
    u16, pos = {0: 0}, 0
    for n, ch in enumerate(raw, 1):
        pos += 2 if ord(ch) > 0xFFFF else 1
        u16[pos] = n
    return m, u16


@given(st.text(alphabet=st.sampled_from(["a", " ", "\r", "\n", "é", "😀", "𝄞"]), max_size=40))
def test_positions_map_as_the_reference_does(raw):
    loaded = SourceText.from_str(raw)
    norm, u16 = _reference(raw)
    for start in range(-1, len(raw) + 3):
        for end in range(start, len(raw) + 3):
            expected = (norm[start], norm[end]) if 0 <= start < end <= len(raw) else None
            if expected and expected[0] >= expected[1]:
                expected = None
            assert loaded.span(str(start), str(end), "chars") == expected
            a, b = u16.get(start), u16.get(end)
            expected = (norm[a], norm[b]) if a is not None and b is not None and a < b else None
            if expected and expected[0] >= expected[1]:
                expected = None
            assert loaded.span(str(start), str(end), "utf16") == expected
