"""Every figure of the report links to the quotes behind it: the .docx is unzipped and each link followed."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from coding.synthesis import compute_journey
from exports import write_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LANES = ["Doing", "Thinking", "Feeling", "Needs", "Pain points", "Opportunities"]
ATTRIBUTION = re.compile(r"— (P\d\d|I\d\d|unattributed)(, P\d\d)* · S\d\d( · \d\d:\d\d:\d\d)? ")


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _style(p) -> str:
    el = p.find(f"{W}pPr/{W}pStyle")
    return el.get(f"{W}val") if el is not None else ""


class Doc:
    """document.xml of a report: paragraphs in order, bookmarks, links."""

    def __init__(self, path):
        with zipfile.ZipFile(path) as z:
            self.root = etree.fromstring(z.read("word/document.xml"))
            self.styles = {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val")
                           for s in etree.fromstring(z.read("word/styles.xml")).iter(f"{W}style")}
        self.body = self.root.find(f"{W}body")
        self.paragraphs = list(self.body.iter(f"{W}p"))
        self.index = {id(p): i for i, p in enumerate(self.paragraphs)}
        self.bookmarks = {}
        for b in self.root.iter(f"{W}bookmarkStart"):
            assert b.get(f"{W}name") not in self.bookmarks, "bookmark names are unique"
            self.bookmarks[b.get(f"{W}name")] = b
        self.links = list(self.root.iter(f"{W}hyperlink"))

    def style(self, p) -> str:
        """The style's name as Word shows it (styles.xml spells built-in ones in lower case: "heading 1")."""
        name = self.styles.get(_style(p), _style(p))
        return name[:1].upper() + name[1:]

    def paragraph_of(self, el):
        while el.tag != f"{W}p":
            el = el.getparent()
        return el

    def landing(self, anchor: str):
        """The paragraph a link to `anchor` lands on."""
        return self.paragraph_of(self.bookmarks[anchor])

    def after(self, p):
        """The paragraphs that follow `p` up to the next entry or heading."""
        out = []
        for q in self.paragraphs[self.index[id(p)] + 1:]:
            if self.style(q) in ("Evidence Entry", "Heading 1"):
                break
            out.append(q)
        return out

    def heading_index(self, text: str) -> int:
        return next(i for i, p in enumerate(self.paragraphs) if self.style(p) == "Heading 1" and _text(p) == text)

    def between(self, first: str, then: str):
        return self.paragraphs[self.heading_index(first) + 1:self.heading_index(then)]


SEPARATOR = re.compile(r"[\s,·.]*(needs:)?[\s,·]*")


def _linked(p) -> bool:
    """Every word of the paragraph is inside a link (separators between linked figures aside)."""
    outside = [t.text for t in p.iter(f"{W}t") if t.text and not SEPARATOR.fullmatch(t.text)
               and not any(a.tag == f"{W}hyperlink" for a in t.iterancestors())]
    return bool(_text(p).strip()) and not outside


@pytest.fixture(scope="module")
def demo_report(demo_file, tmp_path_factory):
    from coding.study import Store

    path = tmp_path_factory.mktemp("evidence") / "demo.docx"
    with Store.open(demo_file, read_only=True) as store:
        summary = write_report(store, path, anonymize=True)
        journey = compute_journey(store)
    return Doc(path), summary, journey


def test_every_link_lands_on_a_bookmark(demo_report):
    doc, summary, _ = demo_report
    anchors = [a.get(f"{W}anchor") for a in doc.links]
    assert len(anchors) > 500 and all(anchors)
    assert not [a for a in anchors if a not in doc.bookmarks]
    for name in doc.bookmarks:  # what Word accepts: a letter first, letters, digits and _, at most 40
        assert re.fullmatch(r"[A-Za-z]\w{0,39}", name), name
    ids = [b.get(f"{W}id") for b in doc.root.iter(f"{W}bookmarkStart")]
    assert len(ids) == len(set(ids)) == len(list(doc.root.iter(f"{W}bookmarkEnd")))
    assert summary.evidence == sum(1 for n in doc.bookmarks if n.startswith("evidence_")) > 100


