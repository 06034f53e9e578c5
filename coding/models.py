"""The plain data the whole application passes around.

Importers produce a `Transcript` in memory; the `Store` persists it and hands back rows as the other
dataclasses here. Offsets are always character offsets into `Transcript.text` / `Source.text`, so
`text[start:end]` is exactly the quoted words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CODE_KINDS = ("stage", "need", "emotion", "touchpoint", "pain_point", "opportunity", "theme")
# team: a member of the research team who is not the interviewer (a co-interviewer, a note-taker);
# observer: someone present who is neither (a client watching). Only "participant" counts as a person.
ROLES = ("participant", "interviewer", "moderator", "team", "observer")
# The role of the one stand-in that holds turns whose speaker was deleted ("not a person"): the turns
# stay readable and codable, but never count as a person (synthesis counts role "participant" only).
UNATTRIBUTED = "unattributed"
UNATTRIBUTED_NAME = "(unattributed)"
ORIGINS = ("human", "suggestion", "import")


class StudyError(Exception):
    """A problem the user can fix; its message is one line that names the file (and line) when known."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.detail = message
        where = ""
        if path:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(f"{where}{message}")


class ImportFailed(StudyError):
    """A file could not be read as a transcript."""


class UnsupportedFormat(ImportFailed):
    def __init__(self, path: str, supported: list[str]):
        super().__init__(
            f"unsupported file type; supported: {', '.join(supported)}", path=path
        )


@dataclass(frozen=True, slots=True)  # slots: a 200,000-turn file makes 200,000 of these
class Utterance:
    """One turn of one speaker. `start`/`end` index the spoken words in `Transcript.text`."""

    speaker: str
    start: int
    end: int
    start_ms: int | None = None
    end_ms: int | None = None
    question: str | None = None  # survey answers: the short key of the question answered (see `questions`)
    empty: bool = False          # an answer that says nothing ("NA", "-", "none"): kept, left out of counts
    not_speech: bool = False     # a header or a note, nobody's words (a study's own .qdpx read back)


@dataclass(slots=True)  # slots: a survey of a million respondents makes a million of these
class Transcript:
    """What an importer returns: one source, before anything touches the database.

    `text` is the source's normalized plain text (newlines are "\\n"). For plain-text files it is the
    file's own text; for other formats the importer renders the turns as `Speaker: words` lines, with a
    timestamp in brackets when one is known, so the text reads like the original and offsets stay exact.
    """

    title: str
    filename: str
    format: str
    text: str
    utterances: list[Utterance]
    metadata: dict = field(default_factory=dict)
    # speaker name -> role guessed by the importer ("interviewer"/"moderator"); others are participants
    roles: dict[str, str] = field(default_factory=dict)
    # speaker name -> attributes read with the transcript (e.g. CSV survey columns)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    # lines for the import report, e.g. "merged speaker labels 'Interviewer1' into 'Interviewer 1'"
    notes: list[str] = field(default_factory=list)
    # survey sources: question key (q12, or the header when short) -> the full question
    questions: dict[str, str] = field(default_factory=dict)
    # captions: each cue's words in `text` and its times, (start, end, start_ms, end_ms), in reading order
    cues: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def speakers(self) -> list[str]:
        seen: dict[str, None] = {}
        for u in self.utterances:
            seen.setdefault(u.speaker, None)
        return list(seen)

    def words(self) -> int:
        return sum(len(self.text[u.start:u.end].split()) for u in self.utterances)

    def check(self) -> None:
        """Raise if offsets do not index the text; importers call this before returning."""
        n = len(self.text)
        for u in self.utterances:
            if not (0 <= u.start <= u.end <= n):
                raise ImportFailed(f"internal offset error for {u.speaker!r}", path=self.filename)
        for start, end, *_ in self.cues:
            if not (0 <= start <= end <= n):
                raise ImportFailed("internal offset error in a caption cue", path=self.filename)


def source_pseudonym(position: int) -> str:
    """The neutral id an anonymized study shows for a source: S01, S02 … in import order."""
    return f"S{position + 1:02d}"


@dataclass(frozen=True)
class Source:
    id: int
    title: str
    filename: str
    format: str
    content_hash: str
    imported_at: str
    text: str
    metadata: dict
    position: int

    @property
    def pseudonym(self) -> str:
        return source_pseudonym(self.position)

    def label(self, anonymize: bool) -> str:
        """S01 … when anonymized (titles are often file names with a person's name), else the title."""
        return self.pseudonym if anonymize else self.title


@dataclass(frozen=True)
class Participant:
    id: int
    name: str
    pseudonym: str
    role: str
    attributes: dict

    def label(self, anonymize: bool) -> str:
        return self.pseudonym if anonymize else self.name


@dataclass(frozen=True)
class UtteranceRow:
    id: int
    source_id: int
    participant_id: int
    position: int
    start_ms: int | None
    end_ms: int | None
    char_start: int
    char_end: int
    text: str
    question_id: int | None = None  # survey answers: the question answered (coding.answers)
    empty_answer: bool = False      # an answer that says nothing ("NA", "-"): left out of counts
    not_speech: bool = False  # a header, a note, a title read out: shown, never counted or suggested


@dataclass(frozen=True)
class Code:
    id: int
    name: str
    kind: str
    parent_id: int | None
    colour: str
    description: str
    position: int
    valence: float | None
    attributes: dict


@dataclass(frozen=True)
class Coding:
    id: int
    source_id: int
    char_start: int
    char_end: int
    code_id: int
    coder: str
    origin: str
    created_at: str
    modified_at: str
    memo: str
    text: str = ""  # the quoted words, filled by the Store: source.text[char_start:char_end]


@dataclass(frozen=True)
class Action:
    id: int
    at: str
    coder: str
    kind: str
    summary: str
    state: str  # "done" | "undone" | "dropped"


def format_ms(ms: int | None) -> str:
    """00:01:23 style timestamp, or "" when unknown."""
    if ms is None:
        return ""
    s = ms // 1000
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


# answers that say nothing, compared after lower-casing and dropping punctuation
EMPTY_ANSWERS = frozenset({
    "na", "n a", "n/a", "n / a", "nan", "none", "none so far", "nothing", "nothing else", "nothing to add",
    "nothing to say", "nothing really", "nil", "null", "no comment", "no comments", "no answer",
    "not applicable", "no further comments", "pass", "skip", "x", "xx", "xxx", "tbd",
})


_MARKS = re.compile(r"[.!?,;:'\"()\[\]\-–—_*~…]+")
_LONGEST = max(map(len, EMPTY_ANSWERS))
# more than _LONGEST letters or digits (`[^\W_]` is what str.isalnum() says), anything between them
_MORE_THAN_LONGEST = re.compile(r"[^\W_](?:[\W_]*+[^\W_]){" + str(_LONGEST) + "}")


def is_empty_answer(text: str) -> bool:
    """'NA', 'n/a', '-', 'None.', 'no comment', '...' and the like: an answer that says nothing.
    A plain 'no' or 'yes' is an answer."""
    if len(text) > _LONGEST and _MORE_THAN_LONGEST.search(text):
        return False  # more letters and digits than any empty answer has: it says something
    t = _MARKS.sub(" ", text.casefold())
    return " ".join(t.split()) in EMPTY_ANSWERS or not any(ch.isalnum() for ch in text)
