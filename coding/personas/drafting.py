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

from collections import defaultdict
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
    base = _Base(study, people)
    matrix, blocks = features(study, people, base=base)
    labels_by_k, scores = _cluster(matrix, n, k)
    if k is None:
        k, reason = choose_k(labels_by_k, scores)
    else:
        reason = f"k = {k}, as asked" + (f" (silhouette {scores[k]:.3f})" if k in scores else "")
    if k in scores:
        reason += chance_note(study, people, k, scores[k], base=base)
    groups = _groups(people, labels_by_k[k])
    sketches = name_drafts([sketch(study, g) for g in groups])
    return Drafting(tuple(sketches), k, n, dict(sorted(scores.items())), reason, blocks)


def features(study: Study, people: Sequence[int], *, dealt: Sequence[int] | None = None, base: _Base | None = None):
    """The participants × features matrix and the names of its blocks. `dealt` deals the quotes out
    differently (the chance runs): the people's quotes, listed person after person, are taken in this order
    instead (a permutation of their positions), each person keeping their number of quotes. `base`: what
    the matrix is made of (`_Base`), read once for the chance runs that deal the same quotes again."""
    import numpy as np
    from scipy import sparse

    base = base or _Base(study, people)
    rows, cols = base.rows, (base.cols if dealt is None else base.cols[np.asarray(dealt, dtype=np.int64)])
    owner = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(people), len(base.index)))
    blocks, names = [], []
    for label, carries in base.incidences:
        m = np.asarray((owner @ carries).todense(), dtype=float)  # quotes of each participant with each code
        totals = m.sum(axis=1, keepdims=True)
        has = totals[:, 0] > 0
        m = np.divide(m, totals, out=np.zeros_like(m), where=totals > 0)
        blocks.append(_balance(m, has))
        names.append(label)
    if base.attributes is not None:
        blocks.append(base.attributes)
        names.append("attributes")
    return np.hstack(blocks), tuple(names)


class _Base:
    """What the features of these people are made of, whoever says which quote: built once per drafting (the
    chance runs deal the same quotes out three times more)."""

    def __init__(self, study: Study, people: Sequence[int]) -> None:
        import numpy as np

        self.index: dict[int, int] = {}  # quote id -> its row in the quote × code matrices (once each)
        quotes, rows, cols = [], [], []      # the quotes of those rows; (person, quote row) for every quote
        for r, pid in enumerate(people):
            for q in study.quotes_of[pid]:
                if q.id not in self.index:
                    self.index[q.id] = len(quotes)
                    quotes.append(q)
                rows.append(r)
                cols.append(self.index[q.id])
        self.rows, self.cols = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
        self.incidences = _incidences(study, quotes)
        columns = []
        for key in _attribute_keys(study, people):
            said = [_attr(study, pid, key) for pid in people]
            columns += [[1.0 if x == v else 0.0 for x in said] for v in sorted(set(said) - {""})]
        self.attributes = None
        if columns:
            m = np.array(columns, dtype=float).T
            self.attributes = _balance(m, m.sum(axis=1) > 0)


def _incidences(study: Study, quotes: Sequence) -> list[tuple[str, object]]:
    """(block name, the quotes × codes matrix of its kind: 1 where the quote carries the code), a row per quote
    in order, codes in id order; blocks without a code left out. A quote's "stage" is the stage it is a
    quote of."""
    import numpy as np
    from scipy import sparse

    rows: dict[str, list[int]] = defaultdict(list)
    codes: dict[str, list[int]] = defaultdict(list)
    for r, q in enumerate(quotes):
        if q.stage_id in study.codes:
            rows["stage"].append(r)
            codes["stage"].append(q.stage_id)
        for a in q.attached:
            if a.kind != "stage":
                rows[a.kind].append(r)
                codes[a.kind].append(a.code_id)
    out = []
    for label, kind in BLOCKS:
        if rows[kind]:
            columns, cols = np.unique(codes[kind], return_inverse=True)
            m = sparse.csr_matrix((np.ones(len(cols)), (rows[kind], cols)), shape=(len(quotes), len(columns)))
            m.data[:] = 1.0  # the same code twice on a quote (overlapping codings) carries it once
            out.append((label, m))
    return out


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


def chance_note(study: Study, people: Sequence[int], k: int, observed: float, runs: int = 3,
                base: _Base | None = None) -> str:
    """How the silhouette compares with the same study's quotes dealt out at random (see the docstring)."""
    import random
    from statistics import fmean, pstdev

    from sklearn.metrics import silhouette_score

    base = base or _Base(study, people)
    null = []
    for run in range(runs):
        dealt = list(range(len(base.cols)))  # the quotes' positions, person after person
        random.Random(run).shuffle(dealt)
        matrix, _ = features(study, people, dealt=dealt, base=base)
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
