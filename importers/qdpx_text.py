"""A REFI-QDA source's text and the map from the file's character positions to ours.

The file's text keeps its own line ends ("\r\n" counts two); ours are normalized to "\n". The standard
counts positions in characters, some writers in UTF-16 code units (`units="utf16"`): both are mapped to
offsets into the normalized text a `Transcript` holds.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from coding.exchange.model import has_astral

from .encoding import decode, normalize_newlines

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_DIGITS = re.compile(r"[0-9]+")


class SourceText:
    """A source's text, newline-normalized, with the map from the file's positions to ours.

    The map keeps only where the text's "\r\n" pairs and characters beyond U+FFFF are (each shifts the
    positions after it by one), so a 50 MB source costs a few lists of its line ends, not a list of
    fifty million positions."""

    def __init__(self, raw: str, text: str):
        self.raw, self.text = raw, text
        self.astral = has_astral(raw)
        # "\r\n" becomes one "\n" ("\r" alone becomes "\n" in place): a raw index i moves back by the
        # pairs that start before it, so the "\n" of a pair lands on the same place as its "\r"
        self._crlf = [m.start() for m in re.finditer("\r\n", raw)]
        self._wide: list[int] | None = None  # indices of characters that are two UTF-16 code units

    def norm(self, i: int) -> int:
        """Our (normalized) offset of the file's character position `i`."""
        return i - bisect_left(self._crlf, i)

    def _from_utf16(self, n: int) -> int | None:
        """The character index at UTF-16 offset `n`, or None inside a surrogate pair or past the end."""
        if self._wide is None:
            self._wide = [m.start() for m in _ASTRAL.finditer(self.raw)]
        wide = self._wide
        # offset(i) = i + (wide characters before i) grows with i: find the i whose offset is n
        i = bisect_left(range(len(self.raw) + 1), n, key=lambda i: i + bisect_left(wide, i))
        return i if i <= len(self.raw) and i + bisect_left(wide, i) == n else None

    @classmethod
    def from_str(cls, raw: str) -> SourceText:
        raw = raw.removeprefix("\ufeff")
        return cls(raw, normalize_newlines(raw))

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> SourceText:
        text = decode(data, name=name)  # BOMs, UTF-16, 8-bit code pages: newline-normalized
        for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
            if data.startswith(bom):
                return cls(data[len(bom):].decode(codec, errors="replace"), text)
        try:
            return cls(data.decode("utf-8"), text)
        except UnicodeDecodeError:
            raw = data.decode("latin-1")  # an 8-bit code page: one byte, one character, same line ends
            return cls(raw, text) if len(normalize_newlines(raw)) == len(text) else cls(text, text)

    def raw_index(self, value: str | None, units: str) -> int | None:
        """A position as the file writes it: ASCII digits alone (`٤٤`, ` 44`, `+44` are no position)."""
        if not value or not _DIGITS.fullmatch(value):
            return None
        n = int(value)
        if units == "utf16" and self.astral:
            return self._from_utf16(n) if n >= 0 else None
        return n if 0 <= n <= len(self.raw) else None

    def span(self, start: str | None, end: str | None, units: str) -> tuple[int, int] | None:
        a, b = self.raw_index(start, units), self.raw_index(end, units)
        if a is None or b is None or not 0 <= a < b <= len(self.raw):
            return None
        a, b = self.norm(a), self.norm(b)
        return (a, b) if a < b else None

    def boundary_score(self, selections, units: str) -> int:
        good = 0
        for start, end in selections:
            span = self.span(start, end, units)
            if span and (span[0] == 0 or not self.text[span[0] - 1].isalnum()):
                good += 1
        return good
