"""One import of many files, decided as a whole: pure functions over the parsed transcripts, no database.

The CLI (`research-tui import`) and the studio's import dialog both call these, so a folder imports the
same way from either:

- `choose_files`: a folder (or a glob) means its transcript files, minus files that are not interviews
  (README, LICENSE, CHANGELOG, notes …), each skipped with a message; a file named on its own is read.
- `note_file`: a file of a folder of interviews that holds one line and no speaker (a withdrawn-consent
  note) is skipped with its line quoted; named on its own it is read.
- `settle`: the same conversation in two formats (Otter's .txt and .docx of one call) is imported once
  (compared by normalized turns: who speaks in which order and the words they say, not the bytes), with
  a message naming the twin; two sources with one title get a warning; the research team across files
  (`importers.team`): a label that interviews in most files of the import (`A1` in `P1 0:00` / `A1 0:10`
  transcripts) is the interviewer in all of them, and one that speaks in most files without being the
  one interviewed (a note-taker) is a team member, each one person.
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections import deque
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from coding.models import ImportFailed, Transcript

from .speakers import UNKNOWN, merge_key
from .survey import Survey
from .team import settle_interviewers, settle_team

# file names (without suffix) that are never interviews, and first/last words that make a note file
_NOT_INTERVIEWS = frozenset({
    "readme", "read me", "license", "licence", "copying", "changelog", "change log", "changes", "history",
    "news", "authors", "contributors", "contributing", "notice", "todo", "to do", "install", "manifest",
    "code of conduct", "security", "citation", "index",
})
_NOT_INTERVIEW_WORDS = frozenset({"readme", "license", "licence", "changelog", "copying"})
_NOTE_WORDS = frozenset({"notes", "memo", "memos", "todo"})
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_FORMAT_PREFERENCE = {"text": 0, "docx": 1, "vtt": 2, "srt": 3}
TWIN_WORDS = 0.9  # share of word 5-grams two transcripts must have in common to be one conversation
TWIN_SPEAKERS = 0.9  # similarity of their speaker sequences


def not_an_interview(path: Path) -> str | None:
    """Why a file in a folder is not a transcript (its name), or None."""
    stem = " ".join(re.split(r"[\s._\-]+", Path(path).stem.casefold())).strip()
    words = stem.split()
    if not words:
        return None
    what = None
    if stem in _NOT_INTERVIEWS or words[0] in _NOT_INTERVIEW_WORDS:
        what = "is not an interview"
    elif words[-1] in _NOTE_WORDS or words[0] in _NOTE_WORDS:
        what = "holds notes, not an interview"
    return f"{Path(path).name}: skipped, its name says it {what} (name the file on its own to import it)" \
        if what else None


def choose_files(paths: list[Path], suffixes: tuple[str, ...], *, listed: bool = False) -> tuple[list[Path], list[str]]:
    """The files to read and why others were skipped. A folder means its files with `suffixes` (not its
    subfolders, not hidden files), in name order; `listed` says the paths came from a glob."""
    files: list[Path] = []
    chosen: set[Path] = set()  # a set beside the list: asking the list was quadratic (20,000 files)
    notes: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = _transcript_files(path, suffixes)
            inside = _subfolders(path, suffixes)  # not read: name them to import them
            if not found:
                if inside:
                    raise ImportFailed(f"no transcript files in this folder itself; its subfolders hold some, "
                                       f"name them to import them: {inside}", path=str(path))
                raise ImportFailed(f"no transcript files ({', '.join(suffixes)}) in this folder", path=str(path))
            if inside:
                notes.append(f"{path.name}: subfolders are not read, name them to import them: {inside}")
            if others := _other_files(path, suffixes):
                notes.append(f"{path.name}: {others}")
            from_folder = True
        else:
            found, from_folder = [path], listed
        for p in found:
            why = not_an_interview(p) if from_folder else None
            if p.name.startswith("~$") and p.suffix.lower() in (".docx", ".doc"):  # `interviews/*.docx`
                why = f"{p.name}: skipped, Word's owner file of an open document, not a transcript"
            if why:
                notes.append(why)
            elif p not in chosen:
                chosen.add(p)
                files.append(p)
    return files, notes


def _transcript_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Not hidden files, nor `~$P07.docx`: the owner file Word keeps beside a document while it is open."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes
                  and not p.name.startswith((".", "~$")))


# files no one means as an interview: the study itself and its lock, Word's owner files, the OS's own
_NEVER_NOTED = re.compile(r"(?:.*\.rtui(?:-wal|-shm|-journal)?|~\$.*|thumbs\.db|desktop\.ini)$", re.IGNORECASE)


def _other_files(folder: Path, suffixes: tuple[str, ...], shown: int = 5) -> str:
    """'2 files of other types are not read: P07.pdf, talk.json (it reads .docx, …)', or '' when none: an
    interview saved as PDF or old Word is named, not passed over in silence."""
    other = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() not in suffixes
                   and not p.name.startswith(".") and not _NEVER_NOTED.fullmatch(p.name))
    if not other:
        return ""
    names = ", ".join(other[:shown]) + (f" and {len(other) - shown} more" if len(other) > shown else "")
    n = len(other)
    project = any(name.lower().endswith((".qdpx", ".qdc")) for name in other)
    return (f"{n} file{'s' * (n != 1)} of other types {'are' if n != 1 else 'is'} not read: {names} (it reads "
            f"{', '.join(suffixes)}; save an interview as one of these to import it"
            + ("; a REFI-QDA project (.qdpx, .qdc) is imported on its own)" if project else ")"))


def _subfolders(folder: Path, suffixes: tuple[str, ...]) -> str:
    """'round1/ (5 files), round2/ (3 files)': the subfolders (one level down) that hold transcript files."""
    held = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            n = len(_transcript_files(sub, suffixes))
        except OSError:  # unreadable: not ours to report here
            continue
        if n:
            held.append(f"{sub.name}/ ({n} file{'s' * (n != 1)})")
    return ", ".join(held)


NOTE_WORDS = 60  # a file of one line, no speaker and at most this many words is a note, not an interview


def note_file(t: Transcript) -> str | None:
    """Why a file from a folder of interviews is a note and not an interview, or None: one line of words and
    no speaker label (a withdrawn-consent note: "Participant withdrew consent; transcript removed.")."""
    if t.format == "csv" or t.speakers != [UNKNOWN] or sum(u.end - u.start for u in t.utterances) > 20_000:
        return None  # (a note of 60 words is never 20,000 characters: a long text is not copied to be sure)
    words = "\n".join(t.text[u.start:u.end] for u in t.utterances).strip()
    if "\n" in words or len(words.split()) > NOTE_WORDS:
        return None
    shown = words if len(words) <= 80 else words[:79] + "…"
    return (f"{t.filename}: skipped, one line with no speaker (\"{shown}\"): a note, not an interview (name the "
            "file on its own to import it)")


# -- the same conversation twice ------------------------------------------------------------------
@dataclass
class _Shape:
    """A transcript reduced to what two exports of one call share."""

    speakers: list[int]  # who speaks, turn by turn (consecutive turns of one speaker merged), by first appearance
    grams: set[int] | Any  # hashes of its word 5-grams: a set, or for a long transcript a sorted numpy array
    words: int

    def sketch(self) -> list[int]:
        """Its `SKETCH` smallest gram hashes."""
        if isinstance(self.grams, set):
            return heapq.nsmallest(SKETCH, self.grams)
        return [int(h) for h in self.grams[:SKETCH]]


BIG_SHAPE = 200_000  # 5-grams past which they are kept as a numpy array (a set of millions is gigabytes)


def _shape(t: Transcript) -> _Shape:
    """Speakers and 5-gram hashes, the words streamed: a 50 MB transcript is not held as a list of tokens."""
    index: dict[str, int] = {}
    speakers: list[int] = []
    window: deque[str] = deque(maxlen=5)
    first: list[str] = []  # a transcript of fewer than five words is one gram of them all
    grams: set[int] = set()
    big: array | None = None  # the hashes once there are too many for a set
    words = 0
    for u in t.utterances:
        who = index.setdefault(merge_key(u.speaker), len(index))
        if not speakers or speakers[-1] != who:
            speakers.append(who)
        for m in _TOKEN.finditer(t.text[u.start:u.end].casefold().replace("’", "'")):
            words += 1
            window.append(m.group())
            if words < 5:
                first.append(m.group())
                continue
            if big is not None:
                big.append(hash(tuple(window)))
                continue
            grams.add(hash(tuple(window)))
            if len(grams) > BIG_SHAPE:
                big, grams = array("q", grams), set()
    if words < 5:
        return _Shape(speakers, {hash(tuple(first))}, words)
    if big is not None:
        import numpy as np

        return _Shape(speakers, np.unique(np.frombuffer(big, dtype=np.int64)), words)
    return _Shape(speakers, grams, words)


def _shared(a: _Shape, b: _Shape) -> float:
    """The Jaccard similarity of two shapes' 5-grams."""
    if isinstance(a.grams, set) and isinstance(b.grams, set):
        return len(a.grams & b.grams) / len(a.grams | b.grams)
    import numpy as np

    x, y = (g if not isinstance(g, set) else np.unique(np.fromiter(g, dtype=np.int64)) for g in (a.grams, b.grams))
    common = np.intersect1d(x, y, assume_unique=True).size
    return common / (x.size + y.size - common)


