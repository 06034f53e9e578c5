"""Links inside the Word report: figures link to their evidence, the evidence links back.

A figure is written as runs whose third element is a `Cite` (or the name of a bookmark): `DocWriter.runs`
puts consecutive runs with the same target in one internal hyperlink (`w:hyperlink w:anchor=…`), the kind
Word and LibreOffice follow on ctrl+click and keep as links in a PDF. `Links` numbers the evidence entries in
the order their figures first appear (their anchors; the appendix labels them in its own order) and drops a
bookmark at the first figure of each entry in each part of the report (`place`), so the appendix can link
back to it. Figures that rest on exactly the same quotes (a stage's moment, its quotes and its mean valence;
a touchpoint's moment and the touchpoint at its stage) share one entry, which names each of them. Bookmark
names are ASCII letters, digits and underscores, at most 40 characters, starting with a letter: what Word
accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from coding.synthesis import Quote

from .evidence import Cite

LINK_STYLE = "Evidence Link"  # the character style of every figure that links (a dotted underline)


@dataclass
class Entry:
    number: int
    cite: Cite           # the first figure cited: its quotes are shown
    places: list[tuple[str, str]] = field(default_factory=list)  # (bookmark, place), one per place
    also: list[Cite] = field(default_factory=list)  # other figures on exactly the same quotes

    @property
    def titles(self) -> list[str]:
        return list(dict.fromkeys(c.title for c in (self.cite, *self.also)))

    @property
    def anchor(self) -> str:
        return f"evidence_{self.number}"


class Links:
    """The evidence entries of one report, in the order they are first cited."""

    def __init__(self, quotes: Iterable[Quote] = ()):
        self.entries: dict[tuple, Entry] = {}
        self.quotes: dict[int, Quote] = {}
        self.add_quotes(quotes)
        self.place = ""          # where the report is writing now ("Journey map", "Moment 2" …)
        self._bookmark_id = 0

    def add_quotes(self, quotes: Iterable[Quote]) -> None:
        """Quotes a cite may name (the journey's first; a persona's quotes without a stage after)."""
        for q in quotes:
            self.quotes.setdefault(q.id, q)

    def next_bookmark_id(self) -> int:
        self._bookmark_id += 1
        return self._bookmark_id

    def cite(self, cite: Cite) -> tuple[str, str | None]:
        """The entry's anchor, and a bookmark to put at this figure (the first of its entry in this place)."""
        key = ("quotes", frozenset(cite.quote_ids)) if cite.quote_ids else cite.key
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = Entry(len(self.entries) + 1, cite)
        elif cite != entry.cite and cite not in entry.also:
            entry.also.append(cite)
        if any(place == self.place for _, place in entry.places):
            return entry.anchor, None
        mark = f"cited_{entry.number}_{len(entry.places) + 1}"
        entry.places.append((mark, self.place))
        return entry.anchor, mark


def hyperlink(paragraph, anchor: str, tooltip: str = ""):
    """An empty internal hyperlink appended to the paragraph; runs go inside it."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    if tooltip:
        link.set(qn("w:tooltip"), tooltip[:250])
    paragraph._p.append(link)
    return link


def link_style(run, style_id: str | None) -> None:
    if style_id:
        r_pr = run._r.get_or_add_rPr()
        el = OxmlElement("w:rStyle")
        el.set(qn("w:val"), style_id)
        r_pr.insert(0, el)


def bookmark_around(element, name: str, ident: int) -> None:
    """A bookmark named `name` around one element of a paragraph (a hyperlink)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    element.addprevious(start)
    element.addnext(end)


def bookmark_paragraph(paragraph, name: str, ident: int) -> None:
    """A bookmark around a whole paragraph's content (a heading a link lands on)."""
    p = paragraph._p
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    p_pr = p.find(qn("w:pPr"))
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)
