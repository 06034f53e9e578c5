"""At 80×24 nothing that counts is cut off (issue 16 item 5): the home header's codings count, the reader's
"find “words” 3/12" and the search results' Words column; and the home screen counts participants as `info`
and `participants` do."""

from __future__ import annotations

import re

from coding.codings import list_codings
from research_tui.screens.reader import ReaderScreen
from research_tui.screens.search import WORDS_LEAST, SearchScreen
from tests.tui.conftest import app_for, run, settle, until


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def test_the_home_header_keeps_its_counts_at_80_columns(demo):
    demo.set_setting("name", "Musculoskeletal MRI patient journey across three NHS trusts (2025 wave)")
    demo.set_anonymize(True)

    async def body():
        app = app_for(demo)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            header = screen_lines(app)[0]
            codings = len(list_codings(demo))
            assert header.rstrip().endswith(f"· {codings:,} codings  · pseudonyms"), header
            assert "11 sources · 15 participants" in header and header.startswith(" Musculoskeletal M")
            assert "…" in header                                                 # the name gave way
            border = next(line for line in screen_lines(app) if "not counted" in line)
            assert "not counted: 1 interviewer, 1 moderator" in border
            await pilot.resize_terminal(200, 40)
            await pilot.pause()
            wide = screen_lines(app)[0]
            assert "(fictional" not in wide and "(2025 wave)  11 sources · 15 participants (+2 not counted) · " \
                "558 utterances · " in wide

    run(body())


def test_the_reader_keeps_the_find_count_at_80_columns(demo):
    async def body():
        app = app_for(demo)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("enter")                                   # the first source
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.view.doc is not None)
            await pilot.press("slash", *"the scan", "enter")
            await pilot.pause()
            screen = app.screen
            assert len(screen.matches) >= 2
            title = screen_lines(app)[0]
            assert re.search(r"· find “the scan” 1/\d+ *$", title), title
            assert "turn " in title
            await pilot.press("n")
            await pilot.pause()
            assert re.search(r"“the scan” 2/\d+ *$", screen_lines(app)[0])

    run(body())


def test_search_results_show_the_words_at_80_columns(demo):
    async def body():
        app = app_for(demo)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("S", *"letter", "enter")
            await settle(app, pilot)
            assert isinstance(app.screen, SearchScreen) and app.screen.hits
            table = app.screen.query_one("#search-results")
            assert table.column_width(4) >= WORDS_LEAST
            lines = screen_lines(app)
            header = next(i for i, line in enumerate(lines) if "Source" in line and "Words" in line)
            first = lines[header + 1]
            words = first[lines[header].index("Words"):].strip(" │▁▂▃▄▅▆▇█")
            assert len(words) >= WORDS_LEAST - 2 and "letter" in words.lower(), first
            assert first.rstrip(" │▁▂▃▄▅▆▇█").endswith(("…", ".", "?", "!", words[-1]))

    run(body())
