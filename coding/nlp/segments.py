"""Candidate quotes: every turn cut into sentences (spaCy), very short ones merged with a neighbour.

A candidate is `source.text[start:end]`, exactly, like a coding; it never crosses a turn. The cutting
happens once per turn and is stored in the study (tables `candidates` and `segmented`, schema
migration `m005_candidates`): right after an import (the CLI and the studio call `segment_study`), or on
first use for a study imported before. `segmented` remembers the span each turn had when it was cut, so
a turn that was split, re-bounded or added since is cut again the next time candidates are asked for,
and a deleted turn or source takes its candidates with it (foreign keys cascade). Who speaks is read
when asked, never stored: a role change or a merge of participants needs no re-cutting.

Rules (in `split_turn`; a survey answer of up to `SURVEY_ANSWER_WORDS` words is one candidate whole):
- a line break inside a turn ends a sentence unless the next line goes on in lower case after a line
  that did not end a sentence (hard-wrapped text);
- sentences come from the pipeline in `pipeline.py`;
- a sentence of more than `longturns.MAX_WORDS` words (automatic captions often have no full stops) is cut
  in two at the clause boundary nearest its middle (a comma, a dash, or before "and", "but", "so" ...),
  again until every piece is short enough (`coding/nlp/longturns.py`, linear in the text);
- a sentence of fewer than `MIN_WORDS` words ("Yeah.", "Exactly.", "No, not really" is enough) is
  merged into the next one in the same turn, or the previous one when it is the last;
- leading and trailing white space is never part of a candidate; a piece with no word at all ("...")
  is not a candidate.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from .longturns import _SPACE, _WORD, _pieces, _strip, split_long

MIN_WORDS = 3
CHUNK = 4000  # turns per transaction when cutting: a big study is cut in steps, each one kept

# Utterance columns (added by other parts of the app) that mark a turn as no quote at all: words that
# are not speech (a studio flag), an empty-looking survey answer ("NA", "-"). A truthy value skips it.
NOT_QUOTES = ("not_speech", "non_speech", "is_empty", "empty_answer", "no_answer", "non_answer")



@dataclass(frozen=True)
class Candidate:
    """A candidate quote: `text == source.text[start:end]` of source `source_id`."""

    id: int
    source_id: int
    participant_id: int
    start: int
    end: int
    text: str


# -- cutting one turn ----------------------------------------------------------------------------
def blocks(text: str) -> list[tuple[int, int]]:
    """Spans of `text` between hard line breaks, stripped, empty ones dropped."""
    spans, start = [], 0
    for m in re.finditer("\n", text):
        i = m.start()
        before = text[start:i].rstrip(_SPACE)
        after = text[i + 1:i + 80].lstrip(" \t")
        if before and after[:1].islower() and before[-1] not in ".!?:;…":
            continue  # a wrapped line: the sentence goes on
        spans.append((start, i))
        start = i + 1
    spans.append((start, len(text)))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s[0] < s[1]]


def _enough_words(n: int) -> re.Pattern:
    """Matches where `n` words begin (runs of word characters, apart from each other). Tried only at the
    start of a word and without backtracking, so a search is linear also in a sentence of two huge words."""
    return _ENOUGH.get(n) or _ENOUGH.setdefault(n, re.compile(r"\b\w++" + r"\W++\w++" * (n - 1)))


_ENOUGH: dict[int, re.Pattern] = {}


def merge_short(text: str, spans: Iterable[tuple[int, int]], min_words: int = MIN_WORDS) -> list[tuple[int, int]]:
    """Merge sentences shorter than `min_words` into their neighbour (the next, or the previous when last)."""
    pieces: list[list[int]] = []
    enough = _enough_words(max(1, min_words))
    for a, b in spans:
        # only "fewer than min_words, and how many" matters: a long sentence counts as min_words, found
        # by one search instead of listing its every word (a third of the time of cutting a study)
        words = min_words if min_words > 0 and enough.search(text, a, b) else len(_WORD.findall(text, a, b))
        if pieces and pieces[-1][2] < min_words:
            pieces[-1][1] = b
            pieces[-1][2] += words
        else:
            pieces.append([a, b, words])
    if len(pieces) > 1 and pieces[-1][2] < min_words:
        last = pieces.pop()
        pieces[-1][1] = last[1]
        pieces[-1][2] += last[2]
    return [(a, b) for a, b, words in pieces if words > 0]


def split_turns(texts: list[str], nlp=None) -> list[list[tuple[int, int]]]:
    """Candidate spans (start, end) into each text, in order. Runs the pipeline once over all blocks."""
    from .pipeline import load_pipeline, pipeline_lock, punct_chars, sentence_components

    nlp = nlp or load_pipeline()
    punct = punct_chars(nlp)
    inside = _punct_pattern(punct) if punct is not None else None
    per_text = [blocks(t) for t in texts]
    sentences: list[list[tuple[int, int]]] = [[] for _ in texts]
    todo: list[tuple[int, int, int]] = []  # (text index, block start, block end) that need the pipeline
    for i, (text, spans) in enumerate(zip(texts, per_text)):
        for a, b in spans:
            if inside is not None and _one_sentence(text, a, b, punct, inside):
                sentences[i].append((a, b))  # no sentence punctuation inside: the sentencizer can't split
                continue
            for x, y in _pieces(text, a, b):
                sentences[i].append(None)  # filled below, in order
                todo.append((i, x, y))
    if todo:
        with pipeline_lock(), nlp.select_pipes(enable=sentence_components(nlp)):
            docs = nlp.pipe((texts[i][a:b] for i, a, b in todo), batch_size=256)
            found = {}
            for (i, a, _b), doc in zip(todo, docs):
                found.setdefault(i, []).append(
                    [_strip(texts[i], a + s.start_char, a + s.end_char) for s in doc.sents])
        for i, parts in found.items():
            it = iter(parts)
            sentences[i] = [x for s in sentences[i] for x in ([s] if s is not None else next(it))]
    return [merge_short(text, [p for a, b in spans if a < b for p in split_long(text, a, b)])
            for text, spans in zip(texts, sentences)]


_CLOSERS = "\"')]}»”’"  # quotes and brackets that may close a sentence after its punctuation


def _punct_pattern(punct: frozenset[str]) -> re.Pattern:
    """Sentence punctuation with words after it: the punctuation, any run of punctuation, closing quotes and
    spaces, then anything else (one search, no backtracking, instead of a loop over the block's characters)."""
    pattern = _PUNCT_PATTERNS.get(punct)
    if pattern is None:
        marks = "".join(re.escape(ch) for ch in sorted(punct))
        trail = marks + re.escape(_CLOSERS + _SPACE)
        pattern = _PUNCT_PATTERNS[punct] = re.compile(f"[{marks}][{trail}]*+[^{trail}]")
    return pattern


_PUNCT_PATTERNS: dict[frozenset[str], re.Pattern] = {}


def _one_sentence(text: str, a: int, b: int, punct: frozenset[str], inside: re.Pattern | None = None) -> bool:
    """True when no sentence punctuation occurs before the trailing run of punctuation and quotes."""
    return (inside or _punct_pattern(punct)).search(text, a, b) is None


def split_turn(text: str, nlp=None) -> list[tuple[int, int]]:
    """Candidate spans of one turn's text (offsets into `text`)."""
    return split_turns([text], nlp)[0]


# -- the study -----------------------------------------------------------------------------------
_STALE = """
    SELECT u.id, u.source_id, u.char_start, u.char_end, src.format FROM utterances u
    JOIN sources src ON src.id = u.source_id
    LEFT JOIN segmented s ON s.utterance_id = u.id
    WHERE s.utterance_id IS NULL OR s.char_start != u.char_start OR s.char_end != u.char_end
    ORDER BY u.source_id, u.char_start
"""
_STALE_IDS = """
    SELECT u.id FROM utterances u LEFT JOIN segmented s ON s.utterance_id = u.id
    WHERE s.utterance_id IS NULL OR s.char_start != u.char_start OR s.char_end != u.char_end
    ORDER BY u.source_id, u.char_start
"""
# the turns of one chunk, by source (their words are sliced from each source's text, read once per chunk:
# SQLite's substr reads and counts a source's text from its start for every turn, quadratic in its length)
_TURNS = """
    SELECT u.id, u.source_id, u.char_start, u.char_end, src.format FROM utterances u
    JOIN sources src ON src.id = u.source_id WHERE u.id IN ({}) ORDER BY u.source_id, u.char_start
"""
# An open survey answer is short and about one thing ("I made a transfer yesterday. Why hasn't it
# arrived?"): up to this many words it is one candidate quote; a longer answer is cut like a turn.
SURVEY_ANSWER_WORDS = 40


def _survey_answer(text: str) -> list[tuple[int, int]] | None:
    """The whole answer as one candidate when it is short enough, else None (cut it into sentences)."""
    if len(_WORD.findall(text)) > SURVEY_ANSWER_WORDS:
        return None
    a, b = _strip(text, 0, len(text))
    return [(a, b)] if _WORD.search(text, a, b) else []


def stale_turns(store) -> int:
    """How many turns still need cutting (added or changed since they were cut)."""
    return store.db.execute(f"SELECT count(*) FROM ({_STALE})").fetchone()[0]


def _cut(store, rows) -> list[list[tuple[int, int]]]:
    """Candidate spans (offsets into the turn) of each `_STALE` row (or `_TURNS` row, which brings the
    turn's words): a short survey answer whole, the rest cut into sentences."""
    texts = [r[5] if len(r) > 5 else store.source_text(r[1])[r[2]:r[3]] for r in rows]
    whole = [_survey_answer(t) if r[4] == "csv" else None for t, r in zip(texts, rows)]
    cut = iter(split_turns([t for t, w in zip(texts, whole) if w is None]))
    return [w if w is not None else next(cut) for w in whole]


def _with_words(store, rows) -> list[tuple]:
    """`_TURNS` rows (in source order) with each turn's words added: each source's text is read once for
    the chunk and not kept (a big study's texts are never all held at once)."""
    rows = list(rows)
    ids = sorted({row[1] for row in rows})  # one query for the chunk, its texts read one after another
    texts = store.db.execute(f"SELECT id, text FROM sources WHERE id IN ({','.join('?' * len(ids))}) ORDER BY id", ids)
    out, source, text = [], None, ""
    for row in rows:
        while row[1] != source:
            source, text = next(texts)
        out.append((*row, text[row[2]:row[3]]))
    return out


def segment_study(store, *, progress: Callable[[int, int], object] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> int:
    """Cut every turn that is new or changed since it was last cut; returns how many were cut.

    Work is committed in chunks, so an interrupted run keeps what it did and the next run goes on.
    `progress(done, total)` is called after each chunk; `cancelled()` returning True stops early.
    """
    from .pipeline import describe

    stale = array("q", (uid for (uid,) in store.db.execute(_STALE_IDS)))  # ids only: a million turns is 8 MB
    total = len(stale)
    done = 0
    for k in range(0, total, CHUNK):
        if cancelled is not None and cancelled():
            break
        ids = stale[k:k + CHUNK]
        chunk = _with_words(store, store.db.execute(_TURNS.format(",".join("?" * len(ids))), list(ids)))
        spans = _cut(store, chunk)
        with store.writing():  # the write lock up front, like every write
            store.db.conn.executemany("DELETE FROM candidates WHERE utterance_id = ?", [(r[0],) for r in chunk])
            store.db.conn.executemany(
                "INSERT INTO candidates (utterance_id, source_id, char_start, char_end) VALUES (?, ?, ?, ?)",
                [(r[0], r[1], r[2] + x, r[2] + y) for r, found in zip(chunk, spans) for x, y in found])
            store.db.conn.executemany(
                "INSERT OR REPLACE INTO segmented (utterance_id, char_start, char_end) VALUES (?, ?, ?)",
                [(r[0], r[2], r[3]) for r in chunk])
            store.set_setting("segmenter", describe())
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    return done


def candidates(store, *, include_interviewers: bool = False, source_id: int | None = None) -> list[Candidate]:
    """The study's candidate quotes in reading order (sources in import order, then position).

    Interviewer and moderator turns are left out unless `include_interviewers`; turns flagged as not
    speech or as an empty answer (see `NOT_QUOTES`) always are. Cuts new or changed turns first: into the
    study, or, when it is open for reading only, in memory (those candidates have negative ids).
    """
    cut = _cut_stale(store)
    where, args = [], []
    if not include_interviewers:
        where.append("p.role = 'participant'")
    if source_id is not None:
        where.append("u.source_id = ?")
        args.append(source_id)
    where += [f"NOT coalesce(u.{col}, 0)" for col in flag_columns(store)]
    joins = ("JOIN participants p ON p.id = u.participant_id JOIN sources s ON s.id = u.source_id"
             + (" WHERE " + " AND ".join(where) if where else ""))
    stored = store.db.execute("SELECT c.id, c.source_id, u.participant_id, c.char_start, c.char_end, s.position, u.id "
                              f"FROM candidates c JOIN utterances u ON u.id = c.utterance_id {joins}", args)
    found = [r[:6] for r in stored if r[6] not in cut]  # a turn cut in memory: its stored pieces are stale
    if cut:
        for uid, pid, position in store.db.execute(
                f"SELECT u.id, u.participant_id, s.position FROM utterances u {joins}", args):
            found += [(cid, sid, pid, a, b, position) for cid, sid, a, b in cut.get(uid, ())]
    found.sort(key=lambda r: (r[5], r[3]))
    text = store.source_text
    return [Candidate(cid, sid, pid, a, b, text(sid)[a:b]) for cid, sid, pid, a, b, _pos in found]


def candidate_turns(store) -> dict[int, tuple[int, int, int]]:
    """Every candidate's (turn id, start, end), interviewers' too, those cut in memory included."""
    cut = _cut_stale(store)
    found = {cid: (uid, a, b) for cid, uid, a, b in
             store.db.execute("SELECT id, utterance_id, char_start, char_end FROM candidates") if uid not in cut}
    found.update((cid, (uid, a, b)) for uid, pieces in cut.items() for cid, _sid, a, b in pieces)
    return found


def _cut_stale(store) -> dict[int, list[tuple[int, int, int, int]]]:
    """Cut the turns that need it: into the study, or in memory when it is open for reading only (then
    returned: turn id -> its candidates, whose stored pieces if any are stale)."""
    if not stale_turns(store):
        return {}
    if store.read_only:
        return _cut_in_memory(store)
    segment_study(store)
    return {}


_IN_MEMORY: WeakKeyDictionary = WeakKeyDictionary()  # read-only store -> {(turn, start, end): its spans}


def _cut_in_memory(store) -> dict[int, list[tuple[int, int, int, int]]]:
    """Turns that need cutting, cut without writing (a study open for reading only): turn id ->
    [(negative candidate id, source id, start, end)]. Cut once per Store and turn span."""
    done = _IN_MEMORY.setdefault(store, {})
    rows = store.db.execute(_STALE).fetchall()
    todo = [r for r in rows if (r[0], r[2], r[3]) not in done]
    if todo:
        for (uid, _sid, a, b, _fmt), spans in zip(todo, _cut(store, todo)):
            done[(uid, a, b)] = [(a + x, a + y) for x, y in spans]
    out: dict[int, list[tuple[int, int, int, int]]] = {}
    n = 0
    for uid, sid, a, b, _fmt in rows:
        out[uid] = []
        for x, y in done[(uid, a, b)]:
            n += 1
            out[uid].append((-n, sid, x, y))
    return out


def flag_columns(store) -> list[str]:
    """The `NOT_QUOTES` flag columns this study's utterances table has."""
    cols = {r[1] for r in store.db.execute("PRAGMA table_info(utterances)")}
    return [c for c in NOT_QUOTES if c in cols]


def status(store) -> dict:
    """For `info`: how many candidates, which pipeline cut them, how many turns wait to be cut."""
    from .pipeline import describe

    return {
        "candidates": store.db.execute("SELECT count(*) FROM candidates").fetchone()[0],
        "segmented_with": store.setting("segmenter", ""),
        "pipeline": describe(),
        "turns_to_cut": stale_turns(store),
    }
