"""Codes suggested for uncoded candidate quotes, learned from the study's own coding.

    suggest(store, *, code=None, min_confidence=0.5, source_id=None) -> list[QuoteSuggestion]
    accept(store, picks) -> int        codings with origin "suggestion", coder = the researcher; one command
    reject(store, picks) -> int        remembered (table suggestion_rejections): never offered again

How. Every candidate quote (`segments.candidates`) is labelled with the codes that cover at least half
of it. A code with at least `MIN_CODINGS` codings gets its own logistic regression (scikit-learn) over
word and word-pair TF-IDF, the emotion model's probabilities and where in its source the quote sits
(interviews tend to follow the journey). Training rows are the candidates of sources that have any
coding: the quotes with the code are positive, the others negative (an uncoded sentence in a worked
transcript is a quiet "not this"). A candidate is suggested a code when it overlaps no coding at all,
the code's model gives it at least `min_confidence`, and the researcher has not rejected that code
on that span. Emotion codes the study has too few codings of are suggested from the emotion model
alone, through `emotion_map` (never a neutral one: most sentences are). Deterministic: same study, same suggestions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..actionlog import now
from ..models import StudyError
from .emotion import Prediction
from .emotion_map import emotion_codes, suggest_emotion
from .segments import Candidate, candidates

MIN_CODINGS = 5            # a code needs this many codings before its model suggests it
DEFAULT_MIN_CONFIDENCE = 0.5
COVER = 0.5                # a candidate "has" a code when codings of it cover this share of its characters
POSITION_BINS = 8
MAX_NEGATIVES = 6000       # per code: negatives beyond this are sampled (deterministically) to keep big studies fast


@dataclass(frozen=True)
class CodeSuggestion:
    code_id: int
    code: str
    kind: str
    confidence: float
    by: str = "learned"     # "learned" (from the study's codings) | "emotion model"


@dataclass(frozen=True)
class QuoteSuggestion:
    """One uncoded candidate quote with the model's emotion reading and the codes suggested for it."""

    candidate: Candidate
    prediction: Prediction
    emotion_code: str | None          # the study emotion code the emotion model points to, if any
    codes: tuple[CodeSuggestion, ...] = field(default=())


_FILLER = frozenset("""yeah yes yep yup no nope ok okay right exactly sure absolutely definitely totally true
indeed agree agreed mm mmm mhm hmm uh um er erm ah oh well so like know mean think guess really just course
thanks thank fine good great cool alright""".split())


