"""SubRip (.srt) captions, read with webvtt-py; speakers and turns as in vtt.py."""

from __future__ import annotations

import io

from coding.models import ImportFailed, Transcript

from .encoding import normalize_newlines
from .vtt import (
    _SRT_TIMING,
    bad_timing_lines,
    cues_to_transcript,
    orphan_blocks,
    require_captions,
    skipped_note,
    to_cues,
)


def read_srt(text: str, *, name: str, interviewer: list[str] | None = None) -> Transcript:
    """An .srt file: numbered cues, `Name:` prefixes or `<v Name>` tags for speakers."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    text = normalize_newlines(text)
    if not text.strip():
        raise ImportFailed("empty file", path=name)
    body = text.lstrip()
    skipped = text[: len(text) - len(body)].count("\n")
    try:
        captions = webvtt.from_buffer(io.StringIO(body), format="srt").captions
    except MalformedFileError:
        raise ImportFailed(
            "not an SRT file: it must start with a cue number and a '00:00:01,000 --> 00:00:02,000' line",
            path=name,
            line=skipped + 1,
        ) from None
    except (MalformedCaptionError, ValueError, TypeError) as exc:
        raise ImportFailed(f"malformed SRT: {exc}", path=name) from None
    bad = [(n + skipped, line) for n, line in bad_timing_lines(body, _SRT_TIMING)]
    require_captions(captions, bad, name)
    orphans = [(n + skipped, line) for n, line in orphan_blocks(body, srt=True)]
    notes = skipped_note(bad) + skipped_note(
        orphans, "cue numbers with no timing (text joined to the cue before)"
    )
    return cues_to_transcript(
        to_cues(captions), name=name, format="srt", notes=notes, interviewer=interviewer
    )