def test_each_evidence_link_lists_its_quotes_with_participant_source_and_time(demo_report):
    doc, _, _ = demo_report
    timed = again = 0
    for anchor in {a.get(f"{W}anchor") for a in doc.links if a.get(f"{W}anchor").startswith("evidence_")}:
        entry = doc.landing(anchor)
        assert doc.style(entry) == "Evidence Entry"
        assert re.match(r"E\d+ ", _text(entry))
        quotes = [p for p in doc.after(entry) if doc.style(p) == "Evidence Quote"]
        assert quotes, _text(entry)
        n = int(re.search(r"— (\d+) quotes?, ", _text(entry)).group(1))
        assert 1 <= len(quotes) <= min(n, 3)
        for q in quotes:
            text = _text(q)
            back = [a.get(f"{W}anchor") for a in q.iter(f"{W}hyperlink")]
            assert back and back[0].startswith("cited_"), "each quote links back to its figure"
            figure = doc.landing(back[0])
            assert doc.index[id(figure)] < doc.heading_index("Appendix: evidence")
            if "in full: E" in text:  # printed in full under an earlier entry: its first words link there
                again += 1
                first_words = text[1:text.index("…”")]
                full = doc.landing(back[1])
                assert back[1].startswith("quote_") and doc.style(full) == "Evidence Quote"
                assert _text(full).startswith("“" + first_words) and ATTRIBUTION.search(_text(full))
                assert doc.index[id(full)] < doc.index[id(q)]
                text = _text(full)
            assert text.startswith("“") and ATTRIBUTION.search(text), text
            timed += bool(re.search(r"\d\d:\d\d:\d\d", text))
    assert timed > 50  # the demo's VTT and SRT interviews have times
    assert again > 20


def _evidence_anchor(p) -> dict[str, None]:
    """The paragraph's links to evidence, in order."""
    return dict.fromkeys(a.get(f"{W}anchor") for a in p.iter(f"{W}hyperlink")
                         if a.get(f"{W}anchor").startswith("evidence_"))


def test_every_figure_of_the_summary_map_and_moments_is_a_link(demo_report):
    doc, _, journey = demo_report
    moments = [p for p in doc.between("Executive summary", "Journey map") if re.match(r"\d\. ", _text(p))]
    assert len(moments) == 5
    for p, m in zip(moments, journey.top_moments(5)):
        assert _linked(p), _text(p)
        entry = doc.landing(next(iter(_evidence_anchor(p))))  # the first link: the moment itself
        assert m.title in _text(entry) and f"{len(m.participant_ids)} participants" in _text(entry)

    table = next(t for t in doc.body.iter(f"{W}tbl")
                 if [_text(r.find(f"{W}tc")) for r in t.iter(f"{W}tr")][1:7] == LANES)
    rows = list(table.iter(f"{W}tr"))
    header = rows[0].findall(f"{W}tc")[1:]
    for cell in header:  # "15 people · 61 quotes" -> the stage's quotes
        counts = cell.findall(f"{W}p")[1]
        assert _linked(counts)
        people = re.match(r"(\d+) (people|person)", _text(counts)).group(1)
        assert f", {people} participant" in _text(doc.landing(next(iter(_evidence_anchor(counts)))))
    cells = 0
    for row in rows[1:7]:
        for cell in row.findall(f"{W}tc")[1:]:
            for p in cell.findall(f"{W}p"):
                if _text(p) in ("—", "no valence"):
                    continue
                assert _linked(p), _text(p)
                cells += 1
                count = re.match(r"(.+?) \((\d+)", _text(p))
                evidence = _evidence_anchor(p)
                if count and evidence and not _text(p).startswith("mean"):  # "Name (n)": n participants
                    entry = _text(doc.landing(next(iter(evidence))))
                    assert count.group(1) in entry and re.search(rf", {count.group(2)} participants?\b", entry)
    assert cells > 80

    section = doc.between("Moments that matter", "From as-is to to-be")
    bullets = [p for p in section if re.match(r"(Reach|Intensity|Peak-end) \d", _text(p))]
    assert len(bullets) == 15
    assert all(_linked(p) for p in bullets if "for 0 participants" not in _text(p))  # nobody: nothing to show
    why = [p for p in section if _text(p).startswith("Why it ranks")]
    assert len(why) == 5 and all(_evidence_anchor(p) for p in why)


