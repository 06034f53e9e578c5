"""The journey: stages × lanes at a glance, a valence bar per stage, the moments that matter ranked.

A thin shell over `coding.synthesis.compute_journey`, which runs in a worker thread with its own
Store. Enter on a moment shows its quotes; `s` narrows to a segment; `o` opens a quote in the reader.
"""

from __future__ import annotations

import re
import textwrap

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from coding.answers import attribute_questions
from coding.stageplans import stage_plans
from coding.study import Store
from coding.synthesis import (
    Journey,
    Moment,
    SaturationPoint,
    StageColumn,
    compute_journey,
    saturation,
    segment_keys,
)

from ..messages import OpenSource
from ..widgets.footer import StudioFooter
from .base import StudioScreen
from .picker import Item, PickList
from .stageplan import PLAN_LANES, choose_persona, edit_stage_plan, plan_detail, plan_text

BARS = "▁▂▃▄▅▆▇█"
LANES = ("Doing", "Thinking", "Feeling", "Needs", "Pain points", "Opportunities")
EVERYONE = "(everyone)"


def valence_bar(value: float | None) -> str:
    """One block character for a valence from -2 (lowest) to +2 (full)."""
    if value is None:
        return "·"
    return BARS[max(0, min(7, round((value + 2) / 4 * 7)))]


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f}".replace("-", "−")


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """One line, without control characters or non-characters (transcripts from Word carry some)."""
    return " ".join(_UNPRINTABLE.sub(" ", text).split())


def _short(text: str, limit: int) -> str:
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def lane_text(col: StageColumn, lane: str, journey: Journey, anonymize: bool) -> str:
    """What one cell of the terminal map says (short: the report has the long version)."""
    if lane == "Doing":
        return ", ".join(f"{t.code.name} {t.quotes}" for t in col.touchpoints[:3]) or "—"
    if lane == "Thinking":
        if not col.representative:
            return "—"
        q = col.representative[0]
        return f"“{_short(q.text, 60)}” {journey.quote_label(q, anonymize)}"
    if lane == "Feeling":
        v = col.valence
        head = f"{valence_bar(v.mean)} {fmt(v.mean)} n={v.n}"
        emotions = ", ".join(t.code.name for t in col.emotions[:2])
        return f"{head}\n{emotions}" if emotions else head
    if lane == "Needs":
        return ", ".join(f"{t.code.name} {t.participants}" for t in col.needs[:2]) or "—"
    tallies = col.pain_points if lane == "Pain points" else col.opportunities
    return ", ".join(f"{t.code.name} {t.quotes}×{t.participants}p" for t in tallies[:2]) or "—"


def moment_label(rank: int, m: Moment) -> str:
    caution = f" ⚠ {m.caution}" if m.caution else ""
    return (f"{rank:>2}. {m.title} — {m.sign} · score {m.score:.2f}{caution} "
            f"(reach {m.reach:.2f} · intensity {m.intensity:.2f} · peak-end {m.peak_end:.2f})")


def saturation_line(points: list[SaturationPoint], uncoded: int = 0) -> Content:
    """New codes per coded source in import order: when the last sources add none, the codebook is
    saturated. Sources not coded yet are left out (and counted)."""
    if not points:
        return Content("")
    counts = " · ".join(str(len(p.new_code_ids)) for p in points)
    later = f"; {uncoded} source{'s' if uncoded != 1 else ''} not coded yet" if uncoded else ""
    return Content.assemble(("\n" + "Saturation".ljust(14), "bold"),
                            f"new codes per coded source, in import order: {counts} ",
                            (f"({points[-1].cumulative} codes used{later})", "dim"))


