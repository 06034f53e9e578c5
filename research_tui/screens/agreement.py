"""Agreement between coders: per-code figures, and the disputed quotes to reconcile one by one.

A thin shell over `coding.agreement`: the figures are computed in a worker with its own Store; keeping
one coder's codes (or everyone's) on a disputed quote is one undoable Store command. `m` merges a
colleague's copy of the study (or a .qdpx) first, as `research-tui merge` does.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from coding.agreement import Agreement, Disagreement, coders, compute, resolve
from coding.codebook import list_codes
from coding.models import StudyError
from coding.study import Store

from ..messages import OpenSource
from ..widgets.footer import StudioFooter
from .base import StudioScreen, attempt
from .journey import clean
from .picker import Item, PickList

ALL = "(everyone's codes)"


def num(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{x * 100:.0f}%" if pct else f"{x:.2f}".replace("-0.00", "0.00")


def dispute_label(d: Disagreement, names: dict[int, str]) -> str:
    sides = " | ".join(f"{coder}: {', '.join(names.get(c, '?') for c in codes) or '—'}"
                       for coder, codes in d.codes.items())
    text = clean(d.unit.text)
    return f"{d.source_title} · “{text[:90] + ('…' if len(text) > 90 else '')}”  {sides}"


class AgreementScreen(StudioScreen):
    CSS_PATH = "agreement.tcss"
    BINDINGS = [
        Binding("enter,o", "open", "Open in reader", id="agreement.open"),
        Binding("k", "keep", "Keep one coder's codes", id="agreement.keep"),
        Binding("b", "keep_all", "Keep both", id="agreement.keep_all"),
        Binding("c", "choose_coders", "Coders", id="agreement.coders"),
        Binding("m", "merge", "Merge a colleague's study", id="agreement.merge"),
        Binding("r", "recompute", "Recompute", id="agreement.recompute", show=False),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.chosen: list[str] | None = None
        self.result: Agreement | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Agreement between coders: computing…", id="agreement-head", markup=False)
            yield DataTable(id="agreement-codes", cursor_type="row", zebra_stripes=True)
            yield Static("Disputed quotes (enter opens, k keeps one coder's codes, b keeps both)",
                         id="agreement-title", markup=False)
            yield OptionList(id="agreement-disputes")
        yield StudioFooter()

    def load_study(self) -> None:
        self.run_compute(self.store.path, self.chosen)

    def worker_failed(self, worker) -> None:
        super().worker_failed(worker)
        if worker.group == "agreement":
            self._no_result("Agreement between coders: could not be computed (the message says why)")

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def run_compute(self, path: Path, chosen: list[str] | None) -> None:
        with Store.open(path, read_only=self.store.read_only) as store:  # a read-only study is read
            try:
                result = compute(store, chosen)
            except StudyError as exc:
                self.app.call_from_thread(self._no_result, str(exc))
                return
            names = {c.id: c.name for c in list_codes(store)}
        self.app.call_from_thread(self._show, result, names)

    def _no_result(self, message: str) -> None:
        self.result = None
        self.query_one("#agreement-head", Static).update(message)
        self.query_one("#agreement-codes", DataTable).clear(columns=True)
        self.query_one("#agreement-disputes", OptionList).clear_options()

    def _show(self, result: Agreement, names: dict[int, str]) -> None:
        self.result = result
        o = result.overall
        head = (f"Agreement between {', '.join(result.coders)} on {len(result.sources)} sources they all coded, "
                f"{result.units} candidate quotes")
        if o is not None:
            head += (f"\nAll codes: {num(o.percent, True)} agree · kappa {num(o.kappa)} · alpha {num(o.alpha)}"
                     f"   Mean over codes: kappa {num(result.mean_kappa)} · alpha {num(result.mean_alpha)}")
        self.query_one("#agreement-head", Static).update(head)
        table = self.query_one("#agreement-codes", DataTable)
        table.clear(columns=True)
        table.add_columns("Code", "Kind", *result.coders, "Agree", "Kappa", "Alpha")
        for c in result.codes:
            s = c.scores
            table.add_row(c.name, c.kind, *(str(s.applied[x]) for x in result.coders), num(s.percent, True),
                          num(s.kappa), num(s.alpha))
        disputes = self.query_one("#agreement-disputes", OptionList)
        disputes.clear_options()
        disputes.add_options([Option(dispute_label(d, names), id=str(i)) for i, d in enumerate(result.disagreements)])
        self.query_one("#agreement-title", Static).update(
            f"{len(result.disagreements)} disputed quotes (enter opens, k keeps one coder's codes, b keeps both)")

    def _current(self) -> Disagreement | None:
        disputes = self.query_one("#agreement-disputes", OptionList)
        if self.result is None or disputes.highlighted is None or not self.result.disagreements:
            self.notify("No disputed quote selected", timeout=2)
            return None
        return self.result.disagreements[disputes.highlighted]

    def action_open(self) -> None:
        d = self._current()
        if d is not None:
            self.post_message(OpenSource(d.unit.source_id, d.unit.start, d.unit.end))

    def _settle(self, d: Disagreement, keep: str | None) -> None:
        changed = attempt(self, resolve, self.store, d, keep)
        if changed is not None:
            self.notify(f"Reconciled: {changed} coding{'s' if changed != 1 else ''} changed (ctrl+z undoes)",
                        timeout=3)
            self.reload()

    def action_keep_all(self) -> None:
        d = self._current()
        if d is not None:
            self._settle(d, None)

    def action_keep(self) -> None:
        d = self._current()
        if d is None:
            return
        items = [Item(c, c) for c in d.codes] + [Item(ALL, ALL)]

        def picked(value: object) -> None:
            if value is not None:
                self._settle(d, None if value == ALL else str(value))

        self.app.push_screen(PickList("Keep whose codes on this quote?", items), picked)

    def action_choose_coders(self) -> None:
        everyone = coders(self.store)
        pairs = [(a, b) for i, a in enumerate(everyone) for b in everyone[i + 1:]]
        items = [Item(f"{a} and {b}", [a, b]) for a, b in pairs]
        if len(everyone) > 2:
            items.append(Item(f"all {len(everyone)} coders", everyone))
        if not items:
            self.notify("Agreement needs two coders; m merges a colleague's study", severity="warning")
            return

        def picked(value: object) -> None:
            if value:
                self.chosen = list(value)  # type: ignore[arg-type]
                self.reload()

        self.app.push_screen(PickList("Compare which coders?", items), picked)

    def action_merge(self) -> None:
        from .dialogs import TextDialog

        def got(path: str | None) -> None:
            if path:
                self.run_merge(self.store.path, Path(path.strip()).expanduser())

        self.app.push_screen(TextDialog("Merge a colleague's study (.rtui) or .qdpx: path", multiline=False), got)

    @work(thread=True, exclusive=True, group="merge", exit_on_error=False)
    def run_merge(self, study: Path, other: Path) -> None:
        from coding.exchange.apply import import_project
        from research_tui.commands.exchange import read_other

        other = other if other.is_absolute() else study.parent / other
        project = read_other(other)
        with Store.open(study, coder=self.store.coder) as store:
            report = import_project(store, project, merge=True, filename=other.name)
        self.app.call_from_thread(self._merged, report.lines())

    def _merged(self, lines: list[str]) -> None:
        self.notify("Merged: " + "; ".join(lines[:3]), timeout=6)
        self.reload()

    def action_recompute(self) -> None:
        self.reload()

    @on(OptionList.OptionSelected, "#agreement-disputes")
    def _selected(self) -> None:
        self.action_open()