def same_conversation(a: _Shape, b: _Shape) -> float | None:
    """The share of words in common when two shapes are one conversation, else None."""
    if not a.words or not b.words or min(a.words, b.words) < 0.9 * max(a.words, b.words):
        return None
    shared = _shared(a, b)
    if shared < TWIN_WORDS:
        return None
    if SequenceMatcher(None, a.speakers, b.speakers, autojunk=False).ratio() < TWIN_SPEAKERS:
        return None
    return shared


# -- the whole import -----------------------------------------------------------------------------
@dataclass
class Settled:
    transcripts: list[Transcript]
    notes: list[str] = field(default_factory=list)  # one line each, for the import report


def settle(transcripts: list[Transcript], *, existing: list[Transcript] = (), forced: bool = False) -> Settled:
    """Decide the import as a whole: twins imported once, duplicate titles warned about, interviewers
    settled across files (unless the user named them: `forced`). `existing` are the study's sources."""
    out = Settled([])
    kept = _drop_twins(transcripts, list(existing), out.notes)
    out.notes += _duplicate_titles(kept, list(existing))
    if not forced:
        out.notes += settle_interviewers(kept)
    out.notes += settle_team(kept)
    out.transcripts = kept
    return out


SKETCH = 8  # the smallest gram hashes of a transcript, looked up to find its possible twins


