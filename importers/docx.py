"""Word transcripts (Otter, Rev, Teams exports, hand-typed notes) read with python-docx.

The document becomes lines (paragraphs; table rows as `[time] Speaker: text`), the plain-text label
grammar finds the turns, and the turns are rendered again as `[hh:mm:ss] Speaker: words` blocks.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from coding.guards.archive import DEFAULT_LIMITS, ZipLimits
from coding.guards.ooxml import check_word_package
from coding.models import ImportFailed, StudyError, Transcript

from . import speakers
from .encoding import normalize_newlines, xml_safe
from .otter import irregular_label_notes
from .speakers import Turn, looks_like_name
from .text import parse_turns

CORRUPT = "not a valid .docx (corrupt or truncated)"
_CELL_TS = re.compile(r"\[?\(?\d{1,2}(?::[0-5]\d){1,2}(?:[.,]\d{1,3})?\)?\]?")
_HEADER_CELLS = {
    "speaker",
    "name",
    "text",
    "transcript",
    "time",
    "timestamp",
    "start",
    "end",
    "dialogue",
    "utterance",
    "content",
    "words",
    "who",
    "said",
    "start time",
    "end time",
}


def _check_package(data: bytes, name: str, max_bytes: int | None) -> None:
    """Refuse corrupt zips, zip bombs (parts unpacking past `max_bytes`, XML past the element limit), a
    missing main document and XML with a DOCTYPE or entities in any part (found through the package
    relationships, as python-docx finds them) before python-docx parses anything."""
    limits = ZipLimits.unpacking_to(max_bytes) if max_bytes else DEFAULT_LIMITS
    try:
        check_word_package(data, name=name, limits=limits)
    except StudyError as exc:
        raise ImportFailed(exc.detail, path=name) from None


def _row_line(cells: list[str]) -> str | None:
    """A table row as `[time] Speaker: text`; rows without a name-like cell become plain text."""
    cells = [c.strip() for c in cells]
    if not any(cells):
        return None
    if all(c.casefold() in _HEADER_CELLS for c in cells if c):
        return None  # header row
    time = next((c for c in cells if _CELL_TS.fullmatch(c)), None)
    rest = [c for c in cells if c and c is not time]
    speaker = next((c for c in rest if looks_like_name(c, lenient=True) and len(rest) > 1), None)
    if speaker is None:
        return "\n".join(rest)
    text = "\n".join(c for c in rest if c is not speaker)
    stamp = f"[{time.strip('[]()')}] " if time else ""
    return f"{stamp}{speaker}: {text}"


def _plain(text: str) -> str:
    """Word text as transcript text: no XML-illegal characters, and a carriage return (`&#13;` in the
    XML, which python-docx passes through) is a newline like any other."""
    return normalize_newlines(xml_safe(text))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_CHILDREN = {_W + "r", _W + "hyperlink"}  # where python-docx's Paragraph.text finds text


def _document_lines(doc) -> list[str]:
    """The body as lines. Linear, and cheap for what has no text: a paragraph without runs is skipped
    before python-docx reads it, and a style's name is looked up once per style (a lookup costs a
    millisecond, so 200,000 empty paragraphs took minutes)."""
    lines: list[str] = []
    styles: dict[str | None, str] = {}
    for block in doc.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                seen, cells = set(), []
                for cell in row.cells:  # merged cells repeat: keep each once
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(_plain(cell.text))
                line = _row_line(cells)
                if line:
                    lines.append(line)
            continue
        if not any(child.tag in _TEXT_CHILDREN for child in block._p):
            continue
        text = _plain(block.text).strip()
        if not text:
            continue
        style_id = block._p.style
        if style_id not in styles:
            styles[style_id] = (block.style.name if block.style is not None else "") or ""
        lines.append("# " + text if styles[style_id].startswith(("Heading", "Title")) else text)
    return lines


def read_docx(data: bytes, *, name: str, interviewer: list[str] | None = None,
              max_bytes: int | None = None) -> Transcript:
    """A .docx transcript: paragraphs and tables, rendered as `[hh:mm:ss] Speaker: words` turns.
    `max_bytes` (the import's `--max-mb`) bounds what the package's parts unpack to."""
    _check_package(data, name, max_bytes)
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        try:
            doc = docx.Document(io.BytesIO(data))
        except PackageNotFoundError:
            raise ImportFailed("not a .docx (is it an old .doc or another zip file?)", path=name) from None
        joined = "\n".join(_document_lines(doc))
    except ImportFailed:
        raise
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, AttributeError) as exc:
        raise ImportFailed(f"{CORRUPT}: {type(exc).__name__}", path=name) from None
    except Exception as exc:  # noqa: BLE001  lxml.etree.XMLSyntaxError and friends: one clear line
        raise ImportFailed(f"{CORRUPT}: {exc}".splitlines()[0], path=name) from None
    if not joined.strip():
        raise ImportFailed("the document has no text", path=name)
    parsed = parse_turns(joined)
    turns = [
        Turn(s.speaker, re.sub(r"[ \t]*\n\s*", "\n", joined[s.start : s.end]), s.start_ms)
        for s in parsed.spans
    ]
    text, utterances = speakers.render(turns)
    title = next((ln[2:] for ln in joined.split("\n")[:3] if ln.startswith("# ")), None)
    metadata = dict(parsed.metadata)
    if title:
        metadata["document title"] = title
    t = Transcript(Path(name).stem, name, "docx", text, utterances, metadata=metadata)
    if not parsed.labelled:
        t.notes.append(speakers.monologue_note("document"))
    t.notes.extend(irregular_label_notes(parsed, where="paragraph"))
    return speakers.finish(t, interviewer)
