"""Participant profiles, and the description of a group of participants (a persona draft or a stored persona).

A participant's quotes are the stage codings they speak in (`coding.synthesis.quotes`), so every number
here traces back to coded quotes. A quote counts once per code, whoever else speaks in it. Codings that
overlap no stage coding (a study coded with needs, pains or themes but no stages) are not lost: each coded
span becomes a quote without a stage (`stage_id == NO_STAGE`), which counts for the codes it carries.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from statistics import fmean

from ..codebook import list_stages
from ..models import Code, Participant
from ..people import is_person
from ..synthesis import quotes as quoting
from ..synthesis.journey import stage_valence
from ..synthesis.model import Attached, Quote
from ..synthesis.moments import participant_valences
from ..synthesis.represent import centrality, pick_diverse
from .attributes import shared_attributes
from .model import CodeCount, CurvePoint, Lift, Profile, Sketch

PARTICIPANT = "participant"
NO_STAGE = 0  # the stage id of a coded span that overlaps no stage coding
KINDS = {"needs": "need", "pains": "pain_point", "emotions": "emotion", "opportunities": "opportunity"}
SMOOTH = 0.01  # 1% of a participant's quotes: keeps the lift of a code nobody else mentions finite
APART = 1.2    # a code sets a group apart above this lift ...
MIN_SAYING = 2  # ... said by at least this many of its members


class Study:
    """What profiles and sketches read, loaded once: quotes, codes, people, stages in journey order."""

    def __init__(self, store, valence_of=None):
        self.data = quoting.load(store, valence_of)
        self.stages: list[Code] = sorted(list_stages(store), key=lambda s: (s.position, s.name.casefold(), s.id))
        self.people: dict[int, Participant] = self.data.people
        self.codes: dict[int, Code] = self.data.codes
        self.unstaged = _unstaged_quotes(store, self.data, valence_of)
        by_person: dict[int, list[Quote]] = defaultdict(list)
        for q in [*self.data.quotes, *self.unstaged]:
            for pid in q.participant_ids:
                if is_person(self.people[pid]):
                    by_person[pid].append(q)
        order = {s.id: i for i, s in enumerate(self.stages)}
        self.quotes_of: dict[int, list[Quote]] = {
            pid: sorted(qs, key=lambda q: (order.get(q.stage_id, len(order)), q.order))
            for pid, qs in by_person.items()}
        self._by_kind: dict[str, tuple] = {}

    def by_kind(self, kind: str) -> tuple[dict, dict, dict]:
        """For every code of `kind`: who says it, each speaker's share of their quotes that carry it, and
        their quote ids. Read once, for every kind in one pass; lifts of any group are sums over it. A quote
        counts once per code; a quote's "stage" is the stage it is a quote of."""
        if not self._by_kind:
            found: dict[str, tuple] = defaultdict(
                lambda: (defaultdict(set), defaultdict(dict), defaultdict(lambda: defaultdict(list))))
            for pid in self.speaking:
                own = self.quotes_of[pid]
                share = 1 / len(own)
                for q in own:
                    carried = [("stage", q.stage_id)] if q.stage_id in self.codes else []
                    carried += [(a.kind, a.code_id) for a in q.attached if a.kind != "stage"]
                    for k, cid in carried:
                        said, weight, quotes = found[k]
                        ids = quotes[cid][pid]
                        if ids and ids[-1] == q.id:  # the same code twice on this quote
                            continue
                        said[cid].add(pid)
                        weight[cid][pid] = weight[cid].get(pid, 0.0) + share
                        ids.append(q.id)
            self._by_kind = dict(found)
        if kind not in self._by_kind:
            self._by_kind[kind] = (defaultdict(set), defaultdict(dict), defaultdict(lambda: defaultdict(list)))
        return self._by_kind[kind]

    @property
    def speaking(self) -> list[int]:
        """Participants with at least one coded quote, by id: the people personas are drawn from."""
        return sorted(self.quotes_of)


def _unstaged_quotes(store, data: quoting.StudyData, valence_of) -> list[Quote]:
    """Each span of codings that overlap no stage coding, as a quote without a stage."""
    if not data.unstaged_coding_ids:
        return []
    wanted = set(data.unstaged_coding_ids)
    spans: dict[tuple[int, int, int], list] = defaultdict(list)
    for c in data.codings:
        if c.id in wanted:
            spans[(c.source_id, c.char_start, c.char_end)].append(c)
    sources = {s.id: s for s in store.sources()}
    turns: dict[int, list] = defaultdict(list)
    for u in store.utterances():
        turns[u.source_id].append(u)
    out = []
    for (sid, start, end), items in sorted(spans.items()):
        source = sources[sid]
        text = source.text[start:end]
        once = {c.code_id: c for c in reversed(items)}.values()
        attached = tuple(Attached(c.id, c.code_id, data.codes[c.code_id].kind, text, c.memo)
                         for c in sorted(once, key=lambda c: c.id))
        people = tuple(p for p in quoting.speakers_of_span(turns[sid], start, end)
                       if p in data.people and is_person(data.people[p]))
        quote = Quote(id=min(c.id for c in items), stage_id=NO_STAGE, source_id=sid, source_title=source.title,
                      source_position=source.position, start=start, end=end, text=text, participant_ids=people,
                      start_ms=None, attached=attached)
        out.append(quoting._with_valence(quote, data.codes, valence_of))
    return out


