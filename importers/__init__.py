"""File -> `coding.models.Transcript`. Pure functions: no database, no UI, no printing.

`load(path)` reads the bytes, checks size, decodes text formats, dispatches on the suffix through
`READERS` and turns every failure into one `ImportFailed` line that names the file (and line).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coding.models import ImportFailed, Transcript, UnsupportedFormat

from .docx import read_docx
from .encoding import decode
from .participants import read_participants
from .speakers import force_interviewers
from .srt import read_srt
from .survey import Survey, SurveyChoice, read_survey, read_survey_file
from .text import read_text
from .vtt import read_vtt

MAX_BYTES = 50 * 1024 * 1024
SURVEY_OPTIONS = ("id_column", "text_columns", "attribute_columns")


@dataclass(frozen=True)
class Reader:
    format: str
    read: Callable[..., Any]
    binary: bool = False  # gets the raw bytes instead of decoded text


READERS: dict[str, Reader] = {
    ".txt": Reader("text", read_text),
    ".md": Reader("text", read_text),
    ".text": Reader("text", read_text),
    ".docx": Reader("docx", read_docx, binary=True),
    ".vtt": Reader("vtt", read_vtt),
    ".srt": Reader("srt", read_srt),
    ".csv": Reader("csv", read_survey),
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted(READERS))


def transcript_files(path: Path) -> list[Path]:
    """A file as itself; a folder as its transcript files (not its subfolders), in name order."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                   and not p.name.startswith("."))
    if not found:
        raise ImportFailed(f"no transcript files ({', '.join(SUPPORTED_SUFFIXES)}) in this folder", path=str(path))
    return found


@dataclass
class ImportResult:
    transcripts: list[Transcript] | Survey  # a survey: its respondents, each read when asked
    notes: list[str] = field(default_factory=list)  # one line each, for the import report
    survey: SurveyChoice | None = None

    @property
    def file_notes(self) -> list[str]:
        """Notes about the file as a whole (e.g. the survey columns guessed); each transcript's own
        notes are reported when it is imported, so they are left out here."""
        if isinstance(self.transcripts, Survey):  # respondents have no notes of their own when read
            return list(self.notes)
        own = {n for t in self.transcripts for n in t.notes}
        return [n for n in self.notes if n not in own]


def _size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} bytes"


def read_bytes(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing missing, empty and oversized files."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportFailed(f"file is {_size(size)}, over the {_size(max_bytes)} limit", path=name)
        if size == 0:
            raise ImportFailed("empty file", path=name)
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    if not data:
        raise ImportFailed("empty file", path=name)
    return data


@contextmanager
def _one_line_errors(name: str) -> Iterator[None]:
    """A reader bug or a library error nobody foresaw still reaches the user as one clear ImportFailed."""
    try:
        yield
    except ImportFailed:
        raise
    except Exception as exc:  # re-raised as ImportFailed
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise ImportFailed(
            f"could not read the file ({type(exc).__name__}{': ' + detail if detail else ''})", path=name
        ) from exc


def _survey_kwargs(options: dict | None, name: str) -> dict:
    options = dict(options or {})
    unknown = sorted(set(options) - set(SURVEY_OPTIONS))
    if unknown:
        raise ImportFailed(
            f"unknown survey option {unknown[0]!r}; use {', '.join(SURVEY_OPTIONS)}", path=name
        )
    for key in ("text_columns", "attribute_columns"):
        if isinstance(options.get(key), str):
            options[key] = [options[key]]
    return options


def load_with_report(
    path: Path,
    *,
    max_bytes: int = MAX_BYTES,
    survey_options: dict | None = None,
    interviewer: list[str] | None = None,
) -> ImportResult:
    """Read one file into transcripts (one per respondent for surveys) plus the import report's notes."""
    path = Path(path)
    name = path.name
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnsupportedFormat(name, supported=list(SUPPORTED_SUFFIXES))
    data = read_bytes(path, max_bytes=max_bytes)
    decoding: list[str] = []  # e.g. how many lines were not UTF-8
    with _one_line_errors(name):
        content = data if reader.binary else decode(data, name=name, notes=decoding)
        del data  # a big file is not held twice, as bytes and as text, while it is parsed
        if reader.format == "csv":
            survey = read_survey_file(content, name=name, **_survey_kwargs(survey_options, name))
            del content  # the survey keeps the text it reads its respondents from
            empty = survey.empty
            notes = [*survey.choice.lines(), f"survey: {survey.respondents} respondents with answers, "
                     f"{survey.answers} answers" + (f", {empty} of them empty-looking (NA, none, -: kept, flagged, "
                                                    "left out of counts and suggestions)" if empty else "")]
            result = ImportResult(survey, notes, survey.choice)
        else:
            limit = {"max_bytes": max_bytes} if reader.binary else {}  # what a package unpacks to
            result = ImportResult([reader.read(content, name=name, interviewer=interviewer, **limit)])
            result.transcripts[0].notes[:0] = decoding  # kept with the source's import notes
    result.notes[:0] = decoding
    for t in () if isinstance(result.transcripts, Survey) else result.transcripts:
        for note in t.notes:
            if note not in result.notes:
                result.notes.append(note)
    return result


def load(
    path: Path,
    *,
    max_bytes: int = MAX_BYTES,
    survey_options: dict | None = None,
    interviewer: list[str] | None = None,
) -> list[Transcript]:
    """Read one file; a list because a survey CSV yields one Transcript per respondent."""
    return list(load_with_report(
        path, max_bytes=max_bytes, survey_options=survey_options, interviewer=interviewer
    ).transcripts)


def load_participants(path: Path, *, max_bytes: int = MAX_BYTES) -> list[dict[str, str]]:
    """A participants sheet (.csv) -> rows with a `name` key; see participants.read_participants."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise UnsupportedFormat(path.name, supported=[".csv"])
    data = read_bytes(path, max_bytes=max_bytes)
    with _one_line_errors(path.name):
        return read_participants(decode(data, name=path.name), name=path.name)


__all__ = [
    "MAX_BYTES",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "transcript_files",
    "ImportResult",
    "Reader",
    "Survey",
    "SurveyChoice",
    "force_interviewers",
    "load",
    "load_participants",
    "load_with_report",
    "read_bytes",
    "read_docx",
    "read_participants",
    "read_srt",
    "read_survey",
    "read_survey_file",
    "read_text",
    "read_vtt",
]
