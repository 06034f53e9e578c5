"""What each cell of the journey map says, for the Word map and the HTML map page alike.

A lane is (name, render[, fill]); `render(col, journey, anonymize, budget) -> Lines`: paragraphs of runs
(text, format: "b" bold, "i" italic, "g" grey[, link]) where the link is the `Cite` of the quotes behind
the words, or the name of a place ("+ 3 more" leads to the stage's section). A `Budget` says how much a
cell may hold; the Word map picks the first of `LADDER` that fits its page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coding.stageplans import StagePlan
from coding.synthesis import CodeTally, Journey, StageColumn

from .anonymize import truncate
from .common import fmt_valence
from .evidence import code_cite, stage_cite, tally_cite, valence_cite

Run = tuple                    # (text, format: "b" bold, "i" italic, "g" grey[, link: a Cite or a bookmark])
Lines = list[list[Run]]        # paragraphs of runs
LANE_FILL, HEADER_FILL = "F2F2F2", "DCE6F0"
EMPTY: Lines = [[("—", "g")]]


@dataclass(frozen=True)
class Budget:
    """What one cell may hold."""

    size: float          # points, the map's text ("Journey Map Text"); lane names are 0.5 pt larger
    quotes: int          # Thinking: representative quotes per stage
    quote_chars: int     # … each cut to this many characters
    codes: int           # Doing, Feeling, Pain points, Opportunities: codes per cell
    needs: int           # Needs: codes per cell
    snippet_chars: int   # the words under the most frequent pain point or opportunity (0: none)


LADDER = (  # content goes first (a second quote, then shorter quotes and snippets), the size last
    Budget(8.0, 2, 60, 3, 4, 50), Budget(8.0, 2, 45, 3, 3, 40), Budget(8.0, 1, 60, 3, 3, 40),
    Budget(7.5, 1, 60, 3, 3, 40), Budget(7.5, 1, 50, 3, 3, 30), Budget(7.0, 1, 50, 3, 3, 30),
    Budget(7.0, 1, 45, 3, 3, 0), Budget(7.0, 1, 40, 2, 2, 0), Budget(6.5, 1, 40, 2, 2, 0),
    Budget(6.0, 1, 30, 2, 2, 0),
)


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def stage_anchor(col: StageColumn) -> str:
    """The bookmark of a stage's section in "Stage by stage" (where "+ 2 more" leads)."""
    return f"stage_{col.stage.id}"


def _tallies(col: StageColumn, tallies: tuple[CodeTally, ...], limit: int,
             extra: Callable[[CodeTally], str] | None = None, more: bool = True) -> Lines:
    """"Name (people)" per code, most frequent first, each linked to its quotes; the quote counts are in
    the stage sections."""
    lines = []
    for t in tallies[:limit]:
        detail = f" ({t.participants})"
        if extra:
            detail += extra(t)
        cite = tally_cite(col, t)
        lines.append([(t.code.name, "b", cite), (detail, "g", cite)])
    if more and len(tallies) > limit:
        lines.append([(f"+ {len(tallies) - limit} more", "g", stage_anchor(col))])
    return lines or EMPTY


def _touchpoint_extra(t: CodeTally) -> str:
    attrs = t.code.attributes
    bits = []
    if attrs.get("channel"):
        bits.append(str(attrs["channel"]))
    if "owned" in attrs:
        bits.append("owned" if attrs["owned"] in (True, "true", "yes", 1) else "not owned")
    return f" {', '.join(bits)}" if bits else ""


def doing(col: StageColumn, journey: Journey, anonymize: bool, b: Budget) -> Lines:
    return _tallies(col, col.touchpoints, b.codes, _touchpoint_extra)


def thinking(col: StageColumn, journey: Journey, anonymize: bool, b: Budget) -> Lines:
    cite = stage_cite(col)
    lines = [[(f"“{truncate(q.text, b.quote_chars)}”", "i", cite),
              (f" — {journey.quote_label(q, anonymize)}", "g", cite)] for q in col.representative[:b.quotes]]
    return lines or EMPTY


def feeling(col: StageColumn, journey: Journey, anonymize: bool, b: Budget) -> Lines:
    v = col.valence
    if v.n:
        spread = f" (n={v.n}" + (f", {fmt_valence(v.min)} to {fmt_valence(v.max)})" if v.n > 1 else ")")
        cite = valence_cite(col)
        lines = [[(f"mean {fmt_valence(v.mean)}", "b", cite), (spread, "g", cite)]]
    else:
        lines = [[("no valence", "g")]]
    emotions = _tallies(col, col.emotions, b.codes, more=False)
    return lines + (emotions if emotions is not EMPTY else [])