def says_little(text: str) -> bool:
    """A back-channel or filler ("Yeah, that's exactly right.", "Mm-hmm, sure."): no word that is not a stop
    word or a filler. The emotion model reads tone into such words ("right" -> Confident); a researcher
    would not code them for a feeling, so the model alone never suggests an emotion for them."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = re.findall(r"[a-z]+", text.casefold())
    return not any(w not in ENGLISH_STOP_WORDS and w not in _FILLER and len(w) > 1 for w in words)


def coverage(cands: list[Candidate], codings) -> tuple[list[dict[int, float]], list[bool]]:
    """Per candidate: {code id: share of its characters covered}, and whether any coding touches it."""
    by_source: dict[int, list] = {}
    for c in codings:
        by_source.setdefault(c.source_id, []).append(c)
    shares, touched = [], []
    for cand in cands:
        length = cand.end - cand.start
        spans: dict[int, list[tuple[int, int]]] = {}
        hit = False
        for c in by_source.get(cand.source_id, ()):
            a, b = max(c.char_start, cand.start), min(c.char_end, cand.end)
            if a < b:
                hit = True
                spans.setdefault(c.code_id, []).append((a, b))
        shares.append({cid: _covered(s) / length for cid, s in spans.items()})
        touched.append(hit)
    return shares, touched


def _covered(spans: list[tuple[int, int]]) -> int:
    total, end = 0, -1
    for a, b in sorted(spans):
        a = max(a, end)
        if b > a:
            total += b - a
            end = b
    return total


def rejected_pairs(store) -> set[tuple[int, int, int, int]]:
    """(source id, start, end, code id) of every rejected suggestion."""
    rows = store.db.execute("SELECT source_id, char_start, char_end, code_id FROM suggestion_rejections")
    return {tuple(r) for r in rows.fetchall()}


class Suggester:
    """Per-code models trained on one study's codings; `suggest(cands)` scores candidates."""

    def __init__(self, store, *, cands: list[Candidate] | None = None, codings: list | None = None,
                 train_sources: set[int] | None = None):
        from . import emotion_cache

        self.store = store
        self.codes = {c.id: c for c in store.codes()}
        self.cands = cands if cands is not None else candidates(store)
        self.predictions = emotion_cache.predictions(store, self.cands)
        self.emotion_map = emotion_codes(self.codes.values())
        self.emotion_names = sorted(self.predictions[0].emotions) if self.predictions else []
        self.lengths = {s.id: len(store.source_text(s.id)) for s in store.sources()}
        codings = store.codings() if codings is None else codings
        self.shares, self.touched = coverage(self.cands, codings)
        worked = {c.source_id for c in codings} if train_sources is None else train_sources
        self.train_rows = [i for i, c in enumerate(self.cands) if c.source_id in worked]
        counts: dict[int, int] = {}
        for c in codings:
            counts[c.code_id] = counts.get(c.code_id, 0) + 1
        self.models: dict[int, object] = {}
        self._fit(counts)

    # -- features ----------------------------------------------------------------------------------
    def _dense(self, rows: Iterable[int]):
        import numpy as np

        out = []
        for i in rows:
            cand, pred = self.cands[i], self.predictions[i]
            where = cand.start / max(1, self.lengths.get(cand.source_id, 1))
            bins = [0.0] * POSITION_BINS
            bins[min(POSITION_BINS - 1, int(where * POSITION_BINS))] = 1.0
            out.append([pred.emotions.get(e, 0.0) for e in self.emotion_names] + [pred.valence / 2] + bins)
        return np.asarray(out, dtype=float).reshape(len(out), len(self.emotion_names) + 1 + POSITION_BINS)

    def _matrix(self, rows: list[int]):
        import scipy.sparse as sp

        words = self.vectorizer.transform([self.cands[i].text for i in rows])
        return sp.hstack([words, sp.csr_matrix(self._dense(rows))]).tocsr()

    def _fit(self, counts: dict[int, int]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        eligible = [cid for cid, n in sorted(counts.items()) if n >= MIN_CODINGS and cid in self.codes]
        if not eligible or not self.train_rows:
            return
        # a term in one quote only cannot link a coded quote to an uncoded one: min_df=2 loses nothing
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                                          min_df=2 if len(self.cands) >= 20 else 1,
                                          token_pattern=r"(?u)\b\w[\w']*\b")
        try:
            self.vectorizer.fit([c.text for c in self.cands])
        except ValueError:  # no word at all (numbers, punctuation): nothing to learn from
            return
        x_all = self._matrix(self.train_rows)
        for cid in eligible:
            pos = [k for k, i in enumerate(self.train_rows) if self.shares[i].get(cid, 0.0) >= COVER]
            if len(pos) < 2:
                continue
            neg = [k for k, i in enumerate(self.train_rows) if self.shares[i].get(cid, 0.0) == 0.0]
            if len(neg) > MAX_NEGATIVES:
                step = len(neg) / MAX_NEGATIVES
                neg = [neg[int(j * step)] for j in range(MAX_NEGATIVES)]
            if not neg:
                continue
            rows = sorted(pos + neg)
            positive = set(pos)
            y = [1 if k in positive else 0 for k in rows]
            model = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", max_iter=1000)
            model.fit(x_all[rows], y)
            self.models[cid] = model

    # -- suggesting --------------------------------------------------------------------------------
    def suggest(self, rows: list[int], *, code_ids: set[int] | None = None,
                min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                rejected: set[tuple[int, int, int, int]] = frozenset()) -> list[QuoteSuggestion]:
        """Suggestions for candidates `rows` (indices into `self.cands`)."""
        rows = [i for i in rows if not self.touched[i]]
        if not rows:
            return []
        learned: dict[int, list[float]] = {}
        if self.models:
            x = self._matrix(rows)
            for cid, model in self.models.items():
                if code_ids is None or cid in code_ids:
                    learned[cid] = model.predict_proba(x)[:, 1].tolist()
        out = []
        for k, i in enumerate(rows):
            cand, pred = self.cands[i], self.predictions[i]
            found = []
            for cid, probs in learned.items():
                if probs[k] >= min_confidence and (cand.source_id, cand.start, cand.end, cid) not in rejected:
                    code = self.codes[cid]
                    found.append(CodeSuggestion(cid, code.name, code.kind, round(probs[k], 3)))
            emo = suggest_emotion(pred, self.emotion_map)
            if emo is not None and not says_little(cand.text):
                ec, score = emo
                if (ec.code_id not in self.models and score >= min_confidence and "neutral" not in ec.emotions
                        and (code_ids is None or ec.code_id in code_ids)
                        and (cand.source_id, cand.start, cand.end, ec.code_id) not in rejected):
                    found.append(CodeSuggestion(ec.code_id, ec.name, "emotion", round(score, 3), "emotion model"))
            found.sort(key=lambda s: (-s.confidence, s.code))
            out.append(QuoteSuggestion(cand, pred, emo[0].name if emo else None, tuple(found)))
        return out


