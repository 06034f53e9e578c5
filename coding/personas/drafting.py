"""Persona drafts: participants grouped by what they say (coded needs, pains, emotions, stages) and who they are.

Features, one block each: for needs, pain points, emotions and stages, the share of a participant's quotes
of that kind that carry each code (so a talkative participant weighs the same as a quiet one); for the
attributes, one column per attribute value. Each block's columns are centred and each participant's row
in a block scaled to length 1, so every block, and every participant, counts the same. Participants are
grouped with Ward's agglomerative clustering (scikit-learn; deterministic: same study, same drafts).

k. With `k` given it is used. Otherwise k runs over 2..6 (at most participants - 1) and each grouping is
scored by its silhouette; groupings that leave someone alone are set aside when others do not; k is the
fewest groups whose silhouette is within 0.01 of the best: at interview-study sizes smaller differences
are noise, and fewer personas are easier to use.

Chance. A silhouette means little on its own (a dozen people with a few quotes each give 0.3 by chance).
So the same k is also fitted to the study with its quotes dealt out at random between the participants
(each keeps their number of quotes and their attributes), three times: drafts whose silhouette is not
clearly above those (mean + 2 sd) are no clearer than chance, and the reason says so.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ..models import StudyError
from .model import Drafting, Sketch
from .profiles import Study, sketch

MIN_PARTICIPANTS = 6
K_RANGE = (2, 6)
MAX_K = 12
TOLERANCE = 0.01
WEAK = 0.1  # a best silhouette below this: the participants hardly fall into groups
BLOCKS = (("needs", "need"), ("pains", "pain_point"), ("emotions", "emotion"), ("stages", "stage"),
          ("themes", "theme"))
_WARD_LIMIT = 2000  # above this many participants, k-means (Ward is quadratic in memory)


def draft(study: Study, *, k: int | None = None) -> Drafting:
    """Group the study's speaking participants into persona drafts; no drafts (with the reason) when too few."""
    people = study.speaking
    n = len(people)
    if k is not None and not 2 <= k <= MAX_K:
        raise StudyError(f"--k must be from 2 to {MAX_K}, not {k}")
    if n < MIN_PARTICIPANTS:
        why = (f"no persona drafts: {n} participant{'' if n == 1 else 's'} with coded quotes; drafts need at "
               f"least {MIN_PARTICIPANTS}, or each group would be one or two people (code more interviews, "
               "or describe the people one by one with their profiles)")
        return Drafting((), None, n, reason=why)
    if k is not None and k >= n:
        raise StudyError(f"--k {k} needs more than {k} participants with coded quotes; this study has {n}")
    matrix, blocks = features(study, people)
    labels_by_k, scores = _cluster(matrix, n, k)
    if k is None:
        k, reason = choose_k(labels_by_k, scores)
    else:
        reason = f"k = {k}, as asked" + (f" (silhouette {scores[k]:.3f})" if k in scores else "")
    if k in scores:
        reason += chance_note(study, people, k, scores[k])
    groups = _groups(people, labels_by_k[k])
    sketches = name_drafts([sketch(study, g) for g in groups])
    return Drafting(tuple(sketches), k, n, dict(sorted(scores.items())), reason, blocks)


def features(study: Study, people: Sequence[int], quotes_of: dict[int, list] | None = None):
    """The participants × features matrix and the names of its blocks. `quotes_of` (participant -> quotes)
    deals the quotes out differently (the chance runs); by default each participant's own."""
    import numpy as np
    from scipy import sparse

    quotes_of = quotes_of if quotes_of is not None else study.quotes_of
    index, rows, cols = _quote_index(study, people), [], []
    for r, pid in enumerate(people):
        for q in quotes_of[pid]:
            rows.append(r)
            cols.append(index[q.id])
    owner = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(people), len(index)))
    blocks, names = [], []
    for label, kind in BLOCKS:
        carries = _incidence(study, index, kind)
        if carries.shape[1] == 0:
            continue
        m = np.asarray((owner @ carries).todense(), dtype=float)  # quotes of each participant with each code
        totals = m.sum(axis=1, keepdims=True)
        has = totals[:, 0] > 0
        m = np.divide(m, totals, out=np.zeros_like(m), where=totals > 0)
        blocks.append(_balance(m, has))
        names.append(label)
    columns = []
    for key in _attribute_keys(study, people):
        values = sorted({_attr(study, pid, key) for pid in people} - {""})
        columns += [[1.0 if _attr(study, pid, key) == v else 0.0 for pid in people] for v in values]
    if columns:
        m = np.array(columns, dtype=float).T
        blocks.append(_balance(m, m.sum(axis=1) > 0))
        names.append("attributes")
    return np.hstack(blocks), tuple(names)


