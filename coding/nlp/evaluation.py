"""How good are learned suggestions on a study a researcher has coded? k folds by interview, the tool and a
plain baseline on the same folds.

    evaluate(store, *, folds=None, top=10, thresholds=(0.5, 0.7), coder=None, progress=None) -> dict

For each fold, the coded sources in it are treated as not coded yet: the tool (`suggest.Suggester`) learns
from the codings of every other source and suggests passages for the fold's sources; the baseline learns
from the same codings and scores the same candidate quotes. A suggestion (a span and a code) is right
when the researcher's codings of that code in the held-out source cover at least half of the span
(`spans.COVER`, the rule the tool learns by), for the tool's passages and the baseline's sentences alike.

Per held-out source: the precision of the `top` most confident suggestions (a source with fewer
suggestions counts the missing ones as wrong), and at each threshold the precision and the recall (the
share of the researcher's codings of that source that a right suggestion overlaps). Calibration: the
tool's suggestions in bins of confidence and how often each bin was right.

The baseline is the plain method the tool must beat: TF-IDF over words and word pairs, one logistic
regression per code (scikit-learn, balanced classes), trained on the coded passages of the other
sources as positives and their uncoded candidate quotes as negatives; it scores each candidate quote
alone. Codes need `suggest.MIN_CODINGS` codings in training for either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from ..codings import list_codings
from .learn import sample_every
from .segments import Candidate, candidates
from .spans import COVER, coverage, covered
from .suggest import MIN_CODINGS, Suggester

BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def make_folds(sources: Sequence[int], k: int | None) -> list[list[int]]:
    """Sources in `k` folds, round robin in import order (k = None or >= len: one source a fold)."""
    if k is None or k >= len(sources):
        return [[s] for s in sources]
    if k < 2:
        raise ValueError("at least 2 folds")
    return [[s for n, s in enumerate(sources) if n % k == f] for f in range(k)]


def is_right(source_id: int, start: int, end: int, code_id: int, gold: dict) -> bool:
    spans = [(max(a, start), min(b, end)) for a, b in gold.get((source_id, code_id), ())]
    return covered([(a, b) for a, b in spans if a < b]) >= COVER * (end - start)


class Baseline:
    """TF-IDF (words + word pairs) logistic regression per code, trained on coded passages."""

    def __init__(self, texts: list[str], labels: list[set[int]], negatives: list[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        from .learn import _single_thread

        counts: dict[int, int] = defaultdict(int)
        for ls in labels:
            for cid in ls:
                counts[cid] += 1
        self.codes = sorted(cid for cid, n in counts.items() if n >= MIN_CODINGS)
        self.models = {}
        if not self.codes:
            return
        docs = texts + negatives
        with _single_thread():
            self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
            x = self.vectorizer.fit_transform(docs)
            for cid in self.codes:
                y = [cid in ls for ls in labels] + [False] * len(negatives)
                self.models[cid] = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear").fit(x, y)

    def scores(self, texts: list[str]) -> dict[int, list[float]]:
        if not self.models:
            return {}
        from .learn import _single_thread

        with _single_thread():
            x = self.vectorizer.transform(texts)
            return {cid: m.predict_proba(x)[:, 1].tolist() for cid, m in self.models.items()}


def _baseline_suggestions(cands: list[Candidate], train: list, train_sources: set[int], rows: list[int],
                          store) -> list[tuple[float, int, int, int, int]]:
    """(confidence, source, start, end, code) for every candidate in `rows` and code the baseline knows."""
    _, touched = coverage(cands, train)
    texts, labels = [], []
    for c in train:
        texts.append(store.source_text(c.source_id)[c.char_start:c.char_end])
        labels.append({c.code_id})
    negatives = sample_every([cands[i].text for i, c in enumerate(cands)
                              if c.source_id in train_sources and not touched[i]], 6000)
    model = Baseline(texts, labels, negatives)
    found = []
    for cid, probs in model.scores([cands[i].text for i in rows]).items():
        found += [(p, cands[i].source_id, cands[i].start, cands[i].end, cid) for i, p in zip(rows, probs)]
    return found


def _score(found: list[tuple[float, int, int, int, int]], gold: dict, gold_codings: list, top: int,
           thresholds: Sequence[float]) -> dict:
    ranked = sorted(found, key=lambda f: (-f[0], f[1], f[2], f[4]))
    right = [is_right(s, a, b, cid, gold) for _, s, a, b, cid in ranked]
    out = {"top": sum(right[:top]) / top, "suggested": len(ranked)}
    for t in thresholds:
        chosen = [(f, r) for f, r in zip(ranked, right) if f[0] >= t]
        hits = sum(r for _, r in chosen)
        recovered = sum(1 for g in gold_codings if any(
            r and f[4] == g.code_id and f[1] == g.source_id and f[2] < g.char_end and g.char_start < f[3]
            for f, r in chosen))
        out[str(t)] = {"suggested": len(chosen), "right": hits, "coded": len(gold_codings), "recovered": recovered}
    out["pairs"] = [(f[0], r) for f, r in zip(ranked, right)]
    return out


def evaluate(store, *, folds: int | None = None, top: int = 10, thresholds: Sequence[float] = (0.3, 0.5, 0.7),
             coder: str | None = None, progress: Callable[[str], object] | None = None) -> dict:
    cands = candidates(store)
    codings = [c for c in list_codings(store) if coder is None or c.coder == coder]
    titles = {s.id: s.title for s in store.sources()}
    coded_sources = [s.id for s in store.sources() if any(c.source_id == s.id for c in codings)]
    if len(coded_sources) < 2:
        raise ValueError("the study needs at least two coded sources to hold one out")
    per_source, calibration = [], {"tool": [], "baseline": []}
    for fold in make_folds(coded_sources, folds):
        held = set(fold)
        train = [c for c in codings if c.source_id not in held]
        train_sources = {c.source_id for c in train}
        rows = [i for i, c in enumerate(cands) if c.source_id in held]
        suggester = Suggester(store, cands=cands, codings=train, train_sources=train_sources)
        tool = [(s.confidence, q.candidate.source_id, q.candidate.start, q.candidate.end, s.code_id)
                for q in suggester.suggest(rows, min_confidence=0.0) for s in q.codes if s.by == "learned"]
        base = _baseline_suggestions(cands, train, train_sources, rows, store)
        for sid in fold:
            gold_codings = [c for c in codings if c.source_id == sid]
            gold: dict = defaultdict(list)
            for c in gold_codings:
                gold[(c.source_id, c.code_id)].append((c.char_start, c.char_end))
            t = _score([f for f in tool if f[1] == sid], gold, gold_codings, top, thresholds)
            b = _score([f for f in base if f[1] == sid], gold, gold_codings, top, thresholds)
            calibration["tool"] += t.pop("pairs")
            calibration["baseline"] += b.pop("pairs")
            per_source.append({"source": titles[sid], "codings": len(gold_codings), "tool": t, "baseline": b})
            if progress is not None:
                progress(f"{titles[sid]}: top {top} {t['top']:.2f} (baseline {b['top']:.2f})")
    return summarize(store.name, per_source, calibration, top, thresholds)


def summarize(name: str, per_source: list[dict], calibration: dict, top: int, thresholds: Sequence[float]) -> dict:
    def mean(xs):
        return sum(xs) / len(xs) if xs else 0.0

    out = {"study": name, "sources": len(per_source), "top": top, "per_source": per_source}
    for who in ("tool", "baseline"):
        out[who] = {"top_precision": round(mean([p[who]["top"] for p in per_source]), 3)}
        for t in thresholds:
            cells = [p[who][str(t)] for p in per_source]
            suggested, right = sum(c["suggested"] for c in cells), sum(c["right"] for c in cells)
            coded, recovered = sum(c["coded"] for c in cells), sum(c["recovered"] for c in cells)
            out[who][str(t)] = {"precision": round(right / suggested, 3) if suggested else None,
                                "recall": round(recovered / coded, 3) if coded else None,
                                "suggested": suggested, "right": right}
        bins = []
        for lo, hi in zip(BINS, BINS[1:]):
            inside = [r for c, r in calibration[who] if lo <= c < hi]
            if inside:
                bins.append({"from": lo, "to": min(hi, 1.0), "suggestions": len(inside),
                             "right": round(sum(inside) / len(inside), 3)})
        out[who]["calibration"] = bins
    base = out["baseline"]["top_precision"]
    out["ratio"] = round(out["tool"]["top_precision"] / base, 2) if base else None
    return out
