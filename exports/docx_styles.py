"""The report's Word styles: the ones it uses, added with sensible looks when a template lacks them.

The report uses styles only (see `docx_kit`), so a stakeholder restyles the whole report in one place: Title,
Heading 1-3, Quote, Intense Quote, List Bullet, Caption, table styles, and its own: "Journey Map Text",
"Journey Map Lane", "Journey Table Text", "Evidence Group", "Evidence Entry" and "Evidence Quote" (the
evidence appendix) and
the character style "Evidence Link" (a figure that links to its quotes: a dotted underline).
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from .docx_links import LINK_STYLE

PARAGRAPH_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Quote", "Intense Quote",
                    "List Bullet", "Caption", "Journey Map Text", "Journey Map Lane", "Journey Table Text",
                    "Evidence Group", "Evidence Entry", "Evidence Quote")
_HEADING_SIZES = {"Title": 26, "Subtitle": 14, "Heading 1": 16, "Heading 2": 13, "Heading 3": 11}

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
        elif name == "Evidence Group":  # a stage, the whole journey or a persona in the appendix
            font.size, font.bold = Pt(10), True
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(9), Pt(1), True
        elif name in ("Evidence Entry", "Evidence Quote"):  # the appendix: small and tight, so it prints short
            font.size = Pt(8.5 if name == "Evidence Entry" else 8)
            fmt = style.paragraph_format
            fmt.line_spacing, fmt.space_after = 1.0, Pt(1)
            fmt.space_before = Pt(4 if name == "Evidence Entry" else 0)
            fmt.keep_with_next = name == "Evidence Entry"
            if name == "Evidence Quote":
                fmt.left_indent = Inches(0.12)
        if name == "List Bullet":
            style.paragraph_format.left_indent = Inches(0.25)
        notes.append(name)
    if not _has(styles, LINK_STYLE):  # a figure that links to its quotes: a dotted underline, easy to restyle
        link = styles.add_style(LINK_STYLE, WD_STYLE_TYPE.CHARACTER)
        u = OxmlElement("w:u")
        u.set(qn("w:val"), "dotted")
        link.element.get_or_add_rPr().append(u)
        notes.append(LINK_STYLE)
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
