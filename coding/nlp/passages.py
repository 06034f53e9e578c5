"""Passages: the researcher's unit of coding, built from candidate quotes.

Researchers code passages (a few sentences of one answer, often read against the question asked), not
single sentences. Suggestions are learned and made in that unit:

    contexts(store, cands, *, around=2) -> list[Context]
        for each candidate quote: its turn, the question the interviewer last asked before that turn
        (a survey answer: its question), and a window of the candidate with its neighbours in the turn
    runs(rows, cands, contexts) -> list[list[int]]
        adjacent candidates of one turn, in reading order: the passages a suggestion may span

A question is the interviewer's (or moderator's) last turn before the answer that asks something
(holds a "?"); failing that, their last turn with content. Interviewer turns are never passages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .segments import Candidate, candidate_turns

AROUND = 2          # neighbours on each side in a candidate's window
MAX_QUESTION = 600  # characters of a long question kept (its end: where the question is asked)


@dataclass(frozen=True)
class Context:
    turn: int          # the utterance the candidate is in
    question: str      # what the participant was answering ("" when nothing was asked before)
    window: str        # the candidate with up to `around` neighbours on each side, same turn


def _questions_by_turn(store, turns: set[int]) -> dict[int, str]:
    """For each participant turn in `turns`, the question it answers."""
    people = {p.id: p.role for p in store.participants()}
    survey = dict(store.db.execute("SELECT id, text FROM questions").fetchall())
    out: dict[int, str] = {}
    by_source: dict[int, list] = defaultdict(list)
    for u in store.utterances():
        by_source[u.source_id].append(u)
    for rows in by_source.values():
        rows.sort(key=lambda u: u.char_start)
        asked = said = ""
        for u in rows:
            if people.get(u.participant_id) not in ("participant", None) and not u.not_speech:
                text = u.text.strip()
                if "?" in text:
                    asked = text
                elif len(text.split()) >= 4:
                    said = text
                continue
            if u.id in turns:
                if u.question_id is not None and u.question_id in survey:
                    out[u.id] = survey[u.question_id] or ""
                else:
                    out[u.id] = (asked or said)[-MAX_QUESTION:]
    return out


def contexts(store, cands: list[Candidate], *, around: int = AROUND) -> list[Context]:
    """One `Context` per candidate, in the order of `cands`."""
    where = candidate_turns(store)
    turn_of = [where[c.id][0] if c.id in where else -1 - k for k, c in enumerate(cands)]
    members: dict[int, list[int]] = defaultdict(list)
    for k, t in enumerate(turn_of):
        members[t].append(k)
    questions = _questions_by_turn(store, {t for t in turn_of if t >= 0})
    windows = [""] * len(cands)
    for ks in members.values():
        ks.sort(key=lambda k: cands[k].start)
        for p, k in enumerate(ks):
            windows[k] = " ".join(cands[j].text for j in ks[max(0, p - around):p + around + 1])
    return [Context(t, questions.get(t, ""), w) for t, w in zip(turn_of, windows)]


def runs(rows: list[int], cands: list[Candidate], ctx: list[Context]) -> list[list[int]]:
    """`rows` (indices into `cands`) grouped into runs of adjacent candidates of one turn, reading order.
    Adjacent: next to each other among that turn's candidates (nothing of the turn between them)."""
    order: dict[int, list[int]] = defaultdict(list)
    for k in range(len(cands)):
        order[ctx[k].turn].append(k)
    place = {}
    for ks in order.values():
        ks.sort(key=lambda k: cands[k].start)
        place.update((k, p) for p, k in enumerate(ks))
    out: list[list[int]] = []
    for k in sorted(rows, key=lambda k: (cands[k].source_id, cands[k].start)):
        last = out[-1][-1] if out else None
        if last is not None and ctx[last].turn == ctx[k].turn and place[k] == place[last] + 1:
            out[-1].append(k)
        else:
            out.append([k])
    return out


def span_of(run: list[int], cands: list[Candidate]) -> tuple[int, int]:
    return cands[run[0]].start, cands[run[-1]].end
