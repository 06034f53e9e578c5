"""Codes suggested for uncoded passages, learned from the study's own coding.

    suggest(store, *, code=None, min_confidence=0.3, source_id=None, top=None) -> list[QuoteSuggestion]

What the researcher decides about them (accept, reject) is `decisions`.

In the researcher's unit. Researchers code passages: a few sentences of one answer, read against the
question asked. A coded passage of a source with any coding teaches its code (its participant's words
and the question they answer, `passages.contexts`); the candidate quotes of those sources, up to the
source's last coding (what follows may not have been read yet), teach whether a passage is coded at all;
a code's name and description are one more passage of it (`learn.CodeModel`). A candidate quote is read
with its neighbours in the turn and alone, each with the question it answers, and rated for its likeliest
codes; adjacent quotes of one turn suggested for the same code with confidence (`MERGE_AT`), whose own
words say that code, are one passage, up to `MAX_PASSAGE` characters. A quote with too little content to
code (`has_substance`: rituals, backchannels, questions back, "A case study.", "Oh! Data quality.") is
never suggested.

Confidence is calibrated (`learn.Calibrator`, monotone: it never reorders): before suggesting, the
Suggester holds out each group of coded sources in turn, learns from the rest, suggests for the held-out
ones and fits how often such a suggestion was what the researcher coded; "0.7" is right about 7 times in
10 on this study's own held-out interviews (`scripts/eval_suggestions.py` measures it, and against a
plain baseline).

A code needs `MIN_CODINGS` codings before it is suggested. Emotion codes the study has too few codings
of are suggested from the emotion model alone (`emotion_map`), for a candidate that says something
and never for a neutral code. Deterministic: same study, same suggestions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..codebook import find_code, list_codes
from ..codings import list_codings
from ..models import StudyError
from . import content, learn
from .decisions import rejected_pairs
from .emotion import Prediction
from .emotion_map import emotion_codes, suggest_emotion
from .learn import NOTHING, Calibrator, CodeModel, Passage, parent_theme, sample_every
from .passages import contexts
from .segments import Candidate, candidates
from .spans import COVER, coverage

MIN_CODINGS = 2            # a code needs this many codings before it is suggested
DEFAULT_MIN_CONFIDENCE = 0.3   # calibrated: right about 3 times in 10 or better on held-out interviews
TOP_CODES = 3              # codes considered per candidate quote
MERGE_AT = DEFAULT_MIN_CONFIDENCE  # adjacent quotes suggested for one code at this confidence are one passage
SHOWN_AT_LEAST = 5         # the reader shows a source's best few even when none reaches the minimum
OWN_SHARE = 0.5            # a quote is rated on its window and on its own words (with its question), half each
MAX_PASSAGE = 900          # characters
MIN_CONTENT_WORDS = 3      # a passage needs this many content words (`content`) to be suggested,
SHORT_CONTENT_WORDS = 2    # or this many in a passage of at least `SHORT_WORDS` words
SHORT_WORDS = 6
CALIBRATION_FOLDS = 4
CALIBRATION_ROWS = 1500    # candidates scored per held-out fold when calibrating (evenly sampled)


@dataclass(frozen=True)
class CodeSuggestion:
    code_id: int
    code: str
    kind: str
    confidence: float
    by: str = "learned"     # "learned" (from the study's codings) | "emotion model"


@dataclass(frozen=True)
class QuoteSuggestion:
    """An uncoded passage (`candidate`: its span; one or more adjacent candidate quotes of one turn) with the
    emotion model's reading of it and the codes suggested for it."""

    candidate: Candidate
    prediction: Prediction
    emotion_code: str | None          # the study emotion code the emotion model points to, if any
    codes: tuple[CodeSuggestion, ...] = field(default=())
    quotes: tuple[int, ...] = ()      # ids of the candidate quotes it spans
    question: str = ""                # what the participant was answering


def says_little(text: str) -> bool:
    """A back-channel, filler or ritual ("Yeah, that's exactly right.", "Thank you."): no content word."""
    return content.says_little(text)


