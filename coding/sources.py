"""Sources after import: rename one, delete one, or replace its file with a corrected version.

**Delete** takes the source with everything that hangs on it: its turns, codings, memos and rejected
suggestions, and the participants who spoke only there (a withdrawn interviewee leaves no trace in
counts, reach or personas). The study is backed up first and the whole deletion is one undoable command.

**Replace** reads a new version of the source's file (a corrected transcript, the same call exported
again) into the same source: the title, position and memo stay; the text, turns and file name are the new
file's. Every coding keeps its code, coder and memo and moves to where its words are in the new text:
found exactly (the occurrence in the same order when the words recur), or with only line breaks and spaces
different; a coding whose words are no longer there is removed and reported. A new turn whose words are
those of an old turn keeps that turn's speaker and its not-speech mark (corrections made in the reader
carry over); the other turns' speakers are matched by their label as imported, and a speaker the study
does not know becomes a participant. Backed up first, one undoable command.

A module of functions over a store, like `coding.turns`; the CLI (`research-tui sources`) and the studio
(the home screen's sources table, the command palette) both call these.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from .importing.transcript import content_hash, cue_rows, participant_for
from .models import UNATTRIBUTED, Source, StudyError, Transcript, UtteranceRow
from .study.actionlog import now
from .study.backup import backup


@dataclass
class Removed:
    """What deleting a source took with it."""

    title: str
    turns: int
    codings: int
    memos: int                                        # the source's memo and free memos on it
    people: list[str] = field(default_factory=list)  # pseudonyms of participants who spoke only there


@dataclass
class Replacement:
    """What replacing a source's file did (or would do, for a preview)."""

    title: str
    filename: str
    turns_before: int
    turns_after: int
    kept: int = 0                                     # codings whose words were found again
    moved: int = 0                                    # ... of which now at other offsets
    lost: list[tuple[str, str]] = field(default_factory=list)  # (code, words) of codings removed
    speakers_kept: int = 0                            # new turns that kept an old turn's speaker and marks
    people_added: list[str] = field(default_factory=list)
    people_removed: list[str] = field(default_factory=list)

    def lines(self, label: str | None = None) -> list[str]:
        name = label or f"'{self.title}'"
        out = [f"{name}: {self.turns_before} turns replaced by {self.turns_after} from {self.filename}; "
               f"{self.kept} of {self.kept + len(self.lost)} codings kept their words"
               + (f" ({self.moved} at new offsets)" if self.moved else "")]
        if self.people_added:
            out.append(f"new speakers: {', '.join(self.people_added)}")
        if self.people_removed:
            out.append(f"no longer speaking anywhere, removed: {', '.join(self.people_removed)}")
        for code, words in self.lost:
            out.append(f"coding removed, its words are not in the new file: {code}: \"{_short(words)}\"")
        return out


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def set_source_memo(store, source_id: int, memo: str) -> None:
    title = store.source(source_id).title
    with store.command("memo", f"memo on source '{title}'") as rec:
        rec.update("sources", source_id, {"memo": memo})


def find_source(store, ref: int | str) -> Source:
    """A source by id, title, file name or neutral id (S01 …)."""
    if isinstance(ref, int):
        return store.source(ref)
    wanted = ref.strip().casefold()
    for s in store.sources():
        if wanted in (s.title.casefold(), s.filename.casefold(), s.pseudonym.casefold()):
            return s
    raise StudyError(f"no source titled {ref!r}; see `research-tui sources`")


# -- rename ------------------------------------------------------------------------------------------
def rename_source(store, source_id: int, title: str) -> Source:
    source = store.source(source_id)
    title = " ".join(title.split())
    if not title:
        raise StudyError("a source needs a title")
    clash = store.db.execute("SELECT title FROM sources WHERE title = ? COLLATE NOCASE AND id != ?",
                             [title, source_id]).fetchone()
    if clash:
        raise StudyError(f"there is already a source titled {clash[0]!r}")
    with store.command("source", f"renamed source {source.pseudonym} to {title!r}") as rec:
        rec.update("sources", source_id, {"title": title})
    return store.source(source_id)