def _drop_twins(transcripts: list[Transcript], existing: list[Transcript], notes: list[str]) -> list[Transcript]:
    """Keep one of each conversation found twice. Linear: a transcript is compared only with those that
    share one of its `SKETCH` smallest gram hashes (two transcripts with 90% of their 5-grams in common
    almost surely share their smallest), not with every one before it (20,000 files took 18 minutes)."""
    order = [t for _, t in sorted(((_FORMAT_PREFERENCE.get(t.format, 9), i), t) for i, t in enumerate(transcripts)
                                  if t.format != "csv" and t.utterances)]
    if len(order) + len(existing) < 2:  # nothing to compare with
        return transcripts
    shapes = {id(t): _shape(t) for t in [*existing, *order]}
    accepted: list[Transcript] = []
    by_gram: dict[int, list[int]] = {}  # a sketch hash -> indices into accepted
    skipped: set[int] = set()

    def accept(t: Transcript) -> None:
        for h in shapes[id(t)].sketch():
            by_gram.setdefault(h, []).append(len(accepted))
        accepted.append(t)

    for t in existing:
        accept(t)
    for t in order:
        shape = shapes[id(t)]
        near = sorted({i for h in shape.sketch() for i in by_gram.get(h, ())})
        twin, shared = next(((o, s) for o in (accepted[i] for i in near) if o.filename != t.filename
                             and (s := same_conversation(shapes[id(o)], shape)) is not None), (None, 0.0))
        if twin is None:
            accept(t)
            continue
        skipped.add(id(t))
        where = f"already in the study as '{twin.title}'" if any(twin is e for e in existing) else twin.filename
        same = "the same speakers in the same order"
        if {merge_key(s) for s in t.speakers} != {merge_key(s) for s in twin.speakers}:
            same = (f"the same turns; its speakers are called {', '.join(map(repr, t.speakers))} there "
                    f"{', '.join(map(repr, twin.speakers))}")
        notes.append(f"{t.filename}: skipped, the same conversation as {where} ({shared:.0%} of the words, {same})")
    return [t for t in transcripts if id(t) not in skipped]


