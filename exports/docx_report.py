"""The Word journey map for stakeholders: `write_report(store, path, ...) -> ReportSummary`.

Contents: title page with study facts; executive summary (the top moments on one page); the journey
map in a landscape section (stages × lanes, Feeling cells shaded red → grey → green by mean valence)
with the emotion curve; one section per moment that matter; stage-by-stage detail; the segment
comparison when asked; method (participants, sources, coders, score formula, valence sources,
saturation); the evidence appendix; the codebook appendix. Anonymized reports show pseudonyms only, also
inside quotes.

Every figure (a moment, a count, a cell of the map, a persona's need) links to its entry in the evidence
appendix, where its strongest quotes are listed with participant, source and time and link back to it
(`evidence` says which quotes, `docx_links` makes the links, `docx_evidence` writes the appendix).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docx.shared import Inches

from coding.models import StudyError
from coding.people import headcount
from coding.synthesis import Journey, Moment, Quote, compare_groups, compare_segments, compute_journey
from coding.synthesis.represent import pick_diverse

from .anonymize import Anonymizer, truncate
from .charts import emotion_curve_png
from .common import STDOUT, docx_with_subject, fmt_valence, plural, write_atomically
from .docx_evidence import add_evidence
from .docx_kit import DocWriter, ensure_styles, open_document, set_properties
from .docx_links import Links
from .docx_map import MapPlan, add_journey_map, stage_anchor
from .docx_method import add_appendix, add_comparison, add_method
from .docx_personas import add_personas
from .docx_tobe import add_to_be, has_plans, map_lanes
from .evidence import moment_cite, moment_need_cite, peak_end_cite, stage_cite, tally_cite, valence_cite

TOP_MOMENTS = 5
SUBJECT = "Customer journey map"  # also how an earlier report is recognised, to be replaced
PLACES = {"Executive summary": "Summary", "Journey map": "Map", "From as-is to to-be": "To be",  # as the
          "Stage by stage": "Stages"}                                                 # appendix names them
SIGN_WORDS = {"pain": "pain", "delight": "delight", "mixed": "mixed feelings", "calm": "little feeling"}


@dataclass
class ReportSummary:
    path: Path
    sections: list[str] = field(default_factory=list)  # the Heading 1 titles, in order
    moments: int = 0
    quotes: int = 0
    participants: int = 0
    pictures: int = 0
    anonymized: bool = False
    segment: tuple[str, str] | None = None
    notes: list[str] = field(default_factory=list)     # e.g. styles added to a template
    map: MapPlan | None = None                          # how the journey map was fitted to its page
    evidence: int = 0                                   # entries in the evidence appendix


def write_report(store, path: str | Path, *, segment: tuple[str, str] | None = None,
                 template: Path | str | None = None, anonymize: bool | None = None,
                 compare: tuple[str, str, str] | None = None, valence_of=None, force: bool = False,
                 persona: str | None = None, compare_personas: tuple[str, str] | None = None) -> ReportSummary:
    """Write the journey report to `path` (.docx; "-" for standard output). `anonymize=None` follows the
    study's setting. An existing file is replaced only if it is a report (`force` replaces any file but a
    study; see `write_atomically`). `persona` (a stored persona's name) reports that persona's journey;
    `compare_personas` sets two side by side, as `compare` does for two segments."""
    from coding import personas as P

    path = Path(path)
    if str(path) != STDOUT and path.suffix.lower() != ".docx":
        raise StudyError("the report is a Word file: give the output a .docx name", path=str(path))
    if persona and segment:
        raise StudyError("report one persona or one segment, not both")
    if compare and compare_personas:
        raise StudyError("compare two segments or two personas, not both")
    anonymize = store.anonymize if anonymize is None else bool(anonymize)
    doc = open_document(template)  # a bad template fails before the synthesis runs
    members = None
    if persona:
        name, members = P.persona_scope(store, persona)
        segment = ("persona", name)
    journey = compute_journey(store, segment=segment, valence_of=valence_of, members=members)
    comparison = compare_segments(store, *compare, valence_of=valence_of) if compare else None
    if compare_personas:
        comparison = compare_groups(store, "persona", *(P.persona_scope(store, n) for n in compare_personas),
                                    valence_of=valence_of)
    added = ensure_styles(doc)
    notes = [f"added {'table ' if name == 'Table Grid' else ''}style '{name}'" for name in added]
    summary = ReportSummary(path=path, anonymized=anonymize, segment=segment, notes=notes)
    anon = Anonymizer.from_store(store, enabled=anonymize)
    w = DocWriter(doc, anon, own_styles=added, links=Links(journey.quotes))
    builder = _Report(w, store, journey, anonymize, summary, valence_of)
    builder.build(comparison)
    set_properties(doc, anon, title=f"{store.name}: customer journey map", subject=SUBJECT,
                   author=store.coder)
    write_atomically(path, lambda tmp: doc.save(str(tmp)), "report", force=force,
                     replaces=docx_with_subject(SUBJECT))
    return summary


class _Report:
    def __init__(self, w: DocWriter, store, journey: Journey, anonymize: bool, summary: ReportSummary,
                 valence_of=None):
        self.w, self.store, self.j, self.anonymize, self.summary = w, store, journey, anonymize, summary
        self.valence_of = valence_of  # the journey's: persona curves are drawn beside it
        self.by_id = {q.id: q for q in journey.quotes}

    def h1(self, text: str) -> None:
        self.w.heading(text, 1)
        self.summary.sections.append(text)
        self.w.links.place = PLACES.get(text, text)

    def attribution(self, q: Quote, short: bool = False) -> str:
        """Who said it, in which source, when ("P03 · S02 · 00:04:10"); `short`: who said it."""
        bits = [self.j.quote_label(q, self.anonymize)]
        if short:
            return bits[0]
        bits.append(self.w.anon.source_label(q.source_id))
        if q.timestamp:
            bits.append(q.timestamp)
        return " · ".join(bits)

    def quote(self, q: Quote, style: str = "Quote") -> None:
        self.w.quote(q.text, self.attribution(q), style)
        self.summary.quotes += 1

    def build(self, comparison) -> None:
        from coding import personas as P
        from coding.stageplans import evidence, stage_plans

        self.plans = {p.stage.id: p for p in stage_plans(self.store)}
        self.title_page()
        self.executive_summary()
        self.map_section()
        self.w.section(landscape=False)
        self.moments()
        if has_plans(self.plans):
            self.w.page_break()
            self.h1("From as-is to to-be")
            moments = self.j.top_moments(TOP_MOMENTS)
            found = {cid: n for p in self.plans.values() for cid, n in evidence(self.store, p, self.j.quotes).items()}
            add_to_be(self.w, self.j, self.plans, moments, found, self.attribution)
        self.stages()
        stored = P.personas(self.store)
        if self.j.segment and self.j.segment[0] == "persona":
            stored = [p for p in stored if p.name == self.j.segment[1]]
        if stored:
            self.w.page_break()
            self.h1("Personas")
            chosen = stored[0].method.get("chosen", "")
            how = f"The drafts were made with {chosen}." if chosen else ""
            study = P.Study(self.store, self.valence_of)  # the journey's valence: curves drawn beside it agree
            self.w.links.add_quotes([*study.data.quotes, *study.unstaged])  # quotes with no stage, too
            sketches = P.describe(self.store, stored, study=study)
            self.summary.pictures += add_personas(self.w, sketches, self.j, self.attribution, drafted=how)
        if comparison is not None:
            self.w.page_break()
            what = "Personas" if comparison.key == "persona" else "Segments"
            self.h1(f"{what} compared: {comparison.key} = {comparison.value_a} vs {comparison.value_b}")
            add_comparison(self.w, comparison)
        self.h1("Method")
        add_method(self.w, self.store, self.j, self.anonymize)
        self.h1("Appendix: evidence")
        self.summary.evidence = add_evidence(self.w, self.attribution, self.j.stages)
        self.h1("Appendix: codebook")
        add_appendix(self.w, self.store)
        self.summary.moments = len(self.j.top_moments(TOP_MOMENTS))
        self.summary.participants = self.j.n

    # -- title and summary -----------------------------------------------------------------------
    def title_page(self) -> None:
        w, j = self.w, self.j
        w.heading(self.store.name, 0)
        subtitle = "Customer journey map"
        if j.segment:
            subtitle += f" — participants with {j.segment[0]} = {j.segment[1]}"
        w.para(subtitle, "Subtitle")
        totals = self.store.totals()
        codings = len({cid for q in j.quotes for cid in q.coding_ids})  # a span under two stages counts once
        rows = [
            ("Study", self.store.name),
            ("Report date", date.today().isoformat()),
            ("Sources", totals["sources"]),
            ("Participants in the journey", self._who_counts(j.n)),
            ("Quotes (stage codings)", len(j.quotes)),
            ("Codings behind the map", f"{codings} (of {totals['codings']} in the study)"),
            ("Names", "pseudonyms only" if self.anonymize else "participant names shown"),
        ]
        if j.segment:
            rows.append(("Segment", f"{j.segment[0]} = {j.segment[1]}"))
        w.table(None, rows, widths=(2.3, 4.0))
        w.para("How to read this report: the executive summary lists the moments that matter most; the "
               "journey map shows every stage on one landscape page; each moment and each stage then has "
               "its own section with verbatim quotes; the method section says how every number was made.")
        w.page_break()

    def _who_counts(self, in_journey: int) -> str:
        """'10 (of 14; not counted: 1 interviewer, 1 unnamed speaker)': why `info` shows more people."""
        count = headcount(self.store.participants())
        why = count.why()
        return f"{in_journey} (of {count.participants}" + (f"; not counted: {why})" if why else ")")

    def executive_summary(self) -> None:
        w, j = self.w, self.j
        self.h1("Executive summary")
        top = j.top_moments(TOP_MOMENTS)
        if not top:
            w.para("No moments yet: code quotes with a stage (and an emotion) to see what matters.", italic=True)
            return
        w.para(f"The {len(top)} moments that matter most for the {j.n} participants in this journey, ranked by "
               "how many people they reach, how strongly people feel there, and whether it was their "
               "peak or their last stage. Where people feel little, a stage comes after those where they feel "
               "something, whatever its reach.")
        for note in (j.calm_note, j.model_note):
            if note:
                w.para(note, italic=True)
        shown: set[int] = set()  # a stage and its touchpoint cell often share their best quote
        for rank, m in enumerate(top, start=1):
            cite = moment_cite(m)
            facts = f"  {len(m.participant_ids)} of {m.n_journey} participants · {m.sign_note}"
            needs: list[tuple] = []
            for i, t in enumerate(m.needs):
                needs += [(" · needs: " if i == 0 else ", ", "g"), (t.code.name, "g", moment_need_cite(m, t))]
            w.runs([(f"{rank}. {m.title}", "b", cite), (f" — {SIGN_WORDS[m.sign]}, score {m.score:.2f}", "", cite),
                    *([(f" — caution: {m.caution}", "b", cite)] if m.caution else []), (facts, "g", cite), *needs])
            q = next((q for q in m.quotes if q.id not in shown), None)
            if q is not None:  # one page for the whole summary: one short quote per moment
                shown.add(q.id)
                w.para(f"“{truncate(q.text, 160)}” — {self.attribution(q)}", "Quote")
                self.summary.quotes += 1

    # -- map ---------------------------------------------------------------------------------------
    def map_section(self) -> None:
        w = self.w
        w.section(landscape=True)
        self.h1("Journey map")
        self.summary.map = add_journey_map(w, self.j, anonymize=self.anonymize, extra_lanes=map_lanes(self.plans))
        png = emotion_curve_png(self.j, top=TOP_MOMENTS)
        w.heading("Emotion curve", 2).paragraph_format.page_break_before = True  # the map keeps its page
        if png is None:
            w.para("No quote has a valence yet (code emotions with a valence).", italic=True)
            return
        w.doc.add_picture(io.BytesIO(png), width=Inches(min(9.0, w.usable_width())))
        self.summary.pictures += 1
        w.para("Line: mean valence per stage (each participant counts once). Dots: each participant's mean "
               "at that stage; bars: their range. Stars: the moments that matter, by rank.", "Caption")

    # -- moments and stages ------------------------------------------------------------------------
    def moments(self) -> None:
        self.h1("Moments that matter")
        self.w.para("Score = 0.4 × reach + 0.4 × intensity / 2 + 0.2 × peak-end (see Method).", "Caption")
        if not self.j.moments:
            self.w.para("No moments yet.", italic=True)
        for rank, m in enumerate(self.j.top_moments(TOP_MOMENTS), start=1):
            self.w.links.place = f"Moment {rank}"
            self.moment(rank, m)

    def moment(self, rank: int, m: Moment) -> None:
        w = self.w
        w.heading(f"{rank}. {m.title} — {SIGN_WORDS[m.sign]}" + (f" (caution: {m.caution})" if m.caution else ""), 2)
        cite = moment_cite(m)
        w.runs([("Why it ranks: ", "b"), (f"score {m.score:.2f} from ", ""), (m.why, "", cite)])
        if m.caution:
            w.para(f"Read with care: {m.caution}, fewer than the minimum of {m.min_participants} a moment needs "
                   "to rank with the others (see Method). It is listed after every moment that reaches it.",
                   italic=True)
        w.runs([(f"Reach {m.reach:.2f}: {len(m.participant_ids)} of {m.n_journey} participants have a quote here.",
                 "", cite)], "List Bullet")
        w.runs([(f"Intensity {m.intensity:.2f} of 2: mean strength of feeling; mean valence "
                 f"{fmt_valence(m.mean_valence)}; {m.sign_note}.", "", cite)], "List Bullet")
        peak_end = (f"Peak-end {m.peak_end:.2f}: for {plural(len(m.peak_end_ids), 'participant')} this is their "
                    "most intense moment, or their last stage and felt there.")
        w.runs([(peak_end, "", peak_end_cite(m, self.w.links.quotes) if m.peak_end_ids else None)], "List Bullet")
        w.runs([(f"Evidence: {m.basis}.", "", cite)], "List Bullet")
        if m.needs:
            w.heading("What people need here", 3)
            for t in m.needs:
                kind = t.code.attributes.get("need_type", "")
                w.runs([(f"{t.code.name}{f' ({kind})' if kind else ''}: {plural(t.participants, 'participant')}",
                         "", moment_need_cite(m, t))], "List Bullet")
        if m.quotes:
            w.heading("In their words", 3)
            for q in m.quotes:
                self.quote(q)

    def stages(self) -> None:
        w = self.w
        self.h1("Stage by stage")
        for col in self.j.stages:
            w.bookmark(w.heading(col.name, 2), stage_anchor(col))
            if col.stage.description:
                w.para(col.stage.description, italic=True)
            if not col.quotes:
                w.para("No quotes coded at this stage.", italic=True)
                continue
            v = col.valence
            felt = valence_cite(col) if v.n else None
            w.runs([(f"{plural(len(col.quotes), 'quote')} from {plural(len(col.participant_ids), 'participant')}",
                     "", stage_cite(col)), (". ", ""),
                    (f"Mean valence {fmt_valence(v.mean)}", "b", felt),
                    (f" (n={v.n}" + (f", sd {v.std:.2f}, range {fmt_valence(v.min)} to "
                                     f"{fmt_valence(v.max)})" if v.n else ")"), "", felt)])
            for title, tallies in (("Doing: touchpoints", col.touchpoints), ("Feeling: emotions", col.emotions),
                                   ("Needs", col.needs), ("Pain points", col.pain_points),
                                   ("Opportunities", col.opportunities), ("Themes", col.themes)):
                if not tallies:
                    continue
                w.heading(title, 3)
                for t in tallies:
                    w.runs([(f"{t.code.name}: {plural(t.quotes, 'quote')}, {plural(t.participants, 'participant')}",
                             "", tally_cite(col, t))], "List Bullet")
                    if tallies is col.pain_points or tallies is col.opportunities:
                        quotes = [self.by_id[qid] for qid in t.quote_ids]
                        strongest = {q.id: abs(q.valence or 0.0) for q in quotes}
                        for q in pick_diverse(quotes, strongest, 3):  # the strongest, from different people
                            self.quote(q, "Intense Quote")
            if col.representative:
                w.heading("Thinking: representative quotes", 3)
                for q in col.representative:
                    self.quote(q)
