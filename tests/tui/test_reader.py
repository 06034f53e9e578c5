"""The reader: move by sentence and turn, select exact spans, code, uncode, memo, undo/redo."""

from __future__ import annotations

from coding.codebook import find_code, get_code, list_codes
from coding.codings import add_coding, list_codings
from research_tui.screens.reader import ReaderScreen
from research_tui.widgets.transcript import TranscriptView
from tests.tui.conftest import app_for, errors, run, source_id, span


async def open_reader(app, pilot, row: int = 0):
    """From the home screen, open the source on `row` of the sources table."""
    await pilot.pause()
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    return app.screen.query_one(TranscriptView)


def test_code_a_quote_with_the_picker_then_undo_and_redo(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            view = await open_reader(app, pilot)
            await pilot.press("j")                      # Aisha's first sentence
            await pilot.press("c", *"anxious", "enter")
            await pilot.pause()
            [coding] = list_codings(study)
            assert coding.text == "My GP referred me."
            assert get_code(study, coding.code_id).name == "Anxious"
            assert (coding.char_start, coding.char_end) == span(study, "clinic_visit", "My GP referred me.")[1:]
            assert coding.coder == "tester" and coding.origin == "human"
            assert view.doc.turn_spans[1]                 # the reader shows it

            await pilot.press("ctrl+z")
            await pilot.pause()
            assert list_codings(study) == []
            assert not view.doc.turn_spans[1]
            await pilot.press("ctrl+y")
            await pilot.pause()
            assert [c.text for c in list_codings(study)] == ["My GP referred me."]

    run(body())


def test_number_keys_apply_pinned_codes(study):
    async def body():
        app = app_for(study, pinned=["Frustrated", "pain_point:Pain point"])
        async with app.run_test(size=(120, 40)) as pilot:
            await open_reader(app, pilot)
            await pilot.press("j", "j", "1")           # "I was nervous about it."
            await pilot.press("3")                     # nothing pinned to 3: a warning, no change
            await pilot.pause()
            [coding] = list_codings(study)
            assert (coding.text, get_code(study, coding.code_id).name) == ("I was nervous about it.", "Frustrated")
            assert any("No code pinned to 3" in n.message for n in app._notifications)

    run(body())


def test_without_pins_the_number_keys_apply_the_journey_stages(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_reader(app, pilot)
            await pilot.press("j", "2")
            await pilot.pause()
            assert [get_code(study, c.code_id).name for c in list_codings(study)] == ["Consideration"]

    run(body())


def test_extend_the_selection_and_trim_words_at_both_edges(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            view = await open_reader(app, pilot)
            await pilot.press("j", "shift+down", "shift+down")   # three sentences of Aisha's turn
            _, a, b = span(study, "clinic_visit",
                           "My GP referred me. I was nervous about it. Nobody told me how long it would take.")
            assert view.selection == (a, b)
            await pilot.press("h", "h", "h")                      # drop "it would take."
            await pilot.press("o", "l", "l", "l", "l")            # drop "My GP referred me."
            await pilot.press("c", *"anxious", "enter")
            await pilot.pause()
            [coding] = list_codings(study)
            assert coding.text == "I was nervous about it. Nobody told me how long"
            assert (coding.source_id, coding.char_start, coding.char_end) == span(
                study, "clinic_visit", "I was nervous about it. Nobody told me how long")

    run(body())


def test_select_mode_and_turn_keys_code_across_turns(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            view = await open_reader(app, pilot)
            await pilot.press("right_square_bracket")            # Aisha's turn
            await pilot.press("v", "j", "j")                      # select mode: j extends
            await pilot.press("right_curly_bracket")              # ...to the end of the next turn
            text = study.sources()[0].text
            assert text[slice(*view.selection)].startswith("My GP referred me.")
            assert text[slice(*view.selection)].endswith("And the waiting room?")
            await pilot.press("escape")                           # collapse to the cursor sentence
            assert text[slice(*view.selection)] == "And the waiting room?"
            await pilot.press("left_curly_bracket")               # back to the start of Aisha's turn
            await pilot.press("c", *"wait", "enter", "y")          # no code matches: a new one, confirmed
            await pilot.pause()
            [coding] = list_codings(study)
            assert coding.text.startswith("My GP referred me.") and coding.text.endswith("And the waiting room?")
            assert study.participants_of_span(coding.source_id, coding.char_start, coding.char_end)

    run(body())


def test_remove_a_coding_choosing_which_when_several(study):
    sid, a, b = span(study, "clinic_visit", "I was nervous about it.")
    add_coding(study, sid, a, b, find_code(study, "Anxious").id)
    add_coding(study, sid, a, b - 10, find_code(study, "Frustrated").id)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_reader(app, pilot)
            await pilot.press("j", "j", "x")                      # two codings here: a picker asks
            await pilot.pause()
            await pilot.press(*"frus", "enter")
            await pilot.pause()
            assert [get_code(study, c.code_id).name for c in list_codings(study)] == ["Anxious"]
            await pilot.press("delete")                           # one left: removed at once
            await pilot.pause()
            assert list_codings(study) == []

    run(body())


def test_memo_on_a_coding_and_on_the_source(study):
    sid, a, b = span(study, "results", "I was confused.")
    add_coding(study, sid, a, b, find_code(study, "Confused").id)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_reader(app, pilot, row=1)
            await pilot.press("right_square_bracket", "j", "m")
            await pilot.pause()
            await pilot.press(*"jargon again", "ctrl+s")
            await pilot.pause()
            assert list_codings(study)[0].memo == "jargon again"
            await pilot.press("M")
            await pilot.pause()
            await pilot.press(*"call him back", "ctrl+s")
            await pilot.pause()
            assert study.source_memo(sid) == "call him back"

    run(body())


def test_create_a_new_code_inline_choosing_its_kind(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_reader(app, pilot)
            codes_before = len(list_codes(study))
            await pilot.press("j", "c", *"Referral letter")
            await pilot.pause()
            # the typed name is new: the options end with one "new <kind>" entry per kind
            picker = app.screen
            new_index = next(i for i, v in enumerate(picker._shown) if getattr(v, "kind", None) == "touchpoint")
            for _ in range(new_index):
                await pilot.press("down")
            await pilot.press("enter")
            await pilot.pause()
            assert len(list_codes(study)) == codes_before       # nothing is created before a yes
            await pilot.press("y")
            await pilot.pause()
            code = find_code(study, "Referral letter")
            assert code.kind == "touchpoint"
            assert [c.text for c in list_codings(study, code=code.id)] == ["My GP referred me."]

    run(body())


def test_coding_the_same_span_twice_is_refused_and_changes_nothing(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_reader(app, pilot)
            await pilot.press("j", "1", "1")
            await pilot.pause()
            assert len(list_codings(study)) == 1
            assert any("already coded" in e for e in errors(app))

    run(body())


def test_next_uncoded_participant_turn_and_speaker_filter(study):
    sid, a, b = span(study, "clinic_visit", "I was nervous about it.")
    add_coding(study, sid, a, b, find_code(study, "Anxious").id)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            view = await open_reader(app, pilot)
            await pilot.press("u")                   # skips the interviewer and Aisha's coded first turn
            assert view.doc.turns[view.current_turn].label == "Aisha Khan"
            assert view.current_turn == 3
            await pilot.press("f")                   # interviewer only
            assert {t.label for t in view.doc.turns} == {"Interviewer"}
            await pilot.press("f")
            assert {t.label for t in view.doc.turns} == {"Aisha Khan"}
            await pilot.press("f")
            assert len(view.doc.turns) == 4

    run(body())


def test_open_another_source_from_the_reader(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            view = await open_reader(app, pilot)
            await pilot.press("s", *"follow", "enter")
            await pilot.pause()
            assert view.doc.source_id == source_id(study, "follow_up")

    run(body())


def test_reader_works_at_80_by_24_with_the_mouse(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(80, 24)) as pilot:
            view = await open_reader(app, pilot)
            await pilot.click(TranscriptView, offset=(5, 4))     # Aisha's first line
            assert view.doc.turns[view.current_turn].label == "Aisha Khan"

    run(body())
