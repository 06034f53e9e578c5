"""python-docx plumbing for the report: templates, styles with fallbacks, sections, tables, shading.

Every string goes through `DocWriter.text()` (anonymized when asked, XML-illegal characters removed)
so no caller can forget. The report uses Word styles only (Title, Heading 1-3, Quote, Intense Quote,
List Bullet, Caption, table styles, and three of its own: "Journey Map Text", "Journey Map Lane",
"Journey Table Text"), so a
stakeholder restyles the whole report in one place.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from lxml import etree

from coding.models import StudyError
from coding.ooxml import DOCUMENT_MAIN, TEMPLATE_MAIN, check_word_package

from .anonymize import Anonymizer
from .docx_fit import CELL_MARGIN_IN, Measure, fit_columns

_DOTX, _DOCX = TEMPLATE_MAIN, DOCUMENT_MAIN
PARAGRAPH_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Quote", "Intense Quote",
                    "List Bullet", "Caption", "Journey Map Text", "Journey Map Lane", "Journey Table Text")
_HEADING_SIZES = {"Title": 26, "Subtitle": 14, "Heading 1": 16, "Heading 2": 13, "Heading 3": 11}
# parts a template can carry text in: headers, footers, comments, notes, comment authors, properties
_TEMPLATE_TEXT = re.compile(r"^/(word/(header|footer|comments|footnotes|endnotes|people)\w*\.xml|"
                            r"docProps/(app|custom)\.xml)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TCPR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def open_document(template: Path | str | None):
    """A new document: python-docx's default, or the company template with its body emptied."""
    if template is None:
        return Document()
    path = Path(template)
    if not path.is_file():
        raise StudyError("template file not found", path=str(path))
    try:
        data = path.read_bytes()
        package = check_word_package(data, name=str(path), what="Word .docx template", templates=True)
        if package.content_type == TEMPLATE_MAIN:
            data = _dotx_as_docx(data)
        doc = Document(io.BytesIO(data))
    except StudyError:
        raise
    except Exception as exc:  # BadZipFile, KeyError (missing part), ValueError (wrong content type)
        raise StudyError(f"not a Word .docx template ({type(exc).__name__})", path=str(path)) from exc
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # keep the last section: page size, header and footer links
            body.remove(child)
    return doc


