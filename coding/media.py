"""Recordings behind the transcripts: a source linked to its audio or video file, times of quotes in it.

A source has at most one recording (the `source_media` table): its path is kept relative to the study's
folder when the file is inside it (a study and its recordings move together), else absolute. Linking and
unlinking are undoable commands. `match_recordings` pairs transcripts with the recordings in a folder by
name (`interview_03.vtt` ↔ `interview_03.m4a`; Zoom's `…Recording.transcript.vtt` ↔ `…Recording.m4a`).

Times. A quote's time span comes from the captions it lies in: WebVTT and SRT cues keep their own times
(`cues`), and inside a cue a point's time is its share of the cue's characters; a transcript with
timestamps only at the start of turns ends a turn where the next begins, and a point inside it takes its
share of the turn's time. Sources without times (Word, plain text without timestamps) cannot be played from a
turn or cut into clips: `quote_span` says why.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .models import StudyError, UtteranceRow
from .study.actionlog import now

AUDIO = (".mp3", ".m4a", ".wav", ".aac", ".ogg", ".oga", ".opus", ".flac", ".wma")
VIDEO = (".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".wmv")
MEDIA_SUFFIXES = AUDIO + VIDEO
# parts of a transcript's name that its recording's name does not have (Zoom, Teams, Otter, Rev exports)
_TRANSCRIPT_TAIL = re.compile(r"([._ -](transcript|transcription|captions?|subtitles?|otter(\.ai)?|rev)"
                              r"|[._-][a-z]{2}(-[a-z]{2})?)+$", re.IGNORECASE)
# parts of a recording's name its transcript does not have (resolution, "audio only", a take number)
_MEDIA_TAIL = re.compile(r"([._ -](\d{3,4}x\d{3,4}|audio( ?only)?|video|gallery|speaker(view)?|shared ?screen.*)"
                         r")+$", re.IGNORECASE)


def is_video(path: Path | str) -> bool:
    return Path(path).suffix.lower() in VIDEO


# -- linking ----------------------------------------------------------------------------------------
def recording(store, source_id: int) -> Path | None:
    """The source's recording as a path to open (it may no longer exist), or None."""
    row = store.db.execute("SELECT path FROM source_media WHERE source_id = ?", [source_id]).fetchone()
    if row is None:
        return None
    path = Path(row[0])
    return path if path.is_absolute() else store.path.parent / path


def recordings(store) -> dict[int, Path]:
    """source id -> its recording, for every source that has one."""
    return {sid: (Path(p) if Path(p).is_absolute() else store.path.parent / p)
            for sid, p in store.db.execute("SELECT source_id, path FROM source_media").fetchall()}


def _stored(store, path: Path) -> str:
    path = path.expanduser().resolve()
    try:
        return str(path.relative_to(store.path.parent.resolve()))
    except ValueError:
        return str(path)


def check_recording(path: Path | str) -> Path:
    path = Path(path).expanduser()
    if not path.is_file():
        raise StudyError("no such recording", path=str(path))
    if path.suffix.lower() not in MEDIA_SUFFIXES:
        raise StudyError(f"not an audio or video file ({', '.join(MEDIA_SUFFIXES)})", path=str(path))
    return path


def link_recording(store, source_id: int, path: Path | str) -> Path:
    """Link (or re-link) a source to its recording: one undoable step. Returns the file's path."""
    return link_recordings(store, {source_id: path})[source_id]


def link_recordings(store, pairs: dict[int, Path | str]) -> dict[int, Path]:
    """Link several sources to their recordings in one undoable step (an import's folder of recordings)."""
    checked = {sid: check_recording(path) for sid, path in pairs.items()}
    if not checked:
        return {}
    titles = [store.source(sid).title for sid in checked]
    what = f"recording of '{titles[0]}': {next(iter(checked.values())).name}" if len(checked) == 1 else \
        f"recordings of {len(checked)} sources"
    with store.command("media", what) as rec:
        for sid, path in checked.items():
            _unlink(store, rec, sid)
            rec.insert("source_media", {"source_id": sid, "path": _stored(store, path), "linked_at": now()})
    return checked


def unlink_recording(store, source_id: int) -> bool:
    """Forget a source's recording (the file stays where it is); False when it had none."""
    source = store.source(source_id)
    if recording(store, source_id) is None:
        return False
    with store.command("media", f"recording of '{source.title}' unlinked") as rec:
        _unlink(store, rec, source_id)
    return True


def _unlink(store, rec, source_id: int) -> None:
    for (key,) in store.db.execute("SELECT id FROM source_media WHERE source_id = ?", [source_id]).fetchall():
        rec.delete("source_media", key)


def _stem_key(name: str, tail: re.Pattern) -> str:
    """A name to compare: no folder, no file extension, none of the parts exports add, lower case."""
    stem = re.sub(r"\.[A-Za-z][A-Za-z0-9]{0,4}$", "", Path(name).name)
    stem = tail.sub("", stem)
    return re.sub(r"[\W_]+", " ", stem).strip().casefold()


