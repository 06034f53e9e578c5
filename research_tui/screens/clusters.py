"""Clusters: what recurs across all transcripts, as groups of similar quotes, ready to become codes.

A thin shell over `coding.nlp.cluster`. Clustering runs in a worker with its own Store and a progress
bar; the run is kept in the study, so renamed clusters stay named. Left: the clusters (label, size,
people); right: the highlighted cluster's quotes, most representative first. `space` marks quotes; `c`
codes the marked quotes, or the whole cluster when none are marked, with an existing or new code in one
undoable change; `enter` opens a quote in the reader.
"""

from __future__ import annotations

import re

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from coding.codebook import get_code, list_codes, list_stages
from coding.codings import code_counts
from coding.nlp.cluster import Cluster, ClusterRun, changes_since, code_cluster, load_run, rename_cluster, save_run
from coding.study import Store

from ..messages import OpenSource
from ..widgets.footer import StudioFooter
from .base import StudioScreen, attempt, succeeds
from .dialogs import TextDialog
from .picker import CodePicker, Item, NewCode, PickList

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def one_line(text: str) -> str:
    return " ".join(_UNPRINTABLE.sub(" ", text).split())


class ClustersScreen(StudioScreen):
    CSS_PATH = "clusters.tcss"
    BINDINGS = [
        Binding("r", "recluster", "Cluster again", id="clusters.run"),
        Binding("s", "scope", "Scope", id="clusters.scope"),
        Binding("n", "number", "Number of clusters", id="clusters.number"),
        Binding("e", "rename", "Rename cluster", id="clusters.rename"),
        Binding("space", "mark", "Mark quote", id="clusters.mark"),
        Binding("c", "code", "Code cluster/marked", id="clusters.code"),
        Binding("o", "open_quote", "Open in reader", id="clusters.open"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.run: ClusterRun | None = None
        self._unsaved: ClusterRun | None = None  # a read-only study's run
        self.scope = "uncoded"
        self.k: int | None = None
        self.marked: set[int] = set()  # candidate ids
        self.anonymize = store.anonymize

    def compose(self) -> ComposeResult:
        with Vertical(id="clusters-top"):
            yield Static("Clusters", id="clusters-head")
            yield ProgressBar(id="clusters-progress", show_eta=False)
        with Horizontal(id="clusters-body"):
            yield OptionList(id="clusters-list")
            yield OptionList(id="cluster-quotes")
        yield StudioFooter()

    def on_mount(self) -> None:
        self.query_one("#clusters-progress", ProgressBar).display = False
        self.query_one("#clusters-list", OptionList).focus()

    # -- loading and running ------------------------------------------------------------------------
    def load_study(self) -> None:
        self.anonymize = self.store.anonymize
        run = self._stored_run()
        if run is None:
            self.start_run()
        else:
            self.scope, self.k = run.scope, (None if run.k_chosen else run.k)
            self.show_run(run)

    def start_run(self) -> None:
        bar = self.query_one("#clusters-progress", ProgressBar)
        bar.display = True
        bar.update(total=100, progress=0)
        self._head(f"Clustering the {self.scope} quotes…")
        self.cluster(self.store.path, self.scope, self.k)

    @work(thread=True, exclusive=True, group="clusters", exit_on_error=False)
    def cluster(self, path, scope: str, k: int | None) -> None:
        from coding.nlp.cluster import cluster_quotes

        worker = get_current_worker()

        def progress(what: str, fraction: float) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, what, fraction)

        read_only = self.store.read_only  # then the run is kept on this screen, not in the study
        with Store.open(path, read_only=read_only) as store:
            run = cluster_quotes(store, scope=scope, k=k, progress=progress)
            if worker.is_cancelled:
                return
            if not read_only:
                save_run(store, run)
        self.app.call_from_thread(self._finished, run if read_only else None)

    def _progress(self, what: str, fraction: float) -> None:
        self.query_one("#clusters-progress", ProgressBar).update(total=100, progress=round(fraction * 100))
        self._head(f"Clustering the {self.scope} quotes: {what}…")

    def _finished(self, unsaved: ClusterRun | None = None) -> None:
        self.query_one("#clusters-progress", ProgressBar).display = False
        self.marked.clear()
        self._unsaved = unsaved
        run = self._stored_run()
        if run is not None:
            self.show_run(run)

    def on_worker_state_changed(self, event) -> None:
        super().on_worker_state_changed(event)
        if event.worker.group == "clusters" and event.worker.is_finished:
            self.query_one("#clusters-progress", ProgressBar).display = False
            if self.run is None:
                self._head("No clusters (see the error above); r tries again")

    # -- drawing ------------------------------------------------------------------------------------
    def _head(self, text: str | Content) -> None:
        self.query_one("#clusters-head", Static).update(text)

    def _who(self, pid: int) -> str:
        p = self._people.get(pid)
        return "?" if p is None else (p.pseudonym if self.anonymize else p.name)

    def show_run(self, run: ClusterRun, keep: int | None = None) -> None:
        self.run = run
        self._people = {p.id: p for p in self.store.participants()}
        self._titles = {s.id: s.title for s in self.store.sources()}
        how = "chosen from the data" if run.k_chosen else "as asked"
        rest = f" · {len(run.unclustered)} unclustered (say little, or hang together with nothing)" \
            if run.unclustered else ""
        since = changes_since(self.store, run) if run.id is not None else 0
        stale = (f"\nOlder than the coding: {since} change{'s' if since != 1 else ''} since these clusters were "
                 "made — r clusters again") if since else ""
        self._head(Content.assemble(
            ("Clusters", "bold"), f" — {run.k} ({how}) of {run.quotes} {run.scope} quotes{rest} · backend "
            f"{run.backend}", ("  r again · s scope · n number · e rename · space mark · c code · enter open", "dim"),
            (stale, "bold $text-warning")))
        listing = self.query_one("#clusters-list", OptionList)
        listing.clear_options()
        listing.add_options([Option(self._cluster_prompt(c)) for c in run.clusters])
        if run.clusters:
            listing.highlighted = min(keep or 0, len(run.clusters) - 1)
            self.show_quotes(run.clusters[listing.highlighted])
        else:
            self.query_one("#cluster-quotes", OptionList).clear_options()
            self._head(f"No candidate quotes in scope {run.scope!r}: s picks another scope")

    def _cluster_prompt(self, c: Cluster) -> Content:
        marked = sum(q.id in self.marked for q in c.quotes)
        return Content.assemble((f"{c.number:>3}. ", "dim"), (one_line(c.label), "bold"),
                                f"  {c.size} quotes · {len(c.participant_ids)} people",
                                (f" · {marked} marked", "italic") if marked else "")

    def current(self) -> Cluster | None:
        if self.run is None or not self.run.clusters:
            return None
        index = self.query_one("#clusters-list", OptionList).highlighted
        return self.run.clusters[index] if index is not None and 0 <= index < len(self.run.clusters) else None

    def show_quotes(self, cluster: Cluster) -> None:
        quotes = self.query_one("#cluster-quotes", OptionList)
        highlighted = quotes.highlighted
        quotes.clear_options()
        quotes.add_options([Option(self._quote_prompt(q, i)) for i, q in enumerate(cluster.quotes)])
        if cluster.quotes:
            quotes.highlighted = min(highlighted or 0, len(cluster.quotes) - 1) if self._same_cluster(cluster) else 0
        self._shown_cluster = cluster.id

    def _same_cluster(self, cluster: Cluster) -> bool:
        return getattr(self, "_shown_cluster", None) == cluster.id

    def _quote_prompt(self, q, rank: int) -> Content:
        mark = "● " if q.id in self.marked else "  "
        where = f"— {self._who(q.participant_id)} · {self._titles.get(q.source_id, '')}"
        style = "bold" if rank < 3 else ""
        return Content.assemble((mark, "$accent"), (f"“{one_line(q.text)}”", style), "\n", ("    " + where, "dim"))

    @on(OptionList.OptionHighlighted, "#clusters-list")
    def _cluster_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        cluster = self.current()
        if cluster is not None:
            self.show_quotes(cluster)

    @on(OptionList.OptionSelected, "#clusters-list")
    def _cluster_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#cluster-quotes", OptionList).focus()

    @on(OptionList.OptionSelected, "#cluster-quotes")
    def _quote_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open_quote()

    # -- actions ------------------------------------------------------------------------------------
    def _quote(self):
        cluster = self.current()
        index = self.query_one("#cluster-quotes", OptionList).highlighted
        if cluster is None or index is None or not 0 <= index < len(cluster.quotes):
            return None
        return cluster.quotes[index]

    def action_recluster(self) -> None:
        self.run = None
        self.start_run()

    def action_scope(self) -> None:
        items = [Item("uncoded", "uncoded", "quotes no coding touches"), Item("all", "all", "every quote")]
        items += [Item(f"stage: {c.name}", f"stage:{c.name}", "quotes coded with this stage")
                  for c in list_stages(self.store)]
        items += [Item(f"code: {c.name}", f"code:{c.kind}:{c.name}", c.kind.replace("_", " "))
                  for c in list_codes(self.store) if c.kind != "stage"]
        values = sorted({(k, str(v)) for p in self.store.participants(role="participant")
                         for k, v in p.attributes.items() if str(v).strip()})
        items += [Item(f"{k} = {v}", f"attr:{k}={v}", "participants with this attribute") for k, v in values]

        def chosen(scope) -> None:
            if scope is not None:
                self.scope = scope
                self.action_recluster()

        self.app.push_screen(PickList("Cluster which quotes?", items), chosen)

    def action_number(self) -> None:
        def chosen(text: str | None) -> None:
            if text is None:
                return
            text = text.strip()
            if text and not (text.isdigit() and int(text) > 0):
                self.notify("A number of clusters is a whole number (empty: chosen from the data)", severity="error")
                return
            self.k = int(text) if text else None
            self.action_recluster()

        self.app.push_screen(TextDialog("Number of clusters (empty: chosen from the data)",
                                        str(self.k or ""), multiline=False), chosen)

    def action_rename(self) -> None:
        cluster = self.current()
        if cluster is None:
            return

        def chosen(label: str | None) -> None:
            if label is None:
                return
            if self.store.read_only and " ".join(label.split()):  # a name for this session only
                cluster.label = " ".join(label.split())
                self._refresh_run()
            elif succeeds(self, rename_cluster, self.store, cluster.id, label):
                self._refresh_run()

        self.app.push_screen(TextDialog("Rename cluster", cluster.label, multiline=False), chosen)

    def action_mark(self) -> None:
        quote = self._quote()
        if quote is None:
            return
        self.marked ^= {quote.id}
        quotes = self.query_one("#cluster-quotes", OptionList)
        index = quotes.highlighted
        quotes.replace_option_prompt_at_index(index, self._quote_prompt(quote, index))
        listing = self.query_one("#clusters-list", OptionList)
        listing.replace_option_prompt_at_index(listing.highlighted, self._cluster_prompt(self.current()))
        if index is not None and index + 1 < quotes.option_count:
            quotes.highlighted = index + 1

    def action_code(self) -> None:
        cluster = self.current()
        if cluster is None:
            return
        chosen_quotes = [q for q in cluster.quotes if q.id in self.marked] or cluster.quotes
        what = f"{len(chosen_quotes)} marked quotes" if len(chosen_quotes) < cluster.size else \
            f"all {cluster.size} quotes of “{one_line(cluster.label)}”"
        picker = CodePicker(list_codes(self.store), counts=code_counts(self.store), title=f"Code {what} as…")

        def apply(choice) -> None:
            if choice is None:
                return
            code, kind = (choice.name, choice.kind) if isinstance(choice, NewCode) else (choice, "theme")
            result = attempt(self, code_cluster, self.store, chosen_quotes, code, kind=kind)
            if result is not None:
                code_id, added = result
                self.marked -= {q.id for q in chosen_quotes}
                name = get_code(self.store, code_id).name
                self.notify(f"Coded {added} quotes as {name} (ctrl+z undoes)" if added else
                            f"These quotes all have {name} already; nothing changed", timeout=4)
                self._refresh_run()

        self.app.push_screen(picker, apply)

    def action_open_quote(self) -> None:
        quote = self._quote()
        if quote is not None:
            self.post_message(OpenSource(quote.source_id, quote.start, quote.end))

    def _stored_run(self) -> ClusterRun | None:
        """The study's current clustering; on a read-only study, this screen's last run (never written)."""
        return self._unsaved if self.store.read_only else load_run(self.store)

    def _refresh_run(self) -> None:
        keep = self.query_one("#clusters-list", OptionList).highlighted
        run = self._stored_run()
        if run is not None:
            self.show_run(run, keep)