def _duplicate_titles(transcripts: list[Transcript], existing: list[Transcript]) -> list[str]:
    files: dict[str, list[Transcript]] = {}
    for t in [*existing, *transcripts]:
        if t.format != "csv":
            files.setdefault(t.title.casefold(), []).append(t)
    notes = []
    new = {id(t) for t in transcripts}  # by identity: comparing transcripts field by field is slow
    for same in files.values():
        if len(same) > 1 and any(id(t) in new for t in same[1:]):
            where = ", ".join(f"{t.filename} (in the study)" if any(t is e for e in existing) else t.filename
                              for t in same)
            notes.append(f"warning: {len(same)} sources are titled '{same[0].title}' ({where}): the study "
                         "tells them apart by adding the format or a number to the later titles")
    return notes


__all__ = ["Settled", "choose_files", "not_an_interview", "same_conversation", "settle", "settle_interviewers",
           "settle_team"]


@dataclass
class ReadResult:
    transcripts: list[Transcript | Survey]  # a survey file is one `Survey` of all its respondents
    notes: list[str] = field(default_factory=list)  # skipped files, survey columns, twins, titles, interviewers
    bad: list[str] = field(default_factory=list)    # files that could not be read (with `keep_going`)


def read_all(paths: list[Path], *, listed: bool = False, max_bytes: int | None = None,
             survey_options: dict | None = None, interviewer: list[str] | None = None, keep_going: bool = False,
             existing: list[Transcript] = (), progress=None, cancelled=None) -> ReadResult | None:
    """Read every file in memory and settle the import as a whole; nothing touches a study.

    `progress(done, total, name)` is called after each file; `cancelled()` stops early (returns None).
    A bad file raises `ImportFailed`, or is listed in `bad` with `keep_going`."""
    from . import MAX_BYTES, SUPPORTED_SUFFIXES, load_with_report

    files, notes = choose_files(paths, SUPPORTED_SUFFIXES, listed=listed)
    named = set() if listed else {Path(p) for p in paths if not Path(p).is_dir()}  # read whatever they hold
    out = ReadResult([], notes)
    maybe_notes: list[tuple[Transcript, str]] = []
    for i, path in enumerate(files, 1):
        if cancelled is not None and cancelled():
            return None
        try:
            result = load_with_report(path, max_bytes=max_bytes or MAX_BYTES, survey_options=survey_options,
                                      interviewer=list(interviewer or ()) or None)
        except ImportFailed as exc:
            if not keep_going:
                raise
            out.bad.append(str(exc))
        else:
            out.notes.extend(f"{path.name}: {n}" for n in result.file_notes)
            if isinstance(result.transcripts, Survey):  # its respondents, stored in bulk as they are read again
                out.transcripts.append(result.transcripts)
            else:
                out.transcripts.extend(result.transcripts)
                if path not in named and len(result.transcripts) == 1 and (why := note_file(result.transcripts[0])):
                    maybe_notes.append((result.transcripts[0], why))
        if progress is not None:
            progress(i, len(files), path.name)
    talks = [t for t in out.transcripts if not isinstance(t, Survey)]
    if maybe_notes and any(isinstance(t, Survey) or t.speakers not in ([UNKNOWN], []) for t in out.transcripts):
        skipped = {id(t) for t, _ in maybe_notes}
        talks = [t for t in talks if id(t) not in skipped]
        out.notes += [why for _, why in maybe_notes]
    settled = settle(talks, existing=existing, forced=bool(interviewer))
    kept = {id(t) for t in settled.transcripts}
    out.transcripts = [t for t in out.transcripts if isinstance(t, Survey) or id(t) in kept]  # in file order
    out.notes += settled.notes
    return out
