"""Emotion and valence of a quote: a small linear model that ships with the package.

    predict(texts) -> list[Prediction]      Prediction(valence -2..+2, emotion, confidence)

The synthesis hook (`compute_journey(valence_of=...)`) is `experience.valence_of`: the valence of the
experience a text tells, built on these predictions, not of the talk.

The model (``models/emotion.npz`` + ``models/emotion.json``) is built by ``scripts/train_emotion.py``
from GoEmotions (Demszky et al. 2020, CC BY 4.0; see ``models/GOEMOTIONS.txt``). Two linear heads
share one feature vector (`features.Featurizer`: word and character n-grams, VADER with an
experience lexicon):
    sentiment  positive / negative / neutral, mixed (0.7 : 0.3) with the emotion head's mass per group
               ->  valence = 2 × (P(positive) − P(negative))
    emotion    GoEmotions' 27 emotions + neutral -> the most probable emotion whose polarity agrees
               with the sentiment head (an ambiguous one — confusion, curiosity, surprise,
               realization — agrees with any), and its probability as the confidence.
Only numpy is needed at run time, and only when a prediction is first asked for: importing this
module loads nothing heavy. The files are plain arrays and JSON (no pickle), so any numpy reads them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

POSITIVE = frozenset("admiration amusement approval caring desire excitement gratitude joy love optimism "
                     "pride relief".split())
NEGATIVE = frozenset("anger annoyance disappointment disapproval disgust embarrassment fear grief "
                     "nervousness remorse sadness".split())
AMBIGUOUS = frozenset("confusion curiosity realization surprise".split())
SENTIMENTS = ("negative", "neutral", "positive")
TOP_EMOTIONS = 8   # a Prediction keeps the probabilities of this many most likely emotions

_lock = threading.Lock()


@dataclass(frozen=True)
class Prediction:
    """The model's reading of one text."""

    valence: float                 # -2 (very negative) .. +2 (very positive)
    emotion: str                   # a GoEmotions label: "nervousness", "relief", ... or "neutral"
    confidence: float              # probability of `emotion`, 0..1
    sentiment: str = "neutral"     # "negative" | "neutral" | "positive"
    emotions: dict[str, float] = field(default_factory=dict, compare=False, repr=False)  # the top 8


class EmotionModel:
    """The two heads over one featurizer, loaded from the files beside this module."""

    def __init__(self, arrays, meta: dict):
        import numpy as np

        from .features import Featurizer

        self.np = np
        self.meta = meta
        vocab = bytes(arrays["vocab"]).decode("utf-8").split("\n")
        self.featurizer = Featurizer(vocab, arrays["idf"].astype(float).tolist(),
                                     lexicon_weight=float(meta["lexicon_weight"]))
        self.sentiment_w = arrays["sentiment_w"].astype(np.float32)
        self.sentiment_b = arrays["sentiment_b"].astype(np.float32)
        self.emotion_w = arrays["emotion_w"].astype(np.float32)
        self.emotion_b = arrays["emotion_b"].astype(np.float32)
        self.sentiments = list(meta["sentiment_classes"])
        self.emotions = list(meta["emotion_classes"])
        self.mix = float(meta.get("sentiment_mix", 0.0))
        group = {"negative": NEGATIVE, "neutral": {"neutral"}, "positive": POSITIVE}
        self._group_masks = np.array([[e in group[s] for e in self.emotions] for s in self.sentiments],
                                     dtype=np.float32)
        self._allowed = {
            s: np.array([_agrees(e, s) for e in self.emotions]) for s in self.sentiments
        }

    def _groups(self, pe):
        """The emotion head's probability mass per sentiment (ambiguous emotions left out), summing to 1."""
        g = self._group_masks @ pe
        return g / max(float(g.sum()), 1e-9)

    def _emotion_probs(self, z):
        if self.meta.get("emotion_head") == "one-vs-rest":  # scikit-learn's SGD: sigmoids, normalized
            p = 1.0 / (1.0 + self.np.exp(-z))
            return p / p.sum()
        return _softmax(z)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        np = self.np
        out = []
        for text in texts:
            idx, val = self.featurizer.vector(text)
            x = np.asarray(val, dtype=np.float32)
            pe = self._emotion_probs(x @ self.emotion_w[idx] + self.emotion_b)
            ps = (1 - self.mix) * _softmax(x @ self.sentiment_w[idx] + self.sentiment_b) + self.mix * self._groups(pe)
            p = dict(zip(self.sentiments, ps.tolist()))
            sentiment = self.sentiments[int(ps.argmax())]
            masked = np.where(self._allowed[sentiment], pe, -1.0)
            k = int(masked.argmax())
            valence = 2.0 * (p["positive"] - p["negative"])
            top = sorted(range(len(self.emotions)), key=lambda j: (-pe[j], j))[:TOP_EMOTIONS]
            out.append(Prediction(valence=round(max(-2.0, min(2.0, valence)), 3), emotion=self.emotions[k],
                                  confidence=round(float(pe[k]), 3), sentiment=sentiment,
                                  emotions={self.emotions[j]: round(float(pe[j]), 4) for j in top}))
        return out


def _agrees(emotion: str, sentiment: str) -> bool:
    if emotion in AMBIGUOUS:
        return True
    if sentiment == "positive":
        return emotion in POSITIVE
    if sentiment == "negative":
        return emotion in NEGATIVE
    return emotion == "neutral"


def _softmax(z):
    e = (z - z.max())
    import numpy as np

    e = np.exp(e)
    return e / e.sum()


def model_files():
    return resources.files("coding.nlp").joinpath("models")


@lru_cache(maxsize=1)
def load_model() -> EmotionModel:
    """The packaged model, read once (about a tenth of a second)."""
    import numpy as np

    folder = model_files()
    meta = json.loads(folder.joinpath("emotion.json").read_text("utf-8"))
    with folder.joinpath("emotion.npz").open("rb") as fh, np.load(fh, allow_pickle=False) as arrays:
        return EmotionModel({k: arrays[k] for k in arrays.files}, meta)


def model_info() -> dict:
    """What the model is and how it scored (from ``emotion.json``), without loading the weights."""
    return json.loads(model_files().joinpath("emotion.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def model_id() -> str:
    """Names the packaged model's version: cached readings of another version are recomputed."""
    info = model_info()
    return f"{info.get('name', 'emotion')} v{info.get('version', 0)} {info.get('trained_at', '')}".strip()


def predict(texts: Sequence[str]) -> list[Prediction]:
    """Valence, emotion and confidence of each text, in order. Deterministic."""
    if isinstance(texts, str):
        raise TypeError("predict() takes a list of texts, not one string")
    with _lock:  # the featurizer's VADER analyzer is shared; keep workers from interleaving
        model = load_model()
        return model.predict(list(texts))
