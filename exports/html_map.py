"""The journey map as one web page: `write_html(store, path, ...) -> MapPage`.

One self-contained file that works offline and shares like a document: the style sheet, the script, the
emotion curve (inline SVG) and the data are all inside it, and its Content-Security-Policy (`default-src
'none'`) forbids the browser every request, so nothing leaves the page. It holds what the Word map holds:
the moments that matter, the emotion curve, and the map of stages × lanes (Doing, Thinking, Feeling, Needs,
Pain points, Opportunities, and To be and KPIs when stages have a plan) with the same counts, built by the
same lane functions (`map_cells`) at the Word map's fullest budget. Every figure is a button: clicking it (or
Enter) opens a panel with every quote behind it, the strongest first (`evidence`), with participant, source
and time; "+ 3 more" lists the rest of a cell. Anonymized pages show pseudonyms, also inside quotes. It
prints on one landscape page (scaled to fit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path

from coding.models import StudyError
from coding.synthesis import Journey, StageColumn, compute_journey

from .anonymize import Anonymizer
from .charts import valence_hex
from .common import STDOUT, plural, write_atomically
from .evidence import Cite, moment_cite, shown, tally_cite
from .html_assets import CSS, SCRIPT
from .html_curve import SIGN_COLOUR, curve_svg
from .map_cells import LADDER, LANES, header_counts, map_lanes

SIGN_WORDS = {"pain": "pain", "delight": "delight", "mixed": "mixed feelings", "calm": "little feeling"}
GENERATOR = "research-tui journey map"  # how an earlier page is recognised, to be replaced
TOP_MOMENTS = 5
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; " \
      "form-action 'none'"
LISTS = {"Doing": "touchpoints", "Feeling": "emotions", "Needs": "needs", "Pain points": "pain_points",
         "Opportunities": "opportunities"}


@dataclass
class MapPage:
    path: Path
    stages: list[str] = field(default_factory=list)
    lanes: list[str] = field(default_factory=list)
    figures: int = 0
    quotes: int = 0
    anonymized: bool = False
    segment: tuple[str, str] | None = None


def is_map_page(path: Path) -> bool:
    """A `replaces` test: an HTML file this export wrote (its generator meta in the first 4 KB)."""
    with path.open("rb") as fh:
        return f'<meta name="generator" content="{GENERATOR}">'.encode() in fh.read(4096)


def write_html(store, path: str | Path, *, segment: tuple[str, str] | None = None, persona: str | None = None,
               anonymize: bool | None = None, valence_of=None, force: bool = False) -> MapPage:
    """Write the map page to `path` (.html; "-" for standard output). `anonymize=None` follows the study;
    `segment` or `persona` (a stored persona's name) restrict it to a group, as in the report."""
    from coding import personas as P
    from coding.stageplans import stage_plans

    path = Path(path)
    if str(path) != STDOUT and path.suffix.lower() not in (".html", ".htm"):
        raise StudyError("the map page is a web page: give the output an .html name", path=str(path))
    if persona and segment:
        raise StudyError("map one persona or one segment, not both")
    anonymize = store.anonymize if anonymize is None else bool(anonymize)
    members = None
    if persona:
        name, members = P.persona_scope(store, persona)
        segment = ("persona", name)
    journey = compute_journey(store, segment=segment, valence_of=valence_of, members=members)
    page = _Page(journey, Anonymizer.from_store(store, enabled=anonymize), anonymize)
    text = page.render(store.name, {p.stage.id: p for p in stage_plans(store)})
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), "map page", force=force,
                     replaces=is_map_page)
    return MapPage(path, [c.name for c in journey.stages], page.lanes, len(page.figures), len(page.quotes),
                   anonymize, segment)


