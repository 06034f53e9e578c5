"""Autocoding: code every candidate quote that matches a phrase or a regular expression, as one command.

    matches(store, code, *, phrase=None, regex=None, speaker=None) -> AutocodePlan
    autocode(store, code, *, phrase=None, regex=None, speaker=None) -> AutocodePlan (applied)

A match codes the *whole* candidate quote (a sentence, see `segments`), never a fragment, so an
autocoded quote reads like a hand-coded one. Matching ignores case; a phrase matches whole words with
any white space between them ("on hold" matches "On  hold," but not "uphold"). Interviewer and
moderator turns are left out unless `speaker` names one of them. Quotes that codings of the code
already cover (at least half) are skipped. Each coding's memo says which rule made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..codebook import find_code, get_code
from ..codings import coding_values, is_duplicate, list_codings
from ..models import StudyError
from ..people import find_participant
from .segments import Candidate, candidates
from .spans import COVER, coverage


@dataclass(frozen=True)
class AutocodePlan:
    code_id: int
    code: str
    rule: str                          # 'phrase "on hold"' | 'regex "wait(ed|ing)"'
    quotes: tuple[Candidate, ...]      # to code (or coded, once applied)
    already: int                       # matches skipped: already coded with the code
    added: int = 0


def pattern(*, phrase: str | None = None, regex: str | None = None) -> tuple[re.Pattern, str]:
    if (phrase is None) == (regex is None):
        raise StudyError("give one of --phrase or --regex")
    if phrase is not None:
        words = phrase.split()
        if not words:
            raise StudyError("the phrase is empty")
        body = r"\s+".join(re.escape(w) for w in words)
        return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE), f'phrase "{" ".join(words)}"'
    try:
        compiled = re.compile(regex, re.IGNORECASE)
    except re.error as exc:
        raise StudyError(f"invalid regular expression {regex!r}: {exc}") from exc
    if compiled.search(""):
        raise StudyError(f"the regular expression {regex!r} matches empty text: it would code every quote")
    return compiled, f'regex "{regex}"'


def matches(store, code: str | int, *, phrase: str | None = None, regex: str | None = None,
            speaker: str | None = None) -> AutocodePlan:
    """What `autocode` would code, without changing the study."""
    target = get_code(store, code) if isinstance(code, int) else find_code(store, code)
    compiled, rule = pattern(phrase=phrase, regex=regex)
    person = find_participant(store, speaker) if speaker else None
    pool = candidates(store, include_interviewers=person is not None and person.role != "participant")
    if person is not None:
        pool = [c for c in pool if c.participant_id == person.id]
        rule += f", speaker {person.label(store.anonymize)}"
    found = [c for c in pool if compiled.search(c.text)]
    shares, _touched = coverage(found, list_codings(store, code=target.id))
    todo = tuple(c for c, s in zip(found, shares) if s.get(target.id, 0.0) < COVER)
    return AutocodePlan(target.id, target.name, rule, todo, len(found) - len(todo))


def autocode(store, code: str | int, *, phrase: str | None = None, regex: str | None = None,
             speaker: str | None = None) -> AutocodePlan:
    """Code every match as one undoable command; returns the plan with `added` set."""
    plan = matches(store, code, phrase=phrase, regex=regex, speaker=speaker)
    if not plan.quotes:
        return plan
    memo = f"autocoded: {plan.rule}"
    with store.command("autocode", f"autocoded {len(plan.quotes)} quotes as {plan.code} ({plan.rule})") as rec:
        added = 0
        for c in plan.quotes:
            values = coding_values(store, c.source_id, c.start, c.end, plan.code_id, memo, "human", None)
            if not is_duplicate(store, values):
                rec.insert("codings", values)
                added += 1
    return AutocodePlan(plan.code_id, plan.code, plan.rule, plan.quotes, plan.already, added)
