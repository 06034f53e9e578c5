"""What an import says it did: the sources it added (a survey file as one line, however many respondents), what
it skipped, and its notes (merges, guesses, attribute joins)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Added:
    """One source an import added; read like a dict (`added["title"]`). Slotted: a survey of a million
    respondents adds a million of these."""

    title: str
    filename: str
    format: str
    utterances: int
    speakers: tuple[str, ...]
    source_id: int

    def __getitem__(self, key: str):
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key, default)


@dataclass
class ImportReport:
    added: list[Added] = field(default_factory=list)    # title, filename, format, utterances, speakers, source_id
    skipped: list[str] = field(default_factory=list)    # one line per skipped transcript
    notes: list[str] = field(default_factory=list)      # merges, guesses, attribute joins

    @property
    def count(self) -> int:
        """Sources added: a survey file's entry stands for all its respondents."""
        return sum(getattr(a, "respondents", 1) for a in self.added)

    def source_ids(self) -> list[int]:
        return [sid for a in self.added for sid in (a.source_ids if hasattr(a, "source_ids") else (a.source_id,))]

    def lines(self) -> list[str]:
        """One line per transcript; one per survey file, however many respondents it has."""
        out: list[str] = []
        surveys: dict[str, list] = {}  # filename -> [its line, respondents, answers, first title, last title]
        for a in self.added:
            if a.get("format") == "csv":
                if a["filename"] not in surveys:
                    surveys[a["filename"]] = [len(out), 0, 0, a["title"], ""]
                    out.append("")
                survey = surveys[a["filename"]]
                survey[1] += a.get("respondents", 1)
                survey[2] += a["utterances"]
                survey[4] = a.get("last_title", a["title"])
            else:
                out.append(f"imported {a['filename']} as '{a['title']}': {a['utterances']} utterances, "
                           f"speakers {', '.join(a['speakers'])}")
        for filename, (i, n, answers, first, last) in surveys.items():
            titles = f"'{first}'" + (f" … '{last}'" if n > 1 else "")
            out[i] = (f"imported {filename}: {n} respondent{'s' * (n != 1)}, each a source ({titles}), "
                      f"{answers} answer{'s' * (answers != 1)}")
        return out + self.skipped + self.notes


def survey_skips(skipped: dict[str, int], totals: dict[str, int]) -> list[str]:
    """One line per survey file whose respondents were already in the study."""
    out = []
    for filename, n in skipped.items():
        total = totals[filename]
        if n == total:
            out.append(f"{filename}: skipped, this survey is already in the study ({n} respondents)")
        else:
            out.append(f"{filename}: {n} of {total} respondents are already in the study and were skipped; "
                       f"{total - n} new ones imported")
    return out
