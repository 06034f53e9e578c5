"""Anonymized output: the one helper every export (and the studio) goes through. Also XML-safe text.

With a study's anonymity on (`research-tui anonymize STUDY on`, or `--anonymize` on an export), no real
name reaches the output:

- People are shown by pseudonym: `label(pid)` gives P01 (participants), I01 (interviewers), M01
  (moderators); `labels(pids)` joins several.
- Sources are shown by a neutral id, `source_label(source_id)`: S01, S02 … in import order (the same
  id in every export and in the studio). Titles and file names are never shown: they are often named
  after the person (`interview_01_aisha.txt`), and the name may belong to someone the study does not
  know by name (a speaker labelled "Respondent").
- Free text, `anon(text)` — quotes, memos, attribute values, study and code names, coder names,
  action-log summaries: each person's full name, their speaker labels as imported, and every part of
  their name are replaced with their pseudonym. Parts of three letters or more match in any case
  ("aisha", "KHAN"), except parts that are also everyday words ("Grace", "Will"), which match only
  capitalised; two-letter parts ("Li", "Wu") match only as written in the name. A part matches inside
  identifiers (`interview_01_aisha` -> `interview_01_P01`) but not inside a longer word ("Khanate"). A
  part two people share becomes "[name]". Generic labels ("Interviewer", "Participant 2", "Respondent
  (interview_03)") are not names and stay. A source's title, file name or file stem inside free text
  becomes its S-id when it is distinctive (it has a digit, "_", "-", "." or several words).
- `coder(name)`: a coder is the researcher who coded, not a participant, so coder names are shown —
  but through `anon`, so a participant's name can never leak through one (and an interviewer who also
  coded shows as their pseudonym).
- `clean(text)` = `anon` + no XML-illegal characters: what every .docx string goes through.

Use it in a new export (workshop kit, .qdpx, matrix CSV …) like this:

    anon = Anonymizer.from_store(store, enabled=store.anonymize if anonymize is None else anonymize)
    anon.label(participant_id), anon.source_label(source_id), anon.anon(free_text), anon.coder(coder)

When anonymity is off, every method returns the names and titles as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath

from coding.guards import text as safe_text
from coding.importing.transcript import is_generic_label
from coding.models import Participant, Source, source_pseudonym

# XML 1.0 allows tab, newline, carriage return and U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ROLE_WORDS = re.compile(r"^(interviewer|moderator|facilitator|researcher|host|note ?taker|observer)\s*\d*$",
                         re.IGNORECASE)
_SCOPE = re.compile(r"\s*\(.*\)$")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_DISTINCTIVE = re.compile(r"[\d_.\-\s]")
# first names that are also everyday words: replaced only when capitalised ("Will said", not "I will")
_EVERYDAY = frozenset("""
    amber april art august bill bob carol chance clay cliff dawn dean destiny faith frank gene gift
    glen grace grant hope iris ivy jack jade jean joy june lily mark mary may max miles neil pat
    patience penny pearl ray rich rob robin rose ruby rusty sandy summer sue ted victor violet will
    windy wolf
""".split())
# two-letter words that stay words even when a name has them as a part ("An Do" -> not "an", "do")
_SHORT_WORDS = frozenset("""
    ad ah am an as at be by do eh go ha he hi if in is it me my no of oh ok on or ox so to up us we ye
