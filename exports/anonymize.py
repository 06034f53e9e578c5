"""Text hygiene for every export: pseudonyms instead of names, and no XML-illegal characters.

When a study is anonymized, a participant's name never reaches an export: labels use the pseudonym,
and inside any text (quotes, titles, memos, attribute values) each person's full name, their speaker
labels as imported, and every name token of at least three letters are replaced with the pseudonym
(whole words, any case; longest first). A token two people share ("Sam") becomes "[name]". Generic
labels ("Interviewer", "Participant 2", "Respondent (interview_03)") are not names and stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coding import textsafe
from coding.importing import is_generic_label
from coding.models import Participant

# XML 1.0 allows tab, newline, carriage return and U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ROLE_WORDS = re.compile(r"^(interviewer|moderator|facilitator|researcher|host|note ?taker|observer)\s*\d*$",
                         re.IGNORECASE)
_SCOPE = re.compile(r"\s*\(.*\)$")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


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


class Anonymizer:
    """`label(pid)` gives the name to show; `anon(text)` replaces names in free text when enabled."""

    def __init__(self, people: Iterable[Participant], *, enabled: bool,
                 speaker_labels: dict[int, set[str]] | None = None):
        self.enabled = enabled
        self.people = {p.id: p for p in people}
        self._lookup: dict[str, str] = {}
        self._pattern: re.Pattern | None = None
        if enabled:
            self._build(speaker_labels or {})

    @classmethod
    def from_store(cls, store, *, enabled: bool) -> Anonymizer:
        labels: dict[int, set[str]] = {}
        if enabled:
            for source in store.sources():
                for pid, label in source.metadata.get("speaker_labels", {}).items():
                    labels.setdefault(int(pid), set()).add(str(label))
        return cls(store.participants(), enabled=enabled, speaker_labels=labels)

    def _build(self, speaker_labels: dict[int, set[str]]) -> None:
        whole: dict[str, str] = {}
        tokens: dict[str, set[str]] = {}
        for pid, p in self.people.items():
            for label in {p.name, *speaker_labels.get(pid, ())}:
                if not _is_name(label):
                    continue
                for form in {label.strip(), _SCOPE.sub("", label).strip()}:
                    whole[form.casefold()] = p.pseudonym
                for tok in _TOKEN.findall(_SCOPE.sub("", label)):
                    if sum(ch.isalpha() for ch in tok) >= 3:
                        tokens.setdefault(tok.casefold(), set()).add(p.pseudonym)
        lookup = {t: (next(iter(ps)) if len(ps) == 1 else "[name]") for t, ps in tokens.items()}
        lookup.update(whole)
        self._lookup = lookup
        if lookup:
            alternatives = "|".join(re.escape(t) for t in sorted(lookup, key=lambda t: (-len(t), t)))
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def label(self, participant_id: int | None) -> str:
        p = self.people.get(participant_id) if participant_id is not None else None
        if p is None:
            return "unattributed"
        return p.pseudonym if self.enabled else p.name

    def labels(self, participant_ids: Iterable[int]) -> str:
        return ", ".join(self.label(pid) for pid in participant_ids) or "unattributed"

    def replacements(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, pseudonym) of every name `anon` would replace, in order: for exports that must
        move offsets with the text (REFI-QDA positions)."""
        if not self.enabled or self._pattern is None:
            return []
        return [(m.start(), m.end(), self._lookup[m.group(0).casefold()]) for m in self._pattern.finditer(text)]

    def anon(self, text: object) -> str:
        text = "" if text is None else str(text)
        if not self.enabled or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._lookup[m.group(0).casefold()], text)

    def clean(self, text: object) -> str:
        """Anonymized (when enabled), without terminal escape sequences or other control characters, and
        XML-safe: what every Word and Markdown text goes through."""
        return textsafe.xml_safe(self.anon(text))
