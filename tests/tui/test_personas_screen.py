"""The Personas screen and the Journey screen's persona and to-be keys, driven with Pilot on the demo study;
every assertion is about what the Store holds afterwards."""

from __future__ import annotations

from textual.widgets import OptionList, Static, TextArea

from coding import personas as P
from coding import stageplans as S
from research_tui.screens.journey import JourneyScreen
from research_tui.screens.personas import PersonasScreen
from research_tui.screens.quotes import QuotesScreen
from research_tui.screens.stageplan import StagePlanDialog

from .conftest import app_for, errors, run, until


async def open_personas(app, pilot) -> PersonasScreen:
    await pilot.press("P")
    await until(pilot, lambda: isinstance(app.screen, PersonasScreen) and app.screen.loaded is not None, seconds=60)
    return app.screen


def test_personas_screen_shows_the_drafts_and_the_people(demo):
    async def body():
        app = app_for(demo)
        async with app.run_test(size=(150, 45)) as pilot:
            screen = await open_personas(app, pilot)
            listed = screen.query_one("#persona-list", OptionList)
            assert listed.option_count == 3
            assert str(listed.get_option_at_index(0).prompt).startswith("1. Short on time · 6 · ")
            people = screen.query_one("#persona-people", OptionList)
            short = P.find_persona(demo, "Short on time")
            assert people.option_count == len(short.participant_ids)
            detail = str(screen.query_one("#persona-detail", Static).render())
            assert "Needs that set them apart" in detail and "× the others" in detail and "Fast access" in detail
            await pilot.press("enter")                              # into the people list
            assert app.focused is people
            await pilot.press("enter")                              # their quotes
            await until(pilot, lambda: isinstance(app.screen, QuotesScreen))
            assert app.screen.filter.participant_id == short.participant_ids[0]

    run(body())


def test_rename_move_and_undo_from_the_screen(demo):
    async def body():
        app = app_for(demo)
        async with app.run_test(size=(150, 45)) as pilot:
            screen = await open_personas(app, pilot)
            await pilot.press("n", "ctrl+u", *"Busy workers", "enter")
            await until(pilot, lambda: P.personas(demo)[0].name == "Busy workers")
            await pilot.press("enter", "down")                      # the second person of the first persona
            moved = P.personas(demo)[0].participant_ids[1]
            await pilot.press("m", *"Needs a", "enter")
            await until(pilot, lambda: P.persona_of(demo, moved).name == "Needs a person")
            await until(pilot, lambda: screen.query_one("#persona-people", OptionList).option_count == 5)
            await pilot.press("ctrl+z")
            await until(pilot, lambda: P.persona_of(demo, moved).name == "Busy workers")
            await pilot.press("ctrl+z")
            await until(pilot, lambda: P.personas(demo)[0].name == "Short on time")
            assert errors(app) == []

    run(body())


def test_draft_again_keeps_who_stays_and_undo_brings_them_back(demo):
    async def body():
        app = app_for(demo)
        before = [(p.id, p.name, p.description) for p in P.personas(demo)]
        async with app.run_test(size=(150, 45)) as pilot:
            await open_personas(app, pilot)
            await pilot.press("d", "y")
            await until(pilot, lambda: demo.history(1)[0].summary
                        == "drafted 3 personas (k = 3); kept 3 whose members mostly stay", seconds=60)
            assert [(p.id, p.name, p.description) for p in P.personas(demo)] == before   # names, numbers, edits
            await pilot.press("k", "ctrl+u", "5", "enter", "y")         # five: the working-age six split 3 / 3
            await until(pilot, lambda: len(P.personas(demo)) == 5, seconds=60)
            assert [p.name for p in P.personas(demo)][1:3] == ["Needs a person", "Frightened first-timer"]
            assert "Short on time" not in {p.name for p in P.personas(demo)}
            await pilot.press("ctrl+z", "ctrl+z")
            await until(pilot, lambda: [p.name for p in P.personas(demo)] == [
                "Short on time", "Needs a person", "Frightened first-timer"])

    run(body())


def test_journey_to_be_dialog_and_persona_scope(demo):
    async def body():
        app = app_for(demo)
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.press("J")
            await until(pilot, lambda: isinstance(app.screen, JourneyScreen) and app.screen.journey is not None,
                        seconds=60)
            screen = app.screen
            grid = str(screen.query_one("#journey-map", Static).render())
            assert "To be" in grid and "KPIs" in grid
            await pilot.press("t", *"Scan day", "enter")
            await until(pilot, lambda: isinstance(app.screen, StagePlanDialog))
            dialog = app.screen
            dialog.query_one("#to-be", TextArea).text = "Every radiographer counts patients down"
            dialog.query_one("#kpis", TextArea).text = "Scans stopped early=6%->2%|radiographers' log\n=bad"
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, StagePlanDialog) and "KPI line 2" in errors(app)[-1]
            dialog.query_one("#kpis", TextArea).text = "Scans stopped early=6%->2%\nbad kpi"
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, StagePlanDialog)
            assert "KPI line 2: a KPI is NAME=CURRENT->TARGET" in errors(app)[-1]
            dialog.query_one("#kpis", TextArea).text = "Scans stopped early=6%->2%|radiographers' log"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: S.stage_plan(demo, "Scan day").to_be.startswith("Every radiographer"))
            plan = S.stage_plan(demo, "Scan day")
            assert plan.kpis == (S.KPI("Scans stopped early", "radiographers' log", "6%", "2%"),)
            await pilot.press("p", *"Frightened", "enter")
            persona = P.find_persona(demo, "Frightened first-timer")
            await until(pilot, lambda: screen.journey is not None and screen.journey.segment == (
                "persona", "Frightened first-timer"), seconds=30)
            assert {p.id for p in screen.journey.participants} == set(persona.participant_ids)
            await pilot.press("ctrl+z")                            # the plan goes
            await until(pilot, lambda: S.stage_plan(demo, "Scan day").empty)

    run(body())
