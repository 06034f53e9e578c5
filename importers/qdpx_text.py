"""A REFI-QDA source's text and the map from the file's character positions to ours.

The file's text keeps its own line ends ("\r\n" counts two); ours are normalized to "\n". The standard
counts positions in characters, some writers in UTF-16 code units (`units="utf16"`): both are mapped to
offsets into the normalized text a `Transcript` holds.
"""

from __future__ import annotations

from coding.exchange.model import has_astral, utf16_offsets

from .encoding import decode, normalize_newlines


class SourceText:
    """A source's text, newline-normalized, with the map from the file's positions to ours."""

    def __init__(self, raw: str, text: str):
        self.raw, self.text = raw, text
        self.astral = has_astral(raw)
        m, p, i = [], 0, 0
        while i < len(raw):  # raw index -> normalized index; "\r\n" and "\r" become one "\n"
            m.append(p)
            if raw[i] == "\r" and i + 1 < len(raw) and raw[i + 1] == "\n":
                m.append(p)
                i += 1
            p += 1
            i += 1
        m.append(p)
        self.norm = m
        self._u16: dict[int, int] | None = None

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
        try:
            n = int(value or "")
        except ValueError:
            return None
        if units == "utf16" and self.astral:
            if self._u16 is None:
                self._u16 = {u: i for i, u in enumerate(utf16_offsets(self.raw))}
            return self._u16.get(n)
        return n if 0 <= n <= len(self.raw) else None

    def span(self, start: str | None, end: str | None, units: str) -> tuple[int, int] | None:
        a, b = self.raw_index(start, units), self.raw_index(end, units)
        if a is None or b is None or not 0 <= a < b <= len(self.raw):
            return None
        a, b = self.norm[a], self.norm[b]
        return (a, b) if a < b else None

    def boundary_score(self, selections, units: str) -> int:
        good = 0
        for start, end in selections:
            span = self.span(start, end, units)
            if span and (span[0] == 0 or not self.text[span[0] - 1].isalnum()):
                good += 1
        return good
