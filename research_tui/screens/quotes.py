"""Quotes: every coded quote, narrowed by codes (all/any), kind, participant, attribute, source and
full-text search; co-occurrence of two codes; enter opens a quote in its transcript.

The filtering itself is `coding.queries.filter_quotes`, run in a worker thread with its own Store.
Typing waits for a pause (SEARCH_DELAY) before it filters: a worker thread cannot be stopped half
way, so filtering on every keystroke made the last result wait for all the earlier ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from coding.answers import attribute_questions
from coding.codebook import KIND_LABELS, get_code, list_codes
from coding.codings import code_counts
from coding.models import CODE_KINDS
from coding.queries import attribute_pairs, filter_quotes, one_per_span, source_table
from coding.study import Store

from ..messages import OpenSource
from ..widgets.footer import StudioFooter
from ..widgets.quote_list import QuoteList
from .base import StudioScreen
from .picker import CodePicker, Item, PickList

ANY = "(any)"


@dataclass(frozen=True)
class QuoteFilter:
    """What the quotes view is narrowed to (view state; the quotes live in the Store)."""

    codes: tuple[int, ...] = ()
    mode: str = "or"
    kind: str | None = None
    participant_id: int | None = None
    attribute: tuple[str, str] | None = None
    source_id: int | None = None
    text: str = ""
    labels: dict = field(default_factory=dict, compare=False)  # names to show for ids

    def query(self) -> dict:
        return {"codes": list(self.codes), "mode": self.mode, "kind": self.kind,
                "participant_id": self.participant_id, "attribute": self.attribute,
                "source_id": self.source_id, "text": self.text}


class QuotesScreen(StudioScreen):
    SEARCH_DELAY = 0.25  # seconds of no typing before the search runs
    CSS_PATH = "quotes.tcss"
    AUTO_FOCUS = "#quote-list"
    BINDINGS = [
        Binding("slash", "search", "Search", id="quotes.search", key_display="/"),
        Binding("c", "add_code", "Code", id="quotes.code"),
        Binding("m", "toggle_mode", "All/any codes", id="quotes.mode"),
        Binding("w", "cooccurrence", "Co-occurrence", id="quotes.cooccurrence"),
        Binding("t", "kind", "Kind (type) of code", id="quotes.kind", show=False),
        Binding("p", "participant", "Participant", id="quotes.participant", show=False),
        Binding("a", "attribute", "Attribute", id="quotes.attribute"),
        Binding("s", "source", "Source", id="quotes.source", show=False),
        Binding("x", "clear", "Clear filters", id="quotes.clear"),
        Binding("escape", "leave_search", "Back to the list", id="quotes.leave_search", show=False),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.filter = QuoteFilter()
        self._search_timer = None

    def compose(self) -> ComposeResult:
        yield Static(id="quote-filters")
        yield Input(placeholder="full-text search: / to type, enter or escape to go back to the list",
                    id="quote-search")
        yield QuoteList(id="quote-list")
        yield StudioFooter()

    def show_code(self, code_id: int) -> None:
        """Show the quotes of one code (from the codebook)."""
        name = get_code(self.store, code_id).name
        self.filter = QuoteFilter(codes=(code_id,), labels={"codes": {code_id: name}})
        self._seen = None  # reload when shown
        if self.is_mounted:
            self.query_one("#quote-search", Input).value = ""

    def show_participant(self, participant_id: int) -> None:
        """Show every quote of one participant (from the Personas screen)."""
        label = self.store.participant(participant_id).label(self.store.anonymize)
        self.filter = QuoteFilter(participant_id=participant_id, labels={"participant": label})
        self._seen = None
        if self.is_mounted:
            self.query_one("#quote-search", Input).value = ""

    def load_study(self) -> None:
        self.refilter()

    # -- running the filter ----------------------------------------------------------------------
    def refilter(self) -> None:
        self._describe(searching=True)
        self.run_filter(self.filter, self.store.path)

    def worker_failed(self, worker) -> None:
        super().worker_failed(worker)
        self._describe()  # not "searching…" for ever

    @work(thread=True, exclusive=True, group="quotes", exit_on_error=False)
    def run_filter(self, quote_filter: QuoteFilter, path) -> None:
        with Store.open(path, read_only=True) as store:
            quotes = filter_quotes(store, **quote_filter.query())
        shown = one_per_span(quotes)  # here, not on the screen's thread: 5,000 quotes took 0.1 s
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, shown, len(quotes), quote_filter)

    def _show(self, shown, codings: int, quote_filter: QuoteFilter) -> None:
        if quote_filter != self.filter:
            return  # a newer filter is on its way
        quote_list = self.query_one(QuoteList)
        keep = quote_list.current.coding_id if quote_list.current else None
        quote_list.set_quotes(shown, keep=keep)
        self._count, self._codings = len(shown), codings
        self._describe()

    def _describe(self, searching: bool = False) -> None:
        f = self.filter
        names = f.labels
        parts: list = []
        if f.codes:
            joiner = " AND " if f.mode == "and" else " OR "
            parts.append("codes " + joiner.join(names.get("codes", {}).get(c, str(c)) for c in f.codes))
        if f.kind:
            parts.append(f"kind {KIND_LABELS[f.kind].lower()}")
        if f.participant_id is not None:
            parts.append(f"participant {names.get('participant', f.participant_id)}")
        if f.attribute:
            parts.append(f"{f.attribute[0]}={f.attribute[1]}")
        if f.source_id is not None:
            parts.append(f"source {names.get('source', f.source_id)}")
        if f.text:
            parts.append(f"text “{f.text}”")
        n, codings = getattr(self, "_count", 0), getattr(self, "_codings", 0)
        count = "searching…" if searching else f"{n:,} quote{'s' * (n != 1)}, {codings:,} coding{'s' * (codings != 1)}"
        mode = "all codes" if f.mode == "and" else "any code"
        hint = "  · only coded quotes: S searches all text" if f.text and not searching else ""
        self.query_one("#quote-filters", Static).update(Content.assemble(
            ("Quotes  ", "bold"), " · ".join(parts) or "every coded quote", (f"   ({count}, match {mode})", "dim"),
            (hint, "italic")))

    def _set(self, **changes) -> None:
        labels = dict(self.filter.labels)
        labels.update(changes.pop("labels", {}))
        self.filter = replace(self.filter, labels=labels, **changes)
        self.refilter()

    # -- filters ---------------------------------------------------------------------------------
    @on(Input.Changed, "#quote-search")
    def _typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(self.SEARCH_DELAY, self.apply_search)
        self._describe(searching=True)

    @property
    def search_pending(self) -> bool:
        return self._search_timer is not None

    def apply_search(self) -> None:
        """Filter by what the search field holds now (also at once on enter or escape)."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        text = self.query_one("#quote-search", Input).value.strip()
        if text != self.filter.text:
            self._set(text=text)
        else:
            self._describe()

    @on(Input.Submitted, "#quote-search")
    def action_leave_search(self) -> None:
        self.apply_search()
        self.query_one(QuoteList).focus()

    def action_search(self) -> None:
        self.query_one("#quote-search", Input).focus()

    def _codes_label(self) -> dict:
        return {c.id: c.name for c in list_codes(self.store)}

    def action_add_code(self) -> None:
        picker = CodePicker(list_codes(self.store), counts=code_counts(self.store), title="Filter by code",
                            allow_new=False)

        def add(code_id) -> None:
            if code_id is not None and code_id not in self.filter.codes:
                self._set(codes=self.filter.codes + (code_id,), labels={"codes": self._codes_label()})

        self.app.push_screen(picker, add)

    def action_toggle_mode(self) -> None:
        self._set(mode="and" if self.filter.mode == "or" else "or")

    def action_cooccurrence(self) -> None:
        codes = list_codes(self.store)
        counts = code_counts(self.store)

        def second(first) -> None:
            if first is None:
                return
            others = [c for c in codes if c.id != first]
            self.app.push_screen(CodePicker(others, counts=counts, title="…overlapping which code?",
                                            allow_new=False),
                                 lambda other: other is not None and self._set(
                                     codes=(first, other), mode="and", labels={"codes": self._codes_label()}))

        self.app.push_screen(CodePicker(codes, counts=counts, title="Co-occurrence: quotes of which code…",
                                        allow_new=False), second)

    def _pick(self, title: str, items: list[Item], then) -> None:
        self.app.push_screen(PickList(title, [Item(ANY, ANY, "no filter")] + items),
                             lambda value: value is not None and then(None if value == ANY else value))

    def action_kind(self) -> None:
        self._pick("Filter by kind", [Item(KIND_LABELS[k], k) for k in CODE_KINDS],
                   lambda kind: self._set(kind=kind))

    def action_participant(self) -> None:
        anonymize = self.store.anonymize
        people = self.store.participants()
        items = [Item(p.label(anonymize), p.id, p.role + " · " + ", ".join(f"{k}={v}" for k, v in p.attributes.items()))
                 for p in people]
        labels = {p.id: p.label(anonymize) for p in people}
        self._pick("Filter by participant", items,
                   lambda pid: self._set(participant_id=pid, labels={"participant": labels.get(pid)}))

    def action_attribute(self) -> None:
        pairs = attribute_pairs(self.store)
        if not pairs:
            self.notify("No participant has attributes yet (import a participants sheet)", severity="warning")
            return
        questions = attribute_questions(self.store)  # q12 -> the survey question behind it
        self._pick("Filter by participant attribute",
                   [Item(f"{k} = {v}", (k, v), questions.get(k, "")) for k, v in pairs],
                   lambda pair: self._set(attribute=pair))

    def action_source(self) -> None:
        rows = source_table(self.store)
        titles = {r["id"]: r["label"] for r in rows}
        self._pick("Filter by source", [Item(r["label"], r["id"], r["format"]) for r in rows],
                   lambda sid: self._set(source_id=sid, labels={"source": titles.get(sid)}))

    def action_clear(self) -> None:
        self.query_one("#quote-search", Input).value = ""
        self.filter = QuoteFilter()
        self.refilter()

    @on(QuoteList.Selected)
    def _open(self, event: QuoteList.Selected) -> None:
        q = event.quote
        self.post_message(OpenSource(q.source_id, q.char_start, q.char_end))
