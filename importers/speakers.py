"""Speaker labels shared by every importer: what looks like a name, merging spellings, roles, rendering."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from coding.models import Transcript, Utterance, format_ms

UNKNOWN = "Unknown speaker"

# fmt: off
# one-off labels that are words in the text ("Note: the time was 10:30"), not people; they count as
# speakers only when they recur
COMMON_WORDS = frozenset({
    "note", "notes", "nb", "ps", "pps", "example", "examples", "eg", "ie", "update", "edit", "question",
    "answer", "break", "tip", "warning", "important", "reminder", "remember", "todo", "fyi", "summary",
    "context", "background", "result", "results", "quote", "reason", "problem", "issue", "solution",
    "step", "bonus", "disclaimer", "caveat", "definition", "rule", "lesson", "takeaway", "idea", "goal",
    "aside", "correction", "clarification", "translation", "hint", "also", "and", "but", "so", "well",
    "however", "anyway", "yes", "no", "ok", "okay", "right", "yeah", "sure", "thanks", "hmm", "um",
    "uh", "source", "sources", "see", "cf", "re", "subject", "title", "date", "time", "location",
    "place", "project", "study", "session", "duration", "recorded", "recording", "transcript",
    "transcribed", "attendees", "present", "file", "audio", "video", "language", "interview", "agenda",
    "topic", "topics", "objective", "objectives", "status", "version", "keywords", "tags", "link",
    "links", "url"
})
# preamble lines such as "Date: 12 May 2023" become metadata, not speech
METADATA_WORDS = frozenset({
    "date", "time", "location", "place", "project", "study", "session", "duration", "recorded",
    "recording", "transcript", "transcribed", "attendees", "present", "file", "audio", "video",
    "language", "interview", "agenda", "topic", "title", "subject", "status", "version"
})
# bracketed stage directions, never speakers
NON_SPEECH = frozenset({
    "laughter", "laughs", "laughing", "inaudible", "crosstalk", "music", "silence", "pause", "applause",
    "noise", "unintelligible", "overlapping", "overtalk", "interruption", "break", "end", "start",
    "intro", "outro", "sic", "coughs", "cough", "sighs", "sigh"
})
ROLE_WORDS = frozenset({
    "interviewer", "interviewee", "participant", "respondent", "moderator", "facilitator", "researcher",
    "speaker", "int", "mod", "host", "guest"
})
_PARTICLES = frozenset({
    "de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "la", "le", "bin", "al", "y",
    "dos", "das", "ter", "ten", "of"
})
# fmt: on
_BAD_CHARS = re.compile(r"[?!;:\"“”„…*=<>{}|\\/@#$%^~\[\]_`]")
_TIME = re.compile(r"\d:\d")
_INTERVIEWER = re.compile(r"^(?:(?:interviewer|researcher|questioner|facilitator)s?\b.*|(?:int|iv|i|q)\d*)$")
_MODERATOR = re.compile(r"^(?:moderator\b.*|mod\d*)$")
_FACILITATOR = re.compile(r"^facilitators?\b")


@dataclass
class Turn:
    """A speaker's words before rendering: `words` text plus times."""

    speaker: str
    words: str
    start_ms: int | None = None
    end_ms: int | None = None


# pronouns Zoom and Teams users add to their display name: "Maria Lopez (she/her)"
_PRONOUNS = re.compile(r"\s*[(\[](?:she|he|they|ze|xe|any|ask)(?:\s*/\s*\w+|\s+pronouns?)*[)\]]$", re.IGNORECASE)


def monologue_note(what: str) -> str:
    """What an import says of a file with no speaker label: whose words they are is not known, so they
    count for no one (synthesis counts people) until the researcher names the speaker."""
    return (f"no speaker labels found: the whole {what} is one {UNKNOWN!r} monologue, not counted as a "
            "participant until named (`research-tui participants STUDY rename`)")


def clean_label(label: str) -> str:
    """Collapse whitespace, drop stray markup around a label and pronouns after a display name."""
    label = " ".join(label.replace("\u00a0", " ").split()).strip("*_ ")
    return _PRONOUNS.sub("", label).strip("*_ ")


def merge_key(label: str) -> str:
    """Spellings of one person compare equal: casefold, no spaces, dots, hyphens or underscores."""
    return re.sub(r"[\s._\-‐]+", "", label.casefold())


_DEVICE = re.compile(r"i[A-Z]\w*")  # a Zoom participant named after a device: "Jane's iPhone", "Room 2 iPad"


