"""How much of a span the researcher's codings cover: the one rule by which suggestions learn, autocoding
skips what is coded already, and the evaluation judges a suggestion right.

    coverage(candidates, codings) -> (shares, touched)   per candidate: {code id: share covered}, any coding?
    covered(spans) -> int                                characters in the union of spans
"""

from __future__ import annotations

from .segments import Candidate

COVER = 0.5                # a span "has" a code when codings of it cover this share of its characters


def coverage(cands: list[Candidate], codings) -> tuple[list[dict[int, float]], list[bool]]:
    """Per candidate: {code id: share of its characters covered}, and whether any coding touches it."""
    by_source: dict[int, list] = {}
    for c in codings:
        by_source.setdefault(c.source_id, []).append(c)
    shares, touched = [], []
    for cand in cands:
        length = max(1, cand.end - cand.start)
        spans: dict[int, list[tuple[int, int]]] = {}
        hit = False
        for c in by_source.get(cand.source_id, ()):
            a, b = max(c.char_start, cand.start), min(c.char_end, cand.end)
            if a < b:
                hit = True
                spans.setdefault(c.code_id, []).append((a, b))
        shares.append({cid: covered(s) / length for cid, s in spans.items()})
        touched.append(hit)
    return shares, touched


def covered(spans: list[tuple[int, int]]) -> int:
    """Characters covered by the union of `spans`."""
    total, end = 0, -1
    for a, b in sorted(spans):
        a = max(a, end)
        if b > a:
            total += b - a
            end = b
    return total
