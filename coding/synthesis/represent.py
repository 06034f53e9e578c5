"""Representative quotes: central to what a stage is about, and spread across participants.

Centrality of a quote = cosine similarity of its TF-IDF vector to the centroid of the stage's quotes
(words of two letters or more, lower case, common English function words left out; sublinear term
frequency, smoothed idf, rows scaled to length 1: the weighting scikit-learn's TfidfVectorizer uses).
It is plain Python on purpose: a stage has tens of quotes, and importing scikit-learn for them took 2-3 s
the first time the journey opened. Picking is greedy over the ranking: at most one quote per participant
until every participant has been used, then a second round, up to k. Near-repeats (the same words, or
mostly the same) are shown once. Quotes with no participant (an interviewer's words) come last. Ties
break on reading order, so the result is deterministic.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from .model import Quote

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
MIN_CONTENT_WORDS = 3  # a quote in a lane must say at least this much (content words, conversation cut)
# function words that say nothing about what a stage is about (our own short list)
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
yeah yes um uh oh ok okay like really just got get gets getting go going gone went one thing things lot
""".split())


def _vectors(texts: list[str], stop_words: frozenset[str]) -> list[dict[str, float]]:
    docs = [Counter(t for t in _TOKEN.findall(text.lower()) if t not in stop_words) for text in texts]
    n = len(docs)
    df = Counter(term for doc in docs for term in doc)
    idf = {term: math.log((1 + n) / (1 + d)) + 1.0 for term, d in df.items()}
    out = []
    for doc in docs:
        vec = {term: (1.0 + math.log(tf)) * idf[term] for term, tf in doc.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        out.append({term: v / norm for term, v in vec.items()} if norm else {})
    return out


def centrality(quotes: Sequence[Quote]) -> dict[int, float]:
    """quote id -> cosine similarity (0..1) to the centroid of these quotes' TF-IDF vectors."""
    if len(quotes) < 2:
        return {q.id: 1.0 for q in quotes}
    texts = [q.text for q in quotes]
    vectors = _vectors(texts, STOP_WORDS)
    if not any(vectors):  # only function words, digits, punctuation: keep every word
        vectors = _vectors(texts, frozenset())
    centroid: Counter[str] = Counter()
    for vec in vectors:
        centroid.update(vec)
    norm = math.sqrt(sum((v / len(vectors)) ** 2 for v in centroid.values()))
    if norm == 0.0:
        return {q.id: 0.0 for q in quotes}
    return {q.id: round(sum(w * centroid[t] for t, w in vec.items()) / len(vectors) / norm, 9)
            for q, vec in zip(quotes, vectors)}


@lru_cache(maxsize=20_000)  # the report asks it of the same quotes for every lane and moment
def says_something(text: str) -> bool:
    """A quote with content of its own: not a filler, ritual or backchannel ("Oh! Data quality." has two
    content words but no more: under `MIN_CONTENT_WORDS`), and not a question back to the interviewer."""
    from ..nlp import content

    return len(content.content_words(content.content_part(text))) >= MIN_CONTENT_WORDS \
        and not content.is_question_back(text)


def pick_diverse(quotes: Sequence[Quote], score: dict[int, float], k: int, *,
                 content_first: bool = True) -> tuple[Quote, ...]:
    """Best-first by score; a participant gets a second quote only when nobody left is new. With
    `content_first`, quotes that say nothing themselves (`says_something`) come only after all others."""
    # quotes nobody in scope speaks (e.g. an interviewer's question) come last: they are not a voice
    empty = {q.id for q in quotes if not says_something(q.text)} if content_first else set()
    ranked = sorted(quotes, key=lambda q: (q.id in empty, not q.participant_ids, -score.get(q.id, 0.0), q.order))
    chosen: list[Quote] = []
    chosen_ids: set[int] = set()
    used: set[int] = set()
    unattributed_used = False

    said: list[str] = []
    words_of: dict[int, str] = {}

    def words(q: Quote) -> str:
        if q.id not in words_of:
            words_of[q.id] = _said(q)
        return words_of[q.id]

    def repeats(text: str) -> bool:
        """The same words, words inside a chosen quote, or mostly the same words (Jaccard ≥ 0.7)."""
        mine = set(text.split())
        for other in said:
            if text in other or other in text:
                return True
            theirs = set(other.split())
            if mine and theirs and len(mine & theirs) / len(mine | theirs) >= 0.7:
                return True
        return False

    def fits(q: Quote) -> bool:
        if q.id in chosen_ids:
            return False
        new_voice = not unattributed_used if not q.participant_ids else not set(q.participant_ids) <= used
        return new_voice and not repeats(words(q))

    while len(chosen) < k:
        pick = next((q for q in ranked if fits(q)), None)
        if pick is None and (used or unattributed_used):  # everyone left has a quote: another round
            used, unattributed_used = set(), False
            continue
        if pick is None:  # nothing new left to say
            break
        chosen.append(pick)
        chosen_ids.add(pick.id)
        said.append(words(pick))
        used |= set(pick.participant_ids)
        unattributed_used = unattributed_used or not pick.participant_ids
    return tuple(chosen)


def _said(q: Quote) -> str:
    """The words, ignoring case, spacing and punctuation: the same sentence twice is shown once."""
    return " ".join("".join(ch for ch in q.text.casefold() if ch.isalnum() or ch.isspace()).split())


def representative(quotes: Sequence[Quote], k: int = 4,
                   scores: dict[int, float] | None = None) -> tuple[Quote, ...]:
    scores = centrality(quotes) if scores is None else scores
    return pick_diverse(quotes, scores, k)
