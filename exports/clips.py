"""A highlight reel: the coded quotes of one code cut from their recordings with ffmpeg.

`plan_clips(store, code, anonymize=)` decides, for each quote with the code (each span once, whoever coded
it), its clip: the recording and the time span (`coding.media.quote_span`), or why there is none (no
recording linked, the file is missing, the transcript has no times). `cut_clips(plan, folder, join=)` cuts
each clip into the folder (audio: AAC in .m4a; video: H.264 and AAC in .mp4, all the same size so they can
be joined), writes `clips.csv` (one row per clip: file, participant, source, times, the quote) and, with
`join`, one file of every clip in order. Names use pseudonyms and S01 … when anonymized; the recordings
themselves are not changed (voices and names said aloud stay in them).

Clips are re-encoded from an exact seek, so their length is the quote's (within a few milliseconds of the
audio encoder's frame). A folder is written only when it is empty, new, or holds an earlier reel (its
`clips.csv`); the earlier reel's files are replaced.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from coding.codebook import find_code, get_code
from coding.codings import list_codings
from coding.guards.text import csv_cell
from coding.media import cue_times, is_video, no_times_reason, quote_span, recordings
from coding.models import StudyError, format_ms

from .anonymize import Anonymizer

LIST = "clips.csv"
REEL = "highlight-reel"
COLUMNS = ("clip", "file", "participant", "source", "start", "end", "seconds", "code", "quote")
VIDEO_SIZE = (1280, 720)


@dataclass(frozen=True)
class Clip:
    number: int
    media: Path
    start: float
    end: float
    participant: str
    source: str
    quote: str

    @property
    def seconds(self) -> float:
        return self.end - self.start

    @property
    def video(self) -> bool:
        return is_video(self.media)

    def name(self, video_reel: bool) -> str:
        stamp = format_ms(int(self.start * 1000)).replace(":", "-")
        ext = ".mp4" if video_reel and self.video else ".m4a"
        return f"{self.number:02d}_{_slug(self.participant)}_{_slug(self.source)}_{stamp}{ext}"


@dataclass
class ClipPlan:
    code: str
    clips: list[Clip] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # one line per source left out, with why

    @property
    def video(self) -> bool:
        """A video reel when every clip comes from a video; else every clip is audio."""
        return bool(self.clips) and all(c.video for c in self.clips)


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text, flags=re.UNICODE).strip("-")[:40] or "x"


def plan_clips(store, code: str, *, anonymize: bool | None = None, pad: float = 0.0) -> ClipPlan:
    """The clips of every quote coded `code` (name or id), in reading order; `pad` seconds before and after."""
    anonymize = store.anonymize if anonymize is None else bool(anonymize)
    anon = Anonymizer.from_store(store, enabled=anonymize)
    found = find_code(store, code) if isinstance(code, str) else get_code(store, code)
    plan = ClipPlan(anon.clean(found.name))
    media = recordings(store)
    sources = {s.id: s for s in store.sources()}
    people = {p.id: p for p in store.participants()}
    turns: dict[int, list] = {}
    for u in store.utterances():
        turns.setdefault(u.source_id, []).append(u)
    seen: set[tuple[int, int, int]] = set()
    cues: dict[int, list] = {}
    left_out: dict[int, tuple[int, str]] = {}
    for c in sorted(list_codings(store, code=found.id), key=lambda c: (sources[c.source_id].position, c.char_start)):
        if (c.source_id, c.char_start, c.char_end) in seen:
            continue
        seen.add((c.source_id, c.char_start, c.char_end))
        source = sources[c.source_id]
        why = _no_clip(source, media.get(c.source_id), turns.get(c.source_id, []))
        if not why and c.source_id not in cues:
            cues[c.source_id] = cue_times(store, c.source_id)
        span = quote_span(turns.get(c.source_id, []), c.char_start, c.char_end, cues.get(c.source_id, ())) \
            if not why else None
        if why or isinstance(span, str):
            n, reason = left_out.get(c.source_id, (0, why or f"a quote here has no time span ({span})"))
            left_out[c.source_id] = (n + 1, reason)
            continue
        speakers = [u.participant_id for u in turns[c.source_id]
                    if u.char_start < c.char_end and u.char_end > c.char_start]
        who = [pid for pid in dict.fromkeys(speakers) if people[pid].role == "participant"] or speakers
        plan.clips.append(Clip(len(plan.clips) + 1, media[c.source_id], max(0.0, span.start - pad), span.end + pad,
                               anon.labels(who) or "unattributed", anon.source_label(source.id),
                               anon.clean(" ".join(source.text[c.char_start:c.char_end].split()))))
    for sid, (n, reason) in left_out.items():
        label = anon.source_label(sid) if anonymize else f"{sources[sid].title} ({sources[sid].pseudonym})"
        plan.skipped.append(f"{label}: {n} quote{'s' if n != 1 else ''} not clipped: {reason}")
    return plan


def _no_clip(source, media: Path | None, turns: list) -> str:
    if not any(u.start_ms is not None for u in turns):
        return no_times_reason(source)
    if media is None:
        return "no recording linked (research-tui sources STUDY media SOURCE FILE, or import --media FOLDER)"
    if not media.is_file():
        return f"its recording is missing: {media}"
    return ""


def ffmpeg() -> str:
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise StudyError("cutting clips needs ffmpeg: install it (Debian/Ubuntu: apt-get install ffmpeg)")
    return exe


def _check_folder(folder: Path, force: bool) -> list[Path]:
    """The files of an earlier reel in `folder` (to replace), after checking the folder may be written."""
    if folder.exists() and not folder.is_dir():
        raise StudyError("not a folder: clips go into a folder", path=str(folder))
    if not folder.exists():
        if not folder.parent.is_dir():  # the reel's own folder is made, never the folders above it
            raise StudyError(f"the folder {folder.parent} does not exist; create it first or choose another "
                             "place for the clips", path=str(folder))
        return []
    listed = folder / LIST
    earlier: list[Path] = []
    if listed.is_file() and listed.read_text(encoding="utf-8-sig", errors="replace").startswith(",".join(COLUMNS)):
        with listed.open(encoding="utf-8-sig", newline="") as fh:
            earlier = [folder / Path(row["file"]).name for row in csv.DictReader(fh) if row.get("file")]
        earlier += [listed, *(p for p in (folder / f"{REEL}.m4a", folder / f"{REEL}.mp4") if p.exists())]
    others = [p for p in folder.iterdir() if p not in earlier and not p.name.startswith(".")]
    if others and not force:
        raise StudyError(f"the folder holds other files ({others[0].name} …): choose an empty or new folder, "
                         "or --force to add the clips beside them", path=str(folder))
    return earlier


def cut_clips(plan: ClipPlan, folder: Path | str, *, join: bool = False, force: bool = False,
              progress=None) -> list[Path]:
    """Cut the planned clips into `folder`; returns the files written (clips, the list, the joined reel)."""
    folder = Path(folder)
    if not plan.clips:
        raise StudyError(f"no quote coded '{plan.code}' can be clipped" + (f": {plan.skipped[0]}" if plan.skipped
                                                                           else ""))
    earlier = _check_folder(folder, force)
    exe = ffmpeg()
    for old in earlier:
        old.unlink(missing_ok=True)
    folder.mkdir(exist_ok=True)
    video = plan.video
    written = []
    for i, clip in enumerate(plan.clips):
        target = folder / clip.name(video)
        _run(exe, _cut_args(clip, video), target)
        written.append(target)
        if progress:
            progress(i + 1, len(plan.clips))
    listing = folder / LIST
    with listing.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for clip, path in zip(plan.clips, written):
            out.writerow([csv_cell(v) for v in (clip.number, path.name, clip.participant, clip.source,
                                                f"{clip.start:.3f}", f"{clip.end:.3f}", f"{clip.seconds:.3f}",
                                                plan.code, clip.quote)])
    written.append(listing)
    if join:
        reel = folder / f"{REEL}{'.mp4' if video else '.m4a'}"
        concat = folder / ".clips-to-join.txt"
        concat.write_text("".join(f"file '{p.name}'\n" for p in written[:len(plan.clips)]), encoding="utf-8")
        try:
            _run(exe, ["-f", "concat", "-safe", "0", "-i", str(concat), "-c", "copy"], reel)
        finally:
            concat.unlink(missing_ok=True)
        written.append(reel)
    return written


def _cut_args(clip: Clip, video: bool) -> list[str]:
    audio = ["-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2"]
    args = ["-ss", f"{clip.start:.3f}", "-i", str(clip.media), "-t", f"{clip.seconds:.3f}"]
    if not video:
        return [*args, "-vn", *audio]
    w, h = VIDEO_SIZE
    fit = (f"scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1,"
           "fps=30")
    return [*args, "-vf", fit, "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
            *audio, "-movflags", "+faststart"]


def _run(exe: str, args: list[str], target: Path) -> None:
    """ffmpeg into a hidden temporary file, renamed into place when it succeeded."""
    part = target.with_name(f".{target.name}.part{target.suffix}")
    result = subprocess.run([exe, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args, str(part)],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        part.unlink(missing_ok=True)
        last = (result.stderr.strip().splitlines() or ["ffmpeg failed"])[-1]
        raise StudyError(f"ffmpeg could not write {target.name}: {last}", path=str(target))
    part.replace(target)
