"""Correcting people and turns in the studio: d deletes a participant on the home screen (their turns
become unattributed), and in the reader t marks turns as not speech, g gives them to another speaker,
b splits a turn where the selection starts. Keys are pressed, then the Store is asked."""

from __future__ import annotations

from coding import turns
from coding.models import UNATTRIBUTED
from coding.people import find_participant
from research_tui.screens.dialogs import ConfirmDialog
from research_tui.screens.home import HomeScreen
from research_tui.screens.reader import ReaderScreen
from tests.tui.conftest import app_for, errors, notices, run, source_id, until


def speakers(study, title: str) -> list[tuple[str, str]]:
    """(speaker name, text) of each turn of a source, in reading order."""
    return [(study.participant(u.participant_id).name, u.text)
            for u in turns.turns_of(study, source_id(study, title))]


async def open_source(app, pilot, row: int) -> ReaderScreen:
    await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.view.doc is not None)
    return app.screen


def test_delete_a_participant_from_home_then_undo(study):
    mei = find_participant(study, "Mei Chen")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("d")                           # focuses the participants table first
            await until(pilot, lambda: app.screen.focused.id == "people")
            await pilot.press("down", "down", "down", "d")  # Mei Chen
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert "1 turn in 1 source become unattributed" in app.screen.message
            await pilot.press("y")
            await until(pilot, lambda: "Mei Chen" not in {p.name for p in study.participants()})
            assert speakers(study, "follow_up")[1] == (
                "(unattributed)", "The app was easy. I booked online in two minutes. I felt in control.")
            assert "2 participants (+2 not counted)" in str(app.screen.query_one("#home-title").render())
            await pilot.press("end", "d")                    # the stand-in itself cannot be deleted
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert any("Unattributed turns are kept" in n for n in notices(app))
            await pilot.press("ctrl+z")
            await until(pilot, lambda: "Mei Chen" in {p.name for p in study.participants()})
            assert find_participant(study, "Mei Chen") == mei
            assert not [p for p in study.participants() if p.role == UNATTRIBUTED]

    run(body())


def test_split_a_turn_before_the_selection_and_give_the_rest_to_the_interviewer(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            reader = await open_source(app, pilot, 1)        # results
            await pilot.press("j", "j", "j", "b")            # George: "I rang the helpline twice."
            await pilot.press(*"interviewer", "enter")
            await until(pilot, lambda: len(speakers(study, "results")) == 5)
            assert speakers(study, "results")[1:3] == [
                ("George Wilson", "The results letter was full of jargon. I was confused."),
                ("Interviewer", "I rang the helpline twice.")]
            text = study.source_text(source_id(study, "results"))
            for u in study.utterances(source_id(study, "results")):
                assert text[u.char_start:u.char_end] == u.text
            assert [t.label for t in reader.view.doc.turns][1:3] == ["George Wilson", "Interviewer"]
            await pilot.press("ctrl+z")
            await until(pilot, lambda: len(speakers(study, "results")) == 4)
            await pilot.press("k", "k", "b")                 # the first sentence of a turn: nothing to split
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen) and len(speakers(study, "results")) == 4
            assert any("Put the cursor where the other speaker starts" in n for n in notices(app))

    run(body())


def test_mark_a_turn_as_not_speech_and_give_a_turn_to_another_speaker(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            reader = await open_source(app, pilot, 0)        # clinic_visit: the interviewer's question first
            first = turns.turns_of(study, source_id(study, "clinic_visit"))[0]
            utterances = study.totals()["utterances"]
            await pilot.press("t")
            await until(pilot, lambda: turns.turn(study, first.id).not_speech)
            assert study.totals()["utterances"] == utterances - 1
            assert reader.view.doc.turns[0].not_speech
            await pilot.press("t")                           # again: speech again
            await until(pilot, lambda: not turns.turn(study, first.id).not_speech)
            await pilot.press("right_square_bracket", "right_curly_bracket", "right_curly_bracket")  # Aisha + next
            await pilot.press("g", *"george", "enter")
            await until(pilot, lambda: speakers(study, "clinic_visit")[1][0] == "George Wilson")
            assert [name for name, _ in speakers(study, "clinic_visit")] == [
                "Interviewer", "George Wilson", "George Wilson", "Aisha Khan"]
            assert not errors(app)

    run(body())
