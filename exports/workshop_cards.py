"""Which quotes become workshop cards: the strongest N, spread over stages, personas and participants.

Every coded quote can be a card: the journey's quotes (stage codings) and the coded spans that overlap no
stage (a study coded with themes only still has cards). `--stage` and `--code` keep the quotes of those stages
and those carrying those codes (a quote's stage counts as one of its codes); several of one kind: any of them.

Strength of a quote, 0..1:
    0.35 × felt      |valence| / 2 (the journey's valence: a coded emotion, else the model's)
    0.25 × codes     distinct codes on it besides its stage, up to 3: rich in what the study codes
    0.20 × central   TF-IDF cosine to the centroid of its stage's quotes (`represent.centrality`)
    0.20 × words     content words (`coding.nlp.content`: no fillers, rituals or talk about the interview,
                     counted in what is left of the quote without them): under 5 says little (0.1 each),
                     5-60 reads well on a card, beyond that it weighs less (60 / n, at least 0.3); a
                     question back to the interviewer ("Like, what is it?") 0
Spread: the N cards are shared evenly between the stages that have quotes (a stage with fewer quotes than
its share gives the rest to the others), taken in turn one per stage, each time the quote with the best
strength minus 0.25 for each card its speaker already has and 0.15 × the cards of its speaker's persona
over that persona's fair share (its members' share of the speakers). So N = 48 over 6 stages shows 8 a
stage, from as many people and personas as the quotes allow. Cards are then printed in stage and reading
order. `limit=None` keeps every quote.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence

from coding.nlp import content
from coding.synthesis.model import Quote
from coding.synthesis.represent import centrality

DEFAULT_LIMIT = 48  # six A4 pages of eight cards: what a two-hour affinity-mapping session can read
W_FELT, W_CODES, W_CENTRAL, W_WORDS = 0.35, 0.25, 0.20, 0.20
PER_SPEAKER, PER_PERSONA = 0.25, 0.15


def readable(text: str) -> float:
    """0..1: how much a card with this text has to say (see the module docstring)."""
    if content.is_question_back(text):
        return 0.0
    words = len(content.content_words(content.content_part(text)))
    return words / 10 if words < 5 else 1.0 if words <= 60 else max(0.3, 60 / words)


def strength(q: Quote, central: float) -> float:
    size = readable(q.text)
    codes = len({a.code_id for a in q.attached})
    return (W_FELT * min(abs(q.valence or 0.0), 2.0) / 2 + W_CODES * min(codes, 3) / 3
            + W_CENTRAL * central + W_WORDS * size)


def matching(quotes: Sequence[Quote], *, stages: Collection[int] = (), codes: Collection[int] = ()) -> list[Quote]:
    """The quotes at any of `stages` (stage code ids) that carry any of `codes` (a stage counts as a code)."""
    out = []
    for q in quotes:
        if stages and q.stage_id not in stages:
            continue
        if codes and not (set(codes) & {q.stage_id, *(a.code_id for a in q.attached)}):
            continue
        out.append(q)
    return out


def even_shares(available: dict[int, int], limit: int) -> dict[int, int]:
    """`limit` shared evenly between groups (in their order), none given more than it has."""
    share = dict.fromkeys(available, 0)
    left = min(limit, sum(available.values()))
    while left:
        open_groups = [g for g in available if share[g] < available[g]]
        each = max(1, left // len(open_groups))
        for g in open_groups:
            give = min(each, available[g] - share[g], left)
            share[g] += give
            left -= give
            if not left:
                break
    return share


def strongest(quotes: Sequence[Quote], limit: int | None, *, persona_of: dict[int, int] | None = None,
              stage_order: Sequence[int] = ()) -> list[Quote]:
    """The `limit` strongest quotes, spread as the module docstring says; every quote when `limit` is None.
    `persona_of`: participant id -> persona id. Returned in stage order (`stage_order`), then reading order."""
    order = {s: i for i, s in enumerate(stage_order)}

    def printed(q: Quote):
        return (order.get(q.stage_id, len(order)), q.order)

    if limit is None or limit >= len(quotes):
        return sorted(quotes, key=printed)
    persona_of = persona_of or {}
    by_stage: dict[int, list[Quote]] = defaultdict(list)
    for q in sorted(quotes, key=printed):
        by_stage[q.stage_id].append(q)
    score = {}
    for group in by_stage.values():
        central = centrality(group)
        score.update({q.id: strength(q, central.get(q.id, 0.0)) for q in group})
    speakers = {p for q in quotes for p in q.participant_ids}
    members = Counter(persona_of[p] for p in speakers if p in persona_of)
    fair = {pid: limit * n / max(1, len(speakers)) for pid, n in members.items()}
    shares = even_shares({s: len(g) for s, g in by_stage.items()}, limit)
    per_speaker: Counter[int] = Counter()
    per_persona: Counter[int] = Counter()
    chosen: list[Quote] = []
    while any(shares.values()):
        for stage, group in by_stage.items():
            if shares[stage] == 0 or not group:
                continue
            best = max(group, key=lambda q: (_worth(q, score, per_speaker, per_persona, persona_of, fair),
                                             tuple(-x for x in q.order)))  # a tie: the earlier quote
            group.remove(best)
            shares[stage] -= 1
            chosen.append(best)
            per_speaker.update(best.participant_ids)
            per_persona.update({persona_of[p] for p in best.participant_ids if p in persona_of})
    return sorted(chosen, key=printed)


def _worth(q: Quote, score: dict[int, float], per_speaker: Counter, per_persona: Counter,
           persona_of: dict[int, int], fair: dict[int, float]) -> float:
    speaker = max((per_speaker[p] for p in q.participant_ids), default=0)
    personas = {persona_of[p] for p in q.participant_ids if p in persona_of}
    crowded = min(4.0, max((per_persona[x] / fair[x] for x in personas if fair.get(x)), default=0.0))
    return score[q.id] - PER_SPEAKER * speaker - PER_PERSONA * crowded
