"""Train the packaged emotion model on GoEmotions and score it on the dev split.

    python scripts/train_emotion.py [--data DIR] [--out coding/nlp/models] [--tune] [--readme]

DIR holds goemotions_train.tsv, goemotions_dev.tsv and goemotions_labels.txt (GoEmotions, Demszky et
al. 2020, CC BY 4.0; default: ../shared/data/emotions, or $RESEARCH_TUI_SHARED_DATA/emotions). The
model is fitted on the train split only; hyper-parameters were chosen on dev (`--tune` re-runs that
grid). It writes ``emotion.npz`` (vocabulary, idf and the weights of both heads as plain arrays) and
``emotion.json`` (classes, settings, the dev-set scores printed here). `--readme` prints the tables
for docs/nlp.md. Needs scikit-learn, numpy and scipy (all installed with research-tui); takes a few
minutes on two cores.

Score: macro-F1 over positive / negative / neutral with the GoEmotions paper's grouping; rows whose
labels mix groups, or carry an ambiguous label (confusion, curiosity, realization, surprise), are left
out. The baselines on the same rows: plain VADER (compound ±0.05) and a plain TF-IDF logistic
regression trained on the train split.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coding.nlp import emotion as E  # noqa: E402
from coding.nlp import features as F  # noqa: E402

SENTIMENT_C = 0.5      # chosen on dev among 0.15, 0.25, 0.5, 1, 2 (see --tune)
EMOTION_ALPHA = 2e-5   # the emotion head: one-vs-rest logistic loss by SGD (28 classes; lbfgs took too long)
SENTIMENT_MIX = 0.3    # sentiment = 0.7 × sentiment head + 0.3 × emotion head's mass per group (dev: 0.721 -> 0.725)
LEXICON_WEIGHT = 1.0   # scale of the four VADER features next to the L2-normalized n-gram blocks
MIN_DF_WORDS, MIN_DF_CHARS = 2, 3


def default_data() -> Path:
    shared = os.environ.get("RESEARCH_TUI_SHARED_DATA")
    return Path(shared) / "emotions" if shared else ROOT.parent / "shared" / "data" / "emotions"


def read_split(folder: Path, name: str, labels: list[str]) -> list[tuple[str, list[str]]]:
    rows = []
    with (folder / name).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                raise SystemExit(f"{folder / name}:{n}: expected text<TAB>label ids")
            rows.append((parts[0], [labels[int(x)] for x in parts[1].split(",")]))
    return rows


def group(emotions: list[str]) -> str | None:
    """The paper's sentiment grouping; None for mixed or ambiguous rows (left out of the score)."""
    s = set(emotions)
    if s <= E.POSITIVE:
        return "positive"
    if s <= E.NEGATIVE:
        return "negative"
    if s == {"neutral"}:
        return "neutral"
    return None


def matrix(featurizer: F.Featurizer, texts: list[str]):
    import scipy.sparse as sp

    indices, indptr, values = [], [0], []
    for text in texts:
        i, v = featurizer.vector(text)
        indices += i
        values += v
        indptr.append(len(indices))
    return sp.csr_matrix((values, indices, indptr), shape=(len(texts), featurizer.size))


def macro_f1(gold: list[str], pred: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, average="macro", labels=list(E.SENTIMENTS)))


