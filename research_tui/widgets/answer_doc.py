"""Every respondent's answer to one question, laid out as one document the transcript view can show.

Pure functions, no Textual: the answers (each `source.text[a:b]` of its respondent's source) are joined
into one text, one turn per answer; codings on those spans are shown at the matching places, and a
selection maps back to (source, start, end) exactly, one piece per answer it covers.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from coding.answers import Answer

from .transcript_layout import Span, TranscriptDoc, Turn

GAP = "\n\n"


@dataclass
class AnswerDoc:
    doc: TranscriptDoc
    answers: list[Answer]
    starts: list[int]  # where each answer starts in doc.text

    def to_source(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(source_id, start, end) pieces of a selection in the joined text, one per answer it covers."""
        out = []
        i = max(0, bisect_right(self.starts, start) - 1)
        while i < len(self.answers) and self.starts[i] < end:
            a = self.answers[i]
            lo = max(start, self.starts[i]) - self.starts[i]
            hi = min(end, self.starts[i] + len(a.text)) - self.starts[i]
            if lo < hi:
                out.append((a.source_id, a.char_start + lo, a.char_start + hi))
            i += 1
        return out

    def answer_at(self, offset: int) -> Answer | None:
        i = bisect_right(self.starts, offset) - 1
        return self.answers[i] if 0 <= i < len(self.answers) else None


def build_answer_doc(title: str, answers: list[Answer], labels: dict[int, str], codings, codes: dict,
                     *, empty_label: str = " (empty-looking)") -> AnswerDoc:
    """`labels` maps participant id -> what to show (name or pseudonym); `codings` are the study's
    codings on the answers' sources (others are ignored)."""
    parts, turns, starts = [], [], []
    pos = 0
    for a in answers:
        if parts:
            parts.append(GAP)
            pos += len(GAP)
        starts.append(pos)
        label = labels.get(a.participant_id, "?") + (empty_label if a.empty else "")
        turns.append(Turn(a.utterance_id, a.participant_id, label, "participant", "", pos, pos + len(a.text)))
        parts.append(a.text)
        pos += len(a.text)
    by_source: dict[int, list[int]] = {}
    for i, a in enumerate(answers):
        by_source.setdefault(a.source_id, []).append(i)
    spans = []
    for c in codings:
        for i in by_source.get(c.source_id, ()):
            a = answers[i]
            lo, hi = max(c.char_start, a.char_start), min(c.char_end, a.char_end)
            if lo < hi:
                code = codes[c.code_id]
                shift = starts[i] - a.char_start
                spans.append(Span(c.id, lo + shift, hi + shift, c.code_id, code.name, code.colour))
    doc = TranscriptDoc(-1, title, "".join(parts), turns, spans)
    return AnswerDoc(doc, answers, starts)
