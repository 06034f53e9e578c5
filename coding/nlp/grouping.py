"""Grouping sentence vectors: a Ward tree over a nearest-neighbour graph, cut where clusters are clearest.

`group(vectors, k=None)` returns one cluster number per vector. The vectors are centred and scaled to
unit length; a k-nearest-neighbour graph (15 neighbours) constrains Ward's agglomerative clustering, so
memory grows with n, not n² (50,000 quotes fit well under 2 GB). The tree is built once and cut at many
k: when k is not given it is the cut with the best silhouette (cosine, on a fixed sample of at most
2,000 quotes) among about 16 values between sqrt(n)/3 and 1.2·sqrt(n) (900 quotes: 10 to 36 clusters).
Where quotes form clear groups the silhouette peaks inside that range (Banking77's 10,000 queries: ~90
for 77 intents); where they do not, it keeps rising and the cap keeps clusters big enough to read.
Nothing here is random but the sample, which is seeded: the same vectors give the same clusters.

Labels (`label_terms`) are class-based TF-IDF over words and two-word phrases: terms that many quotes of
a cluster use and few quotes elsewhere, stop words and fillers left out, and words that could be said of
anything (the `LABEL_COMMON` most frequent English words: "way", "people", "thing", "lot", "let") never
alone: a two-word phrase keeps one ("customer support") only with a word that is not.

Cohesion (`cohesion`): per cluster, the mean over its members of a centroid silhouette,
(b − a) / max(a, b) with a = 1 − cosine to its own centroid and b = 1 − cosine to the nearest other
centroid: near 0 or below, members are as close to another cluster as to their own; with their mean
cosine to the centroid (tightness). A grab-bag is both: not apart (silhouette below `cluster.MIN_COHESION`)
and looser than the run's median cluster. Two halves of one real theme are not apart either, but tight.
"""

from __future__ import annotations

from collections.abc import Callable

NEIGHBOURS = 15
SAMPLE = 2000
GRID = 16


def k_range(n: int) -> tuple[int, int]:
    """The k searched when k is not given, for n quotes."""
    lo = max(2, int(n ** 0.5 / 3))
    hi = max(lo, min(n // 3, int(1.2 * n ** 0.5)))
    return lo, hi


def prepare(vectors):
    """Centred, unit-length float32 copies: cosine geometry, with what every quote shares taken out."""
    import numpy as np

    x = np.asarray(vectors, dtype=np.float32)
    x = x - x.mean(axis=0)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.divide(x, norms, out=x, where=norms > 0)
    return x


def ward_tree(x):
    """children (n-1, 2) of Ward's merges of the rows of x, constrained to a k-nearest-neighbour graph."""
    import warnings

    from sklearn.cluster import AgglomerativeClustering
    from sklearn.neighbors import kneighbors_graph

    graph = kneighbors_graph(x, min(NEIGHBOURS, len(x) - 1), include_self=False)
    with warnings.catch_warnings():  # "the number of connected components ... is > 1": sklearn joins them
        warnings.simplefilter("ignore")
        model = AgglomerativeClustering(n_clusters=None, distance_threshold=0, compute_full_tree=True,
                                        connectivity=graph, linkage="ward").fit(x)
    return model.children_


def cut(children, n: int, k: int):
    """Cluster numbers 0..k-1 (numbered by first member) after the first n-k merges of the tree."""
    import numpy as np

    k = max(1, min(k, n))
    parent = np.arange(2 * n - 1)
    for i in range(n - k):
        a, b = children[i]
        parent[a] = parent[b] = n + i
    # follow each leaf up to the last merge taken (parents point to larger ids: walk in reverse order)
    root = parent.copy()
    for node in range(n + (n - k) - 1, -1, -1):
        if root[node] != node:
            root[node] = root[root[node]]
    _, first, labels = np.unique(root[:n], return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))  # renumber clusters by their first member, for stable output
    return order[labels]


def choose_k(x, children, progress: Callable[[float], object] | None = None) -> int:
    import numpy as np
    from sklearn.metrics import silhouette_score

    n = len(x)
    lo, hi = k_range(n)
    if hi <= 2:
        return min(hi, n)
    grid = sorted({int(round(v)) for v in np.geomspace(lo, hi, GRID)})
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(n, SAMPLE, replace=False)) if n > SAMPLE else np.arange(n)
    best, best_k = -2.0, grid[0]
    for i, k in enumerate(grid):
        labels = cut(children, n, k)[sample]
        if len(set(labels.tolist())) > 1:
            score = silhouette_score(x[sample], labels, metric="cosine")
            if score > best + 1e-9:
                best, best_k = score, k
        if progress is not None:
            progress((i + 1) / len(grid))
    return best_k


def group(vectors, k: int | None = None, progress: Callable[[float], object] | None = None):
    """(cluster number per vector, k, whether k was chosen here) for unit or raw sentence vectors."""
    import numpy as np

    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=np.int64), 0, k is None
    if n < 3:
        k = min(k or 1, n)
        return np.arange(n) % k, k, False
    x = prepare(vectors)
    children = ward_tree(x)
    chosen = k is None
    if chosen:
        k = choose_k(x, children, progress)
    k = max(1, min(k, n))
    return cut(children, n, k), k, chosen


