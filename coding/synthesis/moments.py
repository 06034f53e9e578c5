"""Moments that matter: cells of the journey ranked by reach, intensity and peak-end.

Cells are every stage, and every (stage, touchpoint) pair that has a quote. With N = participants in
the journey (people with at least one quote, in the segment when there is one):

    reach     = participants with a quote in the cell / N
    intensity = mean over the cell's participants of |their mean valence in the cell|   (0..2;
                participants without any valence there are left out; 0 when nobody has one)
    peak_end  = participants in the cell whose personal peak quote (largest |valence|, felt: at least
                0.5; on a tie the later one in journey order) is in the cell, or whose last coded stage
                is the cell's stage and who feel it there (|their mean valence in the cell| >= 0.5), / N.
                A calm peak or a calm ending carries no weight.
    score     = 0.4 * reach + 0.4 * intensity / 2 + 0.2 * peak_end                     (0..1)

Minimum reach: a moment needs at least `min_participants(N)` participants: 3, or 10% of N when that
is more, but never more than a majority (N // 2 + 1: 2 of 3, 1 of 1). A cell below it is still a
moment, ranked after every moment that reaches it and marked with a caution ("only 2 of 10
participants"), so one vivid interview cannot lead the report.

Sign, from the participants' mean valences in the cell: "mixed" only when they really split — at least
`SPLIT_SHARE` of them (1 at least) strongly negative (≤ -0.5) and as many strongly positive (≥ +0.5),
and the mean is not itself strong (|mean| < 0.5); else "calm" when the intensity is below
`LOW_INTENSITY` (0.25 of 2: people feel little either way there) or nobody has a valence; else "pain"
when the mean is ≤ -0.25, "delight" when ≥ +0.25, and "calm" otherwise (mild feelings both ways). The counts go with it
(`Moment.split`: "3 of 10 strongly negative, 2 of 10 strongly positive").
Ranking: moments that reach the minimum first; then felt cells (intensity ≥ `LOW_INTENSITY`) before calm
ones, whatever their reach; then score descending, then stage order, then stage cell before touchpoint cells.
Each moment counts its quotes by where their valence comes from (`Moment.basis`: the researcher's
emotion codes, the emotion model, none).

Quotes ("In their words"): a pain moment shows no quote with a positive valence and a delight moment
none with a negative one; mixed moments show both. Quotes that say nothing themselves (fillers,
rituals, questions back: `represent.says_something`) come only when nothing else is left. Within that,
the strongest feelings first (in a calm moment, what is most typical of it: a feeling that is rare there
would misstate it), one per participant until everyone has one (`represent.pick_diverse`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean

from ..models import Code
from .model import LOW_INTENSITY, CodeTally, Moment, Quote, StageColumn
from .represent import pick_diverse

W_REACH, W_INTENSITY, W_PEAK_END = 0.4, 0.4, 0.2
NEUTRAL = 0.25  # a cell whose mean valence is nearer 0 than this is neither pain nor delight
FELT = 0.5      # a peak or an end counts only when |valence| reaches this: a calm ending is no "end"
MIN_PARTICIPANTS, MIN_SHARE = 3, 0.1
SPLIT_SHARE = 0.2     # "mixed" needs this share of the cell's participants strongly on each side
FORMULA = "score = 0.4 × reach + 0.4 × intensity / 2 + 0.2 × peak-end"


def score_of(reach: float, intensity: float, peak_end: float) -> float:
    return W_REACH * reach + W_INTENSITY * intensity / 2 + W_PEAK_END * peak_end


def min_participants(n_journey: int) -> int:
    """The fewest participants a moment needs to rank with the others (see the module docstring)."""
    if n_journey <= 0:
        return 0
    return min(n_journey // 2 + 1, max(MIN_PARTICIPANTS, math.ceil(MIN_SHARE * n_journey)))


def participant_valences(quotes: Sequence[Quote]) -> dict[int, float]:
    """participant id -> mean valence of their quotes that have one."""
    values: dict[int, list[float]] = {}
    for q in quotes:
        if q.valence is None:
            continue
        for pid in q.participant_ids:
            values.setdefault(pid, []).append(q.valence)
    return {pid: fmean(v) for pid, v in sorted(values.items())}


def sign_of(valences: Sequence[float]) -> str:
    """pain | delight | mixed | calm for participants' mean valences in a cell (see the module docstring)."""
    if not valences:
        return "calm"
    mean = fmean(valences)
    negative, positive = strong(valences)
    need = max(1, math.ceil(SPLIT_SHARE * len(valences)))
    if negative >= need and positive >= need and abs(mean) < FELT:
        return "mixed"
    if fmean(abs(v) for v in valences) < LOW_INTENSITY:
        return "calm"
    if mean <= -NEUTRAL:
        return "pain"
    if mean >= NEUTRAL:
        return "delight"
    return "calm"  # some feeling each way, but no real split: on balance, little


def strong(valences: Sequence[float]) -> tuple[int, int]:
    """How many valences are strongly negative (<= -FELT) and strongly positive (>= +FELT)."""
    return sum(v <= -FELT for v in valences), sum(v >= FELT for v in valences)


