"""What suggestions learn: which code a passage carries, and how far to trust that.

    CodeModel.fit(passages, labels) -> CodeModel      P(code | passage), over the codes it was shown
    Calibrator.fit(scores, hits) -> Calibrator          a model score -> the chance the researcher agrees

A passage is read three ways, each a block of features: its words (TF-IDF of words and word pairs), its
meaning (the sentence embedding of `backends`: the shipped static one, or the semantic model when
installed) and the question it answers (the same two, weighted by `QUESTION_WEIGHT`: in a
semi-structured interview the guide's question says much about the theme of the answer). A code's name
and description are one more passage of that code (so a code's own words count, and a code nobody
has used often still has something to go on), and its parent theme's name ("consent" of "consent -
IRB", or the parent code) is part of what every passage of the code is said to be about.

Two multinomial logistic regressions (scikit-learn), one on words and one on meaning, are averaged:
the words find the exact terms ("IRB", "restricted access"), the meaning finds the same thing said
otherwise. Uncoded passages of coded sources are one more class, "nothing", so a passage like nothing
the researcher codes gets its probability there, not on a code.

Raw probabilities are not confidences: with 100 codes the best one of a passage may be 0.2 and right,
or 0.6 and wrong. `Calibrator` maps the raw probability (and how many codings the code has) to the
chance a researcher agrees, fitted on suggestions made for sources held out of training (see
`suggest.Suggester`), so "0.7" means right about 7 times in 10 on this study's own held-out sources.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

NOTHING = -1           # the class of uncoded passages
QUESTION_WEIGHT = 0.5
C_WORDS = 2.0
C_MEANING = 10.0
MAX_NOTHING = 3        # uncoded passages kept per coded one (deterministic sample)
POSITION_WEIGHT = 0.5  # where in the interview (8 bins): interviews follow a guide, journeys an order
POSITION_BINS = 8


@dataclass(frozen=True)
class Passage:
    text: str          # the words (a candidate's window, or a coded passage's candidates)
    question: str      # the question answered ("" when none)
    where: float | None = None  # how far into its source, 0..1 (None: nowhere, a code's own name)


def _single_thread():
    """Linear algebra on one thread: on a busy 2-core machine, several BLAS threads per fit made scikit-learn's
    solvers ten times slower (measured), and the studio runs this in a worker next to the UI."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


def parent_theme(name: str, parent: str | None = None) -> str:
    """The theme a code belongs to: its parent code's name, or the part before ' - ' / '::' / ':' of its
    own name ("consent - IRB" -> "consent"); "" when neither."""
    if parent:
        return parent
    for sep in (" - ", " – ", " — ", "::", ": "):
        if sep in name:
            return name.split(sep, 1)[0].strip()
    return ""


def sample_every(items: list, n: int, key=None) -> list:
    """At most `n` of `items`, the same ones every time: evenly spread, or, with `key` (item -> text), those
    whose text hashes lowest, so the choice does not depend on the order of the items (import order)."""
    if len(items) <= n:
        return items
    if key is not None:
        import hashlib

        def digest(item):
            return hashlib.blake2b(key(item).encode("utf-8"), digest_size=8).digest()

        chosen = sorted(sorted(range(len(items)), key=lambda k: digest(items[k]))[:n])
        return [items[k] for k in chosen]
    step = len(items) / n
    return [items[int(k * step)] for k in range(n)]


class CodeModel:
    """P(code | passage) over the codes it was trained on (and `NOTHING`)."""

    def __init__(self, embed):
        self.embed = embed          # list[str] -> unit vectors (numpy), e.g. a `backends.Backend`'s
        self.classes: list[int] = []

    # -- features ------------------------------------------------------------------------------------
    def _words(self, passages: Sequence[Passage]):
        import scipy.sparse as sp

        text = self.words.transform([p.text for p in passages])
        asked = self.asked.transform([p.question for p in passages])
        return sp.hstack([text, QUESTION_WEIGHT * asked]).tocsr()

    def _meaning(self, passages: Sequence[Passage]):
        import numpy as np

        text = self.embed([p.text for p in passages])
        asked = self.embed([p.question for p in passages])
        where = np.zeros((len(passages), POSITION_BINS), dtype=text.dtype)
        for k, p in enumerate(passages):
            if p.where is not None:
                where[k, min(POSITION_BINS - 1, int(p.where * POSITION_BINS))] = POSITION_WEIGHT
        return np.hstack([text, QUESTION_WEIGHT * asked, where])

    # -- learning ------------------------------------------------------------------------------------
    def fit(self, passages: Sequence[Passage], labels: Sequence[int]) -> CodeModel:
        """`labels[i]` is a code id or `NOTHING`. The words are those of the passages (a word no passage has
        would get no weight: leaving it out keeps the model small and the fit fast)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts = [p.text for p in passages]
        words = dict(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w[\w']*\b")
        with _single_thread():
            self.words = TfidfVectorizer(min_df=2 if len(texts) >= 20 else 1, **words)
            self.words.fit(texts)
            self.asked = TfidfVectorizer(min_df=1, **words)
            try:
                self.asked.fit([p.question for p in passages])
            except ValueError:  # no question anywhere (monologues, no interviewer)
                self.asked.fit(["-"])
            self.by_words = LogisticRegression(C=C_WORDS, max_iter=100, tol=1e-2).fit(self._words(passages), labels)
            self.by_meaning = LogisticRegression(C=C_MEANING, max_iter=300, tol=1e-3).fit(
                self._meaning(passages), labels)
        self.classes = [int(c) for c in self.by_words.classes_]
        return self

    def predict(self, passages: Sequence[Passage]):
        """A (passages x classes) array of probabilities; columns in `self.classes` order."""
        with _single_thread():
            return (self.by_words.predict_proba(self._words(passages))
                    + self.by_meaning.predict_proba(self._meaning(passages))) / 2


class Calibrator:
    """Raw probability of a code (and how many codings the code has) -> the chance it is right."""

    def __init__(self, model=None, fallback: float = 0.5):
        self.model = model
        self.fallback = fallback    # without enough held-out evidence: raw x fallback (never overconfident)

    @staticmethod
    def _x(raw: float, codings: int) -> list[float]:
        p = min(max(raw, 1e-4), 1 - 1e-4)
        return [math.log(p / (1 - p)), math.log1p(codings)]

    @classmethod
    def fit(cls, scores: Sequence[tuple[float, int]], hits: Sequence[bool]) -> Calibrator:
        """`scores[i]` = (raw probability, codings of the code), `hits[i]` = the researcher coded it so."""
        from sklearn.linear_model import LogisticRegression

        if sum(hits) < 3 or sum(not h for h in hits) < 3:
            return cls()
        with _single_thread():
            model = LogisticRegression(C=1.0).fit([cls._x(r, n) for r, n in scores], list(hits))
        return cls(model)

    def __call__(self, scores: Sequence[tuple[float, int]]) -> list[float]:
        if not scores:
            return []
        if self.model is None:
            return [raw * self.fallback for raw, _ in scores]
        with _single_thread():
            return self.model.predict_proba([self._x(r, n) for r, n in scores])[:, 1].tolist()