# -- delete ------------------------------------------------------------------------------------------
def delete_source(store, source_id: int) -> Removed:
    """Delete a source with its turns, codings and memos, and the participants who spoke only in it."""
    source = store.source(source_id)
    q = store.db.execute
    removed = Removed(source.title, q("SELECT count(*) FROM utterances WHERE source_id = ?", [source_id]).fetchone()[0],
                      q("SELECT count(*) FROM codings WHERE source_id = ?", [source_id]).fetchone()[0],
                      q("SELECT count(*) FROM memos WHERE source_id = ?", [source_id]).fetchone()[0]
                      + bool(store.source_memo(source_id).strip()))
    backup(store, f"before deleting source {source.pseudonym}")  # no titles in file names: they name people
    with store.command("delete_source", "") as rec:
        speakers = _speakers(store, source_id)
        rec.delete("sources", source_id)  # its turns, codings, memos, rejected suggestions: recorded first
        removed.people = _drop_silent(store, rec, speakers)
        rec.summary = (f"deleted source {source.pseudonym} with {removed.turns} turns and {removed.codings} "
                       "codings" + (f"; participants {', '.join(removed.people)} spoke only there"
                                    if removed.people else ""))
    store._texts.pop(source_id, None)
    store.forget_cached_turns()
    return removed


def _speakers(store, source_id: int) -> list[int]:
    return [r[0] for r in store.db.execute(
        "SELECT DISTINCT participant_id FROM utterances WHERE source_id = ?", [source_id])]


def _drop_silent(store, rec, pids: list[int]) -> list[str]:
    """Remove the participants among `pids` who have no turn left anywhere (recorded, with their persona
    membership); the unattributed stand-in stays. Returns their pseudonyms."""
    gone = []
    for pid in pids:
        row = store.db.execute("SELECT pseudonym, role FROM participants WHERE id = ?", [pid]).fetchone()
        if row is None or row[1] == UNATTRIBUTED:
            continue
        if store.db.execute("SELECT 1 FROM utterances WHERE participant_id = ? LIMIT 1", [pid]).fetchone() is None:
            rec.delete("participants", pid)
            gone.append(row[0])
    return gone


# -- replace -----------------------------------------------------------------------------------------
def replace_source(store, source_id: int, t: Transcript, *, dry_run: bool = False) -> Replacement:
    """Put the new version `t` of a source's file in its place (see the module's docstring). With
    `dry_run` nothing is written: the returned `Replacement` says what would happen."""
    source = store.source(source_id)
    if source.format == "csv":
        raise StudyError("a survey respondent cannot be replaced on its own: import the survey again")
    if not t.utterances:
        raise StudyError("no speech found in the file", path=t.filename)
    if t.text == source.text:
        raise StudyError("the file's text is the same as the source's: nothing to replace", path=t.filename)
    digest = content_hash(t)
    twin = store.db.execute("SELECT title FROM sources WHERE content_hash = ? AND id != ?",
                            [digest, source_id]).fetchone()
    if twin:
        raise StudyError(f"the same text is already in the study as '{twin[0]}'", path=t.filename)
    old_turns = sorted(store.utterances(source_id), key=lambda u: (u.char_start, u.position))
    codings = store.db.execute("SELECT c.id, c.char_start, c.char_end, k.name FROM codings c JOIN codes k "
                               "ON k.id = c.code_id WHERE c.source_id = ? ORDER BY c.char_start, c.id",
                               [source_id]).fetchall()
    anchor = Anchor(source.text, t.text)
    places = {cid: anchor.find(a, b) for cid, a, b, _ in codings}
    out = Replacement(source.title, t.filename, len(old_turns), len(t.utterances))
    for cid, a, b, code in codings:
        if places[cid] is None:
            out.lost.append((code, source.text[a:b]))
        else:
            out.kept += 1
            out.moved += places[cid] != (a, b)
    carried = _carry_turns(old_turns, t)
    out.speakers_kept = sum(c is not None for c in carried)
    if dry_run:
        return out
    backup(store, f"before replacing source {source.pseudonym}")
    with store.command("replace_source", "") as rec:
        speakers = _speakers(store, source_id)
        ids = _speaker_ids(store, rec, source, t, carried, out)
        for u in old_turns:
            rec.delete("utterances", u.id)
        for i, (u, old) in enumerate(zip(t.utterances, carried)):
            words = t.text[u.start:u.end]
            rec.insert("utterances", {
                "source_id": source_id, "participant_id": old.participant_id if old else ids[u.speaker],
                "position": i, "start_ms": u.start_ms, "end_ms": u.end_ms, "char_start": u.start, "char_end": u.end,
                "text": words, "words": len(words.split()), "empty_answer": int(u.empty),
                "not_speech": int(old.not_speech if old else u.not_speech)})
        for row in cue_rows(store.db, source_id, t.cues):  # the new file's caption times (coding/media.py)
            rec.insert("cues", row)
        for cid, *_ in codings:
            if places[cid] is None:
                rec.delete("codings", cid)
            else:
                rec.update("codings", cid, {"char_start": places[cid][0], "char_end": places[cid][1]})
        for rid, a, b in store.db.execute("SELECT id, char_start, char_end FROM suggestion_rejections "
                                          "WHERE source_id = ?", [source_id]).fetchall():
            place = anchor.find(a, b)
            if place is None:
                rec.delete("suggestion_rejections", rid)
            else:
                rec.update("suggestion_rejections", rid, {"char_start": place[0], "char_end": place[1]})
        metadata = dict(t.metadata)
        metadata["speaker_labels"] = {str(pid): label for label, pid in ids.items()}
        metadata["import_notes"] = list(t.notes)
        metadata["replaced"] = [*source.metadata.get("replaced", []), {"filename": source.filename, "at": now()}]
        rec.update("sources", source_id, {"text": t.text, "filename": t.filename, "format": t.format,
                                          "content_hash": digest, "imported_at": now(),
                                          "metadata": json.dumps(metadata)})
        out.people_removed = _drop_silent(store, rec, speakers)
        rec.summary = (f"replaced the file of source {source.pseudonym} ({t.filename}): {out.kept} codings kept, "
                       f"{len(out.lost)} removed")
    store._texts.pop(source_id, None)
    store.forget_cached_turns()
    return out