def test_stage_sections_and_personas_link_too(demo_report):
    doc, _, _ = demo_report
    stage_bullets = [p for p in doc.between("Stage by stage", "Personas")
                     if doc.style(p) == "List Bullet" and re.search(r": \d+ quotes?, \d+ participants?$", _text(p))]
    assert len(stage_bullets) > 150 and all(_linked(p) for p in stage_bullets)
    persona = [p for p in doc.between("Personas", "Method") if doc.style(p) == "List Bullet" and " of " in _text(p)]
    assert persona and all(_evidence_anchor(p) for p in persona)
    more = [a for a in doc.links if a.get(f"{W}anchor").startswith("stage_")]  # "+ 3 more" -> the stage's section
    assert more and all(doc.style(doc.landing(a.get(f"{W}anchor"))) == "Heading 2" for a in more)


def test_the_appendix_stays_printable(demo_report):
    doc, _, journey = demo_report
    appendix = doc.between("Appendix: evidence", "Appendix: codebook")
    quotes = [p for p in appendix if doc.style(p) == "Evidence Quote"]
    entries = [p for p in appendix if doc.style(p) == "Evidence Entry"]
    assert len(quotes) <= 1.4 * len(entries)  # the strongest one to three per figure, not every quote
    assert max(len(_text(p)) for p in quotes) < 260
    full = [_text(p) for p in quotes if "in full: E" not in _text(p)]
    twice = [t for t in set(full) if full.count(t) > 1]
    assert all(len(t.split("”")[0]) <= 51 for t in twice), twice  # a quote in full once (a short one: again)
    assert sum(map(len, [*full, *map(_text, entries)])) / len(entries) < 230  # characters per entry
    # entries grouped by stage in journey order, then across the journey, then personas; numbered in that order
    groups = [_text(p) for p in appendix if doc.style(p) == "Evidence Group"]
    assert groups[:len(journey.stages)] == [col.name for col in journey.stages]
    assert all(g == "Across the journey" or g.startswith("Persona ") for g in groups[len(journey.stages):])
    numbers = [int(re.match(r"E(\d+) ", _text(p)).group(1)) for p in entries]
    assert numbers == list(range(1, len(entries) + 1))
    # two columns from the first entry to the last, one again for the codebook
    breaks = [p.find(f"{W}pPr/{W}sectPr") for p in appendix if p.find(f"{W}pPr/{W}sectPr") is not None]
    assert [b.find(f"{W}cols").get(f"{W}num") for b in breaks] == [None, "2"] or \
        [b.find(f"{W}cols").get(f"{W}num", "1") for b in breaks] == ["1", "2"]
    last = doc.body.find(f"{W}sectPr/{W}cols")
    assert last.get(f"{W}num") == "1"


def test_figures_on_the_same_quotes_share_one_entry(demo_report):
    doc, summary, journey = demo_report
    first = journey.top_moments(1)[0]
    assert first.touchpoint is None  # the demo's first moment is a stage: its moment, quotes and valence agree
    p = next(p for p in doc.between("Executive summary", "Journey map") if _text(p).startswith("1. "))
    entry = _text(doc.landing(next(iter(_evidence_anchor(p)))))
    assert entry.startswith("E") and "Moment: " + first.title in entry and "Every quote" in entry
    assert "How people feel (mean valence)" in entry
    assert f"— {len(first.quote_ids)} quotes, {len(first.participant_ids)} participants" in entry
    for place in ("Summary", "Map", "Moment 1", "Stages"):
        assert place in entry
    targets = {a.get(f"{W}anchor") for a in doc.links if a.get(f"{W}anchor").startswith("evidence_")}
    assert summary.evidence == len(targets) < 265  # 278 figures before they shared entries


@pytest.mark.slow
def test_the_demo_appendix_prints_on_a_fifth_of_the_report(demo_file, tmp_path):
    """Through LibreOffice: the demo's evidence appendix took 24 of 76 pages before entries were shared, grouped
    in two columns and each quote printed once."""
    import shutil
    import subprocess

    from coding.study import Store

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None or shutil.which("pdftotext") is None:
        pytest.skip("libreoffice and pdftotext (poppler-utils) are needed")
    path = tmp_path / "demo.docx"
    with Store.open(demo_file, read_only=True) as store:
        write_report(store, path, anonymize=True)
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "demo.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    start = next(i for i, p in enumerate(pages) if re.search(r"^\s*Appendix: evidence\s*$", p, re.M))
    end = next(i for i, p in enumerate(pages) if re.search(r"^\s*Appendix: codebook\s*$", p, re.M))
    assert end - start <= 16 and (end - start) / len(pages) < 0.22, (start, end, len(pages))
