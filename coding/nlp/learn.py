"""What suggestions learn: which code a passage carries, and how far to trust that.

    CodeModel.fit(passages, labels, gate) -> CodeModel  P(code | passage), over the codes it was shown
    Calibrator.fit(scores, hits) -> Calibrator          a model score -> the chance the researcher agrees

A passage is read three ways, each a block of features: its words (TF-IDF of words and word pairs), its
meaning (the sentence embedding of `backends`: the shipped static one, or the semantic model when
installed) and the question it answers (the same two, weighted by `QUESTION_WEIGHT`: in a
semi-structured interview the guide's question says much about the theme of the answer). A code's name
and description are one more passage of that code (so a code's own words count, and a code nobody
has used often still has something to go on), and its parent theme's name ("consent" of "consent -
IRB", or the parent code) is part of what every passage of the code is said to be about.

Two multinomial logistic regressions (scikit-learn) over the codes, one on words and one on meaning, are
averaged: the words find the exact terms ("IRB", "restricted access"), the meaning finds the same thing
said otherwise. They say which code a passage carries *if* the researcher would code it; a third, binary
one on words (the "gate") says whether the researcher codes such a passage at all, learned from every
candidate quote of the coded sources. P(code) = P(code | coded) x P(coded) ** `GATE`: the square root
lets a clear theme in a passage the gate doubts still rank. (Measured on a real coded interview project,
leave one interview out: the gate and the question each add a third to the precision of the top
suggestions; where in the interview a passage sits, tried as a feature, took a third away: interviews
follow their guide loosely.) Without uncoded passages to learn the gate from, or with one code,
"nothing" is a class of the code model instead.

Raw probabilities are not confidences: with 100 codes the best one of a passage may be 0.2 and right,
or 0.6 and wrong. `Calibrator` maps the raw probability to the chance a researcher agrees (beta
calibration), fitted on suggestions made for sources held out of training (see `suggest.Suggester`),
so "0.7" means right about 7 times in 10 on this study's own held-out sources.
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
GATE = 0.5             # P(code) = P(code | coded) x P(coded) ** GATE (0: no gate, a "nothing" class instead)
MEANING_SHARE = 0.5    # the meaning model's share of the code probability (the words model has the rest)


@dataclass(frozen=True)
class Passage:
    text: str          # the words (a candidate's window, or a coded passage's candidates)
    question: str      # the question answered ("" when none)


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
        return np.hstack([text, QUESTION_WEIGHT * asked])

    # -- learning ------------------------------------------------------------------------------------
    def fit(self, passages: Sequence[Passage], labels: Sequence[int],
            gate: tuple[Sequence[Passage], Sequence[bool]] | None = None) -> CodeModel:
        """`labels[i]` is a code id or `NOTHING`. The words are those of the passages (a word no passage has
        would get no weight: leaving it out keeps the model small and the fit fast)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        words = dict(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w[\w']*\b")
        keep = [k for k, label in enumerate(labels) if label != NOTHING]
        self.gate = None
        if GATE and gate is not None and len(set(gate[1])) == 2 and len({labels[k] for k in keep}) >= 2:
            self.gate = self._fit_gate(gate, words)
        if self.gate is not None:
            passages, labels = [passages[k] for k in keep], [labels[k] for k in keep]
        # else one code, or nothing uncoded to learn "coded" from: "nothing" is a class of the code model
        texts = [p.text for p in passages]
        with _single_thread():
            self.words = TfidfVectorizer(min_df=2 if len(texts) >= 20 else 1, **words)
            self.words.fit(texts)
            self.asked = TfidfVectorizer(min_df=1, **words)
            try:
                self.asked.fit([p.question for p in passages])
            except ValueError:  # no question anywhere (monologues, no interviewer)
                self.asked.fit(["no question asked"])
            self.by_words = LogisticRegression(C=C_WORDS, max_iter=100, tol=1e-2).fit(self._words(passages), labels)
            self.by_meaning = LogisticRegression(C=C_MEANING, max_iter=300, tol=1e-3).fit(
                self._meaning(passages), labels)
        self.classes = [int(c) for c in self.by_words.classes_]
        if self.gate is not None:
            self.classes.append(NOTHING)
        return self

    def _fit_gate(self, gate: tuple[Sequence[Passage], Sequence[bool]], words: dict):
        """P(coded | words), or None when the words say nothing (too few, or only stop words)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts = [p.text for p in gate[0]]
        try:
            with _single_thread():
                self.gate_words = TfidfVectorizer(min_df=2 if len(texts) >= 20 else 1, **words).fit(texts)
                return LogisticRegression(C=1.0, solver="liblinear").fit(self.gate_words.transform(texts),
                                                                         list(gate[1]))
        except ValueError:  # an empty vocabulary
            return None

    def predict(self, passages: Sequence[Passage]):
        """A (passages x classes) array of probabilities; columns in `self.classes` order."""
        import numpy as np

        with _single_thread():
            probs = ((1 - MEANING_SHARE) * self.by_words.predict_proba(self._words(passages))
                     + MEANING_SHARE * self.by_meaning.predict_proba(self._meaning(passages)))
            if self.gate is None:
                return probs
            coded = self.gate.predict_proba(self.gate_words.transform([p.text for p in passages]))[:, 1]
            return np.hstack([probs * (coded ** GATE)[:, None], (1 - coded)[:, None]])


class Calibrator:
    """The model's probability of a code -> the chance the researcher agrees: beta calibration (Kull, Silva
    Filho and Flach, 2017), a logistic regression on log(p) and -log(1 - p), which can level off where the
    model's highest scores are no surer than its middling ones (Platt scaling on the logit cannot: it
    extrapolates the bulk of low scores upwards). Kept monotone, so calibrating never reorders suggestions:
    the order is the model's, the number says how far to trust it."""

    def __init__(self, model=None, fallback: float = 0.5):
        self.model = model
        self.fallback = fallback    # without enough held-out evidence: raw x fallback (never overconfident)

    @staticmethod
    def _x(raw: float) -> list[float]:
        p = min(max(raw, 1e-4), 1 - 1e-4)
        return [math.log(p), -math.log(1 - p)]

    @classmethod
    def fit(cls, scores: Sequence[float], hits: Sequence[bool]) -> Calibrator:
        """`scores[i]` = the model's probability, `hits[i]` = the researcher coded it so."""
        from sklearn.linear_model import LogisticRegression

        if sum(hits) < 3 or sum(not h for h in hits) < 3:
            return cls()
        with _single_thread():
            model = LogisticRegression(C=1.0).fit([cls._x(x) for x in scores], list(hits))
        a, b = model.coef_[0]
        if a < 0 or b < 0 or a + b <= 0:  # not monotone, or higher is not surer: do not pretend to know
            return cls()
        return cls(model)

    def __call__(self, scores: Sequence[float]) -> list[float]:
        if not scores:
            return []
        if self.model is None:
            return [x * self.fallback for x in scores]
        with _single_thread():
            return self.model.predict_proba([self._x(x) for x in scores])[:, 1].tolist()