def suggest(store, *, code: str | int | None = None, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
            source_id: int | None = None, include_empty: bool = False) -> list[QuoteSuggestion]:
    """Suggestions for the study's uncoded candidate quotes (those with at least one code, unless
    `include_empty`), in reading order. `code` restricts to one code (name or id)."""
    if not 0.0 <= min_confidence <= 1.0:
        raise StudyError(f"the minimum confidence must be between 0 and 1, not {min_confidence}")
    code_ids = None
    if code is not None:
        code_ids = {code if isinstance(code, int) else store.find_code(code).id}
    suggester = Suggester(store)
    rows = [i for i, c in enumerate(suggester.cands) if source_id is None or c.source_id == source_id]
    found = suggester.suggest(rows, code_ids=code_ids, min_confidence=min_confidence,
                              rejected=rejected_pairs(store))
    return [q for q in found if q.codes or include_empty]


# -- deciding ----------------------------------------------------------------------------------------
def accept(store, picks: Iterable[tuple[Candidate, int]]) -> int:
    """Code each (candidate, code id) as one undoable command: origin "suggestion", the researcher as coder."""
    picks = list(picks)
    if not picks:
        return 0
    names = sorted({store.code(cid).name for _, cid in picks})
    what = names[0] if len(names) == 1 else f"{len(names)} codes"
    return store.add_codings([(c.source_id, c.start, c.end, cid) for c, cid in picks], origin="suggestion",
                             summary=f"accepted {len(picks)} suggestion{'s' if len(picks) != 1 else ''} ({what})")


def reject(store, picks: Iterable[tuple[Candidate, int]]) -> int:
    """Remember that the researcher rejected each (candidate, code id); one undoable command."""
    picks = list(picks)
    known = rejected_pairs(store)
    todo = []
    for cand, cid in picks:
        key = (cand.source_id, cand.start, cand.end, cid)
        if key not in known:
            known.add(key)
            todo.append(key)
    if not todo:
        return 0
    names = sorted({store.code(cid).name for *_, cid in todo})
    what = names[0] if len(names) == 1 else f"{len(names)} codes"
    stamp = now()
    with store.command("reject_suggestions",
                       f"rejected {len(todo)} suggestion{'s' if len(todo) != 1 else ''} ({what})") as rec:
        for source_id, start, end, cid in todo:
            rec.insert("suggestion_rejections", {"source_id": source_id, "char_start": start, "char_end": end,
                                                 "code_id": cid, "coder": store.coder, "rejected_at": stamp})
    return len(todo)
