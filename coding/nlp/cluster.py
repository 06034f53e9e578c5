"""Clustering candidate quotes across every transcript: what recurs, named, with its best quotes first.

    run = cluster_quotes(store, scope="uncoded")        # k chosen from the data; backend "auto"
    code_cluster(store, run.clusters[0].quotes, "Booking by phone")   # one undoable command

A scope picks the quotes: `all`, `uncoded` (no coding overlaps them), `code:NAME` / `stage:NAME` (a
coding of that code overlaps them) or `attr:KEY=VALUE` (said by participants with that attribute).
Vectors come from a backend (`backends.py`), clusters from `grouping.group`, labels from the terms that
set a cluster apart. Clusters are numbered by size; within one, the most representative quotes (closest
to its centre, from different participants) come first, then the rest by closeness.

No grab-bags. Quotes that say nothing themselves (thanks, backchannels, yes/no answers: no content word,
`content.says_little`) are not clustered; a cluster whose members do not hang together (see
`grouping.cohesion`: not apart from its neighbours, and looser than most) is not shown as a theme.
Both go to the run's `unclustered` remainder, listed after the clusters.

The studio keeps the last run in the study (`save_run` / `load_run`; the remainder as cluster number 0) so a
renamed cluster stays named; `changes_since(store, run)` counts the changes to the coding made after it (the
screen then says the clusters are older than the coding). The CLI only prints. The same study gives the
same clusters, so `cluster --apply` can name one by number.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..codebook import default_colour, find_code, get_code
from ..codings import coding_values, is_duplicate
from ..models import CODE_KINDS, StudyError
from ..study.actionlog import now
from .segments import Candidate, candidate_turns, candidates

MIN_COHESION = 0.05   # a cluster whose members are barely closer to it than to the next one is no theme
UNCLUSTERED = "unclustered"
Progress = Callable[[str, float], object]  # (what is happening, fraction 0..1 of the whole run)


@dataclass
class Cluster:
    number: int                      # 1.. by size
    label: str                       # terms that set it apart ("card arrival · still waiting")
    quotes: list[Candidate]          # most representative first
    participant_ids: list[int]       # who says it, most quotes first
    id: int | None = None            # row id once stored
    terms: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.quotes)


@dataclass
class ClusterRun:
    scope: str
    backend: str
    model: str
    k: int
    k_chosen: bool                   # True: k was chosen from the data
    clusters: list[Cluster]
    id: int | None = None
    created_at: str = ""
    unclustered: list[Candidate] = field(default_factory=list)  # say little, or in no cluster that hangs together

    @property
    def quotes(self) -> int:
        return sum(c.size for c in self.clusters)


# -- which quotes ---------------------------------------------------------------------------------
def parse_scope(scope: str) -> tuple[str, str]:
    scope = (scope or "all").strip()
    kind, _, value = scope.partition(":")
    kind = kind.strip().lower()
    if kind in ("all", "uncoded") and not value:
        return kind, ""
    if kind in ("code", "stage") and value.strip():
        return kind, value.strip()
    if kind == "attr" and "=" in value and value.split("=", 1)[0].strip():
        return kind, value.strip()
    raise StudyError(f"unknown scope {scope!r}; use all, uncoded, code:NAME, stage:NAME or attr:KEY=VALUE")


def select(store, scope: str = "all") -> list[Candidate]:
    """The participants' candidate quotes in a scope, in reading order."""
    kind, value = parse_scope(scope)
    found = candidates(store)
    if kind == "all":
        return found
    if kind == "attr":
        key, want = (s.strip().casefold() for s in value.split("=", 1))
        people = {p.id for p in store.participants()
                  if any(k.casefold() == key and str(v).strip().casefold() == want for k, v in p.attributes.items())}
        return [c for c in found if c.participant_id in people]
    if kind == "uncoded":
        spans = store.db.execute("SELECT source_id, char_start, char_end FROM codings").fetchall()
        return [c for c in found if not _overlaps(_index(spans), c)]
    code = find_code(store, value, kind="stage" if kind == "stage" else None)
    spans = store.db.execute("SELECT source_id, char_start, char_end FROM codings WHERE code_id = ?",
                             [code.id]).fetchall()
    index = _index(spans)
    return [c for c in found if _overlaps(index, c)]


def _index(spans) -> dict[int, tuple[list[int], list[int]]]:
    """source -> merged, sorted (starts, ends) of the spans."""
    by_source: dict[int, list[tuple[int, int]]] = {}
    for sid, a, b in spans:
        by_source.setdefault(sid, []).append((a, b))
    index = {}
    for sid, items in by_source.items():
        starts, ends = [], []
        for a, b in sorted(items):
            if starts and a <= ends[-1]:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        index[sid] = (starts, ends)
    return index


def _overlaps(index, c: Candidate) -> bool:
    starts, ends = index.get(c.source_id, ((), ()))
    i = bisect_left(starts, c.end) - 1  # the last span starting before the quote ends
    return i >= 0 and ends[i] > c.start


