"""A REFI-QDA project in memory: what a .qdpx holds, between the XML and the study.

The reader (`importers.qdpx`) parses a file into a `QdaProject`; `coding.exchange.apply` puts one into a
study in one transaction; `coding.exchange.snapshot` builds one from a study and the writer
(`exports.qdpx`) turns it into XML. Offsets here are Python string offsets into `QdaSource.text`
(code points); the XML's positions are converted on the way in and out (see `positions`).

Our conventions inside the standard, so that a round trip through a .qdpx restores a study:
- a code's kind is a code group (`<Set name="research-tui: Stages">` ...), which ATLAS.ti shows as code
  groups and NVivo as sets; its valence and attributes are one line at the end of its description,
  `research-tui: {"valence": -1.5}`;
- a participant is a `<Case>` whose variables are the attributes, plus `role` and `pseudonym`; the
  participant's turns are `<SelectionRef>`s to selections named `turn` (uncoded selections);
- a source's format, file name and import metadata are the trailing line of its description;
- a coding that came from a suggestion or an import says so in its selection's description;
- memos are notes: a source memo is a note on the source, a coding memo a note on the coding;
- a turn marked not speech is a `turn` selection that says so in its description and that no case refers to
  (it is nobody's words); the description names the participant it was given to;
- a persona is a project note ("Persona: Short on time", readable in any tool: description, goals, who
  they are, members) whose description line holds the persona (`{"persona": {...}}`, members as case
  GUIDs), and each member's case has the variable `persona`;
- survey questions are one project note ("Survey questions": `q12: What was …` lines) whose description line
  holds them (`{"questions": [...]}`); an answer's turn names its question's key (and says when it is empty);
- a stage's to-be plan is a project note ("To be: Referral": to-be, as-is, KPIs, opportunities) whose
  description line holds the plan (`{"stage_plan": {...}}`, stage and opportunities as code GUIDs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..models import Transcript

MARK = "research-tui:"
KIND_SETS = {
    "stage": "Stages", "need": "Needs", "emotion": "Emotions", "touchpoint": "Touchpoints",
    "pain_point": "Pain points", "opportunity": "Opportunities", "theme": "Themes",
}
SET_KINDS = {f"{MARK} {label}": kind for kind, label in KIND_SETS.items()}
TURN = "turn"


@dataclass
class QdaUser:
    guid: str
    name: str


@dataclass
class QdaCode:
    guid: str
    name: str
    color: str | None = None
    description: str = ""
    kind: str | None = None          # ours, from the code groups; None for a foreign code
    extra: dict = field(default_factory=dict)   # valence, attributes ... from our description line
    codable: bool = True
    children: list[QdaCode] = field(default_factory=list)


@dataclass
class QdaCoding:
    code_guid: str
    start: int
    end: int
    user_guid: str | None = None
    created: str | None = None
    origin: str = "human"
    memo: str = ""


@dataclass
class QdaTurn:
    case_guid: str
    start: int
    end: int
    start_ms: int | None = None
    end_ms: int | None = None
    not_speech: bool = False  # a header or a note: no case refers to it
    question: str | None = None  # a survey answer: its question's key (see `QdaProject.questions`)
    empty: bool = False          # an answer that says nothing ("NA", "-")


@dataclass
class QdaPlan:
    """A stage's to-be plan (ours): the stage and the opportunities attached, by code GUID."""

    stage_guid: str
    to_be: str = ""
    as_is: str = ""
    kpis: list[dict] = field(default_factory=list)   # name, current, target, measure
    opportunity_guids: list[str] = field(default_factory=list)


@dataclass
class QdaPersona:
    """A persona (ours): what the researcher wrote, and its members by case GUID."""

    guid: str
    name: str
    description: str = ""
    goals: list[str] = field(default_factory=list)
    attributes: dict | None = None                    # None: computed from the members
    method: dict = field(default_factory=dict)
    case_guids: list[str] = field(default_factory=list)


