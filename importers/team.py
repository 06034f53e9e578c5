"""The research team across the files of one import: interviewers and team members, each one person.

A speaker label that recurs across files may be one person (the interviewer `A1` of academic
`P1 0:00` / `A1 0:10` transcripts) or a label each file gives to someone else (`P1`, the person
interviewed in each file; "Speaker 2" of a diarized call). What a label does across the import decides:

- `settle_interviewers`: a label that interviews in most of the files it speaks in is the interviewer in
  all of them, one person, also in a file where it only listened. A file where someone else was only
  guessed to be the interviewer gives the role back to its own participant (who asked questions back);
  anyone else who asks the questions there (a colleague who led that one interview) stays an interviewer.
- `settle_team`: a label that speaks in most files of the import and is not the file's own participant
  in them (a co-interviewer, a note-taker, a moderator's assistant) is a team member (role `team`), one
  person across the files, not counted as a participant.

A file's own participants are the people it is about: the speakers outside the team who say at least
`OWN_SHARE` of what the most talkative of them says (everyone in a focus group, the interviewee alone in
an interview with a note-taker). Diarization labels ("Speaker 2") and labels that say they are
participants ("Participant 3", "Respondent") differ per call and are never taken as one person.
"""

from __future__ import annotations

import re
from collections import Counter

from coding.importing.transcript import word_count
from coding.models import Transcript

from .speakers import UNKNOWN, label_role, merge_key

DIARIZED = re.compile(r"^(?:speaker|unknown speaker|unknown|spk|guest)\s*\d*$", re.IGNORECASE)
_SAYS_PARTICIPANT = re.compile(r"\b(?:participant|respondent|interviewee|patient|customer|client|user)s?\b",
                               re.IGNORECASE)
ASKING = ("interviewer", "moderator")
NOT_PARTICIPANTS = (*ASKING, "team", "observer")
OWN_SHARE = 0.2  # of the words of the file's most talkative speaker outside the team


def _recurring(talks: list[Transcript]) -> tuple[dict[str, list[Transcript]], dict[str, Counter]]:
    """merge key -> the files a label speaks in, and its spellings; labels that differ per call left out."""
    files: dict[str, list[Transcript]] = {}
    names: dict[str, Counter] = {}
    for t in talks:
        for s in t.speakers:
            if s != UNKNOWN and not DIARIZED.match(s):
                files.setdefault(merge_key(s), []).append(t)
                names.setdefault(merge_key(s), Counter())[s] += 1
    return files, names


def _speaker(t: Transcript, key: str) -> str:
    return next(s for s in t.speakers if merge_key(s) == key)


def _words(t: Transcript) -> Counter:
    out: Counter = Counter()
    for u in t.utterances:
        out[u.speaker] += word_count(t.text[u.start:u.end])
    return out


def own_participants(t: Transcript, team: set[str]) -> set[str]:
    """The speakers a file is about: outside the `team` (merge keys) and not asking or on the team there,
    with at least OWN_SHARE of the words of the most talkative of them. When every one of them asked (an
    interviewee who only asked questions back), the most talkative speaker outside the team."""
    words = _words(t)
    outside = [s for s in t.speakers if s != UNKNOWN and merge_key(s) not in team]
    answering = [s for s in outside if t.roles.get(s) not in NOT_PARTICIPANTS]
    if not answering:
        return {max(outside, key=lambda s: words[s])} if outside else set()
    top = max(words[s] for s in answering)
    return {s for s in answering if words[s] >= OWN_SHARE * top}


def settle_interviewers(transcripts: list[Transcript]) -> list[str]:
    """A label that interviews in most of the files it speaks in (two or more) is the interviewer in all
    of them, one person across the import (see the module's docstring)."""
    talks = [t for t in transcripts if t.format != "csv"]
    files, names = _recurring(talks)
    notes: list[str] = []
    for key, ts in files.items():
        interviewing = [t for t in ts if _role_of(t, key) in ASKING]
        if len(ts) < 2 or len(interviewing) < 2 or 2 * len(interviewing) <= len(ts):
            continue
        label = names[key].most_common(1)[0][0]
        role = Counter(_role_of(t, key) for t in interviewing).most_common(1)[0][0]
        changed = []
        for t in ts:
            speaker = _speaker(t, key)
            if t.roles.get(speaker) in ASKING:
                continue
            others = [s for s, r in t.roles.items() if r in ASKING]
            if any(label_role(s, n_speakers=len(t.speakers)) for s in others):
                continue  # someone labelled "Interviewer" is there
            own = own_participants(t, {key})
            given_back = [s for s in others if s in own]
            for s in given_back:
                del t.roles[s]
            t.roles[speaker] = role
            why = f"'{label}' interviews in {len(interviewing)} of the {len(ts)} files of this import"
            kept = [s for s in others if s not in own]
            for s in kept:  # counted without the team, who answers decides: two or fewer, an interview
                t.roles[s] = "moderator" if len(own) >= 3 else "interviewer"
            also = t.roles[kept[0]] if kept else ""
            t.notes.append(f"{speaker!r} taken as the {role}: {why}"
                           + (f" ({', '.join(map(repr, given_back))} is a participant here)" if given_back else "")
                           + (f" ({', '.join(map(repr, kept))}, who asks the questions here, stays "
                              f"{'an' if also == 'interviewer' else 'a'} {also} too)" if kept else ""))
            changed.append(t.filename)
        if changed:
            notes.append(f"'{label}' interviews in {len(interviewing)} of the {len(ts)} files it speaks in: "
                         f"one {role} across them, also in {_some(changed)}")
    return notes


def settle_team(transcripts: list[Transcript]) -> list[str]:
    """A label that speaks in most files of the import (two or more), interviews in fewer than half of
    them and is the file's own participant in fewer than half is a team member in all of them, one person
    (see the module's docstring)."""
    talks = [t for t in transcripts if t.format != "csv" and t.utterances]
    files, names = _recurring(talks)
    asking = {key for key, ts in files.items() if all(_role_of(t, key) in ASKING for t in ts)}
    notes: list[str] = []
    for key, ts in files.items():
        label = names[key].most_common(1)[0][0]
        if len(ts) < 2 or 2 * len(ts) <= len(talks) or _SAYS_PARTICIPANT.search(label):
            continue
        if 2 * sum(_role_of(t, key) in ASKING for t in ts) >= len(ts):
            continue  # an interviewer (settled above, or named by the user)
        own = [t for t in ts if _speaker(t, key) in own_participants(t, asking)]
        if 2 * len(own) >= len(ts):
            continue
        for t in ts:
            t.roles[_speaker(t, key)] = "team"
        share = max(_words(t)[_speaker(t, key)] / max(1, sum(_words(t).values())) for t in ts)
        where = "none of them" if not own else f"{len(own)} of them ({_some([t.filename for t in own])})"
        notes.append(f"'{label}' speaks in {len(ts)} of the {len(talks)} files of this import and is the one "
                     f"interviewed in {where} (at most {share:.0%} of a file's words): one team member "
                     "across them, such as a co-interviewer or note-taker, not counted as a participant "
                     f"(`research-tui participants STUDY role '{label}' participant` if wrong)")
    return notes


def _some(names: list[str], shown: int = 10) -> str:
    """'a, b, c', or the first `shown` and 'and 19,990 more': one line, however big the import."""
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _role_of(t: Transcript, key: str) -> str | None:
    return next((r for s, r in t.roles.items() if merge_key(s) == key), None)


__all__ = ["DIARIZED", "NOT_PARTICIPANTS", "own_participants", "settle_interviewers", "settle_team"]
