"""The codebook: add, rename, edit, reorder stages, move under a parent, merge, delete."""

from __future__ import annotations

from coding.codebook import add_code, find_code, get_code, list_codes, list_stages
from coding.codings import add_coding, list_codings
from research_tui.screens.codebook import CodebookScreen
from research_tui.screens.dialogs import ConfirmDialog
from tests.tui.conftest import app_for, errors, run, span


async def open_codebook(app, pilot) -> CodebookScreen:
    await pilot.pause()
    await pilot.press("C")
    await pilot.pause()
    assert isinstance(app.screen, CodebookScreen)
    return app.screen


async def highlight(pilot, screen: CodebookScreen, code_id: int) -> None:
    """Walk the tree with the arrow keys until the code is highlighted."""
    for _ in range(60):
        if screen.selected == code_id:
            return
        await pilot.press("down")
    raise AssertionError(f"code {code_id} not reachable")


def test_reorder_stages(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            await highlight(pilot, screen, find_code(study, "Awareness").id)
            await pilot.press("ctrl+down", "greater_than_sign")
            await pilot.pause()
            assert [c.name for c in list_stages(study)][:3] == ["Consideration", "Purchase", "Awareness"]
            assert screen.selected == find_code(study, "Awareness").id   # the cursor follows the code
            await pilot.press("less_than_sign")
            await pilot.pause()
            assert [c.name for c in list_stages(study)][:3] == ["Consideration", "Awareness", "Purchase"]

    run(body())


def test_merge_two_codes(study):
    sid, a, b = span(study, "clinic_visit", "I was nervous about it.")
    add_coding(study, sid, a, b, find_code(study, "Anxious").id)
    sid, a, b = span(study, "results", "I was confused.")
    add_coding(study, sid, a, b, find_code(study, "Confused").id)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            await highlight(pilot, screen, find_code(study, "Confused").id)
            await pilot.press("g", *"anxious", "enter")
            await pilot.pause()
            assert "1 coding of 'Confused'" in app.screen.message
            await pilot.press("y")
            await pilot.pause()
            assert [c.name for c in list_codes(study, "emotion")].count("Confused") == 0
            assert {c.text for c in list_codings(study, code="Anxious")} == {
                "I was nervous about it.", "I was confused."}

    run(body())


def test_delete_a_code_after_confirmation(study):
    sid, a, b = span(study, "results", "I was confused.")
    add_coding(study, sid, a, b, find_code(study, "Confused").id)
    add_coding(study, sid, a, b + 1, find_code(study, "Confused").id)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            confused = find_code(study, "Confused").id
            await highlight(pilot, screen, confused)
            await pilot.press("d")
            await pilot.pause()
            assert "the 2 codings that use it" in app.screen.message
            await pilot.press("n")                       # cancel: nothing happens
            await pilot.pause()
            assert get_code(study, confused).name == "Confused" and len(list_codings(study)) == 2
            await pilot.press("d", "y")
            await pilot.pause()
            assert "Confused" not in [c.name for c in list_codes(study)]
            assert list_codings(study) == []
            await pilot.press("ctrl+z")                  # undo brings both back
            await pilot.pause()
            assert len(list_codings(study, code="Confused")) == 2

    run(body())


def test_add_rename_and_edit_a_code(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            await highlight(pilot, screen, find_code(study, "Pain point").id)
            await pilot.press("a", *"Waiting", "enter")              # kind defaults to the highlighted one
            await pilot.pause()
            waiting = find_code(study, "Waiting")
            assert waiting.kind == "pain_point"
            assert screen.selected == waiting.id
            await pilot.press("r", *[ "backspace"] * 7, *"Long waits", "enter")
            await pilot.pause()
            assert get_code(study, waiting.id).name == "Long waits"
            await pilot.press("e", "tab", *"Hours in the waiting room", "tab", *"#123456", "enter")
            await pilot.pause()
            code = get_code(study, waiting.id)
            assert (code.description, code.colour) == ("Hours in the waiting room", "#123456")

    run(body())


def test_move_a_code_under_a_parent_and_back(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            angry = find_code(study, "Angry").id
            await highlight(pilot, screen, angry)
            await pilot.press("p", *"frustrated", "enter")
            await pilot.pause()
            assert get_code(study, angry).parent_id == find_code(study, "Frustrated").id
            await pilot.press("p", *"top level", "enter")
            await pilot.pause()
            assert get_code(study, angry).parent_id is None

    run(body())


def test_a_duplicate_code_name_is_refused_and_the_study_is_unchanged(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            before = list_codes(study)
            await highlight(pilot, screen, find_code(study, "Anxious").id)
            await pilot.press("a", *"anxious", "enter")              # an emotion called Anxious exists
            await pilot.pause()
            assert any("already exists" in e for e in errors(app))
            assert list_codes(study) == before
            await pilot.press("r", *["backspace"] * 7, *"Angry", "enter")   # rename onto an existing name
            await pilot.pause()
            assert list_codes(study) == before

    run(body())


def test_enter_on_a_code_shows_its_quotes(study):
    sid, a, b = span(study, "results", "I was confused.")
    add_coding(study, sid, a, b, find_code(study, "Confused").id)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            await highlight(pilot, screen, find_code(study, "Confused").id)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            from research_tui.screens.quotes import QuotesScreen
            from research_tui.widgets.quote_list import QuoteList

            assert isinstance(app.screen, QuotesScreen)
            assert [q.text for q in app.screen.query_one(QuoteList).quotes] == ["I was confused."]

    run(body())


def test_renaming_a_template_code_asks_whether_to_keep_its_description(study):
    onboarding = find_code(study, "Onboarding")
    old = onboarding.description
    assert old.startswith("First steps after committing")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            await highlight(pilot, screen, onboarding.id)
            await pilot.press("r", "ctrl+a", "ctrl+k", *"Analysis", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog) and old in app.screen.message
            await pilot.press("escape")                                   # escape: nothing renamed
            await pilot.pause()
            assert get_code(study, onboarding.id) == onboarding
            await pilot.press("r", "ctrl+a", "ctrl+k", *"Analysis", "enter", "n")   # n: clear it
            await pilot.pause()
            code = get_code(study, onboarding.id)
            assert (code.name, code.description) == ("Analysis", "")
            await pilot.press("ctrl+z")                                   # one undo restores both
            await pilot.pause()
            assert get_code(study, onboarding.id) == onboarding
            await pilot.press("r", "ctrl+a", "ctrl+k", *"Arrival", "enter", "y")    # y: keep it
            await pilot.pause()
            assert (get_code(study, onboarding.id).name, get_code(study, onboarding.id).description) == ("Arrival", old)
            # the edit form asks too when the name changes and the description is left as it was
            await pilot.press("e", "ctrl+a", "ctrl+k", *"Setup", "enter", "n")
            await pilot.pause()
            assert (get_code(study, onboarding.id).name, get_code(study, onboarding.id).description) == ("Setup", "")

    run(body())


def test_a_code_without_a_description_is_renamed_without_a_question(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            code = add_code(study, "Parking", "touchpoint")
            screen.reload()
            await highlight(pilot, screen, code.id)
            await pilot.press("r", "ctrl+a", "ctrl+k", *"Car park", "enter")
            await pilot.pause()
            assert get_code(study, code.id).name == "Car park"
            assert isinstance(app.screen, CodebookScreen)

    run(body())


def test_a_description_is_changed_without_a_rename(study):
    """Issue 16 item 5: `e`, tab to the description, new words, enter: the name stays, nothing is asked."""
    onboarding = find_code(study, "Onboarding")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_codebook(app, pilot)
            await highlight(pilot, screen, onboarding.id)
            await pilot.press("e", "tab", "ctrl+a", "ctrl+k", *"Arriving for the scan", "enter")
            await pilot.pause()
            assert isinstance(app.screen, CodebookScreen)                 # no question: the name is the same
            code = get_code(study, onboarding.id)
            assert (code.name, code.description) == ("Onboarding", "Arriving for the scan")
            assert study.history(1)[0].summary == "changed description of 'Onboarding'"

    run(body())
