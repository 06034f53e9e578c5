"""Search all the text of a study, coded or not: every turn that holds the words, where they are.

The Quotes view searches coded quotes only; this finds words anywhere ("consent" in every interview,
coded or not). The full-text index (FTS5, porter stemming, the last word a prefix) picks the turns;
then the words are located in each turn's text, so a hit can select exactly what matched. Results come
in reading order (sources in import order, then position in the text). Pure functions over a Store.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .codings import trim_span
from .models import UNATTRIBUTED, UNATTRIBUTED_NAME, UtteranceRow, source_pseudonym
from .study.store import U_UTT_COLS, utterance_row

DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class TextHit:
    """A turn holding the searched words, and where the first of them is (`text[match_start:match_end]`
    of the source text; the whole turn when no word could be located)."""

    utterance_id: int
    source_id: int
    source_title: str       # as shown: S01 … when the study is anonymised
    participant_id: int
    speaker: str            # a pseudonym when the study is anonymised
    role: str
    start_ms: int | None
    char_start: int
    char_end: int
    match_start: int
    match_end: int
    text: str               # the turn's text
    not_speech: bool
    coded: bool             # a coding overlaps the matched words


@dataclass(frozen=True)
class Found:
    """What a search found: the hits shown (at most the limit) and how many turns and sources hold the
    words in all."""

    hits: list[TextHit] = field(default_factory=list)
    turns: int = 0
    sources: int = 0


def _words(query: str) -> list[str]:
    return [w.strip('"*').casefold() for w in query.split()
            if w.strip('"*') and w.upper() not in ("AND", "OR", "NOT")]


def word_pattern(query: str) -> re.Pattern | None:
    """A pattern for the query's words as the index matches them: a word starting with the stem of each
    (all but the last three letters, at least three), so "waiting" finds "waited" and "waits"."""
    stems = [w[:max(3, len(w) - 3)] if len(w) > 3 else w for w in _words(query)]
    stems = [s for s in stems if s]
    if not stems:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in sorted(set(stems), key=len, reverse=True))
                      + r")\w*", re.IGNORECASE)


def search_text(store, query: str, *, limit: int | None = DEFAULT_LIMIT) -> Found:
    """The turns holding the words, in reading order (at most `limit`), and how many in all."""

    match = _fts_query(query)
    if not match:
        return Found()
    base = ("FROM utterances_fts f JOIN utterances u ON u.id = f.rowid JOIN sources s ON s.id = u.source_id "
            "JOIN participants p ON p.id = u.participant_id WHERE utterances_fts MATCH ?")
    total, sources = store.db.execute(
        "SELECT count(*), count(DISTINCT u.source_id) FROM utterances_fts f JOIN utterances u ON u.id = f.rowid "
        "WHERE utterances_fts MATCH ?", [match]).fetchone()
    sql = (f"SELECT u.id, u.source_id, s.title, s.position, u.participant_id, p.name, p.pseudonym, p.role, u.start_ms, "
           f"u.char_start, u.char_end, u.text, u.not_speech {base} ORDER BY s.position, u.char_start")
    args: list = [match]
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    rows = store.db.execute(sql, args).fetchall()
    pattern = word_pattern(query)
    anonymize = store.anonymize
    coded_spans = _coded_spans(store, {r[1] for r in rows})
    hits = []
    for uid, sid, title, position, pid, name, pseudonym, role, start_ms, a, b, text, not_speech in rows:
        found = pattern.search(text) if pattern else None
        m_start, m_end = (a + found.start(), a + found.end()) if found else (a, b)
        speaker = UNATTRIBUTED_NAME if role == UNATTRIBUTED else (pseudonym if anonymize else name)
        shown = source_pseudonym(position) if anonymize else title
        coded = coded_spans.overlaps(sid, m_start, m_end)
        hits.append(TextHit(uid, sid, shown, pid, speaker, role, start_ms, a, b, m_start, m_end, text,
                            bool(not_speech), coded))
    return Found(hits, total, sources)


def _coded_spans(store, source_ids: set[int]):
    """The codings of these sources, ready for 'is this span coded?' (a bisect, not a scan)."""
    if not source_ids:
        return Spans([])
    marks = ",".join("?" * len(source_ids))
    return Spans(store.db.execute(
        f"SELECT source_id, char_start, char_end FROM codings WHERE source_id IN ({marks})", list(source_ids)))


def snippet(hit: TextHit, width: int = 80) -> str:
    """One line of the turn around the matched words: a little before them, as much after as fits."""
    rel = hit.match_start - hit.char_start
    lead = max(0, rel - max(10, width // 4))
    if lead:
        cut = hit.text.rfind(" ", 0, lead + 1)
        lead = cut + 1 if cut >= 0 else lead
    shown = ("…" if lead else "") + " ".join(hit.text[lead:].split())
    return shown if len(shown) <= width else shown[:width - 1] + "…"


# what a copy from a Word report, a PDF or a wrapped terminal line changes: quotes made curly, dashes
# (an em dash typed as `--` or ` - `), line breaks and runs of spaces; Markdown transcripts escape brackets
_SAME = {"'": "'‘’ʼ`´", '"': '"“”„', "‘": "'‘’ʼ`´", "’": "'‘’ʼ`´", "“": '"“”„', "”": '"“”„'}
_DASHES = "-‐‑‒–—―−"
_DASH_RUN = "\\s*[" + re.escape(_DASHES) + "]{1,3}\\s*"  # -- / – / — / " - " are one dash
_PIECES = re.compile(r"\s*[" + re.escape(_DASHES) + r"]+\s*|\s+|.", re.DOTALL)


def locate(text: str, words: str) -> list[tuple[int, int]]:
    """Every place `words` occur in `text`, as (start, end) with `text[start:end]` what is there: exactly
    as typed when they occur so; else ignoring case, the kind of quotation mark, a dash's kind and length
    (`--`, `–`, `—`) and the spaces around it, how lines break and spaces run, and a Markdown escape's
    backslash before punctuation."""
    words = words.strip()
    if not words:
        return []
    found, i = [], text.find(words)
    while i >= 0:
        found.append((i, i + len(words)))
        i = text.find(words, i + 1)
    if found:
        return found
    pattern = ""
    for piece in _PIECES.findall(words):
        if piece.strip() and piece.strip()[0] in _DASHES:
            pattern += _DASH_RUN
        elif piece.isspace():
            pattern += r"\s+"
        elif piece in _SAME:
            pattern += "\\\\?[" + re.escape(_SAME[piece]) + "]"
        elif not piece.isalnum():
            pattern += "\\\\?" + re.escape(piece)
        else:
            pattern += re.escape(piece)
    flexible = re.compile(pattern, re.IGNORECASE)
    # without the white space a dash at its edge took in
    return [trim_span(text, m.start(), m.end()) for m in flexible.finditer(text)]


def search_turns(store, query: str, *, limit: int = 200) -> list[UtteranceRow]:
    """Full-text search over utterances (FTS5, stemmed). Plain words are ANDed."""
    match = _fts_query(query)
    if not match:
        return []
    rows = store.db.execute(
        f"SELECT {U_UTT_COLS} FROM utterances_fts f "
        "JOIN utterances u ON u.id = f.rowid WHERE utterances_fts MATCH ? ORDER BY rank LIMIT ?",
        [match, limit],
    ).fetchall()
    return [utterance_row(r) for r in rows]


def search_spans(store, query: str) -> list[tuple[int, int, int]]:
    """(source id, char start, char end) of every utterance matching, unranked: for filtering."""
    match = _fts_query(query)
    if not match:
        return []
    return store.db.execute(
        "SELECT u.source_id, u.char_start, u.char_end FROM utterances_fts f "
        "JOIN utterances u ON u.id = f.rowid WHERE utterances_fts MATCH ?", [match]).fetchall()


def _fts_query(query: str) -> str:
    """Turn user words into a safe FTS5 query: quoted terms, prefix match on the last, OR kept."""
    parts = []
    for word in query.split():
        if word.upper() in ("OR", "AND", "NOT"):
            parts.append(word.upper())
            continue
        clean = word.replace('"', "")
        if clean:
            parts.append(f'"{clean}"')
    while parts and parts[-1] in ("OR", "AND", "NOT"):
        parts.pop()
    while parts and parts[0] in ("OR", "AND", "NOT"):
        parts.pop(0)
    if parts and not parts[-1].endswith('*'):
        parts[-1] = parts[-1] + "*"
    return " ".join(parts)


class Spans:
    """Sorted spans per source, for 'does anything overlap [a, b)?' questions."""

    def __init__(self, spans):
        by_source: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for source_id, a, b in spans:
            by_source[source_id].append((a, b))
        self._starts: dict[int, list[int]] = {}
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._max_len: dict[int, int] = {}
        for sid, items in by_source.items():
            items.sort()
            self._spans[sid] = items
            self._starts[sid] = [a for a, _ in items]
            self._max_len[sid] = max(b - a for a, b in items)

    def overlaps(self, source_id: int, a: int, b: int) -> bool:
        starts = self._starts.get(source_id)
        if not starts:
            return False
        spans = self._spans[source_id]
        hi = bisect.bisect_left(starts, b)            # spans starting before b
        lo = bisect.bisect_left(starts, a - self._max_len[source_id])
        return any(spans[i][1] > a for i in range(lo, hi))
