"""Quotes: filter by code, attribute, search; co-occurrence; open a quote in its transcript."""

from __future__ import annotations

from coding.codebook import delete_code, find_code
from research_tui.screens.quotes import QuotesScreen
from research_tui.screens.reader import ReaderScreen
from research_tui.widgets.quote_list import QuoteList
from research_tui.widgets.transcript import TranscriptView
from tests.tui.conftest import app_for, code_quotes, errors, run, settle


async def open_quotes(app, pilot) -> QuoteList:
    await pilot.pause()
    await pilot.press("Q")
    await settle(app, pilot)
    assert isinstance(app.screen, QuotesScreen)
    return app.screen.query_one(QuoteList)


def texts(quote_list: QuoteList) -> list[str]:
    return [q.text for q in quote_list.quotes]


def test_every_quote_then_filter_by_participant_attribute(study):
    code_quotes(study)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            quotes = await open_quotes(app, pilot)
            assert len(quotes.quotes) == 5
            assert "(5 quotes, 5 codings, match any code)" in str(app.screen.query_one("#quote-filters").render())
            await pilot.press("a", *"segment = private", "enter")
            await settle(app, pilot)
            assert texts(quotes) == ["The results letter was full of jargon.", "I was confused."]
            assert {q.speakers for q in quotes.quotes} == {("George Wilson",)}
            await pilot.press("x")
            await settle(app, pilot)
            assert len(quotes.quotes) == 5

    run(body())


def test_full_text_search(study):
    code_quotes(study)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            quotes = await open_quotes(app, pilot)
            await pilot.press("slash", *"jargon")
            await settle(app, pilot)
            assert texts(quotes) == ["The results letter was full of jargon."]
            await pilot.press("enter")                      # back to the list; then open the quote
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)

    run(body())


def test_filter_by_codes_any_and_all_then_cooccurrence(study):
    code_quotes(study)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            quotes = await open_quotes(app, pilot)
            await pilot.press("c", *"frustrated", "enter")
            await pilot.press("c", *"pain point", "enter")
            await settle(app, pilot)
            assert len(quotes.quotes) == 3                  # any of the two codes
            await pilot.press("m")                          # all: Frustrated quotes overlapping a Pain point
            await settle(app, pilot)
            assert texts(quotes) == ["It was awful."]
            assert quotes.quotes[0].with_codes == ("Pain point",)
            await pilot.press("x", "w", *"pain point", "enter", *"frustrated", "enter")
            await settle(app, pilot)
            assert texts(quotes) == ["I waited three hours in the waiting room. It was awful."]

    run(body())


def test_open_a_quote_in_context(study):
    code_quotes(study)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            quotes = await open_quotes(app, pilot)
            await pilot.press("j", "j", "j")                # the fourth quote: George's jargon letter
            chosen = quotes.current
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
            view = app.screen.query_one(TranscriptView)
            assert view.doc.source_id == chosen.source_id
            assert view.selection == (chosen.char_start, chosen.char_end)
            assert view.doc.text[slice(*view.selection)] == "The results letter was full of jargon."

    run(body())


def test_kind_participant_and_source_filters(study):
    code_quotes(study)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            quotes = await open_quotes(app, pilot)
            await pilot.press("t", *"emotions", "enter")
            await settle(app, pilot)
            assert texts(quotes) == ["I was nervous about it.", "It was awful.", "I was confused."]
            await pilot.press("p", *"aisha", "enter")
            await settle(app, pilot)
            assert texts(quotes) == ["I was nervous about it.", "It was awful."]
            await pilot.press("x", "s", *"results", "enter")
            await settle(app, pilot)
            assert len(quotes.quotes) == 2

    run(body())


def test_a_failing_filter_is_reported_once_and_the_app_keeps_running(study):
    code_quotes(study)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            quotes = await open_quotes(app, pilot)
            await pilot.press("c", *"anxious", "enter", "c", *"confused", "enter")
            await settle(app, pilot)
            delete_code(study, find_code(study, "Confused").id)   # gone behind the view's back
            await pilot.press("m")
            await settle(app, pilot)
            assert any("no code with id" in e for e in errors(app))
            await pilot.press("x")
            await settle(app, pilot)
            assert len(quotes.quotes) == 4

    run(body())


def test_typing_filters_once_after_a_pause(study, monkeypatch):
    """Keystrokes typed quickly run one search, for the whole word, not one per letter."""
    import research_tui.screens.quotes as quotes_module

    code_quotes(study)
    searched = []
    real = quotes_module.filter_quotes

    def counting(store, **query):
        searched.append(query["text"])
        return real(store, **query)

    monkeypatch.setattr(quotes_module, "filter_quotes", counting)
    # a pause longer than a loaded CI machine needs to type seven keys, so the test cannot race it
    monkeypatch.setattr(QuotesScreen, "SEARCH_DELAY", 3.0)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            quotes = await open_quotes(app, pilot)
            searched.clear()
            await pilot.press("slash", *"waiting")
            assert app.screen.search_pending and searched == []
            await settle(app, pilot)
            assert searched == ["waiting"]
            assert texts(quotes) == ["I waited three hours in the waiting room. It was awful."]
            await pilot.press("backspace", "backspace", "backspace", "escape")  # escape searches at once
            await settle(app, pilot)
            assert searched == ["waiting", "wait"] and not app.screen.search_pending

    run(body())
