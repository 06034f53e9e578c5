"""Pickers act on what is typed: keys sent in one burst (no pause between them, as a fast typist's
terminal sends them) land in the picker, and enter takes the best match of the whole typed text."""

from __future__ import annotations

from coding.codebook import find_code, get_code, list_codes
from coding.codings import list_codings
from research_tui.screens.dialogs import ConfirmDialog
from research_tui.screens.picker import CodePicker, Item, PickList, rank_items
from research_tui.screens.quotes import QuotesScreen
from research_tui.screens.reader import ReaderScreen
from tests.tui.conftest import app_for, burst, code_quotes, run, source_id, until


def test_rank_items_prefers_exact_then_prefix_then_word_then_substring_then_fuzzy():
    items = [Item(name, name) for name in
             ("Archiving & sharing", "Confused", "Frustrated", "Frustration", "Unfrustrated", "Anxious")]
    assert [i.value for _, i in rank_items(items, "frustr")][:3] == ["Frustrated", "Frustration", "Unfrustrated"]
    assert rank_items(items, "frustration")[0][1].value == "Frustration"          # exact beats prefix
    assert rank_items(items, "sharing")[0][1].value == "Archiving & sharing"       # a word of the name
    assert rank_items(items, "xyzzy") == []
    assert rank_items(items, "  ")[0][1].value == "Archiving & sharing"             # nothing typed: list order


def test_a_burst_of_c_frustr_enter_applies_frustrated_not_the_recent_code(study):
    code_quotes(study)  # 'Confused' is now the most recent code, first in the picker's empty list

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")                       # open clinic_visit
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            await pilot.press("j")                           # "My GP referred me."
            before = len(list_codings(study))
            burst(app, "c", *"frustr", "enter")
            await until(pilot, lambda: len(list_codings(study)) > before)
            await pilot.pause()
            new = list_codings(study, code="Frustrated")
            assert [c.text for c in new] == ["My GP referred me.", "It was awful."]
            assert len(list_codings(study)) == before + 1
            assert isinstance(app.screen, ReaderScreen)

    run(body())


def test_enter_on_a_half_typed_new_name_asks_before_creating_and_shows_the_kind(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            await pilot.press("j")
            codes = len(list_codes(study))
            burst(app, "c", *"Referral lett", "enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert "Referral lett" in app.screen.message and "stage" in app.screen.message
            assert len(list_codes(study)) == codes and list_codings(study) == []
            await pilot.press("n")                           # no: back in the picker, still typing
            await until(pilot, lambda: isinstance(app.screen, CodePicker))
            await pilot.press(*"er", "down", "enter")        # the full name, the second kind offered
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert "need" in app.screen.message
            await pilot.press("y")
            await until(pilot, lambda: bool(list_codings(study)))
            code = find_code(study, "Referral letter")
            assert code.kind == "need"
            assert [c.text for c in list_codings(study, code=code.id)] == ["My GP referred me."]
            assert len(list_codes(study)) == codes + 1

    run(body())


def test_a_kind_prefix_narrows_the_picker_to_that_kind(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            await pilot.press("j")
            burst(app, "c", *"pain_point:pain", "enter")
            await until(pilot, lambda: bool(list_codings(study)))
            [coding] = list_codings(study)
            assert get_code(study, coding.code_id).kind == "pain_point"

    run(body())


def test_a_burst_in_the_source_and_participant_pickers_of_the_quotes_screen(study):
    code_quotes(study)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("Q")
            await until(pilot, lambda: isinstance(app.screen, QuotesScreen))
            quotes = app.screen
            burst(app, "s", *"results", "enter")
            await until(pilot, lambda: quotes.filter.source_id is not None)
            assert quotes.filter.source_id == source_id(study, "results")
            burst(app, "p", *"george", "enter")
            await until(pilot, lambda: quotes.filter.participant_id is not None)
            assert study.participant(quotes.filter.participant_id).name == "George Wilson"

    run(body())


def test_escape_typed_ahead_cancels_and_nothing_changes(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            burst(app, "c", *"anx", "escape")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            await pilot.pause()
            assert list_codings(study) == []

    run(body())


def test_enter_with_nothing_matching_in_a_list_changes_nothing(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("Q")
            await until(pilot, lambda: isinstance(app.screen, QuotesScreen))
            await pilot.press("s", *"zzzz", "enter")
            await pilot.pause()
            assert isinstance(app.screen, PickList)
            assert any("Nothing matches 'zzzz'" in n.message for n in app._notifications)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, QuotesScreen))
            assert app.screen.filter.source_id is None

    run(body())