class _Page:
    def __init__(self, journey: Journey, anon: Anonymizer, anonymize: bool):
        self.j, self.anon, self.anonymize = journey, anon, anonymize
        self.by_id = {q.id: q for q in journey.quotes}
        self.figures: dict[tuple, dict] = {}   # cite key -> {"id", "title", "count", "quotes", "strongest"}
        self.quotes: dict[str, list[str]] = {}
        self.lists: dict[str, dict] = {}
        self.lanes: list[str] = []

    def t(self, text: object) -> str:
        """Study text as it may be shown: anonymized when asked, no control characters, HTML-escaped."""
        return escape(self.anon.clean(text))

    # -- evidence ------------------------------------------------------------------------------------
    def figure(self, cite: Cite) -> str:
        found = self.figures.get(cite.key)
        if found is None:
            strongest = shown(cite, self.by_id)
            rest = sorted((self.by_id[i] for i in dict.fromkeys(cite.quote_ids)
                           if i in self.by_id and self.by_id[i] not in strongest), key=lambda q: q.order)
            people = {p for q in (*strongest, *rest) for p in q.participant_ids}
            found = self.figures[cite.key] = {
                "id": f"f{len(self.figures) + 1}", "title": self.anon.clean(cite.title),
                "count": f"{plural(len(strongest) + len(rest), 'quote')} from {plural(len(people), 'participant')}",
                "quotes": [self._quote(q) for q in (*strongest, *rest)], "strongest": len(strongest)}
        return found["id"]

    def _quote(self, q) -> str:
        key = f"q{q.id}"
        if key not in self.quotes:
            self.quotes[key] = [self.anon.clean(" ".join(q.text.split())), self.anon.clean(self.j.quote_label(
                q, self.anonymize)), self.anon.clean(self.anon.source_label(q.source_id)), q.timestamp]
        return key

    def data(self) -> str:
        """The page's data as JSON that cannot end its <script> element early."""
        figures = {f["id"]: {k: v for k, v in f.items() if k != "id"} for f in self.figures.values()}
        text = json.dumps({"figures": figures, "quotes": self.quotes, "lists": self.lists}, ensure_ascii=False)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    # -- runs of the lane functions as HTML ------------------------------------------------------------
    def runs(self, runs: list, col: StageColumn | None = None, lane: str = "") -> str:
        out, group, target = [], [], None
        for text, fmt, *rest in [*runs, ("", "", "end")]:
            link = rest[0] if rest else None
            if group and link != target:
                out.append(self._group(group, target, col, lane))
                group = []
            target = link
            group.append((text, fmt))
        return "".join(out)

    def _group(self, parts, target, col, lane) -> str:
        inner = "".join(f'<span class="{" ".join(fmt)}">{self.t(text)}</span>' if fmt else self.t(text)
                        for text, fmt in parts)
        if isinstance(target, Cite):
            return f'<button type="button" class="ev" data-ev="{self.figure(target)}">{inner}</button>'
        if isinstance(target, str) and col is not None and lane in LISTS:
            return f'<button type="button" class="more" data-list="{self._list(col, lane)}">{inner}</button>'
        return inner

    def _list(self, col: StageColumn, lane: str) -> str:
        """Every code of one lane at one stage ("+ 3 more" opens it)."""
        key = f"l{col.stage.id}-{LISTS[lane]}"
        if key not in self.lists:
            tallies = getattr(col, LISTS[lane])
            self.lists[key] = {"title": self.anon.clean(f"{col.name} · {lane}"), "items": [
                [self.anon.clean(f"{t.code.name} ({plural(t.participants, 'participant')})"),
                 self.figure(tally_cite(col, t))] for t in tallies]}
        return key

    # -- the page --------------------------------------------------------------------------------------
    def render(self, study_name: str, plans: dict) -> str:
        j = self.j
        sub = "Customer journey map" + (f" — participants with {j.segment[0]} = {j.segment[1]}" if j.segment else "")
        facts = (f"{plural(j.n, 'participant')} · {plural(len(j.quotes), 'quote')} · "
                 f"{'pseudonyms only' if self.anonymize else 'names shown'} · made {date.today().isoformat()} "
                 "with research-tui")
        body = [f"<h1>{self.t(study_name)}</h1>", f'<p class="sub">{self.t(sub)}</p>',
                f'<p class="facts">{self.t(facts)}</p>',
                '<p class="help">Click a figure, or Tab to it and press Enter, to read the quotes behind it; the '
                "arrow keys move between the map's cells; Esc closes the quotes.</p>",
                '<section class="overview">', f'<div class="moments">{self.moments()}</div>']
        curve = curve_svg(j, self.anon.clean, self.anonymize, top=TOP_MOMENTS)
        if curve:
            body += ['<div class="curve"><h2 id="curve-heading">Emotion curve</h2>', curve, "</div>"]
        body += ["</section>", self.map_table(plans)]
        return "\n".join([
            "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            f'<meta name="generator" content="{GENERATOR}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{self.t(study_name)}: customer journey map</title>", f"<style>{CSS}</style>", "</head>",
            "<body>", '<main id="page">', *body, "</main>",
            '<aside id="quotes" tabindex="-1" role="dialog" aria-label="Quotes behind the figure" hidden></aside>',
            f'<script type="application/json" id="map-data">{self.data()}</script>',
            f"<script>{SCRIPT}</script>", "</body>", "</html>", ""])

    def moments(self) -> str:
        top = self.j.top_moments(TOP_MOMENTS)
        if not top:
            return '<h2>Moments that matter</h2><p class="g">No moments yet: code quotes with a stage first.</p>'
        items = []
        for m in top:  # in rank order: the list numbers them
            words = SIGN_WORDS.get(m.sign, m.sign)
            caution = f" — caution: {m.caution}" if m.caution else ""
            items.append(
                f'<li><button type="button" class="ev" data-ev="{self.figure(moment_cite(m))}">'
                f'<span class="b">{self.t(m.title)}</span> — <span '
                f'style="color:{SIGN_COLOUR.get(m.sign, "#666")}">{words}</span>{self.t(caution)}'
                f'<span class="g"> · {len(m.participant_ids)} of {m.n_journey} participants · '
                f"{self.t(m.sign_note)} · score {m.score:.2f}</span></button></li>")
        return '<h2>Moments that matter</h2><ol class="moments">' + "".join(items) + "</ol>"

    def map_table(self, plans: dict) -> str:
        j, budget = self.j, LADDER[0]
        lanes = LANES + tuple(map_lanes(plans))
        self.lanes = [lane[0] for lane in lanes]
        head = ['<th scope="col">Stage</th>']
        for col in j.stages:
            fill = valence_hex(col.valence.mean)
            style = f' style="background:#{fill}"' if fill else ""
            head.append(f'<th scope="col" data-stage="{self.t(col.name)}"{style}><p class="b">{self.t(col.name)}</p>'
                        f"<p>{self.runs(header_counts(col), col)}</p></th>")
        rows = []
        for lane, render, *fill in lanes:
            cells = [f'<th scope="row">{self.t(lane)}</th>']
            for col in j.stages:
                lines = render(col, j, self.anonymize, budget)
                classes = ["tobe"] if fill else []
                style = ""
                if lane == "Feeling" and col.valence.mean is not None:
                    style = f' style="background:#{valence_hex(col.valence.mean)}"'
                if lines and lines[0] and lines[0][0][0] == "—":
                    classes.append("empty")
                paragraphs = "".join(f"<p>{self.runs(line, col, lane)}</p>" for line in lines)
                cls = f' class="{" ".join(classes)}"' if classes else ""
                cells.append(f'<td data-lane="{self.t(lane)}" data-stage="{self.t(col.name)}"{cls}{style}>'
                             f"{paragraphs}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        if not j.stages:
            rows = ['<tr><td class="empty">No stage codings yet: code quotes with a stage first.</td></tr>']
        caption = ("Stages in journey order; (n) = participants. Feeling cells and stage headers are shaded by mean "
                   "valence: red negative, grey neutral, green positive.")
        return (f'<h2>Journey map</h2><table class="map"><caption class="g" style="text-align:left;caption-side:'
                f'bottom">{caption}</caption><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(rows)}'
                "</tbody></table>")