""".split())


def xml_safe(text: object) -> str:
    """The text without characters XML 1.0 forbids (python-docx raises on them); tabs/newlines stay.
    Text shown to people goes through `Anonymizer.clean`, which also drops escape sequences."""
    return _ILLEGAL_XML.sub("", "" if text is None else str(text))


def truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def _is_name(label: str) -> bool:
    base = _SCOPE.sub("", label).strip()
    return bool(base) and not is_generic_label(base) and not _ROLE_WORDS.match(base)


def _fold(text: str) -> str:
    """Case- and accent-insensitive key: "José" and "JOSE" are the same name part."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Anonymizer:
    """`label(pid)` / `source_label(sid)` give what to show; `anon(text)` replaces names in free text."""

    def __init__(self, people: Iterable[Participant], *, enabled: bool,
                 speaker_labels: dict[int, set[str]] | None = None, sources: Iterable[Source] = ()):
        self.enabled = enabled
        self.people = {p.id: p for p in people}
        self.sources = {s.id: s for s in sources}
        self._folded: dict[str, str] = {}   # folded name or part -> replacement (any case)
        self._exact: dict[str, str] = {}    # exact form -> replacement (capitalised everyday words, 2 letters)
        self._pattern: re.Pattern | None = None
        if enabled:
            self._build(speaker_labels or {})

    @classmethod
    def from_store(cls, store, *, enabled: bool) -> Anonymizer:
        labels: dict[int, set[str]] = {}
        sources = store.sources(with_text=False)  # titles, file names and positions: no texts
        if enabled:
            for source in sources:
                for pid, label in source.metadata.get("speaker_labels", {}).items():
                    labels.setdefault(int(pid), set()).add(str(label))
        return cls(store.participants(), enabled=enabled, speaker_labels=labels, sources=sources)

    def _build(self, speaker_labels: dict[int, set[str]]) -> None:
        whole: dict[str, str] = {}
        parts: dict[str, set[str]] = {}
        for pid, p in self.people.items():
            for label in {p.name, *speaker_labels.get(pid, ())}:
                if not _is_name(label):
                    continue
                for form in {label.strip(), _SCOPE.sub("", label).strip()}:
                    whole[form] = p.pseudonym
                for tok in _TOKEN.findall(_SCOPE.sub("", label)):
                    if sum(ch.isalpha() for ch in tok) >= 2:
                        parts.setdefault(tok, set()).add(p.pseudonym)
        folded: dict[str, set[str]] = {}
        exact: dict[str, set[str]] = {}
        for tok, pseudonyms in parts.items():
            key = _fold(tok)
            if len(key) >= 3 and key not in _EVERYDAY:
                folded.setdefault(key, set()).update(pseudonyms)
            elif key not in _SHORT_WORDS:
                for form in {tok, tok[:1].upper() + tok[1:], tok.upper()}:
                    exact.setdefault(form, set()).update(pseudonyms)
        self._folded = {k: (next(iter(ps)) if len(ps) == 1 else "[name]") for k, ps in folded.items()}
        self._exact = {k: (next(iter(ps)) if len(ps) == 1 else "[name]") for k, ps in exact.items()}
        for form, pseudonym in whole.items():
            self._folded[_fold(form)] = pseudonym
        for s in self.sources.values():  # distinctive titles and file names inside free text
            for form in {s.title, s.filename, PurePath(s.filename).stem}:
                form = form.strip()
                if len(form) >= 4 and _DISTINCTIVE.search(form):
                    self._folded[_fold(form)] = source_pseudonym(s.position)
        alternatives = {re.escape(t) for t in self._exact}
        for key in self._folded:  # the folded key, and the forms that fold to it, as typed in names
            alternatives.add(re.escape(key))
        for tok in [*parts, *whole, *(f for s in self.sources.values() for f in (s.title, s.filename))]:
            if _fold(tok.strip()) in self._folded:
                alternatives.add(re.escape(tok.strip()))
        if alternatives:
            ordered = sorted(alternatives, key=lambda t: (-len(t), t))
            # boundaries are letters only: "interview_01_aisha" has the part "aisha", "Khanate" has no "Khan"
            self._pattern = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(ordered)})(?![^\W\d_])", re.IGNORECASE)

    def _replace(self, match: re.Match) -> str:
        text = match.group(0)
        if text in self._exact:
            return self._exact[text]
        replacement = self._folded.get(_fold(text))
        if replacement is None:
            return text  # an everyday word in lower case, or a short part in another case: not a name
        return replacement

    # -- what to show ------------------------------------------------------------------------------
    def label(self, participant_id: int | None) -> str:
        p = self.people.get(participant_id) if participant_id is not None else None
        if p is None:
            return "unattributed"
        return p.pseudonym if self.enabled else p.name

    def labels(self, participant_ids: Iterable[int]) -> str:
        return ", ".join(self.label(pid) for pid in participant_ids) or "unattributed"

    def source_label(self, source_id: int) -> str:
        """S01 … when anonymized, else the source's title."""
        s = self.sources.get(source_id)
        if s is None:
            return "unknown source"
        return s.label(self.enabled)

    def replacements(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, replacement) of every name or title `anon` would replace, in order: for exports
        that must move offsets with the text (REFI-QDA positions)."""
        if not self.enabled or self._pattern is None:
            return []
        out = []
        for m in self._pattern.finditer(text):
            repl = self._replace(m)
            if repl != m.group(0):
                out.append((m.start(), m.end(), repl))
        return out

    def coder(self, name: str) -> str:
        return self.anon(name)

    def anon(self, text: object) -> str:
        text = "" if text is None else str(text)
        if not self.enabled or self._pattern is None:
            return text
        return self._pattern.sub(self._replace, text)

    def clean(self, text: object) -> str:
        """Anonymized (when enabled), without terminal escape sequences or other control characters, and
        XML-safe: what every Word and Markdown text goes through."""
        return safe_text.xml_safe(self.anon(text))
