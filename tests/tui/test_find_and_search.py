"""Find in a transcript (/, n, N) and search all text (S): keys pressed, fast or not, then what is
selected and what gets coded is checked against the Store; the cursor never sits on the bottom edge."""

from __future__ import annotations

from coding.codebook import new_study
from coding.codings import list_codings
from coding.importing import import_transcripts
from coding.models import Transcript, Utterance
from research_tui.screens.reader import ReaderScreen
from research_tui.screens.search import SearchScreen
from research_tui.widgets.transcript_layout import line_at_offset
from tests.tui.conftest import app_for, burst, notices, run, source_id, span, until


async def reader_on(app, pilot, row: int = 0) -> ReaderScreen:
    await pilot.pause()
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.view.doc is not None)
    return app.screen


def selected(study, reader) -> str:
    return study.source_text(reader.source_id)[slice(*reader.view.selection)]


def test_find_next_previous_wrap_and_code_the_words_found(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            reader = await reader_on(app, pilot)                 # clinic_visit
            await pilot.press("slash", *"WAIT", "enter")         # any case; the first match after the cursor
            assert selected(study, reader) == "wait"
            assert reader.view.selection == span(study, "clinic_visit", "waiting room?")[1:2] + (
                span(study, "clinic_visit", "waiting room?")[1] + 4,)
            await pilot.press("n")
            assert reader.view.selection[0] == span(study, "clinic_visit", "waited three")[1]
            await pilot.press("n")                               # "waiting room. It was awful."
            assert selected(study, reader) == "wait"
            third = reader.view.selection
            await pilot.press("n")                               # wraps to the first, and says so
            assert reader.view.selection[0] == span(study, "clinic_visit", "waiting room?")[1]
            assert any("Wrapped to the first match" in n for n in notices(app))
            await pilot.press("N")                               # and back round to the last
            assert reader.view.selection == third
            assert "“WAIT” 3/3" in str(reader.query_one("#reader-title").render())
            await pilot.press("c", *"pain point", "enter")       # the selection is exactly the words found
            await until(pilot, lambda: bool(list_codings(study)))
            [coding] = list_codings(study)
            assert (coding.text, coding.char_start) == ("wait", third[0])

    run(body())


def test_find_typed_in_one_burst_lands_on_the_words(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            reader = await reader_on(app, pilot, 1)              # results
            burst(app, "slash", *"helpline", "enter")            # h, l, n are reader keys too
            await until(pilot, lambda: reader.find_text == "helpline" and reader.view.has_focus)
            await pilot.pause()
            assert selected(study, reader) == "helpline"
            assert study.source_text(reader.source_id)[slice(*reader.view.selection)] == "helpline"
            await pilot.press("slash", *"helicopter", "enter")
            await pilot.pause()
            assert any("not in this transcript" in n for n in notices(app))

    run(body())


def test_search_all_text_then_open_the_reader_at_the_words(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            burst(app, "S", *"the results", "enter", "enter")   # enter searches what is typed, then opens
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            reader = app.screen
            await until(pilot, lambda: bool(reader.query("#transcript")) and reader.view.doc is not None
                        and reader.view.doc.title == "results")
            assert reader.source_id == source_id(study, "results")
            assert selected(study, reader).casefold() == "the"
            assert reader.find_text == "the results"             # n goes on with the same words
            search = app.main_screen("search")
            assert isinstance(search, SearchScreen) and search.total == 2
            assert [h.source_title for h in search.hits] == ["results", "results"]
            await pilot.press("n")
            assert selected(study, reader) == "The results"

    run(body())


def test_the_cursor_never_sits_on_the_bottom_edge(tmp_path):

    text, utterances = "", []
    for i in range(40):
        words = " ".join(f"Sentence {i}.{k} has quite a few words in it, so many that it wraps onto a "
                         "second line of the reader." for k in range(4))
        start = len(text) + len("Aisha: ")
        text += f"Aisha: {words}\n"
        utterances.append(Utterance("Aisha", start, start + len(words)))
    store = new_study(tmp_path / "long.rtui")
    import_transcripts(store, [Transcript("long", "long.txt", "text", text, utterances)])

    async def body():
        app = app_for(store)
        async with app.run_test(size=(100, 24)) as pilot:
            reader = await reader_on(app, pilot)
            view = reader.view
            height = view.scrollable_content_region.height
            for step in range(60):
                await pilot.press("j")
                layout = view.doc.layout(view._width())
                last = line_at_offset(layout, view.selection[1] - 1)
                below = view.scroll_offset.y + height - 1 - last      # lines shown under the cursor
                assert below >= 2, (step, below)
            assert view.scroll_offset.y > 0
            for _ in range(60):
                await pilot.press("k")
                layout = view.doc.layout(view._width())
                first = layout.sentence_line[view.cursor]
                assert first - view.scroll_offset.y >= min(1, first), first   # a line above shows too

    run(body())
    store.close()
