"""NLP at scale: cutting turns into candidate quotes at import, and clustering quotes.

- spacy: `importing.import_transcripts` + `segments.segment_study` over ~1M words, against bare `nlp.pipe`
  of the default pipeline (blank English + sentencizer + lookup lemmatizer) over the same turns, and,
  for the record, against `nlp.pipe` with the sentencizer alone (what sentences strictly need).
- cluster: `cluster_quotes` on 20,000 quotes read from a study, against the same steps done bare with
  the texts in memory (the same numpy embedding, then scikit-learn's kNN graph, Ward, silhouettes,
  CountVectorizer). 50,000 quotes run in a child process to read its peak memory.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

from coding.codebook import new_study
from coding.importing import import_transcripts
from coding.models import Transcript, Utterance
from coding.study import Store

from .corpus import sentence, transcripts
from .harness import best_of, per_s, row


# -- spaCy: import + segmentation ------------------------------------------------------------------
def bench_spacy(n_words: int = 1_000_000) -> dict:
    from coding.nlp.pipeline import load_pipeline
    from coding.nlp.segments import segment_study

    n_utterances = max(40, round(n_words / 35))  # the generated turns average ~35 words
    ts = transcripts(n_utterances)
    texts = [t.text[u.start:u.end] for t in ts for u in t.utterances]
    words = sum(len(x.split()) for x in texts)
    nlp = load_pipeline()  # loading spaCy is not what is measured, on either side

    def bare() -> int:
        return sum(1 for doc in nlp.pipe(texts, batch_size=256) for _ in doc.sents)

    def bare_sentencizer() -> int:
        with nlp.select_pipes(enable=["sentencizer"]):
            return sum(1 for doc in nlp.pipe(texts, batch_size=256) for _ in doc.sents)

    with tempfile.TemporaryDirectory() as tmp:
        paths = iter(Path(tmp) / f"run{i}.rtui" for i in range(10))

        def ours() -> int:
            store = new_study(next(paths), coder="bench")
            import_transcripts(store, ts)
            segment_study(store)
            n = store.db.execute("SELECT count(*) FROM candidates").fetchone()[0]
            store.close()
            return n

        # each side three times, taking turns, the best of each: a run takes seconds, and on a shared machine a
        # burst of other work during one run (once each, as before; or twice) moved the ratio from 1.1 to 1.7
        t_ours = t_bare = t_sent = float("inf")
        for _ in range(3):
            t, sentences = best_of(bare, repeat=1)
            t_bare = min(t_bare, t)
            t, candidates = best_of(ours, repeat=1)
            t_ours = min(t_ours, t)
            t_sent = min(t_sent, best_of(bare_sentencizer, repeat=1)[0])
    note = (f"{per_s(words, t_ours)} words/s; {candidates:,} candidates from {sentences:,} sentences "
            f"(short ones merged)")
    return {"rows": [
        row(f"import + spacy segmentation, {words / 1e6:.2f}M words", t_ours, baseline=t_bare, max_ratio=1.3,
            note=note + "; vs bare nlp.pipe, default pipeline"),
        row("  same, vs nlp.pipe with the sentencizer alone", t_ours, baseline=t_sent,
            note="the lemmatizer is not run to cut sentences"),
    ], "info": {"words": words, "turns": len(texts), "candidates": candidates, "sentences": sentences,
                "ours_s": round(t_ours, 3), "bare_default_s": round(t_bare, 3),
                "bare_sentencizer_s": round(t_sent, 3)}}


# -- clustering ------------------------------------------------------------------------------------
def quote_study(path: Path, n_quotes: int, seed: int = 7) -> Store:
    """A study whose participants say `n_quotes` one-sentence turns (interviewers ask in between)."""
    rng = random.Random(seed)
    store = new_study(path, coder="bench", template="blank")
    per_source = 1000
    out = []
    for k in range(0, n_quotes, per_source):
        lines, utts, pos = [], [], 0
        for _i in range(min(per_source, n_quotes - k)):
            for who in ("Interviewer", f"Person {k // per_source + 1}"):
                words = sentence(rng)
                line = f"{who}: {words}"
                utts.append(Utterance(who, pos + len(who) + 2, pos + len(line)))
                lines.append(line)
                pos += len(line) + 1
        out.append(Transcript(f"q{k // per_source:03d}", f"q{k // per_source:03d}.txt", "text",
                              "\n".join(lines) + "\n", utts, roles={"Interviewer": "interviewer"}))
    import_transcripts(store, out)
    return store


def bare_cluster(texts: list[str]):
    """The same steps with the texts in memory: embedding, then scikit-learn, no study, no objects."""
    from coding.nlp import grouping
    from coding.nlp.embedding import StaticEmbedding

    vectors = StaticEmbedding.load().encode(texts)
    labels, k, _ = grouping.group(vectors)
    grouping.centrality(vectors, labels)
    grouping.label_terms(texts, labels, k)
    return k


def bench_cluster(n_quotes: int = 20_000, n_memory: int = 50_000) -> dict:
    from coding.nlp.cluster import cluster_quotes
    from coding.nlp.segments import candidates

    with tempfile.TemporaryDirectory() as tmp:
        store = quote_study(Path(tmp) / "quotes.rtui", n_quotes)
        texts = [c.text for c in candidates(store)]  # cut once, untimed: clustering is what is measured
        t_ours, run = best_of(lambda: cluster_quotes(store, backend="default"), repeat=2)
        t_bare, k = best_of(lambda: bare_cluster(texts), repeat=2)
        store.close()
        rows = [row(f"cluster {len(texts):,} quotes (default backend)", t_ours, baseline=t_bare, max_ratio=1.5,
                    note=f"k={run.k} chosen; vs the same steps bare (numpy embedding + scikit-learn)")]
        info = {"quotes": len(texts), "k": run.k, "bare_k": k, "ours_s": round(t_ours, 3),
                "bare_s": round(t_bare, 3)}
        if n_memory:
            peak = _peak_mb_of_child(Path(tmp) / "big.rtui", n_memory)
            verdict = "within" if peak <= 2048 else "OVER"
            rows.append(row(f"cluster {n_memory:,} quotes: peak memory", None,
                            note=f"{peak:,.0f} MB resident (child process, study built in it too), "
                                 f"{verdict} the 2,048 MB target"))
            info["peak_mb_50k"] = peak
    return {"rows": rows, "info": info}


_CHILD = """
import resource, sys
sys.path.insert(0, {root!r})
from benchmarks.nlp_bench import quote_study
from coding.nlp.cluster import cluster_quotes
from coding.nlp.segments import candidates
store = quote_study(__import__('pathlib').Path({path!r}), {n})
candidates(store)
cluster_quotes(store, backend="default")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _peak_mb_of_child(path: Path, n: int) -> float:
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", _CHILD.format(root=root, path=str(path), n=n)],
                         capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 1)

