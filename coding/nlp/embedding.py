"""A small static sentence embedding that ships with the package: numpy only, no torch, no network.

The vectors were distilled with `model2vec` from the sentence model all-MiniLM-L6-v2 (Apache-2.0) by
`scripts/build_embedding.py`: every token of the model's WordPiece vocabulary gets the vector the model
gives it, reduced by PCA and weighted by how rare the token is. A sentence's vector is the mean of its
tokens' vectors. The files live beside this module in `data/` (`minilm_static.npz` and its LICENSE).

The tokenizer is BERT's, written out here: clean and lower-case the text, strip accents, split on white
space and punctuation, then cut each word into the longest vocabulary pieces (`##` continues a word).
"""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_FILE = DATA / "minilm_static.npz"
MAX_WORD = 100  # characters: a longer "word" is unknown, as in BERT

_lock = threading.Lock()
_loaded: dict[Path, StaticEmbedding] = {}


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF
            or 0x2F800 <= cp <= 0x2FA1F)


def basic_words(text: str) -> list[str]:
    """BERT's basic tokenization (uncased): cleaned, lower-cased, accents stripped, punctuation split off."""
    out: list[str] = []
    for chunk in text.split():
        chars = []
        for ch in chunk:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
                continue
            chars.append(f" {ch} " if _is_cjk(cp) else ch)
        word = unicodedata.normalize("NFD", "".join(chars).lower())
        word = "".join(ch for ch in word if unicodedata.category(ch) != "Mn")
        piece = []
        for ch in word:
            if ch.isspace():
                if piece:
                    out.append("".join(piece))
                    piece = []
            elif _is_punct(ch):
                if piece:
                    out.append("".join(piece))
                    piece = []
                out.append(ch)
            else:
                piece.append(ch)
        if piece:
            out.append("".join(piece))
    return out


class StaticEmbedding:
    """Token vectors and their WordPiece vocabulary; `encode(texts)` gives unit-length sentence vectors."""

    def __init__(self, vectors, vocab: list[str], name: str = "static"):
        self.vectors = vectors
        self.vocab = {tok: i for i, tok in enumerate(vocab)}
        self.unk = self.vocab.get("[UNK]")
        self.name = name
        self._words: dict[str, list[int]] = {}  # a chunk of text between spaces -> its token ids

    @classmethod
    def load(cls, path: Path = DEFAULT_FILE) -> StaticEmbedding:
        """Load (once per process) an .npz holding `vectors` (tokens x dims) and `vocab` (one token a line)."""
        import numpy as np

        path = Path(path)
        with _lock:
            if path not in _loaded:
                with np.load(path, allow_pickle=False) as data:
                    vocab = str(data["vocab"]).split("\n")
                    name = str(data["name"]) if "name" in data else path.stem
                    _loaded[path] = cls(data["vectors"], vocab, name)
            return _loaded[path]

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def wordpiece(self, word: str) -> list[int]:
        if len(word) > MAX_WORD:
            return [self.unk] if self.unk is not None else []
        ids, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(sub)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk] if self.unk is not None else []
            ids.append(found)
            start = end
        return ids

    def token_ids(self, text: str) -> list[int]:
        ids: list[int] = []
        for chunk in text.split():
            cached = self._words.get(chunk)
            if cached is None:
                cached = [i for w in basic_words(chunk) for i in self.wordpiece(w)]
                if len(self._words) < 500_000:
                    self._words[chunk] = cached
            ids.extend(cached)
        return [i for i in ids if i != self.unk]

    def encode(self, texts: list[str], weights=None):
        """Unit-length float32 vectors, one per text: the mean of its tokens' vectors (zero when none).

        `weights`, optional, is a per-token weight array (vocabulary size) applied in the mean.
        """
        import numpy as np

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        batch = 4096
        for k in range(0, len(texts), batch):
            ids = [self.token_ids(t) for t in texts[k:k + batch]]
            lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
            flat = np.fromiter((i for x in ids for i in x), dtype=np.int64, count=int(lengths.sum()))
            if not len(flat):
                continue
            vecs = self.vectors[flat].astype(np.float32)
            if weights is not None:
                vecs *= weights[flat, None]
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            has = lengths > 0
            sums = np.add.reduceat(vecs, starts[has], axis=0)
            out[k:k + batch][has] = sums
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def ids_matrix(self, texts: list[str]):
        """A sparse texts x vocabulary count matrix (scipy CSR) of token ids, for corpus statistics."""
        import numpy as np
        from scipy.sparse import csr_matrix

        ids = [self.token_ids(t) for t in texts]
        indptr = np.concatenate(([0], np.cumsum([len(x) for x in ids])))
        flat = np.fromiter((i for x in ids for i in x), dtype=np.int64, count=int(indptr[-1]))
        data = np.ones(len(flat), dtype=np.float32)
        m = csr_matrix((data, flat, indptr), shape=(len(texts), len(self.vocab)))
        m.sum_duplicates()
        return m


def available(path: Path = DEFAULT_FILE) -> bool:
    return Path(path).exists()
