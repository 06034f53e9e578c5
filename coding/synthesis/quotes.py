"""From codings to quotes: group the codings of each source around its stage codings.

Rule: every stage coding is one quote; its span is the quote. Any other coding (emotion, need,
touchpoint, pain point, opportunity, theme) in the same source whose span overlaps the quote
(`other.start < quote.end and other.end > quote.start`) attaches to it — to every quote it overlaps.
Codings that overlap no stage coding are "unstaged": counted, never silently dropped. When several
coders gave one span the same code, the first (lowest id) coding stands for them all.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ..codebook import list_codes
from ..codings import list_codings
from ..models import Code, Coding, Participant, StudyError, UtteranceRow
from ..people import is_person
from .model import Attached, Quote

ValenceHook = Callable[[str], "float | None"]
@dataclass
class StudyData:
    """Everything synthesis reads from the Store, read once."""

    name: str
    codes: dict[int, Code]
    people: dict[int, Participant]
    quotes: list[Quote]
    unstaged_coding_ids: list[int]
    codings: list[Coding]


def load(store, valence_of: ValenceHook | None = None) -> StudyData:
    codes = {c.id: c for c in list_codes(store)}
    people = {p.id: p for p in store.participants()}
    sources = {s.id: s for s in store.sources()}
    codings = list_codings(store, spoken_only=True)  # words nobody said (a note, a header) are no quote
    utts: dict[int, list[UtteranceRow]] = {}
    for u in store.utterances():
        utts.setdefault(u.source_id, []).append(u)

    by_source: dict[int, list[Coding]] = {}
    for c in codings:
        by_source.setdefault(c.source_id, []).append(c)

    quotes: list[Quote] = []
    unstaged: list[int] = []
    for source_id, items in by_source.items():
        source = sources[source_id]
        # several coders may give one span the same code: the journey counts that judgement once
        once = list({(c.char_start, c.char_end, c.code_id): c for c in reversed(items)}.values())[::-1]
        stage_codings = [c for c in once if codes[c.code_id].kind == "stage"]
        others = sorted((c for c in once if codes[c.code_id].kind != "stage"),
                        key=lambda c: (c.char_start, c.char_end, c.id))
        starts = [c.char_start for c in others]
        used: set[int] = set()
        starts_ms = _utterance_index(utts.get(source_id, []))
        for sc in stage_codings:
            hi = bisect.bisect_left(starts, sc.char_end)
            attached = []
            for other in others[:hi]:
                if other.char_end > sc.char_start:
                    attached.append(Attached(other.id, other.code_id, codes[other.code_id].kind,
                                             source.text[other.char_start:other.char_end], other.memo))
                    used.add(other.id)
            pids = tuple(pid for pid in speakers_of_span(utts.get(source_id, []), sc.char_start, sc.char_end)
                         if pid in people and is_person(people[pid]))
            quote = Quote(
                id=sc.id, stage_id=sc.code_id, source_id=source_id, source_title=source.title,
                source_position=source.position, start=sc.char_start, end=sc.char_end,
                text=source.text[sc.char_start:sc.char_end],
                participant_ids=pids, start_ms=starts_ms(sc.char_start), attached=tuple(attached),
            )
            quotes.append(_with_valence(quote, codes, valence_of))
        unstaged.extend(c.id for c in others if c.id not in used)
    quotes.sort(key=lambda q: q.order)
    return StudyData(store.name, codes, people, quotes, sorted(unstaged), codings)


def speakers_of_span(rows: list[UtteranceRow], start: int, end: int) -> list[int]:
    """Same answer as `Store.participants_of_span`, from utterances already read (one query, not one per quote):
    a turn marked as not speech (a header) has no speaker."""
    return sorted({u.participant_id for u in rows
                   if u.char_start < end and u.char_end > start and not u.not_speech})


def _utterance_index(rows: list[UtteranceRow]):
    rows = sorted(rows, key=lambda u: (u.char_start, u.position))
    starts = [u.char_start for u in rows]

    def start_ms(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and rows[i].char_start <= offset < max(rows[i].char_end, rows[i].char_start + 1):
            return rows[i].start_ms
        # the quote starts between utterances (e.g. on a speaker label): use the next utterance
        if i + 1 < len(rows):
            return rows[i + 1].start_ms
        return rows[i].start_ms if i >= 0 else None

    return start_ms


def model_valence() -> ValenceHook:
    """The valence the journey gives a quote with no emotion code: the emotion model's reading of it
    (`coding.nlp.experience.valence_of`, loaded on first use). The journey, the report, personas and the
    workshop kit all pass this one hook, so a persona's curve and the journey's agree, and an improvement
    to the model's valence reaches every one of them."""
    from ..nlp.experience import valence_of

    return valence_of


def _with_valence(quote: Quote, codes: dict[int, Code], valence_of: ValenceHook | None) -> Quote:
    """Valence of a quote: mean valence of its emotion codes; else the NLP hook's guess; else none."""
    pairs = [(a.coding_id, codes[a.code_id].valence) for a in quote.attached
             if a.kind == "emotion" and codes[a.code_id].valence is not None]
    if pairs:
        value = sum(v for _, v in pairs) / len(pairs)
        return replace(quote, valence=value, valence_from="codes",
                       valence_coding_ids=tuple(cid for cid, _ in pairs))
    if valence_of is not None:
        guess = valence_of(quote.text)
        if guess is not None:
            value = max(-2.0, min(2.0, float(guess)))
            return replace(quote, valence=value, valence_from="nlp")
    return quote


def scope_participants(people: dict[int, Participant], segment: tuple[str, str] | None) -> set[int]:
    """Participant ids in scope: every participant-role person, or those with attribute key=value."""
    members = {pid for pid, p in people.items() if is_person(p)}
    if segment is None:
        return members
    key, value = segment
    keys = sorted({k for pid in members for k in people[pid].attributes})
    match_key = next((k for k in keys if k.casefold() == str(key).strip().casefold()), None)
    if match_key is None:
        known = ", ".join(keys) if keys else "none (add attributes with a participants sheet)"
        raise StudyError(f"unknown participant attribute {key!r}; known attributes: {known}")
    wanted = str(value).strip().casefold()
    chosen = {pid for pid in members
              if str(people[pid].attributes.get(match_key, "")).strip().casefold() == wanted}
    if not chosen:
        values = sorted({str(people[pid].attributes[match_key]) for pid in members
                         if match_key in people[pid].attributes})
        raise StudyError(f"no participant has {match_key}={value}; known values: {', '.join(values)}")
    return chosen


def restrict(quotes: Iterable[Quote], scope: set[int], *, keep_unattributed: bool) -> list[Quote]:
    """Quotes of in-scope participants (their participant ids cut down to the scope)."""
    out = []
    for q in quotes:
        if len(q.participant_ids) == 1:  # most quotes: one speaker, in scope or not
            if q.participant_ids[0] in scope:
                out.append(q)
            continue
        pids = tuple(p for p in q.participant_ids if p in scope)
        if pids:
            out.append(q if pids == q.participant_ids else replace(q, participant_ids=pids))
        elif keep_unattributed and not q.participant_ids:
            out.append(q)
    return out
