"""Survey answers in the studio: the reader shows each answer's question, and the Answers screen lists
everyone's answer to one question, to code the column top to bottom."""

from __future__ import annotations

from pathlib import Path

import pytest

from coding.codebook import find_code, new_study
from coding.codings import add_coding, list_codings
from coding.importing import import_transcripts
from importers import load
from research_tui.screens.answers import AnswersScreen
from research_tui.screens.reader import ReaderScreen
from tests.tui.conftest import app_for, errors, notices, run

SURVEY = Path(__file__).resolve().parents[1] / "data" / "importers" / "surveys" / "surveymonkey_booking_app.csv"
HARDEST = "What was the hardest part of getting started?"


@pytest.fixture
def survey(tmp_path):
    store = new_study(tmp_path / "survey.rtui", template="journey")
    import_transcripts(store, load(SURVEY))
    yield store
    store.close()


def line(view, y: int) -> str:
    return view.render_line(y).text


def test_the_reader_shows_the_question_above_each_answer(survey):
    async def body():
        app = app_for(survey)
        async with app.run_test(size=(110, 30)) as pilot:
            await pilot.press("R")
            await pilot.pause()
            view = app.screen.view
            assert line(view, 0).strip() == f"q15 · {HARDEST}"
            assert line(view, 1).strip("▌ ").startswith("Finding the right clinic.")
            assert line(view, 4).strip() == "q17 · Is there anything else you would like to tell us?"
            assert view.doc.turns[1].question.startswith("q17 · ")

    run(body())


def test_code_a_question_top_to_bottom(survey):
    async def body():
        app = app_for(survey)
        async with app.run_test(size=(110, 32)) as pilot:
            await pilot.press("B")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AnswersScreen)
            await pilot.press("s", *"hardest", "enter")
            await pilot.pause()
            title = str(screen.query_one("#answers-title").render())
            assert title == f"q15 · {HARDEST}  (6 answers · 2 empty-looking hidden (e shows them))"
            doc = screen.view.doc
            assert [t.label for t in doc.turns][:2] == ["114523987651 (surveymonkey_booking_app)",
                                                       "114523987652 (surveymonkey_booking_app)"]
            # the first two answers: select both, code them in one go
            await pilot.press("}", "}", "c", *"pain point", "enter")
            await pilot.pause()
            assert not errors(app)
            coded = list_codings(survey, code="Pain point")
            assert sorted(c.text for c in coded) == [
                "Finding the right clinic. The search only knew the official names, not what people call them.",
                "The password rules. Twelve characters and a symbol, for an app I open once a month."]
            assert len({c.source_id for c in coded}) == 2
            await pilot.press("n")  # the next answer nobody coded
            await pilot.pause()
            assert screen.view.current_turn == 2
            await pilot.press("ctrl+z")  # one change: both codings go
            await pilot.pause()
            assert list_codings(survey, code="Pain point") == []
            await pilot.press("e")
            await pilot.pause()
            assert len(screen.view.doc.turns) == 8
            assert screen.view.doc.turns[3].label.endswith("(empty-looking)")

    run(body())


def test_from_a_survey_answer_in_the_reader_to_everyone_answering_it(survey):
    async def body():
        app = app_for(survey)
        async with app.run_test(size=(110, 30)) as pilot:
            await pilot.press("R")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
            await pilot.press("]", "a")  # the second answer: "Is there anything else…?"
            await pilot.pause()
            assert isinstance(app.screen, AnswersScreen)
            assert str(app.screen.query_one("#answers-title").render()).startswith("q17 · Is there anything else")
            await pilot.press("enter")  # back to the respondent
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)

    run(body())


def test_answers_screen_without_a_survey_says_so(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("B")
            await pilot.pause()
            assert "No survey questions" in str(app.screen.query_one("#answers-title").render())
            await pilot.press("R", "a")
            await pilot.pause()
            assert any("Not a survey answer" in n for n in notices(app))

    run(body())


def test_a_selection_maps_back_to_each_answer_exactly(survey):
    from coding import answers as A
    from research_tui.widgets.answer_doc import build_answer_doc

    question = A.find_question(survey, "q15")
    found = A.answers(survey, question)
    built = build_answer_doc(question.label(), found, {}, [], {})
    text = built.doc.text
    second = text.index("The password rules")
    pieces = built.to_source(text.index("official names"), second + len("The password rules"))
    assert [survey.source_text(sid)[a:b] for sid, a, b in pieces] == [
        "official names, not what people call them.", "The password rules"]
    assert built.answer_at(second).text.startswith("The password rules")


def test_the_quotes_list_shows_the_question_of_a_survey_answer(survey):
    from coding.queries import filter_quotes
    from research_tui.widgets.quote_list import QuoteList
    from tests.tui.conftest import settle

    source = next(s for s in survey.sources() if "Finding the right clinic" in survey.source_text(s.id))
    start, end = _span(survey.source_text(source.id), "The search only knew the official names")
    add_coding(survey, source.id, start, end, find_code(survey, "Pain point").id)
    assert [q.question for q in filter_quotes(survey)] == [f"q15 · {HARDEST}"]

    async def body():
        app = app_for(survey)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("Q")
            await settle(app, pilot)
            quotes = app.screen.query_one(QuoteList)
            assert [quotes.render_line(y).text.rstrip() for y in range(3)][1:] == [
                f"  q15 · {HARDEST}", "  The search only knew the official names"]

    run(body())


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_home_shows_the_question_behind_a_participants_short_attribute_key(survey):
    async def body():
        app = app_for(survey)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            panel = app.screen.query_one("#person")
            assert not panel.display  # the sources table has focus: nothing about a participant
            await pilot.press("tab", "down")  # the participants table, its second row
            await pilot.pause()
            people = app.screen.query_one("#people")
            assert "q10=Monthly" in people.get_row_at(1)[2]  # the table keeps the short key
            shown = str(panel.render())
            assert panel.display and shown.startswith("114523987652 (surveymonkey_booking_app)  participant")
            assert "q10 · How often do you use the booking app?\n  Monthly" in shown
            await pilot.press("shift+tab")
            await pilot.pause()
            assert not panel.display

    run(body())