def _quote_index(study: Study, people: Sequence[int]) -> dict[int, int]:
    """quote id -> column of the quote × code matrices (every quote of these people, once)."""
    index: dict[int, int] = {}
    for pid in people:
        for q in study.quotes_of[pid]:
            index.setdefault(q.id, len(index))
    return index


def _incidence(study: Study, index: dict[int, int], kind: str):
    """The quotes × codes matrix of one kind (1: the quote carries the code), built once per study."""
    from scipy import sparse

    cache = study.__dict__.setdefault("_incidence", {})
    key = (kind, tuple(index))  # the same quotes (the chance runs deal them out again): the same matrix
    if key not in cache:
        by_id = {q.id: q for qs in study.quotes_of.values() for q in qs}
        codes = sorted({c for qid in index for c in study.code_ids(by_id[qid], kind)})
        column = {c: i for i, c in enumerate(codes)}
        rows, cols = [], []
        for qid, row in index.items():
            for c in study.code_ids(by_id[qid], kind):
                rows.append(row)
                cols.append(column[c])
        cache[key] = sparse.csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(index), len(codes)))
    return cache[key]


def _balance(m, has):
    """Centre the columns over the rows that have data; scale each row to length 1 (rows without data: 0)."""
    import numpy as np

    if has.any():
        m = m - m[has].mean(axis=0)
    m[~has] = 0.0
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 1e-12)


def _attribute_keys(study: Study, people: Sequence[int]) -> list[str]:
    """Attributes that can group people: two values or more, and not a different value for nearly everyone."""
    keys: dict[str, None] = {}
    for pid in people:
        for key in study.people[pid].attributes:
            keys.setdefault(key, None)
    out = []
    for key in keys:
        values = [_attr(study, pid, key) for pid in people]
        distinct = {v for v in values if v}
        filled = sum(1 for v in values if v)
        if len(distinct) >= 2 and not (filled >= 5 and len(distinct) > 0.8 * filled):
            out.append(key)
    return out


def _attr(study: Study, pid: int, key: str) -> str:
    return str(study.people[pid].attributes.get(key, "")).strip().casefold()


def _cluster(matrix, n: int, k: int | None):
    from sklearn.metrics import silhouette_score

    ks = [k] if k is not None else list(range(K_RANGE[0], min(K_RANGE[1], n - 1) + 1))
    labels, scores = {}, {}
    for kk in ks:
        found = _fit(matrix, kk)
        labels[kk] = found
        if 1 < len(set(found)) < n:
            scores[kk] = round(float(silhouette_score(matrix, found)), 4)
    return labels, scores


def _fit(matrix, k: int):
    if len(matrix) > _WARD_LIMIT:
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(matrix).tolist()
    from sklearn.cluster import AgglomerativeClustering

    return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(matrix).tolist()


def choose_k(labels_by_k: dict[int, list[int]], scores: dict[int, float]) -> tuple[int, str]:
    no_singles = {k: s for k, s in scores.items() if min(_sizes(labels_by_k[k])) >= 2}
    pool = no_singles or scores
    if not pool:
        k = min(labels_by_k)
        return k, f"k = {k}: too few participants to compare groupings"
    best = max(pool.values())
    k = min(kk for kk, s in pool.items() if s >= best - TOLERANCE)
    listed = ", ".join(f"{kk}: {s:.3f}" for kk, s in sorted(scores.items()))
    return k, (f"k = {k}, the fewest groups whose silhouette is within {TOLERANCE} of the best "
               f"(silhouette by k: {listed})")


