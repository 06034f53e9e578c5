"""The journey map page: one offline file, checked as text and in a real browser (headless Chromium over the
DevTools protocol): the same stages, lanes and counts as the Word map, quotes behind every figure, keys, one
landscape page in print, and no request leaving the page."""

from __future__ import annotations

import re

import docx
import pytest

from coding.models import StudyError
from coding.study import Store
from exports import EXPORTERS, write_html, write_report
from exports.html_map import is_map_page
from tests.browser import Browser, chromium

LANES = ["Doing", "Thinking", "Feeling", "Needs", "Pain points", "Opportunities", "To be", "KPIs"]
TALLY = re.compile(r"^(.+?) \((\d+)[,)]")


@pytest.fixture(scope="module")
def demo_outputs(demo_file, tmp_path_factory):
    """The demo's map page and Word report, anonymized, from the same study."""
    folder = tmp_path_factory.mktemp("html")
    with Store.open(demo_file, read_only=True) as store:
        page = write_html(store, folder / "map.html", anonymize=True)
        write_report(store, folder / "journey.docx", anonymize=True)
        names = [p.name for p in store.participants()]
    return folder, page, names


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if chromium() is None:
        pytest.skip("chromium is not installed (`make test` installs the Debian package as root)")
    with Browser.start(tmp_path_factory.mktemp("profile")) as b:
        yield b


def _word_map(path) -> dict:
    """{(lane, stage): [paragraph texts]} and the stage headers of the Word report's journey map."""
    doc = docx.Document(str(path))
    table = next(t for t in doc.tables if [c.text for c in t.columns[0].cells][1:7] == LANES[:6])
    stages = [c.paragraphs[0].text.replace("\u200b", "") for c in table.rows[0].cells[1:]]
    cells = {("Stage", s): [p.text for p in c.paragraphs[1:]] for s, c in zip(stages, table.rows[0].cells[1:])}
    for row in table.rows[1:]:
        lane = row.cells[0].text
        for stage, cell in zip(stages, row.cells[1:]):
            cells[(lane, stage)] = [p.text for p in cell.paragraphs]
    return {"stages": stages, "lanes": [r.cells[0].text for r in table.rows[1:]], "cells": cells}


HTML_MAP = """(() => {
  const table = document.querySelector("table.map");
  const stages = [...table.tHead.rows[0].cells].slice(1).map(c => c.dataset.stage);
  const cells = {};
  [...table.tHead.rows[0].cells].slice(1).forEach(c => cells["Stage|" + c.dataset.stage] =
      [...c.querySelectorAll("p")].slice(1).map(p => p.innerText.trim()));
  for (const row of table.tBodies[0].rows) {
    for (const td of [...row.cells].slice(1)) {
      cells[td.dataset.lane + "|" + td.dataset.stage] = [...td.querySelectorAll("p")].map(p => p.innerText.trim());
    }
  }
  const lanes = [...table.tBodies[0].rows].map(r => r.cells[0].innerText.trim());
  return {stages, lanes, cells};
})()"""


def test_one_self_contained_file(demo_outputs):
    folder, page, names = demo_outputs
    text = (folder / "map.html").read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and is_map_page(folder / "map.html")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"https?://|//[a-z]|<link|<img|<iframe|@import|url\(|src=", text, re.IGNORECASE)
    assert "<svg" in text and '<script type="application/json" id="map-data">' in text
    assert page.stages and page.lanes == LANES and page.figures > 100 and page.quotes == 403
    leaked = [n for n in names if n in text and not n.startswith(("Interviewer", "Unknown"))]
    assert not leaked  # anonymized: pseudonyms only, also inside quotes


def test_segment_and_persona_and_names(demo_file, tmp_path):
    from coding import personas as P

    with Store.open(demo_file, read_only=True) as store:
        everyone = write_html(store, tmp_path / "all.html", anonymize=False)
        scan = write_html(store, tmp_path / "first.html", segment=("first_scan", "yes"))
        persona = P.personas(store)[0]
        group = write_html(store, tmp_path / "persona.html", persona=persona.name)
        with pytest.raises(StudyError, match=r"\.html name"):
            write_html(store, tmp_path / "map.docx")
        (tmp_path / "notes.html").write_text("<p>my notes</p>")
        with pytest.raises(StudyError, match="force"):
            write_html(store, tmp_path / "notes.html")
        write_html(store, tmp_path / "all.html")  # an earlier map page is replaced
    facts = {p: re.search(r"(\d+) participants? · (\d+) quotes?", (tmp_path / p).read_text()).groups()
             for p in ("all.html", "first.html", "persona.html")}
    assert int(facts["first.html"][0]) < int(facts["all.html"][0]) == 15
    assert int(facts["persona.html"][0]) == len([p for p in persona.participant_ids])
    assert "participants with first_scan = yes" in (tmp_path / "first.html").read_text()
    assert f"participants with persona = {persona.name}" in (tmp_path / "persona.html").read_text()
    assert everyone.anonymized is False and scan.segment == ("first_scan", "yes") and group.segment[0] == "persona"
    assert EXPORTERS["html"] is write_html