class JourneyScreen(StudioScreen):
    CSS_PATH = "journey.tcss"
    BINDINGS = [
        Binding("enter", "show_quotes", "Quotes", id="journey.quotes"),
        Binding("o", "open_quote", "Open in reader", id="journey.open"),
        Binding("s", "segment", "Segment", id="journey.segment"),
        Binding("p", "persona", "Persona", id="journey.persona"),
        Binding("t", "to_be", "To-be of a stage", id="journey.to_be"),
        Binding("x", "everyone", "Everyone", id="journey.everyone", show=False),
        Binding("r", "recompute", "Recompute", id="journey.recompute", show=False),
        Binding("right", "scroll_map(1)", "Map: later stages", id="journey.map_right", show=False),
        Binding("left", "scroll_map(-1)", "Map: earlier stages", id="journey.map_left", show=False),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.journey: Journey | None = None
        self.segment: tuple[str, str] | None = None
        self.members: tuple[int, ...] | None = None  # a persona's participants (segment is its label)
        self.plans: dict = {}                         # stage id -> StagePlan
        self.anonymize = store.anonymize
        self._shown_moment: Moment | None = None

    def compose(self) -> ComposeResult:
        yield Static("Journey: computing…", id="journey-head")
        with VerticalScroll(id="journey-map-scroll"):
            yield Static(id="journey-map")
        with Horizontal(id="journey-bottom"):
            yield OptionList(id="journey-moments")
            with VerticalScroll(id="journey-detail"):
                yield Static("Highlight a moment; enter shows its quotes.", id="moment-detail")
        yield StudioFooter()

    def action_scroll_map(self, direction: int) -> None:
        """Sideways through the map when its stages do not fit the terminal, a column at a time."""
        scroll = self.query_one("#journey-map-scroll", VerticalScroll)
        scroll.scroll_to(x=max(0, scroll.scroll_x + direction * max(8, scroll.size.width // 3)), animate=False)

    def on_mount(self) -> None:
        self.query_one("#journey-moments", OptionList).focus()

    def load_study(self) -> None:
        self.anonymize = self.store.anonymize
        self.query_one("#journey-head", Static).update("Journey: computing…")
        self.compute(self.store.path, self.segment, self.members)

    def worker_failed(self, worker) -> None:
        super().worker_failed(worker)
        self.query_one("#journey-head", Static).update(
            "Journey: could not be computed (the message says why); it is computed again when the study changes")

    @work(thread=True, exclusive=True, group="journey", exit_on_error=False)
    def compute(self, path, segment, members=None) -> None:
        with Store.open(path, read_only=True) as store:
            from coding.synthesis import model_valence  # quotes with no emotion code: the model's valence

            journey = compute_journey(store, segment=segment, members=members, valence_of=model_valence())
            points = saturation(store)
            uncoded = store.totals()["sources"] - len(points)
            plans = {p.stage.id: p for p in stage_plans(store)}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_journey, journey, points, uncoded, plans)

    # -- drawing -----------------------------------------------------------------------------------
    def show_journey(self, journey: Journey, points: list[SaturationPoint] | None = None, uncoded: int = 0,
                     plans: dict | None = None) -> None:
        self.journey = journey
        self.plans = plans or {}
        who = f"{journey.segment[0]} = {journey.segment[1]}" if journey.segment else "everyone"
        self.query_one("#journey-head", Static).update(Content.assemble(
            ("Journey", "bold"), f" — {journey.name} · {journey.n} participants · {len(journey.quotes)} quotes · ",
            (who, "italic"), f" · valence from codes {journey.valence_sources['codes']}, "
                             f"model {journey.valence_sources['nlp']}, none {journey.valence_sources['none']}"))
        self.query_one("#journey-map", Static).update(
            Content.assemble(self.map_content(journey), saturation_line(points or [], uncoded)))
        moments = self.query_one("#journey-moments", OptionList)
        moments.clear_options()
        moments.add_options([Option(Content(moment_label(i, m)), id=str(i))
                             for i, m in enumerate(journey.moments, 1)])
        if journey.moments:
            moments.highlighted = 0
        else:
            self.query_one("#moment-detail", Static).update("No moments yet: code quotes with a stage and an emotion.")

    def map_content(self, journey: Journey) -> Content:
        """The stages × lanes grid as aligned text (fits the terminal; the report has the full map)."""
        stages = journey.stages
        if not stages:
            return Content("No stages in the codebook.")
        # columns share the terminal's width, never narrower than a stage name (scroll sideways then)
        longest = max(len(col.name) for col in stages)
        width = max(min(longest, 16), 12, min(26, (self.size.width - 16) // max(len(stages), 1) - 1))
        rows: list[list[str]] = [[col.name for col in stages]]
        rows.append([f"{len(col.participant_ids)}p {len(col.quotes)}q" for col in stages])
        for lane in LANES:
            rows.append([lane_text(col, lane, journey, self.anonymize) for col in stages])
        extra = PLAN_LANES if any(not p.empty for p in self.plans.values()) else ()
        for lane in extra:
            rows.append([plan_text(self.plans.get(col.stage.id), lane) for col in stages])
        labels = ["Stage", "", *LANES, *extra]
        parts: list = []
        for label, cells in zip(labels, rows):
            wrapped = [_wrap(c, width, 3 if label in ("Thinking", "To be") else 2) for c in cells]
            height = max(len(w) for w in wrapped)
            for line in range(height):
                parts.append(((label if line == 0 else "").ljust(14), "bold"))
                for col, w in zip(stages, wrapped):
                    text = (w[line] if line < len(w) else "").ljust(width)
                    style = "bold" if label == "Stage" else _valence_style(col) if label == "Feeling" else ""
                    parts.append((text + " ", style))
                parts.append("\n")
        return Content.assemble(*parts)

    def _moment(self, index: int | None) -> Moment | None:
        if self.journey is None or index is None or not 0 <= index < len(self.journey.moments):
            return None
        return self.journey.moments[index]

    @on(OptionList.OptionHighlighted, "#journey-moments")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        moment = self._moment(event.option_index)
        if moment is not None:
            self.show_moment(moment, quotes=False)

    @on(OptionList.OptionSelected, "#journey-moments")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        moment = self._moment(event.option_index)
        if moment is not None:
            self.show_moment(moment, quotes=True)

    def show_moment(self, m: Moment, *, quotes: bool) -> None:
        self._shown_moment = m
        j = self.journey
        parts: list = [(m.title, "bold"), f" — {m.sign}, score {m.score:.2f}\n",
                       *([(f"Caution: {m.caution} (a moment needs {m.min_participants}); ranked after the others.\n",
                           "bold $text-warning")] if m.caution else []),
                       *([(f"{j.calm_note}\n", "italic")] if j.calm_note else []),
                       f"Why: {m.why}.\n",
                       f"Mean valence {fmt(m.mean_valence)}; {m.sign_note}.\n",
                       f"Evidence: {m.basis}."]
        if m.needs:
            parts.append("\nNeeds: " + ", ".join(f"{t.code.name} ({t.participants})" for t in m.needs))
        parts += plan_detail(self.plans.get(m.stage.id))
        if quotes:
            for q in m.quotes:
                where = " · ".join(x for x in (j.quote_label(q, self.anonymize), q.source_label(self.anonymize),
                                               q.timestamp) if x)
                parts += ["\n\n", (f"“{clean(q.text)}”", "italic"), "\n", (f"— {clean(where)}", "dim")]
        else:
            parts.append("\n\nenter: quotes · o: open the first quote in the reader")
        self.query_one("#moment-detail", Static).update(Content.assemble(*parts))

    # -- actions -----------------------------------------------------------------------------------
    def action_show_quotes(self) -> None:
        moments = self.query_one("#journey-moments", OptionList)
        moment = self._moment(moments.highlighted)
        if moment is not None:
            self.show_moment(moment, quotes=True)

    def action_open_quote(self) -> None:
        m = self._shown_moment
        if m is None or not m.quotes:
            self.notify("No quote to open", severity="warning")
            return
        q = m.quotes[0]
        self.post_message(OpenSource(q.source_id, q.start, q.end))

    def action_segment(self) -> None:
        items = [Item(EVERYONE, EVERYONE, "no segment")]
        questions = attribute_questions(self.store)  # q12 -> the survey question behind it
        for key, values in segment_keys(self.store).items():
            items += [Item(f"{key} = {v}", (key, v), questions.get(key, "")) for v in values]

        def chosen(value) -> None:
            if value is not None:  # None: cancelled
                self.set_segment(None if value == EVERYONE else value)

        self.app.push_screen(PickList("Journey of which participants?", items), chosen)

    def set_segment(self, segment: tuple[str, str] | None, members: tuple[int, ...] | None = None) -> None:
        self.segment, self.members = segment, members
        self.reload()

    def action_everyone(self) -> None:
        self.set_segment(None)

    def action_persona(self) -> None:
        choose_persona(self)

    def action_to_be(self) -> None:
        edit_stage_plan(self)

    def action_recompute(self) -> None:
        self.reload()


def _valence_style(col: StageColumn) -> str:
    v = col.valence.mean
    if v is None:
        return "dim"
    return "bold $text-error" if v <= -0.5 else "bold $text-success" if v >= 0.5 else "bold"


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        lines += textwrap.wrap(para, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _short(lines[-1] + " …", width)
    return lines