def peaks_and_ends(quotes: Sequence[Quote], stage_pos: dict[int, int]) -> tuple[dict[int, int], dict[int, int]]:
    """participant -> id of their peak quote (|valence| >= FELT); participant -> their last coded stage."""
    def journey_order(q: Quote):
        return (stage_pos[q.stage_id], *q.order)

    peak: dict[int, Quote] = {}
    last: dict[int, int] = {}
    for q in sorted(quotes, key=journey_order):
        for pid in q.participant_ids:
            last[pid] = q.stage_id  # quotes come in journey order: the last one wins
            if q.valence is None or abs(q.valence) < FELT:
                continue
            best = peak.get(pid)
            if best is None or abs(q.valence) >= abs(best.valence):
                peak[pid] = q
    return {pid: q.id for pid, q in peak.items()}, last


def tally(quotes: Sequence[Quote], kind: str, codes: dict[int, Code]) -> tuple[CodeTally, ...]:
    """Codes of one kind among quotes: quotes, distinct participants and codings behind each."""
    found: dict[int, tuple[list[int], set[int], list[int]]] = {}
    for q in quotes:
        for code_id in q.code_ids(kind):
            qids, pids, cids = found.setdefault(code_id, ([], set(), []))
            qids.append(q.id)
            pids.update(q.participant_ids)
            cids.extend(q.coding_ids_of(code_id))
    out = [CodeTally(codes[cid], tuple(q), tuple(sorted(p)), tuple(sorted(set(c))))
           for cid, (q, p, c) in found.items()]
    out.sort(key=lambda t: (-t.quotes, -t.participants, t.code.position, t.code.name.casefold()))
    return tuple(out)


def rank_moments(columns: Sequence[StageColumn], n_journey: int, codes: dict[int, Code],
                 centrality: dict[int, float], *, max_quotes: int = 5) -> tuple[Moment, ...]:
    stage_pos = {col.stage.id: i for i, col in enumerate(columns)}
    all_quotes = [q for col in columns for q in col.quotes]
    peak, last = peaks_and_ends(all_quotes, stage_pos)
    cells: list[tuple[tuple, Code, Code | None, list[Quote]]] = []
    for i, col in enumerate(columns):
        cells.append(((i, -1, 0), col.stage, None, list(col.quotes)))
        for t in col.touchpoints:
            cell_quotes = [q for q in col.quotes if t.code.id in q.code_ids("touchpoint")]
            cells.append(((i, t.code.position, t.code.id), col.stage, t.code, cell_quotes))
    moments = []
    floor = min_participants(n_journey)
    for order, stage, touchpoint, quotes in cells:
        pids = sorted({p for q in quotes for p in q.participant_ids})
        if not pids or not n_journey:
            continue
        qids = {q.id for q in quotes}
        valences = participant_valences(quotes)
        intensity = fmean(abs(v) for v in valences.values()) if valences else 0.0
        pe_ids = tuple(p for p in pids if peak.get(p) in qids
                       or (last.get(p) == stage.id and abs(valences.get(p, 0.0)) >= FELT))
        reach, peak_end = len(pids) / n_journey, len(pe_ids) / n_journey
        sign = sign_of(list(valences.values()))
        voiced = [q for q in quotes if not _against(q.valence, sign)]
        weight = 0.5 if sign != "calm" else 0.0  # a calm moment is voiced by what is typical there, not a rare feeling
        quote_score = {q.id: weight * abs(q.valence or 0.0) + centrality.get(q.id, 0.0) for q in voiced}
        negative, positive = strong(list(valences.values()))
        origins = {"codes": 0, "nlp": 0, "none": 0}
        for q in quotes:
            origins[q.valence_from] = origins.get(q.valence_from, 0) + 1
        moments.append((order, Moment(
            stage=stage, touchpoint=touchpoint, score=score_of(reach, intensity, peak_end),
            reach=reach, intensity=intensity, peak_end=peak_end, participant_ids=tuple(pids),
            peak_end_ids=pe_ids, n_journey=n_journey,
            mean_valence=fmean(valences.values()) if valences else None,
            sign=sign,
            needs=tally(quotes, "need", codes)[:3],
            quotes=pick_diverse(voiced, quote_score, max_quotes, content_first=True),
            quote_ids=tuple(q.id for q in quotes),
            coding_ids=tuple(cid for q in quotes for cid in q.coding_ids),
            min_participants=floor, n_valenced=len(valences), n_negative=negative, n_positive=positive,
            valence_from=tuple(origins.items()),
        )))
    moments.sort(key=lambda pair: (pair[1].limited_reach, not pair[1].felt, -round(pair[1].score, 9), pair[0]))
    return tuple(m for _, m in moments)


def _against(valence: float | None, sign: str) -> bool:
    """A quote whose feeling contradicts the moment's sign (a delighted quote under a pain moment)."""
    if valence is None:
        return False
    return (sign == "pain" and valence > 0) or (sign == "delight" and valence < 0)