def has_substance(content_words: int, words: int) -> bool:
    """Enough to code: `MIN_CONTENT_WORDS` content words, or `SHORT_CONTENT_WORDS` in a sentence of
    `SHORT_WORDS` words or more ("The radiographer was so kind, she explained everything calmly." but not
    "A case study.", "Like, what is it?" or "Um, yeah, you know, the only other thing that I…")."""
    return content_words >= MIN_CONTENT_WORDS or (content_words >= SHORT_CONTENT_WORDS and words >= SHORT_WORDS)


@dataclass(frozen=True)
class Found:
    """One passage suggested for one code, before it is grouped with other codes of the same span."""

    code_id: int
    rows: tuple[int, ...]     # candidate indices, reading order
    raw: float                # the model's probability at the passage's best candidate
    alone: bool = True        # the quote's own words say this code most, and more than "nothing"


class Suggester:
    """A code model trained on one study's codings; `suggest(rows)` suggests passages among candidates `rows`."""

    def __init__(self, store, *, cands: list[Candidate] | None = None, codings: list | None = None,
                 train_sources: set[int] | None = None, calibrate: bool = True):
        from . import emotion_cache
        from .backends import resolve

        self.store = store
        self.codes = {c.id: c for c in list_codes(store)}
        self.cands = cands if cands is not None else candidates(store)
        self.ctx = contexts(store, self.cands)
        self.predictions = emotion_cache.predictions(store, self.cands)
        self.emotion_map = emotion_codes(self.codes.values())
        self.content_words = [len(content.content_words(c.text)) for c in self.cands]
        self.words = [len(c.text.split()) for c in self.cands]
        codings = list_codings(store) if codings is None else codings
        self.shares, self.touched = coverage(self.cands, codings)
        worked = {c.source_id for c in codings} if train_sources is None else set(train_sources)
        self.train_rows = [i for i, c in enumerate(self.cands) if c.source_id in worked]
        read_to: dict[int, int] = {}  # a source is read up to its last coding: what follows may not be yet
        for c in codings:
            read_to[c.source_id] = max(read_to.get(c.source_id, 0), c.char_end)
        self.read = [c.start < read_to.get(c.source_id, 0) for c in self.cands]
        self.counts = Counter(c.code_id for c in codings if c.code_id in self.codes)
        self.eligible = {cid for cid, n in self.counts.items() if n >= MIN_CODINGS}
        self._order = self._turn_order()
        self._backend = resolve("auto")
        self._vectors: dict = {}
        self._texts: dict[int, str] = {}
        self.model: CodeModel | None = None
        self.calibrator = Calibrator()
        if self.eligible and self.train_rows:
            self.model = self._fit(self.train_rows)
            if calibrate and self.model is not None:
                self.calibrator = self._calibrate()

    # -- learning ------------------------------------------------------------------------------------
    def _embed(self, texts: list[str]):
        """Sentence vectors, each text embedded once per Suggester (windows are read again by every fit)."""
        import numpy as np

        todo = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if todo:
            self._vectors.update(zip(todo, self._backend.embed(self.store, todo)))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def _turn_order(self) -> dict[int, tuple[list[int], int]]:
        """Candidate index -> (the candidates of its turn in reading order, its place among them)."""
        turns: dict[int, list[int]] = defaultdict(list)
        for i, ctx in enumerate(self.ctx):
            turns[ctx.turn].append(i)
        out = {}
        for members in turns.values():
            members.sort(key=lambda i: self.cands[i].start)
            out.update((i, (members, p)) for p, i in enumerate(members))
        return out

    def passage(self, i: int) -> Passage:
        """Candidate `i` as the model reads it: its window (its words with its neighbours' in the turn) and the
        question it answers."""
        return Passage(self.ctx[i].window, self.ctx[i].question)

    def _examples(self, rows: list[int]) -> tuple[list[Passage], list[int]]:
        """Coded passages of `rows`' sources (runs of candidates a code covers), a code's own name and
        description, and a sample of the uncoded candidates as `NOTHING`."""
        passages, labels = [], []
        for cid in sorted(self.eligible):
            runs: list[list[int]] = []
            for i in rows:
                if self.shares[i].get(cid, 0.0) >= COVER:
                    members, place = self._order[i]
                    if runs and runs[-1][-1] in members and self._order[runs[-1][-1]][1] == place - 1:
                        runs[-1].append(i)
                    else:
                        runs.append([i])
            for run in runs:
                text = " ".join(self.cands[i].text for i in run)
                passages.append(Passage(text, self.ctx[run[0]].question))
                labels.append(cid)
            code = self.codes[cid]
            parent = self.codes[code.parent_id].name if code.parent_id in self.codes else None
            theme = parent_theme(code.name, parent)
            name = f"{theme}: {code.name}" if theme and not code.name.startswith(theme) else code.name
            passages.append(Passage(" ".join(x for x in (name, code.description) if x), ""))
            labels.append(cid)
        coded = sum(1 for label in labels if label != NOTHING)
        quiet = sample_every([i for i in rows if not self.touched[i] and self.read[i]],
                             learn.MAX_NOTHING * max(7, coded), key=lambda i: self.ctx[i].window)
        passages += [self.passage(i) for i in quiet]
        labels += [NOTHING] * len(quiet)
        return passages, labels

    def _gate_examples(self, rows: list[int]) -> tuple[list[Passage], list[bool]]:
        """Candidates of `rows` the researcher has read, as they are scored (windows), and whether any coding
        touches them."""
        read = [i for i in rows if self.read[i]]
        said = sample_every([i for i in read if self.touched[i]], 3000, key=lambda i: self.ctx[i].window)
        quiet = sample_every([i for i in read if not self.touched[i]], 6000, key=lambda i: self.ctx[i].window)
        return [self.passage(i) for i in said + quiet], [True] * len(said) + [False] * len(quiet)

    def _fit(self, rows: list[int]) -> CodeModel | None:
        passages, labels = self._examples(rows)
        if len(set(labels)) < 2:
            return None
        return CodeModel(self._embed).fit(passages, labels, self._gate_examples(rows))

    def _groups(self) -> list[list[int]]:
        """Training rows in folds for calibration: by source when there are enough coded sources, else by
        contiguous blocks of each source."""
        digest = {s.id: s.content_hash for s in self.store.sources()}  # not import order: same folds for the same study
        sources = sorted({self.cands[i].source_id for i in self.train_rows}, key=lambda s: (digest.get(s, ""), s))
        if len(sources) >= 3:
            k = min(CALIBRATION_FOLDS, len(sources))
            fold_of = {s: n % k for n, s in enumerate(sources)}
            groups = [[i for i in self.train_rows if fold_of[self.cands[i].source_id] == f] for f in range(k)]
        else:
            k = 3
            groups = [[] for _ in range(k)]
            for s in sources:
                rows = [i for i in self.train_rows if self.cands[i].source_id == s]
                for n, i in enumerate(rows):
                    groups[n * k // len(rows)].append(i)
        return [g for g in groups if g]

    def _calibrate(self) -> Calibrator:
        scores, hits = [], []
        groups = self._groups()
        for held in groups:
            rest = [i for g in groups if g is not held for i in g]
            model = self._fit(rest)
            if model is None:
                continue
            rows = sample_every(held, CALIBRATION_ROWS, key=lambda i: self.ctx[i].window)
            for found in self._find(model, rows):
                hit = self._right(found)
                scores.append(found.raw)
                hits.append(hit)
        return Calibrator.fit(scores, hits)

    def _right(self, found: Found) -> bool:
        """The researcher's codings of the code cover at least `COVER` of the passage."""
        length = sum(self.cands[i].end - self.cands[i].start for i in found.rows)
        have = sum(self.shares[i].get(found.code_id, 0.0) * (self.cands[i].end - self.cands[i].start)
                   for i in found.rows)
        return have >= COVER * length

    # -- suggesting ----------------------------------------------------------------------------------
    def _find(self, model: CodeModel, rows: list[int], code_ids: set[int] | None = None) -> list[Found]:
        """Each candidate among `rows` rated on its window (which its neighbours in the turn share) and on its
        own words, `OWN_SHARE` each, for its `TOP_CODES` likeliest codes; one with too little to code is left out."""
        if not rows:
            return []
        probs = model.predict([self.passage(i) for i in rows])
        own = model.predict([Passage(self.cands[i].text, self.ctx[i].question) for i in rows])
        probs = (1 - OWN_SHARE) * probs + OWN_SHARE * own
        columns = [k for k, cid in enumerate(model.classes)
                   if cid != NOTHING and cid in self.eligible and (code_ids is None or cid in code_ids)]
        nothing = model.classes.index(NOTHING) if NOTHING in model.classes else None
        found = []
        for r, i in enumerate(rows):
            if not columns or not has_substance(self.content_words[i], self.words[i]):
                continue
            best = sorted(columns, key=lambda k: (-probs[r, k], k))[:TOP_CODES]
            says = max(columns, key=lambda k: (own[r, k], -k))  # what its own words say most
            found += [Found(model.classes[k], (i,), float(probs[r, k]),
                            k == says and own[r, k] >= own[r, nothing] if nothing is not None else k == says)
                      for k in best]
        return found

    def _merge(self, found: list[tuple[Found, float]], floor: float) -> list[tuple[tuple[int, ...], int, float]]:
        """(candidate rows, code id, confidence): adjacent candidates of one turn suggested for the same code at
        `floor` or more, each of whose own words say that code (`Found.alone`: not only its window, which
        its neighbours share), are one passage (up to `MAX_PASSAGE` characters), as sure as its surest part."""
        sure = [(f, conf) for f, conf in found if conf >= floor]
        out = [(f.rows, f.code_id, conf) for f, conf in found if conf < floor]
        by_code: dict[int, list[tuple[int, float]]] = defaultdict(list)
        alone = {(f.rows[0], f.code_id) for f, _ in sure if f.alone}
        for f, conf in sure:
            by_code[f.code_id].append((f.rows[0], conf))
        for cid, rated in by_code.items():
            rated.sort(key=lambda x: (self.cands[x[0]].source_id, self.cands[x[0]].start))
            run, best = [rated[0][0]], rated[0][1]
            for i, conf in rated[1:]:
                members, place = self._order[i]
                last = run[-1]
                if (last in members and self._order[last][1] == place - 1 and {(i, cid), (last, cid)} <= alone
                        and self.cands[i].end - self.cands[run[0]].start <= MAX_PASSAGE):
                    run.append(i)
                    best = max(best, conf)
                    continue
                out.append((tuple(run), cid, best))
                run, best = [i], conf
            out.append((tuple(run), cid, best))
        return out

    def suggest(self, rows: list[int], *, code_ids: set[int] | None = None,
                min_confidence: float = DEFAULT_MIN_CONFIDENCE, at_least: int = 0,
                rejected: set[tuple[int, int, int, int]] = frozenset()) -> list[QuoteSuggestion]:
        """Suggestions for the uncoded candidates among `rows` (indices into `self.cands`), in reading order;
        a candidate in no suggested passage comes alone, with no code. With `at_least`, when fewer learned
        suggestions reach `min_confidence`, the `at_least` most confident ones are kept whatever their
        confidence (the reader shows the confidence beside each)."""
        rows = [i for i in rows if not self.touched[i]]
        if not rows:
            return []
        spans: dict[tuple[int, ...], list[CodeSuggestion]] = defaultdict(list)
        if self.model is not None:
            found = self._find(self.model, rows, code_ids)
            rated = list(zip(found, self.calibrator([f.raw for f in found])))
            kept = [x for x in rated if x[1] >= min_confidence]
            if len(kept) < at_least:
                kept = sorted(rated, key=lambda x: -x[1])[:at_least]
            for run, cid, conf in self._merge(kept, max(min_confidence, MERGE_AT)):
                cand = self._span(run)
                if (cand.source_id, cand.start, cand.end, cid) not in rejected:
                    code = self.codes[cid]
                    spans[run].append(CodeSuggestion(cid, code.name, code.kind, round(conf, 3)))
        for i in rows:
            emo = suggest_emotion(self.predictions[i], self.emotion_map)
            if emo is None or self.content_words[i] == 0:
                continue
            ec, score = emo
            cand = self.cands[i]
            if (ec.code_id not in self.eligible and score >= min_confidence and "neutral" not in ec.emotions
                    and (code_ids is None or ec.code_id in code_ids)
                    and (cand.source_id, cand.start, cand.end, ec.code_id) not in rejected):
                spans[(i,)].append(CodeSuggestion(ec.code_id, ec.name, "emotion", round(score, 3), "emotion model"))
        inside = {i for run in spans for i in run}
        for i in rows:  # the rest, with the emotion model's reading and no code (the reader shows the feeling)
            if i not in inside:
                spans[(i,)] = []
        out = []
        for run, codes in spans.items():
            codes.sort(key=lambda s: (-s.confidence, s.code))
            out.append(self._suggestion(run, tuple(codes)))
        out.sort(key=lambda q: (q.candidate.source_id, q.candidate.start, q.candidate.end))
        return out

    def _span(self, run: tuple[int, ...]) -> Candidate:
        first, last = self.cands[run[0]], self.cands[run[-1]]
        if len(run) == 1:
            return first
        if first.source_id not in self._texts:
            self._texts[first.source_id] = self.store.source_text(first.source_id)
        text = self._texts[first.source_id][first.start:last.end]
        return Candidate(first.id, first.source_id, first.participant_id, first.start, last.end, text)

    def _suggestion(self, run: tuple[int, ...], codes: tuple[CodeSuggestion, ...]) -> QuoteSuggestion:
        strongest = max(run, key=lambda i: (abs(self.predictions[i].valence) if self.content_words[i] else 0, -i))
        emo = suggest_emotion(self.predictions[strongest], self.emotion_map)
        return QuoteSuggestion(self._span(run), self.predictions[strongest], emo[0].name if emo else None, codes,
                               tuple(self.cands[i].id for i in run), self.ctx[run[0]].question)


def suggest(store, *, code: str | int | None = None, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
            source_id: int | None = None, include_empty: bool = False, top: int | None = None,
            at_least: int = 0) -> list[QuoteSuggestion]:
    """Suggestions for the study's uncoded passages, in reading order (or, with `top`, the `top` most
    confident, most confident first). `code` restricts to one code (name or id), `source_id` to one source."""
    if not 0.0 <= min_confidence <= 1.0:
        raise StudyError(f"the minimum confidence must be between 0 and 1, not {min_confidence}")
    if top is not None and top < 1:
        raise StudyError(f"--top must be 1 or more, not {top}")
    code_ids = None
    if code is not None:
        code_ids = {code if isinstance(code, int) else find_code(store, code).id}
    suggester = Suggester(store)
    rows = [i for i, c in enumerate(suggester.cands) if source_id is None or c.source_id == source_id]
    found = [q for q in suggester.suggest(rows, code_ids=code_ids, min_confidence=min_confidence,
                                          at_least=at_least, rejected=rejected_pairs(store))
             if q.codes or include_empty]
    if top is not None:
        found = sorted(found, key=lambda q: (-max((s.confidence for s in q.codes), default=0.0),
                                             q.candidate.source_id, q.candidate.start))[:top]
    return found


def best_first(found: Iterable[QuoteSuggestion]) -> list[tuple[QuoteSuggestion, CodeSuggestion]]:
    """Every (passage, code) pair, most confident first."""
    pairs = [(q, s) for q in found for s in q.codes]
    return sorted(pairs, key=lambda x: (-x[1].confidence, x[0].candidate.source_id, x[0].candidate.start))


def without(q: QuoteSuggestion, code_id: int) -> QuoteSuggestion:
    return replace(q, codes=tuple(s for s in q.codes if s.code_id != code_id))
