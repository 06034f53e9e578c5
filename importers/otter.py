"""Otter.ai exports: the header block before the first turn, and the irregular labels Otter writes.

Otter's .txt and .docx exports begin with a title and date, then `SUMMARY KEYWORDS` and a line of
comma-separated keywords, then `SPEAKERS` and a line of the speakers' labels; they end with
"Transcribed by https://otter.ai". The header is kept as the source's metadata (`keywords`,
`speakers`), never speech. Between turns Otter sometimes writes a speaker's name with no time, or a
time with no name: `text.parse_turns` starts a turn at both, and the notes here count them for the
import report, with the lines to check.
"""

from __future__ import annotations

from .speakers import COMMON_WORDS, NON_SPEECH, UNKNOWN, clean_label, merge_key

_HEADS = {"summary keywords": "keywords", "keywords": "keywords", "speakers": "speakers"}
_NOT_PEOPLE = COMMON_WORDS | NON_SPEECH


def otter_head(body: str) -> str | None:
    """'SUMMARY KEYWORDS' / 'SPEAKERS' (also as a Word heading or in bold) -> 'keywords' / 'speakers'."""
    if len(body) > 40:  # two words at most, with markup: skip the split of every long line
        return None
    key = " ".join(body.lstrip("#").strip().strip("*_:").split()).casefold()
    return _HEADS.get(key) if body.lstrip("#* ").isupper() or body.startswith("#") else None


def header_block(lines: list, text: str, metadata: dict) -> set[str]:
    """Read Otter's header block (before the first turn) into metadata; its lines become "meta".

    Returns the merge keys of the speakers it lists: a name alone on a line later starts their turn.
    """
    known: set[str] = set()
    i = 0
    while i < len(lines):
        ln = lines[i]
        c = ln.cand
        if c is not None and (c.words is not None or c.ts is not None) and c.key not in _NOT_PEOPLE:
            break  # the first turn: a header block comes before it
        if not ln.kind.startswith("head:"):
            i += 1
            continue
        field_name = ln.kind[5:]
        ln.kind = "meta"
        values: list[str] = []
        i += 1
        while i < len(lines) and lines[i].kind == "text" and (lines[i].cand is None or not values) \
                and not (lines[i].cand is not None and lines[i].cand.ts is not None):
            values.append(text[lines[i].start:lines[i].end])
            lines[i].kind, lines[i].cand = "meta", None
            i += 1
            if field_name == "speakers" or "," in values[-1]:
                break  # one line of comma-separated values
        items = [v.strip() for v in ",".join(values).split(",") if v.strip()]
        metadata[field_name] = items
        if field_name == "speakers":
            known |= {merge_key(clean_label(v)) for v in items}
    return known


def unnamed_turns(parsed, text: str) -> None:
    """A paragraph stamped with a time but no name keeps the previous speaker, unless the talk says
    otherwise: in a two-person talk, a paragraph between two turns of one speaker, the first ending with
    a question, is the other person's answer."""
    spans = parsed.spans
    people = list(dict.fromkeys(s.speaker for s in spans if s.time_line is None and s.speaker != UNKNOWN))
    by_key = {merge_key(p): p for p in people}
    for i, span in enumerate(spans):
        if span.time_line is None:
            continue
        prev, nxt = spans[i - 1] if i else None, spans[i + 1] if i + 1 < len(spans) else None
        if (len(by_key) == 2 and prev is not None and nxt is not None and prev.time_line is None
                and nxt.time_line is None and merge_key(prev.speaker) == merge_key(nxt.speaker)
                and text[prev.start:prev.end].rstrip().rstrip("\"'”’)]. ").endswith("?")):
            other = next(p for k, p in by_key.items() if k != merge_key(prev.speaker))
            span.speaker = other
            parsed.time_lines_moved.append((span.time_line, other))
        else:
            parsed.time_lines.append(span.time_line)


def _line_list(numbers: list[int], limit: int = 12) -> str:
    shown = ", ".join(map(str, numbers[:limit]))
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{', …' if len(numbers) > limit else ''}"


def irregular_label_notes(parsed, *, where: str = "line") -> list[str]:
    """Import-report lines for Otter's irregular labels, with where to check them."""
    notes = []
    alone = "alone on a line" if where == "line" else "alone in a paragraph"

    def at(numbers: list[int]) -> str:
        return _line_list(numbers).replace("line", where)

    if parsed.name_lines:
        n = len(parsed.name_lines)
        notes.append(f"{n} speaker name{'s' if n != 1 else ''} {alone} (no time) started a turn: "
                     f"{at(parsed.name_lines)}")
    if parsed.time_lines:
        n = len(parsed.time_lines)
        notes.append(f"{n} time{'s' if n != 1 else ''} with no speaker name kept the previous speaker "
                     f"(check them): {at(parsed.time_lines)}")
    if parsed.time_lines_moved:
        n = len(parsed.time_lines_moved)
        who = ", ".join(sorted({repr(speaker) for _, speaker in parsed.time_lines_moved}))
        notes.append(f"{n} time{'s' if n != 1 else ''} with no speaker name answered a question between two "
                     f"turns of the other person, so {'they went' if n != 1 else 'it went'} to {who}: "
                     f"{at([line for line, _ in parsed.time_lines_moved])}")
    return notes