def centrality(vectors, labels):
    """Each vector's cosine similarity to its cluster's centroid (in the prepared geometry)."""
    import numpy as np

    x = prepare(vectors)
    k = int(labels.max()) + 1 if len(labels) else 0
    sums = np.zeros((k, x.shape[1]), dtype=np.float32)
    np.add.at(sums, labels, x)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    np.divide(sums, norms, out=sums, where=norms > 0)
    return np.einsum("ij,ij->i", x, sums[labels])


LABEL_COMMON = 300  # the most frequent English words never name a cluster alone


def cohesion(vectors, labels):
    """Per cluster (0..k-1): the mean centroid silhouette of its members (-1..1; see the module docstring),
    and their mean cosine to its centroid (how tight it is)."""
    import numpy as np

    x = prepare(vectors)
    k = int(labels.max()) + 1 if len(labels) else 0
    if k < 2:
        return np.ones(k, dtype=np.float32), np.ones(k, dtype=np.float32)
    cent = np.zeros((k, x.shape[1]), dtype=np.float32)
    np.add.at(cent, labels, x)
    norms = np.linalg.norm(cent, axis=1, keepdims=True)
    np.divide(cent, norms, out=cent, where=norms > 0)
    sims = x @ cent.T
    rows = np.arange(len(x))
    own = sims[rows, labels].copy()
    sims[rows, labels] = -np.inf
    a, b = 1.0 - own, 1.0 - sims.max(axis=1)
    s = (b - a) / np.maximum(np.maximum(a, b), 1e-9)
    sizes = np.maximum(np.bincount(labels, minlength=k), 1)
    return np.bincount(labels, weights=s, minlength=k) / sizes, np.bincount(labels, weights=own, minlength=k) / sizes


# words that say nothing about what a cluster is about: English stop words, contractions, speech fillers
FILLERS = frozenset("""
yeah yes yep no nope um uh erm er ah oh ok okay like just really know think mean sort kind got get gets
anybody somebody everybody nobody anyone someone
getting said say says saying went go goes going gonna come came thing things stuff actually basically
honestly right well mm hmm lot bit little maybe probably quite pretty sure mean want wanted did does
don didn doesn isn wasn aren weren won wouldn couldn shouldn ve ll re im ive id youre thats theres
""".split())


def _content_words(text: str) -> list[str | None]:
    """Lower-case words of three letters or more; None where a stop word or filler breaks a phrase."""
    import re

    from . import content

    stop, fillers = content.stop_words(), FILLERS | content.FILLERS | content.CONVERSATION
    out: list[str | None] = []
    for tok in re.findall(r"[^\W\d_][\w'’-]*", text.lower()):
        tok = tok.replace("’", "'")
        if tok.endswith("'s"):
            tok = tok[:-2]
        if "'" in tok or len(tok) < 3 or tok in stop or tok in fillers:
            out.append(None)
        else:
            out.append(tok.strip("-"))
    return out


def _terms(text: str) -> list[str]:
    """Content words and adjacent pairs of them ("waiting room"), once each; a word that could be said of
    anything ("way", "people") only inside a pair with one that could not."""
    from .content import common_words

    common = common_words(LABEL_COMMON)
    words = _content_words(text)
    terms = [w for w in words if w and w not in common]
    terms += [f"{a} {b}" for a, b in zip(words, words[1:]) if a and b and not (a in common and b in common)]
    return list(dict.fromkeys(terms))


def label_terms(texts: list[str], labels, k: int, top: int = 3) -> list[list[str]]:
    """Per cluster, up to `top` words or two-word phrases that set it apart (class-based TF-IDF)."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    try:
        counts = (vec := CountVectorizer(analyzer=_terms, binary=True, dtype=np.float32)).fit_transform(texts)
    except ValueError:  # nothing but stop words, digits, punctuation
        return [[] for _ in range(k)]
    terms = vec.get_feature_names_out()
    sizes = np.bincount(labels, minlength=k).astype(np.float32)
    from scipy.sparse import csr_matrix

    member = csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
                        shape=(k, len(labels)))
    per_cluster = (member @ counts).toarray()  # quotes of cluster c using term t
    overall = per_cluster.sum(axis=0)
    share = per_cluster / np.maximum(sizes[:, None], 1)
    raw = share * np.log1p(len(labels) / np.maximum(overall, 1) / max(k, 1))
    support = np.minimum(np.maximum(2, np.ceil(0.05 * sizes)), sizes)  # a term of one quote names nothing
    score = np.where(per_cluster < support[:, None], 0, raw)
    out = []
    for c in range(k):
        picked = _pick(score[c], terms, top)
        if not picked:  # a cluster of varied short answers (tool names): its terms shared by 2 or more
            picked = _pick(np.where(per_cluster[c] < 2, 0, raw[c]), terms, top)
        out.append(picked)
    return out


def _pick(row, terms, top: int) -> list[str]:
    import numpy as np

    picked: list[str] = []
    for t in np.argsort(-row, kind="stable")[: top * 6]:
        if row[t] <= 0:
            break
        term = str(terms[t])
        words = set(term.split())
        if any(words <= set(p.split()) or set(p.split()) <= words for p in picked):
            continue  # "card" after "card arrival", or the other way round
        picked.append(term)
        if len(picked) == top:
            break
    return picked
