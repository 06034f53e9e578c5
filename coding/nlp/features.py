"""Text features for the emotion model, in plain Python: the same code builds the training matrix
(`scripts/train_emotion.py`) and scores quotes at run time, so the two can never drift apart.

A text becomes three blocks of features:
    words   word unigrams and bigrams (``w:``, ``b:``), sublinear tf × idf, L2-normalized
    chars   character 2–5-grams inside word boundaries (``c:``), sublinear tf × idf, L2-normalized
    lexicon VADER's compound, positive, negative and neutral scores, with VADER's lexicon extended
            for experience language (``models/experience_lexicon.tsv``)
No scikit-learn or numpy here: the vocabulary and idf come from the model file.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from itertools import pairwise

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "\u00a0": " "})
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[!?]")
CHAR_NGRAMS = (2, 5)
LEXICON_FEATURES = ("vader_compound", "vader_pos", "vader_neg", "vader_neu")


def normalize(text: str) -> str:
    """Lower case, straight apostrophes and quotes, single spaces: what every feature reads."""
    return " ".join(text.translate(_APOSTROPHES).lower().split())


def words(norm: str) -> list[str]:
    return _TOKEN.findall(norm)


def word_terms(norm: str) -> list[str]:
    toks = words(norm)
    return [f"w:{t}" for t in toks] + [f"b:{a} {b}" for a, b in pairwise(toks)]


def char_terms(norm: str) -> list[str]:
    lo, hi = CHAR_NGRAMS
    out = []
    for tok in norm.split():
        padded = f" {tok} "
        for n in range(lo, hi + 1):
            out.extend(f"c:{padded[i:i + n]}" for i in range(len(padded) - n + 1))
    return out


def terms(text: str) -> tuple[list[str], list[str]]:
    norm = normalize(text)
    return word_terms(norm), char_terms(norm)


@lru_cache(maxsize=1)
def experience_lexicon() -> dict[str, float]:
    """Words added to (or re-scored in) VADER's lexicon for the language of experiences."""
    text = resources.files("coding.nlp").joinpath("models", "experience_lexicon.tsv").read_text("utf-8")
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, value, *_ = line.split("\t")
            out[word.strip()] = float(value)
    return out


@lru_cache(maxsize=1)
def analyzer():
    """VADER with the experience lexicon (imported on first use: it reads its lexicon files)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    for word, value in experience_lexicon().items():
        if value == 0.0:
            vader.lexicon.pop(word, None)
        else:
            vader.lexicon[word] = value
    return vader


def lexicon_scores(text: str) -> tuple[float, float, float, float]:
    s = analyzer().polarity_scores(text.translate(_APOSTROPHES))
    return s["compound"], s["pos"], s["neg"], s["neu"]


class Featurizer:
    """Maps a text to a sparse vector: (indices, values) over `vocab` plus the lexicon features.

    Layout: word terms, then character terms, then the lexicon features (scaled by `lexicon_weight`).
    """

    def __init__(self, vocab: list[str], idf: list[float], *, lexicon_weight: float = 1.0):
        self.vocab = vocab
        self.index = {term: i for i, term in enumerate(vocab)}
        self.idf = idf
        self.lexicon_weight = lexicon_weight
        self.size = len(vocab) + len(LEXICON_FEATURES)

    def _block(self, found: Iterable[str]) -> list[tuple[int, float]]:
        counts = Counter(i for i in (self.index.get(t) for t in found) if i is not None)
        pairs = [(i, (1.0 + math.log(n)) * self.idf[i]) for i, n in counts.items()]
        norm = math.sqrt(sum(v * v for _, v in pairs)) or 1.0
        return [(i, v / norm) for i, v in pairs]

    def vector(self, text: str) -> tuple[list[int], list[float]]:
        word, char = terms(text)
        pairs = self._block(word) + self._block(char)
        base = len(self.vocab)
        pairs += [(base + k, v * self.lexicon_weight) for k, v in enumerate(lexicon_scores(text))]
        pairs.sort()
        return [i for i, _ in pairs], [v for _, v in pairs]


def fit_vocabulary(texts: list[str], *, min_df_words: int = 2, min_df_chars: int = 3) -> tuple[list[str], list[float]]:
    """Terms seen in at least min_df texts (words and bigrams, then character n-grams), with smooth idf."""
    df_words: Counter[str] = Counter()
    df_chars: Counter[str] = Counter()
    for text in texts:
        w, c = terms(text)
        df_words.update(set(w))
        df_chars.update(set(c))
    vocab = sorted(t for t, n in df_words.items() if n >= min_df_words)
    vocab += sorted(t for t, n in df_chars.items() if n >= min_df_chars)
    n = len(texts)
    df = {**df_words, **df_chars}
    idf = [math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab]
    return vocab, idf
