"""Representative quotes: central to what a stage is about, and spread across participants.

Centrality of a quote = cosine similarity of its TF-IDF vector to the centroid of the stage's quotes
(scikit-learn, imported here, inside the function, so importing `coding` stays fast). Picking is
greedy over the ranking: at most one quote per participant until every participant has been used,
then a second round, up to k. Near-repeats (the same words, or mostly the same) are shown once.
Quotes with no participant (an interviewer's words) come last. Ties break on reading order, so the
result is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Quote


def centrality(quotes: Sequence[Quote]) -> dict[int, float]:
    """quote id -> cosine similarity (0..1) to the centroid of these quotes' TF-IDF vectors."""
    texts = [q.text for q in quotes]
    if len(quotes) < 2:
        return {q.id: 1.0 for q in quotes}
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = None
    for stop_words in ("english", None):
        try:
            matrix = TfidfVectorizer(stop_words=stop_words, sublinear_tf=True).fit_transform(texts)
            break
        except ValueError:  # empty vocabulary (only stop words, digits, punctuation)
            continue
    if matrix is None:
        return {q.id: 0.0 for q in quotes}
    import numpy as np

    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centroid))
    if norm == 0.0:
        return {q.id: 0.0 for q in quotes}
    sims = matrix @ (centroid / norm)  # rows are already L2-normalised
    return {q.id: round(float(s), 9) for q, s in zip(quotes, np.asarray(sims).ravel())}


def pick_diverse(quotes: Sequence[Quote], score: dict[int, float], k: int) -> tuple[Quote, ...]:
    """Best-first by score; a participant gets a second quote only when nobody left is new."""
    # quotes nobody in scope speaks (e.g. an interviewer's question) come last: they are not a voice
    ranked = sorted(quotes, key=lambda q: (not q.participant_ids, -score.get(q.id, 0.0), q.order))
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
