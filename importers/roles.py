"""Who interviews: roles from labels, else the person who asks the questions in a source.

A label says it when it can ("Interviewer", "Q", "Moderator"). Otherwise the speaker who asks most of
the questions is taken as the interviewer when the evidence is clear, whatever the number of speakers:
a question is a turn whose last sentences end with "?" (not a tag like "you know?") or open with a
question word ("how", "could you", "tell me about"); the asker's question rate must be at least twice
everyone else's, and their turns shorter than everyone else's on average (or their short turns are
followed by long answers). A second person who asks in the same way (two interviewers) is taken too.
With three or more people answering, the asker is a moderator (a focus group). Every guess comes with
a note that says why; `--interviewer` and `participants role` override it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coding.models import Transcript

from .speakers import UNKNOWN, label_role

_OPENER = re.compile(
    r"(?:(?:so|and|but|okay|ok|right|great|alright|well|now|then|just|maybe)[,\s]+)*"
    r"(?:(?:what|how|why|where|when|who|which)\s+(?:do|does|did|is|was|are|were|would|could|can|will|have|has|"
    r"had|should|made|makes|happened|happens|kind|sort|about|else|long|often|much|many|come|not|one|part)|"
    r"could you|can you|would you|will you|do you|did you|have you|are you|were you|is there|was there|"
    r"are there|tell me|talk me through|walk me through|take me through|describe|explain|can i ask|"
    r"may i ask|i was wondering|any other|anything else)\b",
    re.IGNORECASE,
)
# question tags at the end of an answer ("..., you know?", "Right?") are not questions
_TAG = re.compile(r"(?:^|[,;-]\s*)(?:you know(?: what i mean)?|right|yeah|isn't it|don't you think|you see|ok|"
                  r"okay|eh|huh|no|yes|innit)\W*$", re.IGNORECASE)
_LONG = 60  # words: in a longer turn only the last sentence can make it a question
_SENTENCES = re.compile(r"[^.!?…]+[.!?…]*")


def is_question(words: str) -> bool:
    """A turn that asks: one of its last two sentences ends with '?' (not a tag), or its last sentence
    opens with a question word."""
    sentences = [s.strip() for s in _SENTENCES.findall(" ".join(words.split())) if s.strip(" .,")]
    if not sentences:
        return False
    last = sentences[-2:] if len(words.split()) <= _LONG else sentences[-1:]
    for sentence in last:
        core = sentence.rstrip("\"'”’)] ")
        if core.endswith("?") and not _TAG.search(core.rstrip("?.… ")):
            return True
    return bool(_OPENER.match(sentences[-1].lstrip("\"'“‘([ ")))


@dataclass
class Asking:
    """How one speaker talks in one source."""

    turns: int = 0
    questions: int = 0
    words: int = 0
    prompts: int = 0  # turns followed by another speaker's turn at least twice as long

    @property
    def rate(self) -> float:
        return self.questions / self.turns if self.turns else 0.0

    @property
    def per_turn(self) -> float:
        return self.words / self.turns if self.turns else 0.0


def asking(t: Transcript) -> dict[str, Asking]:
    """Per speaker (not "Unknown speaker"): turns, questions, words and prompts."""
    stats: dict[str, Asking] = {}
    said = [(u.speaker, t.text[u.start:u.end]) for u in t.utterances]
    for i, (speaker, words) in enumerate(said):
        if speaker == UNKNOWN:
            continue
        s = stats.setdefault(speaker, Asking())
        n = len(words.split())
        s.turns += 1
        s.words += n
        s.questions += is_question(words)
        if i + 1 < len(said) and said[i + 1][0] not in (speaker, UNKNOWN) and len(said[i + 1][1].split()) >= 2 * n:
            s.prompts += 1
    return stats


def _pooled(stats: dict[str, Asking], names) -> Asking:
    out = Asking()
    for name in names:
        s = stats[name]
        out.turns += s.turns
        out.questions += s.questions
        out.words += s.words
    return out


def _asks(me: Asking, rest: Asking) -> bool:
    """Clearly the one asking, compared with the rest pooled: twice their question rate, in shorter turns
    or turns that draw long answers; or (a focus group, where answers are short too) asking most turns."""
    shorter = me.per_turn < rest.per_turn or me.prompts >= max(2, me.turns // 2)
    overwhelming = me.questions >= 3 and me.rate >= 0.5 and me.rate >= 4 * rest.rate
    return me.questions >= 2 and me.rate >= 0.25 and me.rate >= 2 * rest.rate and (shorter or overwhelming)


def _why(name: str, me: Asking, rest: Asking, total: int, role: str) -> str:
    turns = (f"in shorter turns ({me.per_turn:.0f} words vs {rest.per_turn:.0f})" if me.per_turn < rest.per_turn
             else f"in turns of {me.per_turn:.0f} words (the others {rest.per_turn:.0f})")
    return (f"guessed {name!r} is the {role}: {me.questions} of {me.turns} turns are questions "
            f"(the others {rest.questions} of {rest.turns}), {me.questions} of the {total} questions, {turns}")


def guess_roles(t: Transcript, *, heuristic: bool = True) -> tuple[dict[str, str], list[str]]:
    """Roles from labels; else whoever clearly asks the questions (one or two people), with why."""
    speakers = [s for s in t.speakers if s != UNKNOWN]
    roles: dict[str, str] = {}
    for s in speakers:
        role = label_role(s, n_speakers=len(speakers))
        if role:
            roles[s] = role
    if roles:
        return roles, [f"{name!r} is the {role} (from the label)" for name, role in roles.items()]
    if not heuristic or len(speakers) < 2:
        return {}, []
    stats = asking(t)
    total = sum(s.questions for s in stats.values())
    order = sorted(speakers, key=lambda s: (-stats[s].questions, stats[s].per_turn))
    first = order[0]
    rest = [s for s in speakers if s != first]
    if not _asks(stats[first], _pooled(stats, rest)):
        return {}, []
    askers = [first]
    if len(rest) >= 2:  # a second interviewer asks like the first, compared with those who answer
        second = order[1]
        answering = [s for s in rest if s != second]
        if stats[second].rate >= 0.3 and _asks(stats[second], _pooled(stats, answering)):
            askers.append(second)
    answering = [s for s in speakers if s not in askers]
    role = "moderator" if len(answering) >= 3 else "interviewer"
    notes = [_why(a, stats[a], _pooled(stats, answering), total, role) for a in askers]
    return {a: role for a in askers}, notes
