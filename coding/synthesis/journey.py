"""The journey: stages (in codebook order) × lanes (Doing, Thinking, Feeling, Needs, Pain points,
Opportunities), the emotion curve, and the moments that matter. See `coding.synthesis` for the rules."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean, pstdev

from ..codebook import list_stages
from ..models import Code
from . import quotes as quoting
from .model import Journey, Quote, StageColumn, StageValence
from .moments import min_participants, participant_valences, rank_moments, tally
from .represent import centrality, pick_diverse


def compute_journey(store, *, segment: tuple[str, str] | None = None, valence_of=None,
                    k: int = 4, max_moment_quotes: int = 5, members=None) -> Journey:
    """The journey of the whole study, or of participants with attribute `segment = (key, value)`.

    `members` (participant ids) restricts the journey to those people instead, with `segment` as its
    label: a persona's journey is `members=persona.participant_ids, segment=("persona", name)`.
    `valence_of(text) -> float | None` (on the -2..2 scale) scores quotes that have no emotion code
    with a valence; `k` is how many representative quotes each stage shows in the Thinking lane.
    Raises `StudyError` for an unknown segment attribute or value.
    """
    data = quoting.load(store, valence_of)
    return journey_from(data, list_stages(store), segment=segment, k=k, max_moment_quotes=max_moment_quotes,
                        members=members)


def journey_from(data: quoting.StudyData, stages: Sequence[Code], *, segment=None, k: int = 4,
                 max_moment_quotes: int = 5, members=None) -> Journey:
    if members is not None:
        scope = set(members) & quoting.scope_participants(data.people, None)
    else:
        scope = quoting.scope_participants(data.people, segment)
    quotes = quoting.restrict(data.quotes, scope, keep_unattributed=segment is None and members is None)
    stages = sorted(stages, key=lambda s: (s.position, s.name.casefold(), s.id))
    by_stage: dict[int, list[Quote]] = {s.id: [] for s in stages}
    for q in quotes:
        if q.stage_id in by_stage:
            by_stage[q.stage_id].append(q)
    central: dict[int, float] = {}
    columns = []
    for stage in stages:
        stage_quotes = by_stage[stage.id]
        scores = centrality(stage_quotes)
        central.update(scores)
        columns.append(_column(stage, stage_quotes, data.codes, scores, k))
    in_journey = sorted({p for q in quotes for p in q.participant_ids})
    moments = rank_moments(columns, len(in_journey), data.codes, central, max_quotes=max_moment_quotes)
    sources = {"codes": 0, "nlp": 0, "none": 0}
    for q in quotes:
        sources[q.valence_from] += 1
    return Journey(
        name=data.name, segment=segment, stages=tuple(columns), moments=moments,
        participants=tuple(data.people[p] for p in in_journey), valence_sources=sources,
        quotes=tuple(quotes), people=dict(data.people), codes=dict(data.codes),
        unstaged_coding_ids=tuple(data.unstaged_coding_ids) if segment is None and members is None else (),
        min_participants=min_participants(len(in_journey)),
    )


def _column(stage: Code, quotes: list[Quote], codes: dict[int, Code], scores: dict[int, float],
            k: int) -> StageColumn:
    return StageColumn(
        stage=stage,
        quotes=tuple(quotes),
        participant_ids=tuple(sorted({p for q in quotes for p in q.participant_ids})),
        touchpoints=tally(quotes, "touchpoint", codes),
        representative=pick_diverse(quotes, scores, k),
        emotions=tally(quotes, "emotion", codes),
        valence=stage_valence(quotes),
        needs=tally(quotes, "need", codes),
        pain_points=tally(quotes, "pain_point", codes),
        opportunities=tally(quotes, "opportunity", codes),
        themes=tally(quotes, "theme", codes),
    )


def stage_valence(quotes: Sequence[Quote]) -> StageValence:
    """Mean over participants of each participant's mean quote valence at this stage."""
    per = participant_valences(quotes)
    ids = tuple(sorted({cid for q in quotes if q.valence is not None and q.participant_ids
                        for cid in (q.valence_coding_ids or (q.id,))}))
    if not per:
        return StageValence(None, None, None, None, 0, (), ids)
    values = list(per.values())
    return StageValence(
        mean=fmean(values), std=pstdev(values), min=min(values), max=max(values), n=len(values),
        by_participant=tuple(per.items()), coding_ids=ids,
    )