def per_emotion_f1(rows: list[tuple[str, list[str]]], predicted: list[str]) -> dict[str, dict]:
    """F1 of each label when the model names one emotion per text (gold may hold several)."""
    out = {}
    names = sorted({lab for _, labels in rows for lab in labels})
    for name in names:
        tp = sum(1 for (_, gold), p in zip(rows, predicted) if p == name and name in gold)
        n_pred = sum(1 for p in predicted if p == name)
        n_gold = sum(1 for _, gold in rows if name in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[name] = {"f1": round(f1, 3), "precision": round(precision, 3), "recall": round(recall, 3),
                     "support": n_gold}
    return out


def baselines(train, dev_scored) -> dict[str, float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()

    def vader_label(text: str) -> str:
        c = vader.polarity_scores(text)["compound"]
        return "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral"

    gold = [g for _, g in dev_scored]
    train_scored = [(t, group(labels)) for t, labels in train if group(labels)]
    vec = TfidfVectorizer()
    lr = LogisticRegression(max_iter=2000).fit(vec.fit_transform([t for t, _ in train_scored]),
                                               [g for _, g in train_scored])
    return {
        "vader": round(macro_f1(gold, [vader_label(t) for t, _ in dev_scored]), 4),
        "tfidf_logreg": round(macro_f1(gold, list(lr.predict(vec.transform([t for t, _ in dev_scored])))), 4),
    }


def fit_heads(x_train, train, *, sentiment_c: float, emotion_alpha: float):
    from sklearn.linear_model import LogisticRegression, SGDClassifier

    scored = [i for i, (_, labels) in enumerate(train) if group(labels)]
    sentiment = LogisticRegression(C=sentiment_c, max_iter=3000, class_weight="balanced")
    sentiment.fit(x_train[scored], [group(train[i][1]) for i in scored])
    # multi-label rows: one training row per label, weighted so each text counts once
    rows, ys, weights = [], [], []
    for i, (_, labels) in enumerate(train):
        for label in labels:
            rows.append(i)
            ys.append(label)
            weights.append(1.0 / len(labels))
    emotion = SGDClassifier(loss="log_loss", alpha=emotion_alpha, max_iter=30, tol=1e-4, random_state=0)
    emotion.fit(x_train[rows], ys, sample_weight=weights)
    return sentiment, emotion


def save(out: Path, featurizer: F.Featurizer, sentiment, emotion, meta: dict) -> None:
    import numpy as np

    out.mkdir(parents=True, exist_ok=True)
    # class order is sklearn's (sorted); the run-time code reads it from the JSON
    np.savez_compressed(
        out / "emotion.npz",
        vocab=np.frombuffer("\n".join(featurizer.vocab).encode("utf-8"), dtype=np.uint8),
        idf=np.asarray(featurizer.idf, dtype=np.float32),
        sentiment_w=sentiment.coef_.T.astype(np.float16), sentiment_b=sentiment.intercept_.astype(np.float32),
        emotion_w=emotion.coef_.T.astype(np.float16), emotion_b=emotion.intercept_.astype(np.float32),
    )
    (out / "emotion.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def evaluate(model: E.EmotionModel, dev) -> dict:
    predictions = model.predict([t for t, _ in dev])
    scored = [(p, group(labels)) for p, (_, labels) in zip(predictions, dev) if group(labels)]
    return {
        "sentiment_macro_f1": round(macro_f1([g for _, g in scored], [p.sentiment for p, _ in scored]), 4),
        "rows_scored": len(scored),
        "per_emotion": per_emotion_f1(dev, [p.emotion for p in predictions]),
    }


def readme_tables(meta: dict) -> str:
    s = meta["scores"]
    lines = [f"| model (GoEmotions dev, {s['rows_scored']} texts scored) | macro-F1 positive/negative/neutral |",
             "|---|---|",
             f"| plain VADER (compound ±0.05) | {s['baseline_vader']:.3f} |",
             f"| plain TF-IDF + logistic regression | {s['baseline_tfidf_logreg']:.3f} |",
             f"| **research-tui emotion model** | **{s['sentiment_macro_f1']:.3f}** |", "",
             "| emotion | F1 | precision | recall | dev texts |", "|---|---|---|---|---|"]
    per = sorted(s["per_emotion"].items(), key=lambda kv: -kv[1]["f1"])
    lines += [f"| {k} | {v['f1']:.2f} | {v['precision']:.2f} | {v['recall']:.2f} | {v['support']} |" for k, v in per]
    macro = sum(v["f1"] for v in s["per_emotion"].values()) / len(s["per_emotion"])
    lines.append(f"| *macro average* | {macro:.2f} | | | |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=default_data())
    p.add_argument("--out", type=Path, default=ROOT / "coding" / "nlp" / "models")
    p.add_argument("--tune", action="store_true", help="re-run the dev-set grid for the two C values")
    p.add_argument("--readme", action="store_true", help="print the Markdown tables of docs/nlp.md")
    args = p.parse_args(argv)
    labels = (args.data / "goemotions_labels.txt").read_text("utf-8").split()
    train = read_split(args.data, "goemotions_train.tsv", labels)
    dev = read_split(args.data, "goemotions_dev.tsv", labels)
    t0 = time.time()
    vocab, idf = F.fit_vocabulary([t for t, _ in train], min_df_words=MIN_DF_WORDS, min_df_chars=MIN_DF_CHARS)
    featurizer = F.Featurizer(vocab, idf, lexicon_weight=LEXICON_WEIGHT)
    x_train = matrix(featurizer, [t for t, _ in train])
    print(f"features: {len(vocab)} terms + {len(F.LEXICON_FEATURES)} lexicon, {time.time() - t0:.0f} s", flush=True)
    grid = [(c, EMOTION_ALPHA) for c in (0.25, 0.5, 1.0, 2.0)] if args.tune else [(SENTIMENT_C, EMOTION_ALPHA)]
    best = None
    for sc, ec in grid:
        sentiment, emotion = fit_heads(x_train, train, sentiment_c=sc, emotion_alpha=ec)
        meta = {
            "name": "research-tui emotion model", "version": 1,
            "trained_on": "GoEmotions train split (43,410 Reddit comments), Demszky et al. 2020, CC BY 4.0",
            "licence_file": "GOEMOTIONS.txt",
            "sentiment_classes": [str(c) for c in sentiment.classes_],
            "emotion_classes": [str(c) for c in emotion.classes_],
            "lexicon_weight": LEXICON_WEIGHT, "sentiment_c": sc, "emotion_alpha": ec,
            "sentiment_head": "softmax", "sentiment_mix": SENTIMENT_MIX, "emotion_head": "one-vs-rest",
            "trained_at": time.strftime("%Y-%m-%d"),
            "min_df": [MIN_DF_WORDS, MIN_DF_CHARS], "char_ngrams": list(F.CHAR_NGRAMS),
        }
        save(args.out, featurizer, sentiment, emotion, meta)
        E.load_model.cache_clear()
        scores = evaluate(E.load_model(), dev)
        print(f"C sentiment {sc}, emotion alpha {ec}: dev macro-F1 {scores['sentiment_macro_f1']}", flush=True)
        if best is None or scores["sentiment_macro_f1"] > best[0]["sentiment_macro_f1"]:
            best = (scores, meta, sentiment, emotion)
    scores, meta, sentiment, emotion = best
    dev_scored = [(t, group(labels)) for t, labels in dev if group(labels)]
    base = baselines(train, dev_scored)
    meta["scores"] = {**scores, "split": "dev", "baseline_vader": base["vader"],
                      "baseline_tfidf_logreg": base["tfidf_logreg"]}
    save(args.out, featurizer, sentiment, emotion, meta)
    print(json.dumps({k: v for k, v in meta["scores"].items() if k != "per_emotion"}, indent=1))
    if args.readme:
        print(readme_tables(meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
