"""Segment comparison (two values of one participant attribute) and code saturation per source."""

from __future__ import annotations

from collections.abc import Sequence

from ..codebook import list_stages
from ..codings import list_codings
from ..models import StudyError
from ..people import is_person
from . import quotes as quoting
from .journey import journey_from
from .model import ComparisonRow, SaturationPoint, SegmentComparison


def compare_segments(store, key: str, value_a: str, value_b: str, *, valence_of=None,
                     k: int = 4) -> SegmentComparison:
    """The journey of participants with key=value_a beside the one with key=value_b, stage by stage."""
    if str(value_a).strip().casefold() == str(value_b).strip().casefold():
        raise StudyError(f"compare two different values of {key!r}, not {value_a!r} twice")
    data = quoting.load(store, valence_of)
    stages = list_stages(store)
    a = journey_from(data, stages, segment=(key, value_a), k=k)
    b = journey_from(data, stages, segment=(key, value_b), k=k)
    rows = tuple(
        ComparisonRow(col_a.stage, col_a.valence.mean, col_a.valence.n, col_b.valence.mean, col_b.valence.n)
        for col_a, col_b in zip(a.stages, b.stages)
    )
    return SegmentComparison(key, value_a, value_b, a, b, rows)


def compare_groups(store, label: str, group_a: tuple[str, Sequence[int]], group_b: tuple[str, Sequence[int]],
                   *, valence_of=None, k: int = 4) -> SegmentComparison:
    """Two named groups of participants side by side, as segments are: `label` names what they are
    ("persona"), each group is (name, participant ids)."""
    (name_a, ids_a), (name_b, ids_b) = group_a, group_b
    if str(name_a).strip().casefold() == str(name_b).strip().casefold():
        raise StudyError(f"compare two different {label}s, not {name_a!r} twice")
    data = quoting.load(store, valence_of)
    stages = list_stages(store)
    a = journey_from(data, stages, segment=(label, name_a), members=ids_a, k=k)
    b = journey_from(data, stages, segment=(label, name_b), members=ids_b, k=k)
    rows = tuple(
        ComparisonRow(col_a.stage, col_a.valence.mean, col_a.valence.n, col_b.valence.mean, col_b.valence.n)
        for col_a, col_b in zip(a.stages, b.stages)
    )
    return SegmentComparison(label, name_a, name_b, a, b, rows)


def segment_keys(store) -> dict[str, list[str]]:
    """Participant attribute keys -> their distinct values (participant role only), for pickers."""
    out: dict[str, set[str]] = {}
    for p in store.participants(role="participant"):
        if not is_person(p):
            continue
        for k, v in p.attributes.items():
            if str(v).strip():
                out.setdefault(k, set()).add(str(v))
    return {k: sorted(v) for k, v in sorted(out.items())}


def saturation(store) -> list[SaturationPoint]:
    """For each coded source in import order: how many codes it used for the first time; running total.

    A source with no coding yet is left out: an uncoded interview has not been read for codes, so it
    would show as "0 new codes" and fake saturation.
    """
    first_use: dict[int, list[tuple[int, int]]] = {}
    for c in list_codings(store, spoken_only=True):  # ordered by source position, then offsets
        first_use.setdefault(c.source_id, []).append((c.code_id, c.id))
    seen: set[int] = set()
    points = []
    for source in store.sources():
        used = first_use.get(source.id)
        if not used:
            continue
        new_codes: list[int] = []
        first_ids: list[int] = []
        for code_id, coding_id in used:
            if code_id not in seen:
                seen.add(code_id)
                new_codes.append(code_id)
                first_ids.append(coding_id)
        points.append(SaturationPoint(
            source_id=source.id, title=source.title, position=source.position,
            codes_used=len({c for c, _ in used}), new_code_ids=tuple(new_codes),
            cumulative=len(seen), first_coding_ids=tuple(first_ids),
        ))
    return points