def media_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise StudyError("not a folder of recordings", path=str(folder))
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in MEDIA_SUFFIXES
                  and not p.name.startswith("."))


def match_recordings(sources: list, files: list[Path]) -> tuple[dict[int, Path], list, list[Path]]:
    """Pair sources with recordings by name: ({source id: file}, sources without one, files left over).
    The same name (after the parts exports add: `.transcript`, `_1920x1080`, a language tag) pairs first;
    then a recording whose name starts a source's name or the other way round, when only one does."""
    keys = {f: _stem_key(f.name, _MEDIA_TAIL) for f in files}
    paired: dict[int, Path] = {}
    free = list(files)
    for exact in (True, False):
        for s in sources:
            if s.id in paired:
                continue
            want = _stem_key(s.filename or s.title, _TRANSCRIPT_TAIL)
            if not want:
                continue
            hits = [f for f in free if keys[f] == want] if exact else \
                [f for f in free if keys[f] and (keys[f].startswith(want) or want.startswith(keys[f]))]
            if len(hits) == 1:
                paired[s.id] = hits[0]
                free.remove(hits[0])
    return paired, [s for s in sources if s.id not in paired], free


# -- times ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """A quote's time in its recording, in seconds."""

    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


def turn_times(turns: list[UtteranceRow]) -> dict[int, tuple[int, int]]:
    """utterance id -> (start ms, end ms) for every turn with a start; a turn with no end ends where the next
    timed turn begins (a turn with neither is left out)."""
    ordered = sorted(turns, key=lambda u: u.char_start)
    out = {}
    for i, u in enumerate(ordered):
        if u.start_ms is None:
            continue
        end = u.end_ms
        if end is None:
            end = next((v.start_ms for v in ordered[i + 1:] if v.start_ms is not None and v.start_ms > u.start_ms),
                       None)
        if end is not None and end > u.start_ms:
            out[u.id] = (u.start_ms, end)
    return out


def no_times_reason(source) -> str:
    what = {"docx": "a Word transcript", "txt": "a plain-text transcript", "text": "a plain-text transcript",
            "md": "a plain-text transcript"}.get(source.format, f"a {source.format} source")
    return f"{what} without timestamps has no times to cut or play by"


def cue_times(store, source_id: int) -> list[tuple[int, int, int, int]]:
    """The caption cues of a source's turns: (char start, char end, start ms, end ms), in reading order."""
    return store.db.execute(
        "SELECT c.char_start, c.char_end, c.start_ms, c.end_ms FROM cues c JOIN utterances u ON u.id = c.utterance_id "
        "WHERE u.source_id = ? ORDER BY c.char_start", [source_id]).fetchall()


def quote_span(turns: list[UtteranceRow], start: int, end: int, cues=()) -> Span | str:
    """The time span of source text [start, end) in its recording, or the reason there is none. Inside a
    caption cue (`cues`, see `cue_times`) a point's time is its share of the cue's time; elsewhere its share
    of its turn's."""
    ordered = sorted(turns, key=lambda u: u.char_start)
    times = turn_times(ordered)
    if not times:
        return "no times"
    starts = [u.char_start for u in ordered]
    cues = sorted(cues)
    cue_starts = [c[0] for c in cues]

    def share(offset: int, lo: int, hi: int, t0: int, t1: int) -> float:
        return (t0 + min(max((offset - lo) / max(hi - lo, 1), 0.0), 1.0) * (t1 - t0)) / 1000

    def at(offset: int, inside: int) -> float | None:
        """`inside`: the character that must lie in the cue (the offset itself, or the one before an end)."""
        j = bisect.bisect_right(cue_starts, inside) - 1
        if j >= 0 and cues[j][0] <= inside < cues[j][1]:
            return share(offset, *cues[j])
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0 or ordered[i].id not in times:
            return None
        return share(offset, ordered[i].char_start, ordered[i].char_end, *times[ordered[i].id])

    first, last = at(start, start), at(end, max(start, end - 1))
    if first is None or last is None:
        return "its turns have no times"
    if last <= first:
        return "it has no length in time"
    return Span(first, last)


# -- playing ----------------------------------------------------------------------------------------
def player_command(path: Path, start_s: float, which: Callable[[str], str | None] | None = None) -> list[str] | None:
    """A command that plays `path` from `start_s` without taking the terminal: mpv, else ffplay; None when
    neither is installed."""
    which = which or shutil.which
    mpv = which("mpv")
    if mpv:
        return [mpv, "--no-terminal", "--really-quiet", f"--start={start_s:.3f}", str(path)]
    ffplay = which("ffplay")
    if ffplay:
        no_window = not is_video(path) or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        return [ffplay, *(["-nodisp"] if no_window else []), "-autoexit", "-loglevel", "quiet",
                "-ss", f"{start_s:.3f}", str(path)]
    return None
