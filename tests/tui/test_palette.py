"""The command palette reaches every screen and every action by name, from any screen."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from coding.codings import list_codings
from research_tui.screens.codebook import CodebookScreen
from research_tui.screens.home import HomeScreen
from research_tui.screens.quotes import QuotesScreen
from research_tui.screens.reader import ReaderScreen
from research_tui.screens.search import SearchScreen
from tests.tui.conftest import app_for, code_quotes, run, until

SCREENS = {"Home": HomeScreen, "Reader": ReaderScreen, "Codebook": CodebookScreen, "Quotes": QuotesScreen,
           "Search all text": SearchScreen}


async def palette(app, pilot, words: str) -> list[str]:
    """Open the palette, type `words`, and return the names it offers (best first)."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*words)
    names: list[str] = []

    def found() -> bool:
        names[:] = [str(o.prompt).split("\n")[0] for o in app.screen.query_one("CommandList")._options]
        return bool(names)

    await until(pilot, found)
    return names


@pytest.mark.parametrize("start", ["H", "R", "C", "Q", "S"])
def test_every_screen_is_reached_by_name_from_every_screen(study, start):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press(start)
            await pilot.pause()
            for name, screen in SCREENS.items():
                names = await palette(app, pilot, name)
                assert names[0] == name, (start, name, names)
                await pilot.press("enter")
                await until(pilot, lambda screen=screen: isinstance(app.screen, screen))
            for name in ("Journey", "Export", "Undo", "Redo", "Help"):
                assert name in await palette(app, pilot, name), name
                await pilot.press("escape")
                await until(pilot, lambda: not isinstance(app.screen, CommandPalette))

    run(body())


def test_undo_and_journey_run_from_the_palette(study):
    code_quotes(study)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            n = len(list_codings(study))
            names = await palette(app, pilot, "undo")
            assert names[0] == "Undo"
            await pilot.press("enter")
            await until(pilot, lambda: len(list_codings(study)) == n - 1)
            await palette(app, pilot, "journey")
            await pilot.press("enter")
            await until(pilot, lambda: type(app.screen).__name__ == "JourneyScreen")

    run(body())


def test_a_source_is_opened_by_its_title(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            names = await palette(app, pilot, "follow")
            assert names[0] == "Open source: follow_up"
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            await until(pilot, lambda: app.screen.view.doc is not None and app.screen.view.doc.title == "follow_up")

    run(body())