def counts(quotes: Sequence[Quote], kind: str, codes: dict[int, Code]) -> tuple[CodeCount, ...]:
    found: dict[int, list[int]] = {}
    for q in quotes:
        ids = ((q.stage_id,) if q.stage_id in codes else ()) if kind == "stage" else q.code_ids(kind)
        for cid in ids:
            found.setdefault(cid, []).append(q.id)
    out = [CodeCount(codes[c], tuple(ids)) for c, ids in found.items()]
    if kind == "stage":
        return tuple(sorted(out, key=lambda c: (c.code.position, c.code.id)))
    return tuple(sorted(out, key=lambda c: (-c.quotes, c.code.position, c.code.name.casefold())))


def profile(study: Study, participant_id: int, *, strongest: int = 5) -> Profile:
    quotes = study.quotes_of.get(participant_id, [])
    curve = []
    for stage in study.stages:
        here = [q for q in quotes if q.stage_id == stage.id]
        curve.append(CurvePoint(stage, stage_valence(here).mean, len(here)))  # the journey's own rule
    return Profile(
        participant=study.people[participant_id], quotes=tuple(quotes),
        stages=counts(quotes, "stage", study.codes), needs=counts(quotes, "need", study.codes),
        pains=counts(quotes, "pain_point", study.codes), emotions=counts(quotes, "emotion", study.codes),
        opportunities=counts(quotes, "opportunity", study.codes), curve=tuple(curve),
        strongest=_strongest(quotes, strongest),
    )


def _strongest(quotes: Sequence[Quote], k: int) -> tuple[Quote, ...]:
    """Most intense first (|valence|, then how much was coded on it); one per stage before a second."""
    ranked = sorted(quotes, key=lambda q: (-abs(q.valence or 0.0), -len(q.attached), q.order))
    chosen: list[Quote] = []
    for second_round in (False, True):
        stages = {q.stage_id for q in chosen}
        for q in ranked:
            if len(chosen) >= k:
                break
            if q not in chosen and (second_round or q.stage_id not in stages):
                chosen.append(q)
                stages.add(q.stage_id)
    return tuple(chosen)


# -- a group of participants ------------------------------------------------------------------------
def lifts(study: Study, members: Collection[int], kind: str) -> tuple[Lift, ...]:
    """Every code of `kind` that a member mentions, with its lift against the other speaking participants."""
    members = set(members) & set(study.speaking)
    if not members:
        return ()
    n_others = len(study.speaking) - len(members)
    said, weight, quotes = study.by_kind(kind)
    out = []
    for cid, who in said.items():
        inside = who & members
        if not inside:
            continue
        w_all = sum(weight[cid].values())
        w_members = sum(weight[cid][p] for p in inside)
        w_in = w_members / len(members)
        w_out = (w_all - w_members) / n_others if n_others else 0.0
        ids = tuple(dict.fromkeys(qid for p in sorted(inside) for qid in quotes[cid][p]))
        out.append(Lift(study.codes[cid], len(inside), len(inside) / len(members),
                        (len(who) - len(inside)) / n_others if n_others else 0.0,
                        (w_in + SMOOTH) / (w_out + SMOOTH) if n_others else 1.0, ids, w_in, w_out))
    return tuple(out)


def sets_apart(x: Lift) -> bool:
    """A code sets a group apart when it is clearly more present in what the members say than in the others'
    words (lift above `APART`) and at least `MIN_SAYING` members say it: one voice is an anecdote, so a
    persona of one person has nothing that sets it apart, only what they mention most."""
    return x.lift > APART and x.members >= MIN_SAYING


def distinctive(items: Sequence[Lift], size: int, limit: int = 6) -> tuple[Lift, ...]:
    """The codes that set a group apart (`sets_apart`): those at least half the members mention, highest
    lift first; then those a quarter mention (at least two), by lift × share. None when nothing does: a code
    at a lift of 1 or below is never listed as setting anyone apart."""
    half, quarter = max(1, math.ceil(size / 2)), max(2, math.ceil(size / 4))
    apart = [x for x in items if sets_apart(x)]
    core = sorted((x for x in apart if x.members >= half), key=lambda x: (-x.lift, -x.share, x.code.name))
    more = sorted((x for x in apart if quarter <= x.members < half), key=lambda x: (-x.lift * x.share, x.code.name))
    return tuple((core + more)[:limit])