def _carry_turns(old_turns, t: Transcript) -> list:
    """For each new turn, the old turn with the same words (taken in order), or None."""
    by_words: dict[str, list] = {}
    for u in old_turns:
        by_words.setdefault(" ".join(u.text.split()), []).append(u)
    out = []
    for u in t.utterances:
        same = by_words.get(" ".join(t.text[u.start:u.end].split()))
        out.append(same.pop(0) if same else None)
    return out


def _speaker_ids(store, rec, source: Source, t: Transcript, carried: list, out: Replacement) -> dict[str, int]:
    """Label -> participant for the new file's speakers: whoever said the same words before (most of the
    label's turns), else the participant the label was imported as, else a new participant."""
    votes: dict[str, Counter] = {}
    for u, old in zip(t.utterances, carried):
        if old is not None:
            votes.setdefault(u.speaker, Counter())[old.participant_id] += 1
    known = {label: int(pid) for pid, label in source.metadata.get("speaker_labels", {}).items()}
    alive = {r[0] for r in store.db.execute("SELECT id FROM participants")}
    ids: dict[str, int] = {}
    t.title = source.title  # a generic label ("P1") is scoped to the source's title, as at import
    for label in t.speakers:
        if label in votes:
            ids[label] = votes[label].most_common(1)[0][0]
        elif known.get(label) in alive:
            ids[label] = known[label]
        else:
            before = {r[0] for r in store.db.execute("SELECT id FROM participants")}
            pid = participant_for(store, label, t, {})
            if pid not in before:
                rec.inserted("participants", pid)
                out.people_added.append(store.participant(pid).pseudonym)
            ids[label] = pid
    return ids


