"""RowTable: the home screen's tables, drawn line by line so thousands of rows cost nothing."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult

from research_tui.widgets.row_table import RowTable

ROWS = [(str(i), [f"Respondent {i}", "csv", f"{i * 3:,}", "[/] not markup"]) for i in range(10_000)]


class Host(App):
    def __init__(self) -> None:
        super().__init__()
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield RowTable(["Title", "Format", "Words", "Note"], id="t", stretch=0)

    def on_mount(self) -> None:
        self.query_one(RowTable).set_rows(ROWS)
        self.query_one(RowTable).focus()

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        self.selected.append(event.key)


def text_of(table: RowTable, y: int) -> str:
    return "".join(seg.text for seg in table.render_line(y)).rstrip()


def test_keys_selection_and_drawing():
    async def body():
        app = Host()
        async with app.run_test(size=(60, 12)) as pilot:
            table = app.query_one(RowTable)
            assert table.row_count == 10_000 and table.get_row_at(3)[0] == "Respondent 3"
            assert text_of(table, 0).split() == ["Title", "Format", "Words", "Note"]
            assert text_of(table, 1).startswith(" Respondent 0") and "[/] not markup" in text_of(table, 1)
            await pilot.press("down", "down", "enter")
            assert table.cursor_row == 2 and app.selected == ["2"]
            await pilot.press("end")
            await pilot.pause()
            assert table.current_key == "9999"
            assert text_of(table, table.scrollable_content_region.height - 1).startswith(" Respondent 9999")
            assert text_of(table, 0).split()[0] == "Title"  # the header stays on top
            await pilot.press("home", "pagedown")
            assert table.cursor_row == table.scrollable_content_region.height - 1
            table.set_rows(ROWS[::-1], keep="9998")  # re-read: the cursor stays on its row
            assert table.current_key == "9998" and table.cursor_row == 1
            await pilot.press("home")
            await pilot.pause()
            await pilot.click(RowTable, offset=(5, 3))  # the header is line 0: line 3 is the third row
            await pilot.click(RowTable, offset=(5, 3), times=2)
            assert table.cursor_row == 2 and app.selected[-1] == "9997"

    asyncio.run(body())


def test_narrow_table_gives_the_stretch_column_up_first():
    async def body():
        app = Host()
        async with app.run_test(size=(30, 8)) as pilot:
            await pilot.pause()
            table = app.query_one(RowTable)
            line = text_of(table, 1)
            assert len(line) <= table.scrollable_content_region.width
            assert "csv" in line and line.startswith(" Respo")  # the title column was cut, not the others

    asyncio.run(body())
