"""Matrices: codes by attribute values or by codes, counts of quotes or participants; open a cell's quotes.

A thin shell over `coding.matrix`. `r` and `c` choose what the rows and columns are (a kind of code, every
code, or an attribute), `p` switches between counting quotes and participants, moving through the grid
lists the quotes behind the highlighted number below it, and enter there opens one in the reader.
`e` writes the matrix as CSV, as `research-tui matrix -o` does.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from coding.codebook import KIND_LABELS, list_codes
from coding.matrix import Matrix, compute
from coding.models import CODE_KINDS, StudyError
from coding.study import Store
from exports.anonymize import Anonymizer

from ..messages import OpenSource
from ..widgets.footer import StudioFooter
from .base import StudioScreen, attempt
from .journey import clean
from .picker import Item, PickList


def dimensions(store: Store) -> list[Item]:
    """What a matrix can have as rows or columns in this study."""
    items = [Item(f"{KIND_LABELS.get(k, k)} (codes)", f"kind:{k}") for k in CODE_KINDS if list_codes(store, k)]
    items.append(Item("All codes", "codes"))
    keys = sorted({k for p in store.participants(role="participant") for k in p.attributes})
    items += [Item(f"Attribute: {k}", f"attr:{k}") for k in keys]
    return items


class MatrixScreen(StudioScreen):
    CSS_PATH = "matrix.tcss"
    BINDINGS = [
        Binding("r", "rows", "Rows", id="matrix.rows"),
        Binding("c", "cols", "Columns", id="matrix.cols"),
        Binding("p", "count", "Quotes/participants", id="matrix.count"),
        Binding("e", "export", "Export CSV", id="matrix.export"),
        Binding("o", "open", "Open quote", id="matrix.open"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.rows = "kind:stage"
        self.cols = "kind:emotion"
        self.count = "quotes"
        self.matrix: Matrix | None = None
        self.anon = Anonymizer.from_store(store, enabled=store.anonymize)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="matrix-head", markup=False)
            yield DataTable(id="matrix-grid", cursor_type="cell")
            yield Static("", id="matrix-cell", markup=False)
            yield OptionList(id="matrix-quotes")
        yield StudioFooter()

    def load_study(self) -> None:
        attrs = [i.value for i in dimensions(self.store) if str(i.value).startswith("attr:")]
        if self.cols == "kind:emotion" and attrs and self.matrix is None:
            self.cols = attrs[0]  # the usual first question: which groups said what
        self.anon = Anonymizer.from_store(self.store, enabled=self.store.anonymize)
        matrix = attempt(self, compute, self.store, self.rows, self.cols, count=self.count)
        if matrix is None:
            return
        self.matrix = matrix
        self.query_one("#matrix-head", Static).update(
            f"Rows {self.rows} · columns {self.cols} · counting {self.count}   "
            "(r rows · c columns · p quotes/participants · e export)")
        grid = self.query_one("#matrix-grid", DataTable)
        grid.clear(columns=True)
        grid.add_column("", key="label")
        for j, label in enumerate(matrix.cols.labels):
            grid.add_column(self.anon.anon(label), key=str(j))
        for i, label in enumerate(matrix.rows.labels):
            grid.add_row(self.anon.anon(label), *(str(v) for v in matrix.table()[i]), key=str(i))
        self._show_cell(0, 1)

    def _show_cell(self, i: int, column: int) -> None:
        box = self.query_one("#matrix-quotes", OptionList)
        box.clear_options()
        m = self.matrix
        if m is None or column < 1 or not m.rows.keys or not m.cols.keys:
            self.query_one("#matrix-cell", Static).update("")
            return
        j = column - 1
        spans = m.quotes.get((i, j), [])
        self.query_one("#matrix-cell", Static).update(
            f"{self.anon.anon(m.rows.labels[i])} × {self.anon.anon(m.cols.labels[j])}: {len(spans)} quotes, "
            f"{len(m.people.get((i, j), ()))} participants")
        titles = {s.id: s.title for s in self.store.sources()}
        box.add_options([Option(f"{self.anon.anon(titles.get(sid, '?'))} · "
                                f"“{self.anon.anon(clean(self.store.source_text(sid)[a:b]))[:110]}”",
                                id=f"{sid}:{a}:{b}") for sid, a, b in spans])

    @on(DataTable.CellHighlighted, "#matrix-grid")
    def _cell(self, event: DataTable.CellHighlighted) -> None:
        self._show_cell(event.coordinate.row, event.coordinate.column)

    def _pick(self, title: str, attr: str) -> None:
        def picked(value: object) -> None:
            if value:
                setattr(self, attr, str(value))
                self.reload()

        self.app.push_screen(PickList(title, dimensions(self.store)), picked)

    def action_rows(self) -> None:
        self._pick("Rows of the matrix", "rows")

    def action_cols(self) -> None:
        self._pick("Columns of the matrix", "cols")

    def action_count(self) -> None:
        self.count = "participants" if self.count == "quotes" else "quotes"
        self.reload()

    def action_open(self) -> None:
        box = self.query_one("#matrix-quotes", OptionList)
        if box.highlighted is None:
            self.notify("Move to a cell with quotes, then pick one below", timeout=2)
            return
        sid, a, b = (int(x) for x in box.get_option_at_index(box.highlighted).id.split(":"))
        self.post_message(OpenSource(sid, a, b))

    @on(OptionList.OptionSelected, "#matrix-quotes")
    def _chosen(self) -> None:
        self.action_open()

    def action_export(self) -> None:
        from .dialogs import TextDialog

        default = str(self.store.path.with_name(f"{self.store.path.stem}-matrix.csv"))

        def got(path: str | None) -> None:
            if path and path.strip():
                target = Path(path.strip()).expanduser()
                self.write_csv(target if target.is_absolute() else self.store.path.parent / target)

        self.app.push_screen(TextDialog("Write the matrix as CSV to", default, multiline=False), got)

    def write_csv(self, target: Path, *, force: bool = False) -> None:
        """Write the matrix; a file it did not write is replaced only when the researcher says so."""
        from exports.common import WouldOverwrite
        from exports.matrix_csv import write_matrix

        from .dialogs import ask_to_replace

        try:
            write_matrix(self.store, target, rows=self.rows, cols=self.cols, count=self.count, force=force)
        except WouldOverwrite:
            ask_to_replace(self.app, target, lambda: self.write_csv(target, force=True),
                           lambda: self.notify("Not replaced: choose another file name", severity="warning"))
            return
        except StudyError as exc:
            self.notify(str(exc), severity="error", title="Not done")
            return
        self.notify(f"Wrote {target}", title="Exported")