def test_in_chromium_the_map_has_the_word_maps_stages_lanes_and_counts(demo_outputs, browser):
    folder, _page, _ = demo_outputs
    page = browser.open(folder / "map.html")
    html, word = page.evaluate(HTML_MAP), _word_map(folder / "journey.docx")
    assert html["stages"] == word["stages"] and len(html["stages"]) == 7
    assert html["lanes"] == word["lanes"] == LANES
    compared = 0
    for (lane, stage), lines in word["cells"].items():
        shown = html["cells"][f"{lane}|{stage}"]
        if lane in ("Stage", "Feeling"):  # "15 people · 61 quotes", "mean −0.4 (n=14, −2.0 to +1.0)"
            assert lines[0] == shown[0], (lane, stage)
            compared += 1
        for line in lines:
            m = TALLY.match(line)
            if m and lane not in ("Thinking", "To be"):  # "Phone line (7) offline": the same code, the same count
                assert any(TALLY.match(s) and TALLY.match(s).groups() == m.groups() for s in shown), (lane, line)
                compared += 1
    assert compared > 70
    assert page.requests == [(folder / "map.html").resolve().as_uri()]  # nothing else was asked for
    assert page.errors == []
    shot = page.screenshot(folder / "map.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000


def test_clicking_a_cell_shows_its_quotes(demo_outputs, browser):
    folder, _page, _ = demo_outputs
    page = browser.open(folder / "map.html")
    shown = page.evaluate("""(() => {
      const td = document.querySelector('td[data-lane="Pain points"] button.ev');
      const label = td.innerText;
      td.click();
      const panel = document.getElementById("quotes");
      return {label, hidden: panel.hidden, title: panel.querySelector("h2").innerText,
              count: panel.querySelector("p.g").innerText,
              quotes: [...panel.querySelectorAll("blockquote")].map(b => b.innerText),
              who: [...panel.querySelectorAll("p.who")].map(p => p.innerText),
              focused: document.activeElement === panel};
    })()""")
    assert not shown["hidden"] and shown["focused"]
    name, people = TALLY.match(shown["label"]).groups()
    assert name in shown["title"] and re.search(rf"from {people} participants?$", shown["count"])
    n = int(re.match(r"(\d+) quotes?", shown["count"]).group(1))
    assert len(shown["quotes"]) == len(shown["who"]) == n >= 1
    assert all(q.startswith("“") for q in shown["quotes"])
    assert all(re.match(r"P\d\d(, P\d\d)* · S\d\d( · \d\d:\d\d:\d\d)?$", w) for w in shown["who"])
    assert page.errors == []


def test_the_keyboard_reaches_every_figure(demo_outputs, browser):
    folder, _page, _ = demo_outputs
    page = browser.open(folder / "map.html")
    page.press("Tab")
    first = page.evaluate("document.activeElement.innerText")
    assert first.startswith("Results and next steps")  # the first moment
    page.press("Enter")
    assert page.evaluate("!document.getElementById('quotes').hidden && document.activeElement.id") == "quotes"
    page.press("Escape")
    assert page.evaluate("document.getElementById('quotes').hidden")
    assert page.evaluate("document.activeElement.innerText") == first  # back to the figure
    page.evaluate("document.querySelector('td[data-lane=\"Doing\"] button').focus()")
    start = page.evaluate("document.activeElement.closest('td').dataset.stage")
    page.press("ArrowRight")
    assert page.evaluate("document.activeElement.closest('td').dataset.stage") != start
    page.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('td').dataset.lane") == "Thinking"
    page.press(" ")  # Space opens the cell's quotes, as Enter does
    assert page.evaluate("document.getElementById('quotes').hidden") is False
    more = page.evaluate("""(() => { const b = document.querySelector("button.more"); b.click();
        return [...document.querySelectorAll("#quotes li button")].map(x => x.innerText); })()""")
    assert len(more) > 3  # "+ 2 more" lists every code of that cell


def test_prints_on_one_landscape_page(demo_outputs, browser, tmp_path):
    from tests.exports.wide_study import build

    folder, _page, _ = demo_outputs
    wide = build(tmp_path / "wide.rtui", stages=12, people=14)
    write_html(wide, tmp_path / "wide.html")
    wide.close()
    for path in (folder / "map.html", tmp_path / "wide.html"):
        pdf = browser.open(path).pdf(tmp_path / f"{path.stem}.pdf").read_bytes()
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1, path.name
        box = [float(x) for x in re.search(rb"/MediaBox\s*\[\s*" + rb"([\d.]+)\s+" * 3 + rb"([\d.]+)", pdf).groups()]
        assert box[2] - box[0] > box[3] - box[1]  # landscape