def chance_note(study: Study, people: Sequence[int], k: int, observed: float, runs: int = 3) -> str:
    """How the silhouette compares with the same study's quotes dealt out at random (see the docstring)."""
    import random
    from statistics import fmean, pstdev

    from sklearn.metrics import silhouette_score

    quotes = [q for pid in people for q in study.quotes_of[pid]]
    null = []
    for run in range(runs):
        dealt = quotes[:]
        random.Random(run).shuffle(dealt)
        quotes_of, at = {}, 0
        for pid in people:
            quotes_of[pid], at = dealt[at:at + len(study.quotes_of[pid])], at + len(study.quotes_of[pid])
        matrix, _ = features(study, people, quotes_of)
        labels = _fit(matrix, k)
        if 1 < len(set(labels)) < len(people):
            null.append(float(silhouette_score(matrix, labels)))
    if not null:
        return ""
    bar = fmean(null) + 2 * pstdev(null)
    note = f"; chance: {fmean(null):.3f} with the quotes dealt out at random"
    if observed <= bar:
        return note + (" — no clearer than chance: what they say does not set these groups apart (their "
                       "attributes may); read them as arbitrary cuts, code more, or describe people one by one")
    if observed < WEAK:
        return note + f" — above chance but weakly separated (< {WEAK}): read them as tendencies"
    return note


def _sizes(labels: list[int]) -> list[int]:
    return [labels.count(x) for x in set(labels)]


def _groups(people: Sequence[int], labels: list[int]) -> list[list[int]]:
    """Groups largest first, then by their first participant: the same study gives the same order."""
    groups: dict[int, list[int]] = {}
    for pid, label in zip(people, labels):
        groups.setdefault(label, []).append(pid)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def name_drafts(sketches: list[Sketch], reserved: Collection[str] = (),
                numbers: Sequence[int] | None = None) -> list[Sketch]:
    """Working names, each led by a different code that sets its group apart, then what its members share:
    "Accessible contact (55+, NHS)". Each group proposes what sets it apart, best first (`Sketch.needs`, then
    pains, then themes); a code two groups want goes to the one where its lift is higher, and the other takes
    its next. A group that nothing sets apart is "Persona N (…)": a code it merely shares with everyone would
    be a misleading name; N is its number in the list (`numbers`, default its place here). `reserved`: names
    already taken (kept personas when redrafting); no two names, and no two leading codes, are the same."""
    from dataclasses import replace

    wanted = sorted(((rank, -x.lift, i, x.code.name) for i, s in enumerate(sketches)
                     for rank, x in enumerate((*s.needs, *s.pains, *s.themes))), key=lambda t: t[:3])
    taken = {n.casefold() for n in reserved}
    leads = {_lead(n) for n in reserved}
    lead: dict[int, str] = {}
    for _rank, _lift, i, code in wanted:
        if i not in lead and code.casefold() not in leads:
            lead[i] = code
            leads.add(code.casefold())
    out = []
    for i, s in enumerate(sketches):
        traits = [v.removeprefix("mostly ") for v in s.attributes.values()][:2]
        suffix = f" ({', '.join(traits)})" if traits else ""
        name, n = None, numbers[i] if numbers is not None else i + 1
        while name is None or name.casefold() in taken:
            name = f"{lead[i]}{suffix}" if i in lead and name is None else f"Persona {n}{suffix}"
            n += 1
        taken.add(name.casefold())
        out.append(replace(s, name=name))
    return out


def _lead(name: str) -> str:
    """The part of a persona's name before its traits: "Accessible contact (55+, NHS)" -> "accessible contact"."""
    return name.split(" (", 1)[0].strip().casefold()