def most_shared(items: Sequence[Lift], limit: int = 5) -> tuple[Lift, ...]:
    """Most present in what the members say first (each member weighted equally)."""
    return tuple(sorted(items, key=lambda x: (-x.weight, -x.members, x.code.name))[:limit])


def sketch(study: Study, members: Collection[int], *, name: str = "", goals: Sequence[str] | None = None,
           description: str | None = None, attributes: dict[str, str] | None = None,
           persona_id: int | None = None, quotes: int = 5) -> Sketch:
    """Describe a group: shared attributes, the needs and pains that set it apart, emotions, quotes, curve."""
    members = tuple(sorted(p for p in members if p in study.people))
    in_scope = [p for p in members if p in study.quotes_of]
    size = max(1, len(in_scope))
    need_lifts, pain_lifts = lifts(study, in_scope, "need"), lifts(study, in_scope, "pain_point")
    needs, pains = distinctive(need_lifts, size), distinctive(pain_lifts, size)
    themes = distinctive(lifts(study, in_scope, "theme"), size)
    top_needs, top_pains = most_shared(need_lifts), most_shared(pain_lifts)
    emotions = most_shared(lifts(study, in_scope, "emotion"))
    wishes = most_shared(lifts(study, in_scope, "opportunity"))
    shared = shared_attributes(study.people, members, study.speaking)
    group_quotes = quoting.restrict([*study.data.quotes, *study.unstaged], set(members), keep_unattributed=False)
    apart = {x.code.id for x in needs[:3] + pains[:3] + themes[:3]} or {x.code.id for x in top_needs[:2]}
    picked = _representative(group_quotes, apart, quotes)
    if goals is None:  # what they want: the needs that set them apart, else the ones they talk about most
        goals = tuple(_goal(x.code) for x in (needs or top_needs[:2]))[:3]
    if description is None:
        description = _describe(needs, pains, themes)
    return Sketch(
        name=name, participant_ids=members, attributes=dict(attributes) if attributes is not None else shared,
        shared=shared, needs=needs, pains=pains, emotions=emotions, opportunities=wishes, goals=tuple(goals),
        description=description, quotes=picked, curve=group_curve(study, group_quotes),
        persona_id=persona_id, attributes_edited=attributes is not None, themes=themes, top_needs=top_needs,
        top_pains=top_pains,
    )


def _representative(quotes: Sequence[Quote], codes: set[int], k: int, pool: int = 200) -> tuple[Quote, ...]:
    """Quotes that carry what sets the group apart, most of it and most felt first, one per member first.
    Centrality (TF-IDF) ranks the `pool` quotes that carry the most of it, not all of a large group's."""
    carried = {}  # quote id -> how many of the codes it carries (each quote's codes read once)
    for q in quotes:
        if n := len(codes.intersection([a.code_id for a in q.attached])):
            carried[q.id] = n
    hits = [q for q in quotes if q.id in carried]
    if len(hits) > pool:
        hits = sorted(hits, key=lambda q: (-carried[q.id], -abs(q.valence or 0.0), q.order))[:pool]
    central = centrality(hits)
    score = {q.id: carried[q.id] + abs(q.valence or 0.0) / 2 + central.get(q.id, 0.0) for q in hits}
    return pick_diverse(hits, score, k)


def group_curve(study: Study, quotes: Sequence[Quote]) -> tuple[CurvePoint, ...]:
    at: dict[int, list[Quote]] = defaultdict(list)
    for q in quotes:
        at[q.stage_id].append(q)
    out = []
    for stage in study.stages:  # `stage_valence`'s mean and n (its spread and sources are not shown here)
        per = participant_valences(at[stage.id])
        out.append(CurvePoint(stage, fmean(per.values()) if per else None, len(at[stage.id]), len(per)))
    return tuple(out)


def _goal(need: Code) -> str:
    """A goal in the codebook's words: the need's definition when it has one ("Seen soon, with fewer steps")."""
    return need.description.strip() or need.name


def _describe(needs: Sequence[Lift], pains: Sequence[Lift], themes: Sequence[Lift]) -> str:
    """What sets them apart, in words; only codes that do (`sets_apart`), so the sentence agrees with the lifts."""
    parts = []
    for items, opening in ((needs, "More than the others they need"), (pains, "What hurts them more than the others"),
                           (themes, "More than the others they talk about")):
        if items:
            parts.append(f"{opening}: {' and '.join(in_sentence(x.code.name) for x in items[:2])}.")
    return " ".join(parts)


def in_sentence(name: str) -> str:
    """A code name inside a sentence: "Fast access" -> "fast access"; "NHS letters", "IRB" stay."""
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and not first[1:].islower() else name[:1].lower() + name[1:]
