"""Labelled lines that are not a person speaking: titles repeated above every comment, and a one-off
`Word: words` line deep in a long text. Each rule clears `cand` on the lines it rules out."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .text import _Line as Line


def repeated_titles(lines: list[Line], text: str) -> list[str]:
    """Labels that head the same line again and again ("PSZ: Strikes may close schools" above every
    comment on that video in a dump of comments): a title or a heading, not a person speaking. A label is
    one when at least 3 of its lines carry 4 or more words, they are most of its lines, and they say at
    most a third as many different things as there are of them (someone who says "Mm-hmm." forty times
    says few words; no one says the same full sentence over and over). Their lines become plain text."""
    said: dict[str, list[str]] = {}
    for ln in lines:
        if ln.cand is not None:
            c = ln.cand
            said.setdefault(c.key, []).append(" ".join(text[c.words[0]:c.words[1]].split()) if c.words else "")
    titles = set()
    for key, rests in said.items():
        long = [r for r in rests if len(r.split()) >= 4]
        if len(long) >= 3 and 2 * len(long) >= len(rests) and 3 * len(set(long)) <= len(long):
            titles.add(key)
    if not titles:
        return []
    labels = []
    for ln in lines:
        if ln.cand is not None and ln.cand.key in titles:
            if ln.cand.label not in labels:
                labels.append(ln.cand.label)
            ln.cand = None
    return labels


LONG_TEXT = 50  # text lines: past this, a text where no label recurs is no labelled conversation


def once_in_a_long_text(lines: list[Line], counts: Counter) -> None:
    """No one speaks twice: in a long text a `Word: words` line past its first lines ("Update: it crashed
    again" in a diary, "Magyarul: ..." in a comment) is part of the text, not a new speaker. A label on one
    of the first three lines still names who speaks (a monologue headed `Participant 7: ...`)."""
    text_lines = [ln for ln in lines if ln.kind == "text"]
    if len(text_lines) <= LONG_TEXT:
        return
    for ln in text_lines[3:]:
        if ln.cand is not None:
            counts[ln.cand.key] -= 1
            ln.cand = None
    for key in [k for k, n in counts.items() if n <= 0]:
        del counts[key]
