"""Read-only questions the studio asks of a study: quotes by filter, co-occurrence, recent codes.

Pure functions over a `Store`; they never change the study. The quotes view and the reader call them
(the quotes view from a worker thread, with its own `Store`), and they are tested without any UI.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, replace

from .answers import question_labels
from .codebook import find_code, get_code, list_codes
from .codings import list_codings
from .models import CODE_KINDS, Coding, StudyError, source_pseudonym
from .search import Spans, search_spans
from .study import Store

MODES = ("or", "and")


@dataclass(frozen=True)
class Quote:
    """One coded quote, ready to show: the coding plus its code, source and speakers."""

    coding_id: int
    source_id: int
    source_title: str        # as shown: S01 … when the study is anonymized
    char_start: int
    char_end: int
    text: str
    code_id: int
    code_name: str
    code_kind: str
    colour: str
    memo: str
    coder: str
    participant_ids: tuple[int, ...]
    speakers: tuple[str, ...]          # labels (pseudonyms when the study is anonymised)
    with_codes: tuple[str, ...] = ()   # for co-occurrence: the other codes overlapping this quote
    also: tuple[str, ...] = ()         # other codes on exactly this span (see `one_per_span`)
    coding_ids: tuple[int, ...] = ()   # every coding shown by this entry (set by `one_per_span`)
    question: str = ""                 # a survey answer's question ("q12 · How often …?"), as the reader shows it


def one_per_span(quotes: list[Quote]) -> list[Quote]:
    """One entry per quoted span: a span coded Awareness, Anxious and Pain point is listed once, under
    its first code, with the others in `also` (order kept; a code is named once)."""
    first: dict[tuple[int, int, int], int] = {}
    out: list[Quote] = []
    for q in quotes:
        key = (q.source_id, q.char_start, q.char_end)
        if key not in first:
            first[key] = len(out)
            out.append(replace(q, coding_ids=(q.coding_id,)))
            continue
        i = first[key]
        kept = out[i]
        names = kept.also if q.code_name in kept.also or q.code_name == kept.code_name else (*kept.also, q.code_name)
        out[i] = replace(kept, also=names, coding_ids=(*kept.coding_ids, q.coding_id))
    return out


def code_ids(store: Store, codes) -> list[int]:
    """Code ids from ids or names ('kind:name' works), in the order given."""
    out: list[int] = []
    for c in codes or ():
        out.append(c if isinstance(c, int) else find_code(store, c).id)
    return out


def coding_participants(store: Store, source_id: int | None = None) -> dict[int, tuple[int, ...]]:
    """coding id -> ids of the participants whose utterances the coding overlaps (in speaking order)."""
    where, args = ("WHERE source_id = ?", [source_id]) if source_id is not None else ("", [])
    rows = store.db.execute(f"SELECT id, source_id, char_start, char_end FROM codings {where}", args)
    return {cid: tuple(store.participants_of_span(sid, a, b)) for cid, sid, a, b in rows}


def attribute_pairs(store: Store) -> list[tuple[str, str]]:
    """Every (attribute, value) pair that some participant has, sorted."""
    pairs = {(str(k), str(v)) for p in store.participants() for k, v in p.attributes.items() if v != ""}
    return sorted(pairs, key=lambda kv: (kv[0].casefold(), kv[1].casefold()))


def recent_code_ids(store: Store, limit: int = 10) -> list[int]:
    """Codes most recently applied (newest first): the code picker lists them first."""
    rows = store.db.execute(
        "SELECT code_id FROM codings GROUP BY code_id ORDER BY max(id) DESC LIMIT ?", [limit]
    ).fetchall()
    return [r[0] for r in rows]


def study_version(store: Store) -> tuple:
    """Changes whenever the study changes (a command, an undo, a redo, the pseudonym switch):
    screens re-read the study when it changed while they were hidden."""
    return tuple(store.db.execute(
        "SELECT max(id), sum(state = 'undone'), count(*), "
        "(SELECT value FROM meta WHERE key = 'anonymize') FROM actions").fetchone())


def filter_quotes(store: Store, *, codes=None, mode: str = "or", kind: str | None = None,
                  participant_id: int | None = None, attribute: tuple[str, str] | None = None,
                  source_id: int | None = None, text: str | None = None) -> list[Quote]:
    """Coded quotes in reading order, narrowed by every filter given.

    codes: ids or names. mode "or": a coding of any of them. mode "and": a coding of the first code
    that overlaps a coding of each of the others (co-occurrence); its `with_codes` names them.
    kind: only codes of that kind. participant_id / attribute (key, value): quotes that overlap an
    utterance of that participant / of a participant with that attribute value. source_id: one source.
    text: full-text search (FTS5, stemmed) finds the utterances; a quote in them must itself contain
    the words (or, with OR, one of them), matched by their first letters so "waiting" finds "waited".
    """
    if mode not in MODES:
        raise StudyError(f"unknown filter mode {mode!r}; choose 'and' or 'or'")
    if kind is not None and kind not in CODE_KINDS:
        raise StudyError(f"unknown code kind {kind!r}; choose one of: {', '.join(CODE_KINDS)}")
    ids = code_ids(store, codes)
    wanted = ids[:1] if (mode == "and" and ids) else (ids or None)
    rows = list_codings(store, source_id=source_id, code_ids=wanted, kind=kind, participant_id=participant_id)
    with_names: tuple[str, ...] = ()
    if mode == "and" and len(ids) > 1:
        others = [Spans((c.source_id, c.char_start, c.char_end) for c in list_codings(store, code=o))
                  for o in ids[1:]]
        rows = [c for c in rows if all(s.overlaps(c.source_id, c.char_start, c.char_end) for s in others)]
        with_names = tuple(get_code(store, o).name for o in ids[1:])
    if text and text.strip():
        spans = Spans(search_spans(store, text))
        rows = [c for c in rows if spans.overlaps(c.source_id, c.char_start, c.char_end)
                and text_matches(c.text, text)]
    people = {p.id: p for p in store.participants()}
    speakers_by_coding = coding_participants(store, source_id)
    if attribute is not None:
        key, value = attribute
        chosen = {p.id for p in people.values() if str(p.attributes.get(key, "")) == str(value)}
        rows = [c for c in rows if chosen.intersection(speakers_by_coding.get(c.id, ()))]
    return _quotes(store, rows, people, speakers_by_coding, with_names)


def text_matches(quote: str, query: str) -> bool:
    """Does the quote contain the query's words? A cheap stand-in for stemming: the first letters of
    each word (all but the last three, at least three) must occur; OR between words means any."""
    words = [w.strip('"*').casefold() for w in query.split()]
    any_of = "or" in words
    stems = [w[:max(3, len(w) - 3)] for w in words if w and w not in ("or", "and", "not")]
    if not stems:
        return True
    haystack = quote.casefold()
    found = [stem in haystack for stem in stems]
    return any(found) if any_of else all(found)


def cooccurrence(store: Store, code_a, code_b) -> list[Quote]:
    """Quotes coded `code_a` that overlap a quote coded `code_b` (same source)."""
    return filter_quotes(store, codes=[code_a, code_b], mode="and")


def _quotes(store: Store, rows: list[Coding], people, speakers_by_coding, with_names) -> list[Quote]:
    codes = {c.id: c for c in list_codes(store)}
    anonymize = store.anonymize
    titles = {s["id"]: s["label"] for s in _source_titles(store, anonymize)}
    questions = _questions_of(store, rows)
    out = []
    for c in rows:
        code = codes[c.code_id]
        pids = speakers_by_coding.get(c.id, ())
        # interviewers are named only when nobody else speaks in the quote
        shown = [p for p in pids if people[p].role == "participant"] or list(pids)
        out.append(Quote(
            coding_id=c.id, source_id=c.source_id, source_title=titles.get(c.source_id, ""),
            char_start=c.char_start, char_end=c.char_end, text=c.text, code_id=c.code_id,
            code_name=code.name, code_kind=code.kind, colour=code.colour, memo=c.memo, coder=c.coder,
            participant_ids=tuple(pids), speakers=tuple(people[p].label(anonymize) for p in shown),
            with_codes=with_names, question=questions.get(c.id, ""),
        ))
    return out


def _questions_of(store: Store, rows: list[Coding]) -> dict[int, str]:
    """coding id -> the question of the survey answer(s) it quotes, labelled as the reader labels it."""
    labels = question_labels(store)
    if not labels:
        return {}
    wanted = {c.source_id for c in rows}
    answers: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for sid, a, b, qid in store.db.execute("SELECT source_id, char_start, char_end, question_id FROM utterances "
                                           "WHERE question_id IS NOT NULL ORDER BY source_id, char_start"):
        if sid in wanted:
            answers[sid].append((a, b, qid))
    out = {}
    for c in rows:
        asked = dict.fromkeys(labels[qid] for a, b, qid in answers.get(c.source_id, ())
                              if a < c.char_end and b > c.char_start and qid in labels)
        if asked:
            out[c.id] = " / ".join(asked)
    return out


def _source_titles(store: Store, anonymize: bool = False) -> list[dict]:
    """id, title and label: what the studio shows (S01 … when anonymized: titles often carry a name)."""
    return [{"id": r[0], "title": r[1], "label": source_pseudonym(r[2]) if anonymize else r[1]}
            for r in store.db.execute("SELECT id, title, position FROM sources")]


def source_table(store: Store) -> list[dict]:
    """Per source, for the study home: title, label (what to show: S01 … when the study is anonymized),
    speakers, format, utterances, words, coded share.

    The same numbers as `Store.source_summaries`, computed with a few queries for the whole study
    (counts and word sums in SQL, no utterance text read) so that the home of a large study paints
    quickly.
    """
    anonymize = store.anonymize
    people = {p.id: p for p in store.participants()}
    q = store.db.execute
    # turns marked as not speech (a header, a note) are neither counted nor a speaker
    counts = {sid: (n, words) for sid, n, words in
              q("SELECT source_id, count(*), coalesce(sum(words), 0) FROM utterances WHERE NOT not_speech "
                "GROUP BY source_id")}
    speakers: dict[int, list[int]] = defaultdict(list)  # in order of first turn
    for sid, pid in q("SELECT source_id, participant_id FROM utterances WHERE NOT not_speech "
                      "GROUP BY source_id, participant_id ORDER BY source_id, min(position)"):
        speakers[sid].append(pid)
    codings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for sid, a, b in q("SELECT source_id, char_start, char_end FROM codings ORDER BY 1, 2, 3"):
        codings[sid].append((a, b))
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if codings:
        marks = ",".join("?" * len(codings))
        for sid, a, b in q(f"SELECT source_id, char_start, char_end FROM utterances WHERE source_id IN ({marks}) "
                           "AND NOT not_speech ORDER BY source_id, char_start", list(codings)):
            spans[sid].append((a, b))
    out = []
    for sid, title, filename, fmt, position in q("SELECT id, title, filename, format, position FROM sources "
                                                 "ORDER BY position").fetchall():
        pids = speakers.get(sid, [])
        n, words = counts.get(sid, (0, 0))
        out.append({
            "id": sid, "title": title, "filename": filename, "format": fmt,
            "label": source_pseudonym(position) if anonymize else title,
            "participants": pids,
            "speakers": [people[p].label(anonymize) for p in pids if people[p].role == "participant"],
            "utterances": n,
            "words": words,
            "coded_share": _coded_share(spans.get(sid, []), codings.get(sid, [])),
        })
    return out


def _coded_share(utts: list[tuple[int, int]], spans: list[tuple[int, int]]) -> float:
    """Share of the utterances' characters (sorted, disjoint spans) inside any of `spans` (sorted).
    Walks the codings, not the utterances: a study has far fewer of them."""
    total = sum(b - a for a, b in utts)
    if not total or not spans:
        return 0.0
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [a for a, _ in utts]
    covered = 0
    for a, b in merged:
        i = max(0, bisect.bisect_right(starts, a) - 1)
        while i < len(utts) and utts[i][0] < b:
            covered += max(0, min(utts[i][1], b) - max(utts[i][0], a))
            i += 1
    return min(1.0, covered / total)
