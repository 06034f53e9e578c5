"""The persona-workshop kit: `write_kit(store, path, ...) -> KitSummary` (Word, A4) and `write_cards_csv`.

Quote cards for affinity mapping: one verbatim quote per card, eight per A4 page as a 2 × 4 table of fixed
size with dashed borders (cut lines), so they print and cut cleanly; a card's small type gives its number,
the speaker's pseudonym, the stage and the codes. Long quotes get a smaller font, never a cut, up to a
limit; beyond it the card says where the full quote is. Then, per persona, a canvas (name, picture
placeholder, who they are, goals, needs, pains, quotes, journey highlights) and an empathy map (says,
thinks, does, feels; pains and gains) built from the coded lanes. Anonymized unless `anonymize=False`.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Mm, Pt, RGBColor

from coding import personas as P
from coding.codebook import find_code, get_code
from coding.guards.text import csv_cell
from coding.models import StudyError
from coding.stageplans import find_stage
from coding.synthesis import Journey, Quote
from coding.synthesis.journey import journey_from
from coding.synthesis.quotes import is_person, restrict

from .anonymize import Anonymizer, truncate
from .common import STDOUT, check_target, docx_with_subject, fmt_valence, text_starting_with, write_atomically
from .docx_kit import (
    DocWriter,
    ensure_styles,
    open_document,
    set_properties,
    set_widths,
    shade,
    table_borders,
    table_style,
)
from .docx_personas import lift_text
from .workshop_cards import DEFAULT_LIMIT, matching, strongest

CARDS_PER_ROW, ROWS_PER_PAGE = 2, 4
CARD_W, CARD_H = Cm(9.5), Cm(6.6)
MAX_CARD_CHARS = 900
SUBJECT = "Persona workshop kit"  # also how an earlier kit is recognised, to be replaced
CSV_HEADER = ["card", "quote", "participant", "stage", "codes", "source", "timestamp", "coding_id"]
_GREY = RGBColor(0x60, 0x60, 0x60)


@dataclass
class KitSummary:
    path: Path
    cards: int = 0
    card_pages: int = 0
    personas: list[str] = field(default_factory=list)
    anonymized: bool = True
    quotes: int = 0          # coded quotes that match the filters: the cards are the strongest of them


@dataclass(frozen=True)
class Card:
    number: int
    quote: Quote
    text: str            # anonymized when asked
    who: str
    stage: str
    codes: tuple[str, ...]
    source: str          # S01 … when anonymized


def cards_for(store, journey: Journey, anon: Anonymizer, quotes: Sequence[Quote] | None = None) -> list[Card]:
    """Cards numbered in order for `quotes` (already in print order; default: every quote of the journey in
    stage order, then reading order). A coded span with no stage has an empty `stage`."""
    if quotes is None:
        quotes = strongest(journey.quotes, None, stage_order=[col.stage.id for col in journey.stages])
    cards = []
    for n, q in enumerate(quotes, 1):
        names = dict.fromkeys(journey.codes[a.code_id].name for a in q.attached)
        stage = journey.codes[q.stage_id].name if q.stage_id in journey.codes else ""
        cards.append(Card(n, q, anon.clean(anon.anon(q.text)), anon.labels(q.participant_ids),
                          stage, tuple(names), anon.source_label(q.source_id)))
    return cards


def write_kit(store, path: str | Path, *, persona: str | None = None, anonymize: bool = True,
              csv_path: str | Path | None = None, force: bool = False, limit: int | None = DEFAULT_LIMIT,
              stages: Sequence[str] = (), codes: Sequence[str] = (), valence_of=None) -> KitSummary:
    """Write the kit to `path` (.docx; "-" for standard output) and, with `csv_path`, the cards CSV. An
    existing file is replaced only when it is an earlier kit (or cards CSV), or with `force`.

    Cards: the `limit` strongest coded quotes, spread over stages, personas and participants
    (`exports.workshop_cards`; None: every one), of the `stages` and carrying any of `codes` when given.
    `valence_of`: the journey's valence for quotes without an emotion code (`coding.synthesis.model_valence`),
    so the cards' strength and the personas' curves agree with the report."""
    path = Path(path)
    if str(path) != STDOUT and path.suffix.lower() != ".docx":
        raise StudyError("the workshop kit is a Word file: give the output a .docx name", path=str(path))
    if limit is not None and limit < 1:
        raise StudyError(f"the number of cards must be at least 1, not {limit} (every card: no limit)")
    stage_ids = [find_stage(store, s).id for s in stages]
    code_ids = [find_code(store, c).id for c in codes]
    stored = P.personas(store)
    if persona:
        stored = [P.find_persona(store, persona)]
    anon = Anonymizer.from_store(store, enabled=anonymize)
    study = P.Study(store, valence_of)
    members = stored[0].participant_ids if persona else None
    journey = journey_from(study.data, study.stages, members=members,
                           segment=("persona", stored[0].name) if persona else None)
    scope = set(members) if persona else {p for p, who in study.people.items() if is_person(who)}
    every = restrict([*study.data.quotes, *study.unstaged], scope, keep_unattributed=not persona)
    wanted = matching(every, stages=stage_ids, codes=code_ids)
    if not wanted:
        raise StudyError("no coded quote " + (f"of {_filters(store, stage_ids, code_ids)}" if stage_ids or code_ids
                                             else "in this study yet: code quotes first"))
    persona_of = {pid: p.id for p in P.personas(store) for pid in p.participant_ids}
    chosen = strongest(wanted, limit, persona_of=persona_of, stage_order=[s.id for s in study.stages])
    cards = cards_for(store, journey, anon, chosen)
    sketches = P.describe(store, stored, study=study)
    doc = open_document(None)
    _a4(doc.sections[0], landscape=False)
    w = DocWriter(doc, anon, own_styles=ensure_styles(doc))
    summary = KitSummary(path, anonymized=anonymize, quotes=len(wanted))
    _cover(w, store, cards, sketches, persona, of=len(wanted), filters=_filters(store, stage_ids, code_ids),
           persona_of=persona_of, speakers=len({p for q in every for p in q.participant_ids}))
    summary.cards, summary.card_pages = len(cards), _card_pages(w, cards)
    for s in sketches:
        persona_journey = journey_from(study.data, study.stages, members=s.participant_ids,
                                       segment=("persona", s.name))
        _canvas(w, s, persona_journey)
        _empathy_map(w, s, persona_journey)
        summary.personas.append(s.name)
    set_properties(doc, anon, title=f"{store.name}: persona workshop kit", subject=SUBJECT, author=store.coder)
    if csv_path is not None:  # both files or neither
        check_target(path, "workshop kit", force=force, replaces=docx_with_subject(SUBJECT))
        write_cards_csv(cards, csv_path, force=force)
    write_atomically(path, lambda tmp: doc.save(str(tmp)), "workshop kit", force=force,
                     replaces=docx_with_subject(SUBJECT))
    return summary


def _filters(store, stage_ids: Sequence[int], code_ids: Sequence[int]) -> str:
    """"stage Booking and code Anxious or Scared": the filters in words."""
    parts = []
    for label, ids in (("stage", stage_ids), ("code", code_ids)):
        if ids:
            names = [get_code(store, i).name for i in ids]
            parts.append(f"{label}{'s' if len(names) > 1 else ''} " + " or ".join(names))
    return " with ".join(parts)


def write_cards_csv(cards: list[Card], path: str | Path, *, force: bool = False) -> None:
    """One row per card, for whiteboard tools (Miro, FigJam, Mural import CSV); cells formula-safe."""
    def write(tmp: Path) -> None:
        with tmp.open("w", newline="", encoding="utf-8-sig") as fh:
            out = csv.writer(fh)
            out.writerow(CSV_HEADER)
            for c in cards:
                out.writerow([csv_cell(v) for v in (c.number, c.text, c.who, c.stage, "; ".join(c.codes), c.source,
                                                    c.quote.timestamp, c.quote.id)])
    write_atomically(path, write, "cards CSV", force=force, replaces=text_starting_with(",".join(CSV_HEADER[:3])))


# -- pages ------------------------------------------------------------------------------------------------
def _a4(section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.left_margin = section.right_margin = Cm(1.0)
    section.top_margin = section.bottom_margin = Cm(1.0)


def _cover(w: DocWriter, store, cards: list[Card], sketches, persona: str | None, *, of: int, filters: str,
           persona_of: dict[int, int], speakers: int) -> None:
    w.heading(f"{store.name}: persona workshop kit", 0)
    scope = f"persona {sketches[0].name}" if persona and sketches else f"all {speakers} participants"
    w.para(f"Quotes of {scope}; names are pseudonyms." if w.anon.enabled else f"Quotes of {scope}.", "Subtitle")
    which = f"coded quote{'' if of == 1 else 's'}" + (f" of {filters}" if filters else "")
    if len(cards) < of:
        people = {p for c in cards for p in c.quote.participant_ids}
        stages = {c.stage for c in cards if c.stage}
        personas = {persona_of[p] for p in people if p in persona_of}
        spread = [f"{len(stages)} stage{'' if len(stages) == 1 else 's'}"] if stages else []
        spread += [f"{len(personas)} persona{'' if len(personas) == 1 else 's'}"] if personas else []
        spread.append(f"{len(people)} participant{'' if len(people) == 1 else 's'}")
        what = (f"{len(cards)} quote cards: the strongest of {of} {which} (most felt, most coded, most typical of "
                f"their stage, readable on a card), spread over {', '.join(spread[:-1])}"
                f"{' and ' if len(spread) > 1 else ''}{spread[-1]}; `workshop --limit N` prints N, `--limit 0` "
                "every one")
    else:
        what = f"{len(cards)} quote cards: every {which}" if of > 1 else f"1 quote card: the only {which}"
    w.bullet(f"{what}. {CARDS_PER_ROW * ROWS_PER_PAGE} per A4 page: print at 100% and cut along the dashed "
             "lines; group them on a wall (affinity mapping). Small type: card number, speaker, stage, codes.")
    if sketches:
        w.bullet(f"A canvas and an empathy map for each of {len(sketches)} persona"
                 f"{'' if len(sketches) == 1 else 's'}: " + ", ".join(s.name for s in sketches) + ".")
    else:
        w.bullet("No personas in this study yet: run `research-tui personas STUDY` to draft them.")
    w.para("Every quote is verbatim from the study's coded transcripts; every count traces to coded quotes.",
           "Caption")


def _card_pages(w: DocWriter, cards: list[Card]) -> int:
    per_page = CARDS_PER_ROW * ROWS_PER_PAGE
    pages = 0
    for start in range(0, len(cards), per_page):
        _page_break(w)
        _card_table(w, cards[start:start + per_page])
        pages += 1
    return pages


def _page_break(w: DocWriter) -> None:
    """A one-point paragraph holding a page break: it also keeps two tables from merging into one."""
    p = w.doc.add_paragraph()
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
    run = p.add_run()
    run.font.size = Pt(1)
    run.add_break(WD_BREAK.PAGE)


def _card_table(w: DocWriter, cards: list[Card]) -> None:
    rows = -(-len(cards) // CARDS_PER_ROW)
    table = w.doc.add_table(rows=rows, cols=CARDS_PER_ROW)
    _dashed(table)
    for r, row in enumerate(table.rows):
        row.height, row.height_rule = CARD_H, WD_ROW_HEIGHT_RULE.EXACTLY
        for c, cell in enumerate(row.cells):
            index = r * CARDS_PER_ROW + c
            if index < len(cards):
                _card(w, cell, cards[index])
    set_widths(table, [CARD_W.inches] * CARDS_PER_ROW)


def _card(w: DocWriter, cell, card: Card) -> None:
    text = card.text
    cut = len(text) > MAX_CARD_CHARS
    if cut:
        text = truncate(text, MAX_CARD_CHARS)
    size = next(pt for limit, pt in ((120, 15), (220, 13), (330, 11), (450, 10), (600, 9), (10**9, 8))
                if len(text) <= limit)
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(4)
    run = p.add_run(f"“{text}”")
    run.italic, run.font.size = True, Pt(size)
    meta = cell.add_paragraph()
    meta.paragraph_format.space_after = Pt(0)
    small = " · ".join(x for x in (f"#{card.number}", card.who, card.stage) if x)
    if card.codes:
        small += " · " + ", ".join(card.codes)
    if cut:
        small += " · cut: full quote in the cards CSV"
    run = meta.add_run(w.text(small))
    run.font.size, run.font.color.rgb = Pt(7), _GREY


def _dashed(table) -> None:  # cutting lines
    table._tbl.tblPr.append(table_borders("dashed", 6, "808080"))


def _box(w: DocWriter, cell, title: str, lines: list[str], *, fill: str | None = None, italic: bool = False,
         size: float = 10.5) -> None:
    """A titled box of a canvas or an empathy map: the title in bold, then one paragraph per line."""
    p = w.styled(cell.paragraphs[0], "Journey Table Text")
    p.paragraph_format.space_after = Pt(3)
    run = p.add_run(w.text(title))
    run.bold, run.font.size = True, Pt(size + 2)
    for line in lines or ["—"]:
        q = w.styled(cell.add_paragraph(), "Journey Table Text")
        q.paragraph_format.space_after = Pt(2)
        r = q.add_run(w.text(line))
        r.italic, r.font.size = italic or None, Pt(size)
    if fill:
        shade(cell, fill)


def _heights(table, heights_cm: list[float]) -> None:
    for row, height in zip(table.rows, heights_cm):
        row.height, row.height_rule = Cm(height), WD_ROW_HEIGHT_RULE.AT_LEAST


def _grid(w: DocWriter, rows: int, widths: list[float]):
    table = w.doc.add_table(rows=rows, cols=len(widths))
    style = table_style(w.doc, "Table Grid")
    if style:
        table.style = w.doc.styles[style]
    set_widths(table, widths)
    return table


def _highlights(s: P.Sketch, journey: Journey) -> list[str]:
    known = [c for c in s.curve if c.valence is not None]
    lines = []
    if known:
        low, high = min(known, key=lambda c: c.valence), max(known, key=lambda c: c.valence)
        lines.append(f"Lowest: {low.stage.name} ({fmt_valence(low.valence)})")
        lines.append(f"Highest: {high.stage.name} ({fmt_valence(high.valence)})")
    stages = [m for m in journey.moments if m.touchpoint is None][:3]
    for rank, m in enumerate(stages, 1):
        lines.append(f"Moment that matters {rank}: {m.title} — {m.sign}, {len(m.participant_ids)} of "
                     f"{m.n_journey}, mean valence {fmt_valence(m.mean_valence)}")
    return lines


def _quotes(s: P.Sketch, w: DocWriter, limit: int, chars: int) -> list[str]:
    return [f"“{truncate(q.text, chars)}” — {w.anon.labels(q.participant_ids)}" for q in s.quotes[:limit]]


def _canvas(w: DocWriter, s: P.Sketch, journey: Journey) -> None:
    _a4(w.section(landscape=True), landscape=True)
    w.heading(f"Persona canvas: {s.name}", 1)
    width = w.usable_width()
    table = _grid(w, 4, [width * 0.3, width * 0.35, width * 0.35])
    picture = table.cell(0, 0)
    picture.merge(table.cell(1, 0))
    _box(w, picture, "Picture", ["(draw or paste a picture here)"], fill="F2F2F2", italic=True)
    _heights(table, [4.4, 4.4, 3.6, 2.8])
    who = [s.summary()] if s.attributes else []
    who += [f"{s.size} participants: {', '.join(w.anon.label(p) for p in s.participant_ids)}"]
    if s.description:
        who.append(s.description)
    _box(w, table.cell(0, 1), s.name, who, fill="EAF1FB")
    _box(w, table.cell(0, 2), "Goals", [f"• {g}" for g in s.goals])
    for cell, what, items, top in ((table.cell(1, 1), "Needs", s.needs, s.top_needs),
                                   (table.cell(1, 2), "Pains", s.pains, s.top_pains)):
        if items or not top:
            _box(w, cell, f"{what} that set them apart", [f"• {lift_text(x, s.size)}" for x in items[:4]])
        else:  # nothing sets them apart: say so, and what they mention most
            _box(w, cell, f"{what} they mention most", [f"• {lift_text(x, s.size)}" for x in top[:4]])
    quotes = table.cell(2, 0).merge(table.cell(2, 2))
    _box(w, quotes, "In their words", _quotes(s, w, 3, 220), italic=True)
    highlights = table.cell(3, 0).merge(table.cell(3, 2))
    _box(w, highlights, "Journey highlights", _highlights(s, journey))


def _empathy_map(w: DocWriter, s: P.Sketch, journey: Journey) -> None:
    w.page_break()
    w.heading(f"Empathy map: {s.name}", 1)
    width = w.usable_width()
    table = _grid(w, 3, [width / 2, width / 2])
    _heights(table, [6.0, 6.0, 3.0])
    touchpoints = {}
    for col in journey.stages:
        for t in col.touchpoints:
            touchpoints.setdefault(t.code.name, set()).update(t.participant_ids)
    does = [f"• {name} ({len(who)} of {s.size})" for name, who in
            sorted(touchpoints.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:5]]
    does += [f"• asks for: {x.code.name}" for x in s.opportunities[:2]]
    feels = [f"• {x.code.name} ({x.members} of {s.size})" for x in s.emotions
             if x.code.valence is None or x.code.valence != 0][:4]
    feels += [h for h in _highlights(s, journey)[:2]]
    _box(w, table.cell(0, 0), "Says", _quotes(s, w, 3, 150), italic=True)
    _box(w, table.cell(0, 1), "Thinks", [f"• {x.code.name} ({x.members} of {s.size})" for x in s.top_needs[:5]])
    _box(w, table.cell(1, 0), "Does", does)
    _box(w, table.cell(1, 1), "Feels", feels)
    _box(w, table.cell(2, 0), "Pains", [f"• {x.code.name}" for x in (s.pains or s.top_pains)[:4]], fill="FBECEA")
    _box(w, table.cell(2, 1), "Gains", [f"• {g}" for g in s.goals[:3]], fill="EAF6EE")
    w.para("Says: their own words. Thinks: the needs most present in what they say. Does: the touchpoints "
           "they use. Feels: their most shared emotions and the high and low of their journey.", "Caption")
