"""WebVTT captions (Teams `<v Name>`, Zoom `Name: text`) read with webvtt-py; shared with srt.py.

Consecutive cues of one speaker merge into one turn (start of the first, end of the last); each cue's words
and times are kept in `Transcript.cues`, so a quote inside a long turn has the times of its own cues. A cue
with no speaker continues the previous one, or is "Unknown speaker" at the start.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from coding.models import ImportFailed, Transcript

from . import speakers
from .encoding import normalize_newlines, xml_safe
from .speakers import UNKNOWN, Turn, clean_label, looks_like_name, merge_key

_VOICE = re.compile(r"<v(?:\.[\w-]+)*(?:\s+([^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>|</v>")
_PREFIX = re.compile(r"(?P<label>[^:]{1,40}?)\s*:\s+(?P<rest>\S.*)$", re.DOTALL)
_VTT_TIMING = re.compile(r"\s*(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}")
_SRT_TIMING = re.compile(r"\s*\d+:\d{1,2}:\d{1,2}[,.]\d+\s*-->\s*\d+:\d{1,2}:\d{1,2}[,.]\d+")


@dataclass
class Cue:
    start_ms: int
    end_ms: int
    raw: str  # cue text with tags


def _clean(raw: str) -> str:
    """Strip cue tags, decode entities, unwrap caption lines into one line."""
    return " ".join(xml_safe(html.unescape(_TAG.sub("", raw))).split())


def _segments(raw: str) -> list[tuple[str | None, str]]:
    """Split a cue's raw text at `<v Name>` tags: [(voice or None, cleaned text)]."""
    out: list[tuple[str | None, str]] = []
    voice: str | None = None
    pos = 0
    for m in _VOICE.finditer(raw):
        out.append((voice, _clean(raw[pos : m.start()])))
        voice = clean_label(html.unescape(m.group(1) or "")) or None
        pos = m.end()
    out.append((voice, _clean(raw[pos:])))
    return [(v, t) for v, t in out if t]


def cues_to_transcript(
    cues: list[Cue], *, name: str, format: str, notes: list[str], interviewer: list[str] | None = None
) -> Transcript:
    pieces: list[tuple[str | None, str, Cue]] = []
    for cue in cues:
        for voice, words in _segments(cue.raw):
            pieces.append((voice, words, cue))
    if not pieces:
        raise ImportFailed("no caption text in the file", path=name)
    # Zoom writes `Name: words`; a prefix counts as a speaker when it looks like a name and recurs,
    # or, seen once, passes speakers.accept_once ("Note: the time was 10:30" does not)
    prefixed = {}
    for i, (voice, words, _) in enumerate(pieces):
        m = None if voice else _PREFIX.match(words)
        if m and looks_like_name(m["label"]):
            prefixed[i] = (clean_label(m["label"]), m["rest"])
    counts = Counter(merge_key(label) for label, _ in prefixed.values())
    recurring = {k for k, n in counts.items() if n >= 2}
    turns: list[Turn] = []
    spans: list[list[tuple[int, int, int, int]]] = []  # per turn: each cue's (offset, length, start, end)
    for i, (voice, words, cue) in enumerate(pieces):
        speaker = voice
        if i in prefixed:
            label, rest = prefixed[i]
            key = merge_key(label)
            if counts[key] >= 2 or speakers.accept_once(key, rest, recurring_others=len(recurring - {key})):
                speaker, words = label, rest
        if speaker is None:
            speaker = turns[-1].speaker if turns else UNKNOWN
        if turns and turns[-1].speaker == speaker:
            spans[-1].append((len(turns[-1].words) + 1, len(words), cue.start_ms, cue.end_ms))
            turns[-1].words += " " + words
            turns[-1].end_ms = cue.end_ms
        else:
            spans.append([(0, len(words), cue.start_ms, cue.end_ms)])
            turns.append(Turn(speaker, words, cue.start_ms, cue.end_ms))
    text, utterances = speakers.render(turns)
    t = Transcript(Path(name).stem, name, format, text, utterances, notes=list(notes))
    t.cues = [(u.start + off, u.start + off + n, start_ms, end_ms)  # each cue's words in the source text
              for u, turn_spans in zip(utterances, spans) for off, n, start_ms, end_ms in turn_spans]
    t.metadata["cues"] = len(cues)
    return speakers.finish(t, interviewer)


def bad_timing_lines(text: str, timing: re.Pattern) -> list[tuple[int, str]]:
    """Lines with '-->' that webvtt-py cannot read as cue timings (it skips those cues silently)."""
    bad = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" not in line:
            continue
        m = timing.match(line)
        if not m or any(int(x) > 59 for x in re.findall(r":(\d+)(?=[:.,])", m.group(0))):
            bad.append((number, line.strip()))
    return bad


def orphan_blocks(text: str, *, srt: bool) -> list[tuple[int, str]]:
    """Blocks of caption text with no timing line: webvtt-py drops them (vtt) or glues them to the
    previous cue (srt). Returns (line number, first line)."""
    out, block, start = [], [], 0
    for number, line in enumerate(text.split("\n") + [""], start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line.strip())
            continue
        if block and not any("-->" in b for b in block) and start > 1:
            head = block[0]
            known = head.startswith(("NOTE", "STYLE", "REGION", "WEBVTT")) or "{" in head or "}" in head
            if srt and head.isdigit() and len(block) > 1 or not srt and not known:
                out.append((start, head))
        block = []
    return out


def require_captions(captions, bad: list[tuple[int, str]], name: str) -> None:
    """No readable cue at all: name the first unreadable timing line if there is one."""
    if captions:
        return
    if bad:
        n, line = bad[0]
        raise ImportFailed(f"unreadable cue timing {line[:60]!r}", path=name, line=n)
    raise ImportFailed("no captions in the file", path=name)


def skipped_note(bad: list[tuple[int, str]], what: str = "skipped cues with unreadable times") -> list[str]:
    if not bad:
        return []
    shown = ", ".join(f"line {n} ({line[:40]!r})" for n, line in bad[:3])
    more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
    return [f"{what} ({len(bad)}): {shown}{more}"]


def to_cues(captions) -> list[Cue]:
    return [Cue(c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.raw_text) for c in captions]


def read_vtt(text: str, *, name: str, interviewer: list[str] | None = None) -> Transcript:
    """A WebVTT file (Teams, Zoom, YouTube ...)."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    text = normalize_newlines(text)
    if not text.strip():
        raise ImportFailed("empty file", path=name)
    first = text.lstrip("\n")
    skipped = len(text) - len(first)
    if not first.startswith("WEBVTT"):
        raise ImportFailed(
            "not a WebVTT file: the first line must start with 'WEBVTT'", path=name, line=skipped + 1
        )
    try:
        captions = webvtt.from_buffer(io.StringIO(first)).captions
    except (MalformedFileError, MalformedCaptionError, ValueError, TypeError) as exc:
        raise ImportFailed(f"malformed WebVTT: {exc}", path=name) from None
    bad = [(n + skipped, line) for n, line in bad_timing_lines(first, _VTT_TIMING)]
    require_captions(captions, bad, name)
    orphans = [(n + skipped, line) for n, line in orphan_blocks(first, srt=False)]
    notes = skipped_note(bad) + skipped_note(orphans, "skipped text with no cue timing")
    return cues_to_transcript(
        to_cues(captions), name=name, format="vtt", notes=notes, interviewer=interviewer
    )
