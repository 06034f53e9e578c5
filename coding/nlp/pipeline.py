"""Which spaCy pipeline cuts turns into sentences, loaded once per process.

By default a blank English pipeline with the rule-based sentencizer and the lookup lemmatizer (tables
from `spacy-lookups-data`): nothing is downloaded. When a full English pipeline is already installed
(`en_core_web_sm`, `_md` or `_lg`) its statistical sentence recognizer is used instead, with only the
components sentences need (tok2vec + senter, about ten times faster than its parser), and `info` says
so. `RESEARCH_TUI_SPACY=blank` (or a model name) overrides the choice.

spaCy is imported inside these functions: importing this module costs nothing.
"""

from __future__ import annotations

import importlib.util
import os
import threading

FULL_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg")
BLANK = "blank English + sentencizer + lookup lemmatizer"

_lock = threading.RLock()
_cache: dict[str, object] = {}


def chosen_model() -> str | None:
    """The installed full English pipeline to use, or None for the blank one (spaCy is not imported)."""
    wanted = os.environ.get("RESEARCH_TUI_SPACY", "").strip()
    if wanted == "blank":
        return None
    names = (wanted,) if wanted else FULL_MODELS
    for name in names:
        try:
            if importlib.util.find_spec(name) is not None:
                return name
        except (ImportError, ValueError):
            continue
    return None


def describe() -> str:
    """One line for `info`: which pipeline segments quotes in this installation."""
    model = chosen_model()
    if model is None:
        return f"spaCy {BLANK} (no model installed)"
    return f"spaCy {model} (installed; its sentence recognizer)"


def load_pipeline():
    """The segmenting pipeline (cached). Thread-safe; the first call costs ~1 s (importing spaCy)."""
    model = chosen_model()
    key = model or "blank"
    with _lock:
        nlp = _cache.get(key)
        if nlp is None:
            nlp = _cache[key] = _full(model) if model else _blank()
        return nlp


def pipeline_lock() -> threading.RLock:
    """Held while a pipeline runs: spaCy pipelines are not meant to be shared between threads."""
    return _lock


def _blank():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def _full(name: str):
    import spacy

    nlp = spacy.load(name, exclude=["parser", "ner"])
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


def sentence_components(nlp) -> list[str]:
    """The components that decide sentence boundaries (the lemmatizer, tagger ... are not needed)."""
    keep = {"sentencizer", "senter", "tok2vec"}
    return [name for name in nlp.pipe_names if name in keep]


def punct_chars(nlp) -> frozenset[str] | None:
    """The sentencizer's punctuation when the rule-based sentencizer decides, else None."""
    if "sentencizer" not in nlp.pipe_names:
        return None
    return frozenset(nlp.get_pipe("sentencizer").punct_chars)
