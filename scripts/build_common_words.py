"""Build coding/nlp/data/common_words.txt: the most frequent English words, most frequent first.

`coding/nlp/content.py` reads it to tell words that could be said about anything ("way", "thing", "lot",
"people", "let") from words that say what a quote is about. The frequencies are spaCy's English lexeme
probabilities from `spacy-lookups-data` (MIT; already installed with the app): only lower-case alphabetic
words are kept, the first 500.

    .venv/bin/python scripts/build_common_words.py
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "coding" / "nlp" / "data" / "common_words.txt"
TOP = 500


def main() -> int:
    path = resources.files("spacy_lookups_data").joinpath("data", "en_lexeme_prob.json.gz")
    with path.open("rb") as fh:
        probs = json.load(gzip.open(fh))
    words = [w for w, _ in sorted(probs.items(), key=lambda kv: (-kv[1], kv[0])) if w.isalpha() and w.islower()]
    header = ("# The 500 most frequent lower-case English words, most frequent first: spaCy's English lexeme\n"
              "# probabilities (spacy-lookups-data, MIT). Built by scripts/build_common_words.py.\n")
    OUT.write_text(header + "\n".join(words[:TOP]) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({TOP} words)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
