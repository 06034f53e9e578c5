"""Synthesis: from codings to a customer journey and the moments that matter. Pure functions.

API
---
    compute_journey(store, *, segment=None, valence_of=None, k=4) -> Journey
    compare_segments(store, key, value_a, value_b) -> SegmentComparison
    saturation(store) -> list[SaturationPoint]
    segment_keys(store) -> {attribute: [values]}

Quotes. Every stage coding is a quote; its span is the quote's text. Every other coding (emotion,
need, touchpoint, pain point, opportunity, theme) in the same source whose span overlaps it attaches
to it. A quote's participants are `store.participants_of_span(...)` minus interviewers and moderators.
Codings that overlap no stage coding are listed in `Journey.unstaged_coding_ids`.

Lanes of each `StageColumn` (stages in codebook order):
    Doing          `touchpoints`: CodeTally per touchpoint code (code.attributes: channel, owned)
    Thinking       `representative`: up to k quotes ranked by TF-IDF cosine to the stage centroid,
                   at most one per participant until every participant has one
    Feeling        `emotions` (CodeTally) and `valence` (StageValence: mean, std, min, max, n)
    Needs          `needs`, split by `needs_functional` / `needs_emotional` (code.attributes["need_type"])
    Pain points    `pain_points`;  Opportunities  `opportunities`
A CodeTally keeps the quote ids, participant ids and coding ids behind its counts.

Valence. A quote's valence is the mean valence of its emotion codes; without one, `valence_of(text)`
when given (an NLP guess on the -2..2 scale; `model_valence()` is the emotion model's, the one every view
passes); else none. `Journey.valence_sources` counts quotes by
origin ("codes", "nlp", "none"). A participant's valence at a stage is the mean over their quotes;
the stage mean is the mean over participants, so each person counts once.

Moments that matter (see `moments`): every stage and every stage × touchpoint cell, with
N = participants with at least one quote in the journey (or segment),
    reach     = cell participants / N
    intensity = mean |participant valence| in the cell (0..2)
    peak_end  = cell participants whose peak quote (max |valence|, at least 0.5) is in the cell, or
                whose last coded stage is the cell's stage and who feel it there (|valence| ≥ 0.5), / N
    score     = 0.4 × reach + 0.4 × intensity / 2 + 0.2 × peak_end
sign: pain (mean valence ≤ -0.25), delight (≥ +0.25), or mixed. Each Moment has its top needs and 3-5 quotes
of its own sign (no delighted quote under a pain moment), one per participant first. A moment voiced by
fewer than `Journey.min_participants` (3, or 10% of N when more; at most a majority) ranks after the
others and carries a `caution` ("only 2 of 10 participants").

`members=` (participant ids) restricts a journey to a chosen group (a persona), and
`compare_groups(store, "persona", (name, ids), (name, ids))` sets two groups side by side.

Segments restrict everything to participants whose attribute `key` equals `value` (case-insensitive);
N is then the segment's participants with quotes. Saturation counts, per coded source in import order
(sources without any coding are left out), the codes used for the first time.
"""

from __future__ import annotations

from .journey import compute_journey, stage_valence
from .model import (
    Attached,
    CodeTally,
    ComparisonRow,
    Journey,
    Moment,
    Quote,
    SaturationPoint,
    SegmentComparison,
    StageColumn,
    StageValence,
)
from .moments import FORMULA, score_of
from .quotes import model_valence
from .segments import compare_groups, compare_segments, saturation, segment_keys

__all__ = [
    "FORMULA", "Attached", "CodeTally", "ComparisonRow", "Journey", "Moment", "Quote", "SaturationPoint",
    "SegmentComparison", "StageColumn", "StageValence", "compare_groups", "compare_segments", "compute_journey",
    "model_valence", "saturation", "score_of", "segment_keys", "stage_valence",
]
