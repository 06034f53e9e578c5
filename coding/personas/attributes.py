"""What the members of a group share: attribute phrases ("NHS", "mostly 55+", "first scan")."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from ..models import Participant

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def shared_attributes(people: dict[int, Participant], members: Sequence[int],
                      everyone: Sequence[int]) -> dict[str, str]:
    """attribute -> phrase for what at least 60% of the members share ("NHS", "mostly 55+", "first scan").

    Attributes in sheet order; an attribute whose values differ for nearly everyone (an id, a name) is
    skipped. Numeric bands ("55-74", "75+") join into one phrase when together they cover the members."""
    keys: dict[str, None] = {}
    for pid in everyone:
        for k, v in people[pid].attributes.items():
            if str(v).strip():
                keys.setdefault(k, None)
    out = {}
    for key in keys:
        values = [_value(people[p], key) for p in members]
        values = [v for v in values if v]
        if not values:
            continue
        population = [v for v in (_value(people[p], key) for p in everyone) if v]
        if len(population) >= 5 and len({v.casefold() for v in population}) > 0.8 * len(population):
            continue  # identifying, not shared
        phrase = _phrase_for(key, values, len(members), population)
        if phrase:
            out[key] = phrase
    return out


def _value(p: Participant, key: str) -> str:
    return str(p.attributes.get(key, "")).strip()


def _phrase_for(key: str, values: list[str], n: int, population: list[str]) -> str | None:
    top, count = Counter(values).most_common(1)[0]
    if count == n:
        return _say(key, top)
    band = _band_phrase(values, n, population)
    if band and not band.startswith("mostly"):
        return band  # "55+" for all of them says more than "mostly 55-74"
    if count / n >= 0.6:
        return f"mostly {_say(key, top)}"
    return band


def _say(key: str, value: str) -> str:
    words = key.replace("_", " ").replace("-", " ").strip()
    if value.casefold() in _YES:
        return words
    if value.casefold() in _NO:
        return f"not {words}"
    return value


_RANGE = re.compile(r"^(\d+)\s*(?:-|–|to)\s*(\d+)$")
_PLUS = re.compile(r"^(\d+)\s*(?:\+|and over|or over|or older)$", re.IGNORECASE)
_UNDER = re.compile(r"^(?:under|<)\s*(\d+)$", re.IGNORECASE)


def _band(value: str) -> tuple[float, float] | None:
    v = value.strip()
    if m := _RANGE.match(v):
        return float(m[1]), float(m[2])
    if m := _PLUS.match(v):
        return float(m[1]), math.inf
    if m := _UNDER.match(v):
        return 0.0, float(m[1]) - 1
    return None


def _band_phrase(values: list[str], n: int, population: list[str]) -> str | None:
    """Adjacent age-like bands that together hold at least 60% of the members: "mostly 55+", "18-54"."""
    bands = sorted({b for b in (_band(v) for v in population) if b})
    if len(bands) < 3 or any(_band(v) is None for v in values):
        return None
    member_bands = Counter(_band(v) for v in values)
    best = None
    for i in range(len(bands)):
        for j in range(i + 1, len(bands)):
            covered = sum(member_bands[b] for b in bands[i:j + 1])
            if covered / n >= 0.6 and (best is None or (j - i, -covered) < (best[1] - best[0], -best[2])):
                best = (i, j, covered)
    if best is None or best[1] - best[0] == len(bands) - 1:
        return None  # spans every band: nothing shared
    lo, hi = bands[best[0]][0], bands[best[1]][1]
    text = f"{lo:g}+" if hi == math.inf else f"{lo:g}-{hi:g}"
    return text if best[2] == n else f"mostly {text}"