def _dotx_as_docx(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(_DOTX.encode(), _DOCX.encode())
            dst.writestr(item, content)
    return out.getvalue()


def ensure_styles(doc) -> list[str]:
    """Add the styles the report uses when a template lacks them; returns the names of those added."""
    notes = []
    styles = doc.styles
    for name in PARAGRAPH_STYLES:
        if _has(styles, name):
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if _has(styles, "Normal"):
            style.base_style = styles["Normal"]
        font = style.font
        if name in _HEADING_SIZES:
            font.size, font.bold = Pt(_HEADING_SIZES[name]), name != "Subtitle"
            style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
            style.paragraph_format.keep_with_next = True
        elif name in ("Quote", "Intense Quote"):
            font.italic = True
            style.paragraph_format.left_indent = Inches(0.4)
        elif name == "Caption":
            font.size, font.italic = Pt(9), True
        elif name == "Journey Map Text":
            font.size = Pt(8)
            style.paragraph_format.space_before = Pt(0)
            style.paragraph_format.space_after = Pt(1)
        elif name == "Journey Table Text":
            font.size = Pt(9)
            style.paragraph_format.space_after = Pt(0)
        elif name == "Journey Map Lane":
            font.size, font.bold = Pt(8.5), True
        if name == "List Bullet":
            style.paragraph_format.left_indent = Inches(0.25)
        notes.append(name)
    if not _has(styles, "Table Grid"):  # "Light Grid Accent 1" falls back to it (see table_style)
        _add_table_grid(doc)
        notes.append("Table Grid")
    map_text = styles["Journey Map Text"]
    if map_text.font.size is None:
        map_text.font.size = Pt(8)
    return notes


def _has(styles, name: str) -> bool:
    try:
        styles[name]
    except KeyError:
        return False
    return True


def _add_table_grid(doc) -> None:
    style = doc.styles.add_style("Table Grid", WD_STYLE_TYPE.TABLE)
    style.element.get_or_add_tblPr().append(table_borders("single", 4, "auto"))


def table_borders(line: str, eighths: int, color: str):
    """A `w:tblBorders` element: every edge and inside line `line` ("single", "dashed" …), `eighths` of a
    point wide, in `color` (hex or "auto")."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), line)
        el.set(qn("w:sz"), str(eighths))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), color)
        borders.append(el)
    return borders


def set_properties(doc, anon: Anonymizer, *, title: str, subject: str, author: str) -> None:
    """The document's properties, and what a template brought, through the anonymizer.

    Core properties (docProps/core.xml) are all set: title, subject, author and last modified by (the
    coder who wrote the report: a researcher, passed through `anon` so a participant's name cannot leak
    through it), dates of now, and the rest emptied (python-docx's default says "generated by
    python-docx", a template may carry its own). With anonymity on, the text a template brought
    along goes through `anon` too: headers, footers, comments and their authors, foot- and endnotes,
    and the extended and custom properties (docProps/app.xml, custom.xml).
    """
    props = doc.core_properties
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.title, props.subject = anon.clean(title), anon.clean(subject)
    props.author = props.last_modified_by = anon.clean(author)
    props.description = "Written by research-tui"
    for field in ("keywords", "comments", "category", "content_status", "identifier", "language", "version"):
        setattr(props, field, "")
    props.created = props.modified = now
    props.revision = 1
    if not anon.enabled:
        return
    for part in doc.part.package.iter_parts():  # what a template brought along, beside the body we wrote
        if not _TEMPLATE_TEXT.search(str(part.partname)):
            continue
        root = part._element if hasattr(part, "_element") else etree.fromstring(part.blob)
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            if el.text and (el.tag == qn("w:t") or not el.tag.startswith(_W)):
                el.text = anon.clean(el.text)
            if el.get(qn("w:author")):
                el.set(qn("w:author"), anon.clean(el.get(qn("w:author"))))
            if el.get(qn("w:initials")):  # initials are a name too: the author's pseudonym stands for them
                el.set(qn("w:initials"), el.get(qn("w:author"), ""))
        if not hasattr(part, "_element"):
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def table_style(doc, preferred: str = "Light Grid Accent 1") -> str | None:
    for name in (preferred, "Table Grid"):
        if _has(doc.styles, name):
            return name
    return None


def shade(cell, fill: str) -> None:
    """Cell background (w:shd fill), e.g. "F4B6B0"."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    successor = next((tc_pr.find(qn(tag)) for tag in _TCPR_AFTER_SHD if tc_pr.find(qn(tag)) is not None), None)
    if successor is not None:
        successor.addprevious(shd)
    else:
        tc_pr.append(shd)


def cell_margins(table, inches: float) -> None:
    """Left and right padding of every cell of the table (w:tblCellMar), in inches."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblCellMar")):
        tbl_pr.remove(old)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(inches * 1440)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    successor = next((tbl_pr.find(qn(tag)) for tag in ("w:tblLook", "w:tblCaption", "w:tblDescription")
                      if tbl_pr.find(qn(tag)) is not None), None)
    if successor is not None:
        successor.addprevious(margins)
    else:
        tbl_pr.append(margins)


def keep_row_together(row) -> None:
    """The row does not break across pages (w:cantSplit)."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.insert(0, el)


def no_header_look(table) -> None:
    """The table style's header-row formatting off: the first row is data (a facts table)."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    look.set(qn("w:firstRow"), "0")
    look.set(qn("w:val"), "0480")


def _word_room(cells: Sequence[tuple[str, bool]], size: float = 9) -> float:
    """Inches a column needs so that none of its cells' (text, bold) breaks inside a word, padding included."""
    m = Measure()
    widest = max((m.widest([(text, bold)], size) for text, bold in cells if text), default=0.0)
    return widest / 72 + 2 * CELL_MARGIN_IN + 0.05


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


class DocWriter:
    """Adds anonymized, XML-safe content with the report's styles."""

    def __init__(self, doc, anon: Anonymizer, own_styles: Sequence[str] = ()):
        self.doc = doc
        self.anon = anon
        self.own_styles = frozenset(own_styles)  # styles the report added (no template defines them)
        self._style_ids: dict[str, str] = {}

    def text(self, value: object) -> str:
        return self.anon.clean(value)

    def style_id(self, name: str) -> str:
        """python-docx scans every style on each lookup by name (~2 ms); look each up once."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def styled(self, paragraph, style: str | None):
        if style:
            paragraph._p.style = self.style_id(style)
        return paragraph

    def heading(self, text: str, level: int = 1):
        return self.para(text, "Title" if level == 0 else f"Heading {level}")

    def para(self, text: str = "", style: str | None = None, *, bold: bool = False, italic: bool = False):
        p = self.styled(self.doc.add_paragraph(), style)
        if text:
            run = p.add_run(self.text(text))
            run.bold, run.italic = bold or None, italic or None
        return p

    def runs(self, parts: Sequence[tuple[str, str]], style: str | None = None, paragraph=None):
        """One paragraph of (text, "b"|"i"|"") runs."""
        p = paragraph if paragraph is not None else self.styled(self.doc.add_paragraph(), style)
        for text, fmt in parts:
            run = p.add_run(self.text(text))
            run.bold = ("b" in fmt) or None
            run.italic = ("i" in fmt) or None
            if "g" in fmt:
                run.font.color.rgb = RGBColor(0x6B, 0x6B, 0x6B)
        return p

    def bullet(self, text: str):
        return self.para(text, "List Bullet")

    def quote(self, text: str, attribution: str, style: str = "Quote") -> None:
        self.para(f"“{' '.join(str(text).split())}”", style)
        self.runs([(f"— {attribution}", "g")], style="Caption")

    def table(self, header: Sequence[str] | None, rows: Sequence[Sequence[object]], *,
              widths: Sequence[float] | None = None, style: str | None = None):
        """A table with a header row (repeated on every page), or with none when `header` is None.
        Planned `widths` give way so that no word breaks inside its cell."""
        cols = len(header) if header is not None else max((len(r) for r in rows), default=1)
        table = self.doc.add_table(rows=0, cols=cols)
        chosen = table_style(self.doc, style or "Light Grid Accent 1")
        if chosen:
            table.style = self.doc.styles[chosen]
        if header is not None:
            cells = table.add_row().cells
            for cell, text in zip(cells, header):
                self._cell(cell, text)
            repeat_header(table.rows[0])
        else:
            no_header_look(table)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values):
                self._cell(cell, value)
        if widths:
            needs = [_word_room([(c.text, bool(header is not None and r == 0) or i == 0)
                                 for r, row in enumerate(table.rows) for c in row.cells[i:i + 1]])
                     for i in range(cols)]
            set_widths(table, fit_columns(widths, needs, self.usable_width()))
        self.doc.add_paragraph()
        return table

    def _cell(self, cell, value: object) -> None:
        p = self.styled(cell.paragraphs[0], "Journey Table Text")
        p.add_run(self.text("" if value is None else value))

    def page_break(self) -> None:
        self.doc.add_page_break()

    def section(self, landscape: bool):
        """A new section on a new page, landscape or portrait (headers and footers carry over)."""
        previous = self.doc.sections[-1]
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        long_side = max(previous.page_width, previous.page_height)
        short_side = min(previous.page_width, previous.page_height)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long_side, short_side) if landscape else (short_side, long_side)
        if landscape:
            section.left_margin = section.right_margin = Inches(0.6)
            section.top_margin = section.bottom_margin = Inches(0.5)
        else:  # back to the first section's margins
            first = self.doc.sections[0]
            section.left_margin, section.right_margin = first.left_margin, first.right_margin
            section.top_margin, section.bottom_margin = first.top_margin, first.bottom_margin
        return section

    def usable_width(self) -> float:
        """Inches between the margins of the current (last) section."""
        s = self.doc.sections[-1]
        return (s.page_width - s.left_margin - s.right_margin) / 914400


def set_widths(table, widths_in: Sequence[float]) -> None:
    """Fixed column widths in inches (on every cell too, which Word and LibreOffice both honour)."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, width in zip(table.columns, widths_in):
        col.width = Inches(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_in):
            cell.width = Inches(width)
