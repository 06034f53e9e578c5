"""Turns after import: give a turn to another speaker, mark it as not speech, split it in two.

Importers get speakers wrong in ways only a reader sees: a header read as somebody's first turn, an
interviewer's question glued to the answer before it. These corrections fix that without touching
the source text, so every offset stays exact: a turn is always `source.text[char_start:char_end]`,
and after a split both halves index the same text as the whole did. Each change is one undoable
command in the action log (`utterances` is an undoable table); the NLP candidate quotes of a
changed turn are cut again when next asked for (`coding.nlp.segments`).

A turn marked as not speech (`utterances.not_speech`) stays in the source and the reader, but it
is nobody's words: it is left out of counts, of synthesis (no speaker) and of candidate quotes.
"""

from __future__ import annotations

from .codings import trim_span
from .models import UNATTRIBUTED, StudyError, UtteranceRow
from .people import find_participant, unattributed_id


def turns_of(store, source_id: int) -> list[UtteranceRow]:
    """A source's turns in reading order; turn numbers in the CLI count from 1 in this order."""
    store.source(source_id)  # a clear error for an unknown source
    return sorted(store.utterances(source_id), key=lambda u: (u.char_start, u.position))


def turn(store, utterance_id: int) -> UtteranceRow:
    row = store.db.execute("SELECT source_id FROM utterances WHERE id = ?", [utterance_id]).fetchone()
    if row is None:
        raise StudyError(f"no turn with id {utterance_id}")
    return next(u for u in store.utterances(row[0]) if u.id == utterance_id)


def speaker_id(store, rec, who: int | str) -> int:
    """A participant id for `who` (id, name, pseudonym, or "unattributed": the stand-in, created when
    needed inside command `rec`)."""
    if isinstance(who, str) and who.strip().strip("()").casefold() == UNATTRIBUTED:
        return unattributed_id(store, rec)
    person = find_participant(store, who)
    return person.id


def _label(store, participant_id: int) -> str:
    return store.participant(participant_id).pseudonym


def set_speaker(store, utterance_ids: list[int], who: int | str) -> int:
    """Give turns to another speaker (or to nobody: "unattributed"). Returns how many changed."""
    rows = [turn(store, uid) for uid in utterance_ids]
    if not rows:
        raise StudyError("no turn given")
    with store.command("turn_speaker", "") as rec:
        pid = speaker_id(store, rec, who)
        changed = [u for u in rows if u.participant_id != pid]
        for u in changed:
            rec.update("utterances", u.id, {"participant_id": pid})
        rec.summary = f"gave {len(changed)} turn{'s' * (len(changed) != 1)} to {_label(store, pid)}"
    store.forget_cached_turns()
    return len(changed)


def set_not_speech(store, utterance_ids: list[int], not_speech: bool = True) -> int:
    """Mark turns as not speech (a header, a note), or as speech again. Returns how many changed."""
    rows = [turn(store, uid) for uid in utterance_ids]
    if not rows:
        raise StudyError("no turn given")
    changed = [u for u in rows if u.not_speech != not_speech]
    what = "not speech" if not_speech else "speech"
    with store.command("turn_speech", f"marked {len(changed)} turn{'s' * (len(changed) != 1)} as {what}") as rec:
        for u in changed:
            rec.update("utterances", u.id, {"not_speech": int(not_speech)})
    store.forget_cached_turns()
    return len(changed)


def split_turn(store, utterance_id: int, at: int, who: int | str | None = None) -> tuple[int, int]:
    """Split a turn at character `at` of its source's text; the second half goes to `who` (default: the
    same speaker). White space at the cut belongs to neither half. Returns the ids of the two turns (the
    first keeps the turn's id, its codings are untouched: they index the text, not the turn)."""
    u = turn(store, utterance_id)
    text = store.source_text(u.source_id)
    first = trim_span(text, u.char_start, at)
    second = trim_span(text, at, u.char_end)
    if not (u.char_start < at < u.char_end) or first[0] >= first[1] or second[0] >= second[1]:
        raise StudyError("a turn is split between two of its words: put the cursor where the second part "
                         "starts (both parts need words)")
    later = store.db.execute("SELECT id, position FROM utterances WHERE source_id = ? AND position > ? "
                             "ORDER BY position DESC", [u.source_id, u.position]).fetchall()
    with store.command("split_turn", "") as rec:
        pid = u.participant_id if who is None else speaker_id(store, rec, who)
        for uid, position in later:  # make room after the turn, keeping the order
            rec.update("utterances", uid, {"position": position + 1})
        rec.update("utterances", u.id, {"char_end": first[1], "text": text[first[0]:first[1]],
                                        "words": len(text[first[0]:first[1]].split()), "end_ms": None})
        new_id = rec.insert("utterances", {
            "source_id": u.source_id, "participant_id": pid, "position": u.position + 1,
            "start_ms": None, "end_ms": u.end_ms, "char_start": second[0], "char_end": second[1],
            "text": text[second[0]:second[1]], "words": len(text[second[0]:second[1]].split()),
            "not_speech": int(u.not_speech)})
        words = " ".join(text[second[0]:second[1]].split()[:6])
        rec.summary = f"split a turn before '{words}…' ({_label(store, pid)} from there)"
    store.forget_cached_turns()
    return u.id, new_id


def find_in_turn(text: str, u: UtteranceRow, words: str, occurrence: int = 0) -> int:
    """The offset where `words` start inside turn `u` (the `occurrence`-th time, 1-based, when given)."""
    words = words.strip()
    starts, i = [], text.find(words, u.char_start, u.char_end) if words else -1
    while i >= 0:
        starts.append(i)
        i = text.find(words, i + 1, u.char_end)
    if not starts:
        raise StudyError(f"those words do not occur in that turn: {words!r}")
    if len(starts) > 1 and not occurrence:
        raise StudyError(f"those words occur {len(starts)} times in that turn; say which with --occurrence N")
    if occurrence and not 1 <= occurrence <= len(starts):
        raise StudyError(f"--occurrence must be 1 to {len(starts)}")
    return starts[(occurrence or 1) - 1]