def needs(col: StageColumn, journey: Journey, anonymize: bool, b: Budget) -> Lines:
    """The needs most participants voiced here, each tagged functional or emotional."""
    tagged = [(t, label) for label, group in (("functional", col.needs_functional),
                                              ("emotional", col.needs_emotional), ("", col.needs_other))
              for t in group]
    tagged.sort(key=lambda pair: -pair[0].participants)  # stable: codebook order among equals
    lines: Lines = [[(t.code.name, "b", tally_cite(col, t)),
                     (f" ({t.participants}{', ' + label if label else ''})", "g", tally_cite(col, t))]
                    for t, label in tagged[:b.needs]]
    if len(tagged) > b.needs:
        lines.append([(f"+ {len(tagged) - b.needs} more", "g", stage_anchor(col))])
    return lines or EMPTY


def _with_snippet(tallies: tuple[CodeTally, ...], col: StageColumn, b: Budget) -> Lines:
    lines: Lines = []
    by_coding = {a.coding_id: a for q in col.quotes for a in q.attached}
    for i, t in enumerate(tallies[:b.codes]):
        cite = tally_cite(col, t)
        lines.append([(t.code.name, "b", cite), (f" ({t.participants})", "g", cite)])
        first = by_coding.get(t.coding_ids[0]) if t.coding_ids else None
        if first is not None and b.snippet_chars and i == 0:  # what the most frequent one sounds like
            # the words as said: a memo (the researcher's note, or autocode's rule) in quotation marks
            # would read as the participant's
            lines.append([(f"“{truncate(first.text, b.snippet_chars)}”", "i", cite)])
    if len(tallies) > b.codes:
        lines.append([(f"+ {len(tallies) - b.codes} more", "g", stage_anchor(col))])
    return lines or EMPTY


def pains(col: StageColumn, journey: Journey, anonymize: bool, b: Budget) -> Lines:
    return _with_snippet(col.pain_points, col, b)


def opportunities(col: StageColumn, journey: Journey, anonymize: bool, b: Budget) -> Lines:
    return _with_snippet(col.opportunities, col, b)


LANES = (("Doing", doing), ("Thinking", thinking), ("Feeling", feeling), ("Needs", needs),
         ("Pain points", pains), ("Opportunities", opportunities))


def header_counts(col: StageColumn) -> list[Run]:
    """"15 people · 61 quotes" under a stage's name, linked to its quotes."""
    if not col.quotes:
        return [("no quotes", "g")]
    return [(f"{_people(len(col.participant_ids))} · {len(col.quotes)} quotes", "g", stage_cite(col))]


# -- the To be and KPI lanes, when stages have a plan ------------------------------------------------
TOBE_FILL = "EAF1FB"


def has_plans(plans: dict[int, StagePlan]) -> bool:
    return any(not p.empty for p in plans.values())


def map_lanes(plans: dict[int, StagePlan]) -> tuple:
    """("To be", render), ("KPIs", render) for the journey map, or nothing when no stage has a plan."""
    if not has_plans(plans):
        return ()

    def to_be(col: StageColumn, journey: Journey, anonymize: bool, b) -> Lines:
        """The to-be, cut to the map's budget (about two Thinking quotes), and the first opportunities."""
        plan = plans.get(col.stage.id)
        if plan is None or not (plan.to_be or plan.opportunities):
            return EMPTY
        lines: Lines = [[(truncate(plan.to_be, max(60, 2 * b.quote_chars)), "")]] if plan.to_be else []
        for oc in plan.opportunities[:2 if b.snippet_chars else 1]:
            here = oc.id in {t.code.id for t in col.opportunities}  # said at this stage, else anywhere
            cite = code_cite(journey, col if here else None, oc)
            lines.append([("↳ ", "g", cite), (oc.name, "i", cite)])
        return lines

    def kpis(col: StageColumn, journey: Journey, anonymize: bool, b) -> Lines:
        plan = plans.get(col.stage.id)
        if plan is None or not plan.kpis:
            return EMPTY
        lines: Lines = []
        for k in plan.kpis[:min(3, b.codes)]:
            values = f" {k.current or '?'} → {k.target or '?'}" if (k.current or k.target) else ""
            lines.append([(k.name, "b"), (values, "")])
        return lines

    return (("To be", to_be, TOBE_FILL), ("KPIs", kpis, TOBE_FILL))
