"""Publish clustering quality: NMI and ARI of each backend on Banking77, imported as a survey CSV.

    .venv/bin/python scripts/evaluate_clustering.py [CSV] [--backends default semantic] [--json]

The CSV (default: tests/data/public/clustering/banking77_train.csv, 10,003 customer queries labelled
with 77 intents, CC BY 4.0) goes through the real import path: `importers.load_with_report`,
`importing.import_transcripts`, candidate quotes cut by spaCy. Each candidate quote takes its respondent's
intent as its true group. For each backend it reports the run with k chosen from the data (what
`research-tui cluster` does) and the run given the true k; and, as the bar to beat, bare TF-IDF + LSA
(100 dims) + KMeans given the true k over the same quotes. Quotes a run leaves unclustered (they say
little, or their cluster does not hang together) count as one more group, so setting quotes aside is no way
to score higher; the run's coverage (quotes in a cluster) and its scores over those quotes alone are printed
too. Not a test: it takes minutes (the semantic
backend embeds every quote with a transformer on the CPU; its vectors are cached in the study).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from coding.codebook import new_study
from coding.importing import import_transcripts

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CSV = ROOT / "tests" / "data" / "public" / "clustering" / "banking77_train.csv"


def scores(truth, found) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {"nmi": round(normalized_mutual_info_score(truth, found), 3),
            "ari": round(adjusted_rand_score(truth, found), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--backends", nargs="+", default=["default", "semantic"])
    parser.add_argument("--attribute", default="category", help="the participant attribute holding the truth")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--study", type=Path, help="keep the imported study here (reused when it exists)")
    args = parser.parse_args()

    import importers
    from coding.nlp.backends import semantic_available
    from coding.nlp.cluster import cluster_quotes
    from coding.nlp.segments import candidates, segment_study
    from coding.study import Store

    results: dict = {"data": args.csv.name}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = args.study or Path(tmp) / "eval.rtui"
        if path.exists():
            store = Store.open(path)
        else:
            store = new_study(path, template="blank")
            import_transcripts(store, importers.load_with_report(args.csv).transcripts)
        segment_study(store)
        quotes = candidates(store)
        truth_of = {p.id: p.attributes.get(args.attribute) for p in store.participants()}
        true_k = len({truth_of[q.participant_id] for q in quotes})
        results.update(quotes=len(quotes), true_k=true_k, import_s=round(time.perf_counter() - t0, 1))
        print(f"{args.csv.name}: {len(quotes)} candidate quotes from {store.totals()['sources']} answers, "
              f"{true_k} true groups", file=sys.stderr)

        from sklearn.cluster import KMeans
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        texts = [q.text for q in quotes]
        truth = [truth_of[q.participant_id] for q in quotes]
        lsa = normalize(TruncatedSVD(100, random_state=0).fit_transform(
            TfidfVectorizer(sublinear_tf=True).fit_transform(texts)))
        base = KMeans(true_k, n_init=3, random_state=0).fit_predict(lsa)
        results["tfidf_lsa_kmeans_true_k"] = scores(truth, base)
        for backend in args.backends:
            if backend == "semantic" and not semantic_available():
                print("semantic backend not installed; skipped", file=sys.stderr)
                continue
            for k in (None, true_k):
                t0 = time.perf_counter()
                run = cluster_quotes(store, backend=backend, k=k)
                seconds = time.perf_counter() - t0
                found = {q.id: c.number for c in run.clusters for q in c.quotes}
                got = scores(truth, [found.get(q.id, 0) for q in quotes])  # 0: the unclustered remainder
                inside = [i for i, q in enumerate(quotes) if q.id in found]
                alone = scores([truth[i] for i in inside], [found[quotes[i].id] for i in inside])
                key = f"{backend}_{'chosen_k' if k is None else 'true_k'}"
                results[key] = {**got, "k": run.k, "seconds": round(seconds, 1), "model": run.model,
                                "clustered": len(inside), "unclustered": len(quotes) - len(inside),
                                "nmi_clustered": alone["nmi"], "ari_clustered": alone["ari"]}
                print(f"{key}: {results[key]}", file=sys.stderr)
        store.close()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print("| run | k | NMI | ARI | clustered | NMI, ARI of those |\n|---|---|---|---|---|---|")
        print(f"| bare TF-IDF + LSA + KMeans, true k | {true_k} | {results['tfidf_lsa_kmeans_true_k']['nmi']:.2f} | "
              f"{results['tfidf_lsa_kmeans_true_k']['ari']:.2f} | {len(quotes)} | |")
        for key, value in results.items():
            if isinstance(value, dict) and "model" in value:
                print(f"| {key.replace('_', ' ')} | {value['k']} | {value['nmi']:.2f} | {value['ari']:.2f} | "
                      f"{value['clustered']} | {value['nmi_clustered']:.2f}, {value['ari_clustered']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
