"""With the study anonymized, the studio shows sources by neutral id and no name in recent activity."""

from __future__ import annotations

from coding.sources import set_source_memo
from research_tui.widgets.quote_list import QuoteList
from tests.tui.conftest import app_for, code_quotes, run, settle, source_id


def test_sources_are_neutral_ids_in_home_quotes_and_reader(study):
    code_quotes(study)
    set_source_memo(study, source_id(study, "clinic_visit"), "Aisha asked to stop the recording")
    study.set_anonymize(True)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(app, pilot)
            sources = app.screen.query_one("#sources")
            assert [sources.get_row_at(i)[0] for i in range(sources.row_count)] == ["S01", "S02", "S03"]
            people = app.screen.query_one("#people")
            assert "Aisha Khan" not in {people.get_row_at(i)[0] for i in range(people.row_count)}
            activity = str(app.screen.query_one("#activity").render())
            assert "memo on source 'S01'" in activity and "clinic_visit" not in activity

            await pilot.press("Q")
            await settle(app, pilot)
            quotes = app.screen.query_one(QuoteList)
            assert {q.source_title for q in quotes.quotes} == {"S01", "S02"}

            await pilot.press("R")
            await settle(app, pilot)
            title = str(app.screen.query_one("#reader-title").render())
            assert title.startswith("S0") and "clinic_visit" not in title

    run(body())
