"""A one-line title fitted to its width: what matters most stays whole (a count, "match 3/12"), the rest is
shortened with "…" or left out, in an order each part names, so an 80-column terminal cuts nothing that counts."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content


@dataclass(frozen=True)
class Part:
    text: str
    style: str = ""
    drop: int = 0     # left out when it does not fit: higher first; 0 never
    shrink: int = 0   # shortened with "…" (down to `least` characters) at this rank; 0 never
    least: int = 8


def fit(parts: list[Part], width: int) -> list[Part]:
    """The parts that fit in `width` cells, in their order: reductions run from the highest rank down."""
    kept = [p for p in parts if p.text]
    ranks = sorted({p.drop for p in kept} | {p.shrink for p in kept} - {0}, reverse=True)
    for rank in ranks:
        over = _length(kept) - width
        if over <= 0:
            break
        for i in reversed(range(len(kept))):
            part = kept[i]
            if over > 0 and part.shrink == rank and len(part.text) > part.least:
                keep = max(part.least, len(part.text) - over)
                text = part.text[:keep - 1].rstrip() + "…"
                over -= len(part.text) - len(text)
                kept[i] = Part(text, part.style, part.drop, 0, part.least)
        for i in reversed(range(len(kept))):
            if over > 0 and kept[i].drop == rank:
                over -= len(kept[i].text)
                kept.pop(i)
    return kept


def fitted(parts: list[Part], width: int) -> Content:
    return Content.assemble(*((p.text, p.style) if p.style else p.text for p in fit(parts, width)))


def _length(parts: list[Part]) -> int:
    return sum(Content(p.text).cell_length for p in parts)