def looks_like_name(label: str, *, lenient: bool = False) -> bool:
    """True for "Anna", "Dr. Smith", "INTERVIEWER 1", "P1", "id1"; false for phrases, times, URLs.

    `lenient` (for labels set in bold, which are unambiguous) allows commas and longer titles.
    """
    label = clean_label(label)
    if not label or len(label) > (60 if lenient else 40):
        return False
    words = label.split()
    if len(words) > (6 if lenient else 5) or not label[0].isalpha():
        return False
    bad = _BAD_CHARS.search(label)
    if bad or _TIME.search(label) or (not lenient and "," in label):
        return False
    low = label.casefold()
    if low.startswith(("http", "www.", "mailto", "ftp")):
        return False
    if len(words) == 1:
        word = words[0]
        return word[0].isupper() or low in ROLE_WORDS or bool(re.fullmatch(r"[a-z]{1,4}\d+", word))
    if not words[0][0].isupper():
        return False
    return all(
        w[0].isupper() or w[0].isdigit() or w[0] == "(" or w.casefold() in _PARTICLES or _DEVICE.fullmatch(w)
        for w in words[1:]
    )


def accept_once(key: str, rest: str, *, recurring_others: int) -> bool:
    """Whether a label seen only once in a file is a real speaker rather than words in the text."""
    if key in COMMON_WORDS or key in NON_SPEECH:
        return False
    first = rest.lstrip("\"'“‘([ ")[:1]
    return not (recurring_others >= 1 and first.islower())


def merge_labels(labels: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map each spelling to the most frequent spelling with the same merge key; notes list the merges."""
    counts = Counter(labels)
    groups: dict[str, list[str]] = {}
    for label in counts:  # first-seen order
        groups.setdefault(merge_key(label), []).append(label)
    mapping: dict[str, str] = {}
    notes: list[str] = []
    for spellings in groups.values():
        best = max(spellings, key=lambda s: counts[s])  # max keeps the first of equal counts
        for s in spellings:
            mapping[s] = best
        others = [s for s in spellings if s != best]
        if others:
            notes.append(f"merged speaker labels {', '.join(repr(s) for s in others)} into {best!r}")
    return mapping, notes


def label_role(label: str, *, n_speakers: int) -> str | None:
    key = " ".join(label.casefold().replace(".", " ").split())
    if _MODERATOR.match(key) or (n_speakers > 2 and _FACILITATOR.match(key)):
        return "moderator"
    if _INTERVIEWER.match(key):
        return "interviewer"
    return None


def finish(t: Transcript, interviewer: list[str] | None = None) -> Transcript:
    """Merge label spellings, set roles (names in `interviewer` are forced), check offsets."""
    mapping, notes = merge_labels([u.speaker for u in t.utterances])
    if any(k != v for k, v in mapping.items()):
        t.utterances = [
            replace(u, speaker=mapping[u.speaker]) for u in t.utterances
        ]
        t.attributes = {mapping.get(k, k): v for k, v in t.attributes.items()}
    t.notes.extend(notes)
    from .roles import guess_roles  # roles builds on this module

    roles, notes = guess_roles(t, heuristic=not interviewer)
    t.roles.update(roles)
    t.notes.extend(notes)
    if interviewer:
        force_interviewers(t, interviewer)
    t.check()
    return t


def force_interviewers(t: Transcript, names: list[str]) -> None:
    """The user said who interviewed: those speakers (matched by merge key) become interviewers."""
    by_key = {merge_key(s): s for s in t.speakers}
    for name in names:
        speaker = by_key.get(merge_key(name))
        if speaker is None:
            t.notes.append(f"no speaker {name!r} in this file to mark as interviewer")
        else:
            t.roles[speaker] = "interviewer"


def render(turns: list[Turn]) -> tuple[str, list[Utterance]]:
    """Lay turns out as `[hh:mm:ss] Speaker: words` blocks; utterance offsets point at the words."""
    parts: list[str] = []
    utterances: list[Utterance] = []
    pos = 0
    for turn in turns:
        if not turn.words:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        stamp = format_ms(turn.start_ms)
        prefix = f"[{stamp}] {turn.speaker}: " if stamp else f"{turn.speaker}: "
        parts.append(prefix + turn.words)
        start = pos + len(prefix)
        pos = start + len(turn.words)
        utterances.append(Utterance(turn.speaker, start, pos, turn.start_ms, turn.end_ms))
    return "".join(parts), utterances