class Anchor:
    """Where a span of the old text is in the new one: its exact words, or the same words with other white
    space. Words that recur: the same occurrence in order when they recur as often, else the one whose
    surroundings are most alike (then the nearest by relative position)."""

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        self._found: dict[str, list[tuple[int, int]]] = {}

    def _in_new(self, words: str) -> list[tuple[int, int]]:
        if words not in self._found:
            hits = [(m.start(), m.start() + len(words)) for m in re.finditer(re.escape(words), self.new)]
            if not hits and words.split():
                loose = r"\s+".join(map(re.escape, words.split()))
                hits = [m.span() for m in re.finditer(loose, self.new)]
            self._found[words] = hits
        return self._found[words]

    def find(self, start: int, end: int) -> tuple[int, int] | None:
        words = self.old[start:end]
        if not words.strip():
            return None
        hits = self._in_new(words)
        if len(hits) <= 1:
            return hits[0] if hits else None
        before = [m.start() for m in re.finditer(re.escape(words), self.old)]
        if len(before) == len(hits) and start in before:
            return hits[before.index(start)]
        where = start / max(1, len(self.old))
        return max(hits, key=lambda h: (self._context(start, end, *h),
                                        -abs(h[0] / max(1, len(self.new)) - where)))

    def _context(self, start: int, end: int, a: int, b: int, reach: int = 200) -> int:
        """How many characters around a match are the same as around the span in the old text."""
        left = 0
        while left < reach and left < min(start, a) and self.old[start - left - 1] == self.new[a - left - 1]:
            left += 1
        right = 0
        while right < reach and end + right < len(self.old) and b + right < len(self.new) \
                and self.old[end + right] == self.new[b + right]:
            right += 1
        return left + right


# per source, in import order: who speaks (ids, ascending), spoken turns and their words (empty answers
# left out); each a lookup in the utterances' (source_id, ...) index
_SUMMARIES = """
    SELECT s.id, s.title, s.filename, s.format, s.metadata,
        (SELECT group_concat(pid) FROM (SELECT DISTINCT participant_id AS pid FROM utterances
                                        WHERE source_id = s.id AND NOT not_speech ORDER BY 1)),
        (SELECT count(*) FROM utterances WHERE source_id = s.id AND NOT not_speech AND empty_answer = 0),
        (SELECT coalesce(sum(words), 0) FROM utterances WHERE source_id = s.id AND NOT not_speech
                                                              AND empty_answer = 0)
    FROM sources s ORDER BY s.position
"""


def source_summaries(store) -> list[dict]:
    """Per source: speakers (names as imported), utterances, words, share of text coded."""
    return list(iter_source_summaries(store))


def iter_source_summaries(store):
    """`source_summaries` one source at a time, streamed from one query (a survey of a million
    respondents is a million sources: four queries each, all held in memory, took minutes and GBs)."""
    coded = {sid for (sid,) in store.db.execute("SELECT DISTINCT source_id FROM codings")}
    names: dict[int, str] = {}
    for sid, title, filename, fmt, metadata, pids, n, words in store.db.execute(_SUMMARIES):
        pids = [int(p) for p in pids.split(",")] if pids else []
        labels = json.loads(metadata).get("speaker_labels", {}) if pids else {}
        if any(str(pid) not in labels for pid in pids) and not names:
            names = dict(store.db.execute("SELECT id, name FROM participants"))
        yield {"id": sid, "title": title, "filename": filename, "format": fmt,
               "speakers": [labels[str(pid)] if str(pid) in labels else names[pid] for pid in pids],
               "participants": pids,
               "utterances": n, "words": words, "coded_share": coded_share(store, sid) if sid in coded else 0.0}


def coded_share(store, source_id: int, utts: list[UtteranceRow] | None = None) -> float:
    """Share (0..1) of the source's spoken characters covered by at least one coding."""
    utts = utts if utts is not None else [u for u in store.utterances(source_id) if not u.not_speech]
    total = sum(u.char_end - u.char_start for u in utts)
    if not total:
        return 0.0
    spans = store.db.execute("SELECT char_start, char_end FROM codings WHERE source_id = ?",
                            [source_id]).fetchall()
    covered = overlap_length(_merge([(u.char_start, u.char_end) for u in utts]), _merge(spans))
    return min(1.0, covered / total)


def _merge(spans) -> list[tuple[int, int]]:
    """Union of (start, end) spans as sorted, disjoint spans."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def overlap_length(xs: list[tuple[int, int]], ys: list[tuple[int, int]]) -> int:
    """Characters covered by both of two sorted, disjoint span lists (a linear sweep)."""
    i = j = total = 0
    while i < len(xs) and j < len(ys):
        a, b = xs[i]
        c, d = ys[j]
        total += max(0, min(b, d) - max(a, c))
        if b < d:
            i += 1
        else:
            j += 1
    return total