# -- clustering -----------------------------------------------------------------------------------
def cluster_quotes(store, *, scope: str = "all", k: int | None = None, backend: str = "auto",
                   progress: Progress | None = None) -> ClusterRun:
    """Cluster the quotes of a scope. `k` None: chosen from the data. Deterministic for the same study."""
    import numpy as np

    from . import grouping
    from .backends import resolve

    chosen_backend = resolve(backend)
    if k is not None and k < 1:
        raise StudyError("--k must be at least 1")
    report = progress or (lambda what, fraction: None)
    report("cutting turns into quotes", 0.0)
    from .content import says_little

    selected = select(store, scope)
    quotes = [q for q in selected if not says_little(q.text)]
    remainder = [q for q in selected if says_little(q.text)]
    if not quotes:
        return ClusterRun(scope, chosen_backend.name, chosen_backend.model, 0, k is None, [], unclustered=remainder)
    texts = [q.text for q in quotes]
    windows = context_windows(store, quotes)
    vectors = chosen_backend.embed(store, texts, lambda f: report("embedding quotes", 0.05 + 0.25 * f))
    vectors = vectors + chosen_backend.embed(store, windows, lambda f: report("embedding quotes", 0.3 + 0.2 * f))
    report("grouping", 0.5)
    labels, k_used, chosen = grouping.group(vectors, k, lambda f: report("choosing the number of clusters",
                                                                         0.55 + 0.35 * f))
    report("naming clusters", 0.9)
    closeness = grouping.centrality(vectors, labels)
    apart, tight = grouping.cohesion(vectors, labels) if k_used > 1 else (None, None)
    loose = float(np.median(tight)) if tight is not None else 0.0
    terms = grouping.label_terms(texts, labels, k_used)
    clusters = []
    for c in range(k_used):
        members = [i for i in range(len(quotes)) if labels[i] == c]
        if not members:
            continue
        if apart is not None and float(apart[c]) < MIN_COHESION and float(tight[c]) < loose:
            remainder += [quotes[i] for i in members]  # a grab-bag: no theme
            continue
        ordered = _representatives_first(members, quotes, closeness, terms[c])
        who = Counter(quotes[i].participant_id for i in members)
        clusters.append(Cluster(0, " · ".join(terms[c]) or _fallback_label(quotes[ordered[0]].text),
                                [quotes[i] for i in ordered], [p for p, _n in who.most_common()], terms=terms[c]))
    clusters.sort(key=lambda cl: (-cl.size, min((q.source_id, q.start) for q in cl.quotes)))
    for n, cl in enumerate(clusters, 1):
        cl.number = n
    remainder.sort(key=lambda q: (q.source_id, q.start))
    report("done", 1.0)
    return ClusterRun(scope, chosen_backend.name, chosen_backend.model, len(clusters), chosen, clusters,
                      unclustered=remainder)


def context_windows(store, quotes: list[Candidate]) -> list[str]:
    """Each quote with the quotes before and after it in the same turn (source text, exact span).

    A quote is clustered by its own words plus this window: "Is the card still coming?" means more
    after "I have been waiting over a week." (Banking77, chosen k: NMI 0.56 alone, 0.65 with it)."""
    turns = candidate_turns(store)
    turn_of = {cid: uid for cid, (uid, _a, _b) in turns.items()}
    by_turn: dict[int, list[int]] = {}
    for cid, uid in turn_of.items():
        by_turn.setdefault(uid, []).append(cid)
    spans = {cid: (a, b) for cid, (_uid, a, b) in turns.items()}
    for ids in by_turn.values():
        ids.sort(key=lambda c: spans[c][0])
    out = []
    for q in quotes:
        ids = by_turn.get(turn_of.get(q.id), [q.id])
        i = ids.index(q.id) if q.id in ids else 0
        start = spans[ids[max(0, i - 1)]][0] if ids else q.start
        end = spans[ids[min(len(ids) - 1, i + 1)]][1] if ids else q.end
        out.append(store.source_text(q.source_id)[min(start, q.start):max(end, q.end)])
    return out


def _representatives_first(members: list[int], quotes: list[Candidate], closeness, terms: list[str],
                           n: int = 3) -> list[int]:
    """Closest to the centre, and using the cluster's terms, first; the first `n` from different
    participants when there are enough."""
    def score(i: int) -> float:
        text = quotes[i].text.lower()
        return float(closeness[i]) + 0.1 * sum(t in text for t in terms)

    ranked = sorted(members, key=lambda i: (-score(i), i))
    first, seen = [], set()
    for i in ranked:
        if quotes[i].participant_id not in seen:
            first.append(i)
            seen.add(quotes[i].participant_id)
            if len(first) == n:
                break
    return first + [i for i in ranked if i not in set(first)]


def _fallback_label(text: str, words: int = 6) -> str:
    cut = text.split()
    return " ".join(cut[:words]) + ("…" if len(cut) > words else "")