@dataclass
class QdaSource:
    guid: str
    name: str
    text: str
    codings: list[QdaCoding] = field(default_factory=list)
    turns: list[QdaTurn] = field(default_factory=list)   # ours only; foreign sources are parsed for turns
    memo: str = ""
    extra: dict = field(default_factory=dict)            # format, filename, metadata (ours)
    created: str | None = None
    transcript: Transcript | None = None                 # the turns, as the reader found them


@dataclass
class QdaCase:
    guid: str
    name: str
    attributes: dict[str, str] = field(default_factory=dict)
    role: str | None = None
    pseudonym: str | None = None
    source_guids: list[str] = field(default_factory=list)


@dataclass
class QdaNote:
    guid: str
    name: str
    text: str
    source_guid: str | None = None  # None: a note on the project


@dataclass
class QdaProject:
    name: str
    origin: str = ""
    users: list[QdaUser] = field(default_factory=list)
    codes: list[QdaCode] = field(default_factory=list)   # roots, in order; children nested
    sources: list[QdaSource] = field(default_factory=list)
    cases: list[QdaCase] = field(default_factory=list)
    notes: list[QdaNote] = field(default_factory=list)   # free notes (project or source), not memos
    plans: list[QdaPlan] = field(default_factory=list)   # ours: stage plans (to-be, as-is, KPIs)
    personas: list[QdaPersona] = field(default_factory=list)  # ours
    questions: list[dict] = field(default_factory=list)  # ours: survey questions (key, text, survey, kind)
    skipped: list[str] = field(default_factory=list)     # what the reader could not take, and why
    remarks: list[str] = field(default_factory=list)     # what it took in a way worth saying (nothing lost)

    def all_codes(self) -> list[QdaCode]:
        """Every code, parents before their children, in document order."""
        out: list[QdaCode] = []

        def walk(codes: list[QdaCode]) -> None:
            for c in codes:
                out.append(c)
                walk(c.children)

        walk(self.codes)
        return out

    @property
    def ours(self) -> bool:
        return self.origin.startswith("research-tui")


def with_line(text: str, extra: dict) -> str:
    """A description with our machine-readable line appended (nothing appended when `extra` is empty)."""
    if not extra:
        return text
    line = f"{MARK} {json.dumps(extra, ensure_ascii=False, sort_keys=True)}"
    return f"{text}\n{line}" if text else line


def split_line(text: str) -> tuple[str, dict]:
    """(description without our line, the dict it held); a foreign description comes back whole."""
    head, sep, last = (text or "").rpartition("\n")
    candidate = last if sep else text or ""
    if candidate.startswith(MARK):
        try:
            extra = json.loads(candidate[len(MARK):])
        except ValueError:
            return text, {}
        if isinstance(extra, dict):
            return (head if sep else ""), extra
    return text or "", {}


# -- positions -------------------------------------------------------------------------------------
# The standard counts characters; NVivo, ATLAS.ti and MAXQDA count UTF-16 code units (measured on the
# NVivo for Mac export in shared/data: 296 of 297 selections start on a word boundary in UTF-16 units,
# 78 in code points). We write UTF-16 units too. For text without characters beyond U+FFFF (almost all
# interview text) the two are the same.

def has_astral(text: str) -> bool:
    """Does the text hold a character beyond U+FFFF (two UTF-16 code units)? C speed: max() of a str."""
    return bool(text) and not text.isascii() and max(text) > "\uffff"


def utf16_offsets(text: str) -> list[int]:
    """u16[i] = UTF-16 offset of code point i (len(text) + 1 entries)."""
    out, pos = [0], 0
    for ch in text:
        pos += 2 if ord(ch) > 0xFFFF else 1
        out.append(pos)
    return out


def to_utf16(text: str, offset: int) -> int:
    if not has_astral(text):
        return offset
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)


def from_utf16(text: str) -> dict[int, int]:
    """UTF-16 offset -> code point offset, for every offset that falls between characters."""
    return {u: i for i, u in enumerate(utf16_offsets(text))}
