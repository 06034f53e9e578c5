"""Will it fit? Text measured with wide fallback fonts, so a table planned here fits wherever it opens.

Word and LibreOffice lay a document out with the fonts of the machine that opens it. The report's
styles name no font (they follow the document's theme: Calibri and Cambria in python-docx's default),
and a machine without them substitutes its own — often DejaVu Sans or DejaVu Serif, about 15% wider
than Calibri. A table planned with Calibri's widths then grows past its page. So every width here is
measured with the wider of DejaVu Sans and DejaVu Serif (matplotlib bundles both; imported lazily),
line height is Calibri's (1.22 em, the taller), and a paragraph's line spacing is what its style
says. An estimate that fits with these fits with the narrower fonts Word usually has.

    Measure()                        text widths in points (one per process; widths cached)
    Measure().lines(parts, width, size)   lines a paragraph of (text, bold) parts takes, greedy word wrap
    Measure().widest(parts, size)         the widest word (a word wider than its cell breaks inside)
    paragraph_height(lines, size, spacing, after)   points
"""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Sequence

LINE_EM = 1.22          # Calibri's line height (ascent + descent + gap) in em; DejaVu's is 1.164
CELL_MARGIN_IN = 0.08   # Word's default left and right cell margin
FONTS = {False: ("DejaVuSans.ttf", "DejaVuSerif.ttf"), True: ("DejaVuSans-Bold.ttf", "DejaVuSerif-Bold.ttf")}


class Measure:
    """Widths of text at a size, in points, with the widest of the fallback fonts."""

    def __new__(cls):  # one per process: the fonts' widths never change
        if cls._shared is None:
            cls._shared = super().__new__(cls)
            cls._shared._em = {}      # (character, bold) -> advance in em
            cls._shared._words = {}   # parts -> [[word, spaces after]] in em
            cls._shared._faces = {}
        return cls._shared

    _shared: Measure | None = None

    def _load(self, bold: bool) -> list:
        if bold not in self._faces:
            import matplotlib  # lazy: only the report measures text
            from matplotlib.ft2font import FT2Font

            folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
            faces = []
            for name in FONTS[bold]:
                face = FT2Font(os.path.join(folder, name))
                face.set_size(100, 72)  # 100 pt at 72 dpi: advances come in points per 100 pt
                faces.append(face)
            self._faces[bold] = faces
        return self._faces[bold]

    def em(self, ch: str, bold: bool = False) -> float:
        key = (ch, bold)
        if key not in self._em:
            if unicodedata.east_asian_width(ch) in ("W", "F"):
                self._em[key] = 1.0
            else:
                widths = []
                for face in self._load(bold):
                    if face.get_char_index(ord(ch)):
                        widths.append(face.load_char(ord(ch)).linearHoriAdvance / 65536 / 100)
                self._em[key] = max(widths) if widths else 0.6
        return self._em[key]

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return sum(self.em(ch, bold) for ch in text) * size

    def words(self, parts: Sequence[tuple[str, bool]], size: float) -> list[list[float]]:
        """[width of each word, width of the spaces after it] in points; a word may span runs."""
        key = tuple(parts)
        if key not in self._words:
            if len(self._words) > 50_000:  # a long-running studio exports many studies: stay small
                self._words.clear()
            self._words[key] = self._words_em(key)
        return [[w * size, space * size] for w, space in self._words[key]]

    def _words_em(self, parts: tuple[tuple[str, bool], ...]) -> list[list[float]]:
        words: list[list[float]] = []
        current, in_word = 0.0, False
        for text, bold in parts:
            for ch in text:
                if ch == "\u200b":  # zero-width space: a place to break, no width
                    if in_word:
                        words.append([current, 0.0])
                        current, in_word = 0.0, False
                elif ch.isspace():
                    if in_word:
                        words.append([current, 0.0])
                        current, in_word = 0.0, False
                    if words:
                        words[-1][1] += self.em(" ", bold)
                else:
                    current += self.em(ch, bold)
                    in_word = True
        if in_word:
            words.append([current, 0.0])
        return words

    def widest(self, parts: Sequence[tuple[str, bool]], size: float) -> float:
        """Points: the widest word, which must fit a line or be broken inside."""
        return max((w for w, _ in self.words(parts, size)), default=0.0)

    def lines(self, parts: Sequence[tuple[str, bool]], width: float, size: float) -> int:
        """Lines a paragraph of (text, bold) parts takes in `width` points: greedy wrap at spaces,
        a word longer than a line broken where it must (as Word and LibreOffice do)."""
        words = self.words(parts, size)
        if width <= 0:
            return max(1, len(words))
        n, used = 1, 0.0
        for w, space in words:
            if used and used + w > width:
                n, used = n + 1, 0.0
            if w > width:  # a word wider than the line: it takes whole lines, the rest goes on
                extra = math.ceil(w / width) - 1
                n += extra
                used = w - extra * width
            else:
                used += w
            used += space
        return n


def paragraph_height(lines: int, size: float, spacing: float = 1.0, after: float = 0.0,
                     before: float = 0.0) -> float:
    """Points: lines of text at `size` with a line-spacing multiple, plus space before and after."""
    return lines * size * LINE_EM * spacing + before + after


def fit_columns(widths: Sequence[float], needs: Sequence[float], total: float) -> list[float]:
    """Column widths (inches) within `total` that give every column at least what it `needs` (its widest
    word, so no word breaks inside), taking the difference from the columns with room to spare, in
    proportion to that room. The planned `widths` are scaled down to `total` first; when even the needs
    do not fit, they are scaled to the total instead."""
    scale = min(1.0, total / sum(widths)) if sum(widths) else 1.0
    out = [w * scale for w in widths]
    short = sum(max(0.0, n - w) for w, n in zip(out, needs))
    if short <= 0:
        return out
    spare = [max(0.0, w - n) for w, n in zip(out, needs)]
    if sum(spare) < short:
        squeeze = min(1.0, total / sum(needs)) if sum(needs) else 1.0
        return [n * squeeze for n in needs]
    take = short / sum(spare)
    return [max(w, n) - s * take for w, n, s in zip(out, needs, spare)]