# -- the studio keeps its last run ----------------------------------------------------------------
def save_run(store, run: ClusterRun) -> ClusterRun:
    """Store a run as the study's current clustering (the previous one is replaced)."""
    with store.db.atomic():
        store.db.execute("DELETE FROM cluster_runs")
        run.created_at = now()
        run.id = store.db.execute(
            "INSERT INTO cluster_runs (created_at, scope, backend, model, k, k_chosen) VALUES (?, ?, ?, ?, ?, ?)",
            [run.created_at, run.scope, run.backend, run.model, run.k, int(run.k_chosen)]).lastrowid
        for cl in run.clusters:
            cl.id = store.db.execute(
                "INSERT INTO clusters (run_id, number, label, terms) VALUES (?, ?, ?, ?)",
                [run.id, cl.number, cl.label, json.dumps(cl.terms)]).lastrowid
            store.db.conn.executemany(
                "INSERT INTO cluster_quotes (cluster_id, candidate_id, rank) VALUES (?, ?, ?)",
                [(cl.id, q.id, r) for r, q in enumerate(cl.quotes)])
        if run.unclustered:  # the remainder is kept as cluster number 0
            rest = store.db.execute("INSERT INTO clusters (run_id, number, label, terms) VALUES (?, 0, ?, '[]')",
                                    [run.id, UNCLUSTERED]).lastrowid
            store.db.conn.executemany(
                "INSERT INTO cluster_quotes (cluster_id, candidate_id, rank) VALUES (?, ?, ?)",
                [(rest, q.id, r) for r, q in enumerate(run.unclustered)])
    return run


def changes_since(store, run: ClusterRun) -> int:
    """Changes to the study's coding (the action log) made after the run: the clusters are older than them."""
    if not run.created_at:
        return 0
    return store.db.execute("SELECT count(*) FROM actions WHERE at > ? AND state = 'done'",
                            [run.created_at]).fetchone()[0]


def load_run(store) -> ClusterRun | None:
    """The study's current clustering, or None. Quotes whose turn changed since have dropped out."""
    row = store.db.execute("SELECT id, created_at, scope, backend, model, k, k_chosen FROM cluster_runs "
                           "ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    by_id = {c.id: c for c in candidates(store, include_interviewers=True)}
    clusters, rest = [], []
    for cid, number, label, terms in store.db.execute(
            "SELECT id, number, label, terms FROM clusters WHERE run_id = ? ORDER BY number", [row[0]]).fetchall():
        ids = [r[0] for r in store.db.execute(
            "SELECT candidate_id FROM cluster_quotes WHERE cluster_id = ? ORDER BY rank", [cid])]
        quotes = [by_id[i] for i in ids if i in by_id]
        if number == 0:
            rest = quotes
            continue
        who = Counter(q.participant_id for q in quotes)
        clusters.append(Cluster(number, label, quotes, [p for p, _n in who.most_common()], cid, json.loads(terms)))
    return ClusterRun(row[2], row[3], row[4], row[5], bool(row[6]), clusters, row[0], row[1], rest)


def rename_cluster(store, cluster_id: int, label: str) -> None:
    label = " ".join(label.split())
    if not label:
        raise StudyError("a cluster needs a name")
    with store.db.atomic():
        if not store.db.execute("UPDATE clusters SET label = ? WHERE id = ?", [label, cluster_id]).rowcount:
            raise StudyError(f"no cluster with id {cluster_id}")


# -- from a cluster to codings --------------------------------------------------------------------
def code_cluster(store, quotes: list[Candidate], code: int | str, *, kind: str = "theme") -> tuple[int, int]:
    """Code every quote with `code` (a code id, an existing code's name, or `kind:name`; a name is created
    as `kind` when missing) as ONE undoable command, the new code included. Returns (code id, codings added)."""
    if not quotes:
        raise StudyError("no quotes to code")
    if kind not in CODE_KINDS:
        raise StudyError(f"unknown code kind {kind!r}; choose one of: {', '.join(CODE_KINDS)}")
    if isinstance(code, int):
        code = f"{get_code(store, code).kind}:{get_code(store, code).name}"
    name = " ".join(code.split())
    if ":" in name and name.split(":", 1)[0] in CODE_KINDS:
        kind, name = name.split(":", 1)
        name = name.strip()
    if not name:
        raise StudyError("a code needs a name")
    try:
        existing = find_code(store, name) if ":" not in code else find_code(store, name, kind=kind)
    except StudyError as exc:
        if "ambiguous" in str(exc):
            raise
        existing = None
    added = 0
    summary = f"coded {len(quotes)} clustered quotes as {name}"
    with store.command("code_cluster", summary) as rec:
        if existing is None:
            pos = store.db.execute("SELECT coalesce(max(position) + 1, 0) FROM codes WHERE kind = ?",
                                   [kind]).fetchone()[0]
            code_id = rec.insert("codes", {"name": name, "kind": kind, "parent_id": None,
                                           "colour": default_colour(kind, pos), "description": "",
                                           "position": pos, "valence": None, "attributes": "{}"})
            rec.summary = f"new {kind} code '{name}' on {len(quotes)} clustered quotes"
        else:
            code_id = existing.id
        for q in quotes:
            values = coding_values(store, q.source_id, q.start, q.end, code_id, "", "suggestion", None)
            if not is_duplicate(store, values):
                rec.insert("codings", values)
                added += 1
    return code_id, added
