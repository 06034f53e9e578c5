"""The reader's suggestions: computed in a worker, shown on uncoded text, accepted or rejected with one key."""

from __future__ import annotations

from textual.widgets import Static

from coding.codebook import get_code
from coding.codings import list_codings
from coding.nlp import suggest as S
from research_tui.screens.reader import ReaderScreen
from tests.nlp.test_suggest import WAIT, coded  # noqa: F401  (the fixture)
from tests.tui.conftest import app_for, run


async def _reader_on(app, pilot, store, title: str) -> ReaderScreen:
    await pilot.pause()
    await pilot.press("R")
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    screen.show(next(s.id for s in store.sources() if s.title == title))
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def test_accept_one_suggestion_then_reject_one_and_undo(coded):  # noqa: F811
    expected = {q.candidate.id: q for q in S.suggest(coded) if q.candidate.text in WAIT}

    async def body():
        app = app_for(coded)
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await _reader_on(app, pilot, coded, "interview_3")
            panel = str(screen.query_one("#suggested", Static).render())
            assert "in this source" in panel
            await pilot.press("w")                       # the first suggestion: the first waiting quote
            await pilot.pause()
            here = screen.suggestion_here()
            assert here is not None and here.candidate.id in expected
            assert screen.view.selection == (here.candidate.start, here.candidate.end)
            assert "Waiting" in str(screen.query_one("#suggested", Static).render())
            await pilot.press("y")
            await pilot.pause()
            if len(here.codes) > 1:                      # several codes: pick "All"
                await pilot.press("enter")
                await pilot.pause()
            accepted = list_codings(coded, origin="suggestion")
            assert {(c.char_start, c.char_end) for c in accepted} == {(here.candidate.start, here.candidate.end)}
            assert "Waiting" in {get_code(coded, c.code_id).name for c in accepted}
            assert all(c.coder == "ana" for c in accepted)
            await app.workers.wait_for_complete()
            await pilot.pause()

            await pilot.press("w")                       # the next one
            await pilot.pause()
            other = screen.suggestion_here()
            assert other is not None and other.candidate.id != here.candidate.id and other.codes
            await pilot.press("r")
            await pilot.pause()
            if len(other.codes) > 1:
                await pilot.press("enter")
                await pilot.pause()
            rows = coded.db.execute("SELECT char_start, char_end, coder FROM suggestion_rejections").fetchall()
            assert rows and {(a, b) for a, b, _ in rows} == {(other.candidate.start, other.candidate.end)}
            assert {r[2] for r in rows} == {"ana"}
            await pilot.press("ctrl+z")                  # undo the rejection
            await pilot.pause()
            assert coded.db.execute("SELECT count(*) FROM suggestion_rejections").fetchone()[0] == 0

    run(body())


def test_accept_every_suggestion_in_the_source_after_confirming(coded):  # noqa: F811
    held = next(s.id for s in coded.sources() if s.title == "interview_3")
    n = sum(len(q.codes) for q in S.suggest(coded, source_id=held, at_least=S.SHOWN_AT_LEAST))  # as shown there

    async def body():
        app = app_for(coded)
        async with app.run_test(size=(140, 45)) as pilot:
            await _reader_on(app, pilot, coded, "interview_3")
            await pilot.press("Y")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert len(list_codings(coded, origin="suggestion")) == n > 0
            assert {c.source_id for c in list_codings(coded, origin="suggestion")} == {held}

    run(body())


def test_suggestions_show_in_a_studio_on_a_read_only_study(coded, monkeypatch):  # noqa: F811
    """The worker reads the study as the studio does: a read-only study still gets its suggestions."""
    from coding.study import Store, studyfile
    from tests.tui.conftest import errors

    expected = {q.candidate.start for q in S.suggest(coded) if q.candidate.text in WAIT}
    monkeypatch.setattr(studyfile, "writable", lambda p: False)  # what a read-only file says (root ignores it)
    read_only = Store.open(coded.path, read_only=True)

    async def body():
        app = app_for(read_only)
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await _reader_on(app, pilot, read_only, "interview_3")
            assert errors(app) == []
            assert "in this source" in str(screen.query_one("#suggested", Static).render())
            await pilot.press("w")
            await pilot.pause()
            here = screen.suggestion_here()
            assert here is not None and here.candidate.start in expected

    run(body())
    read_only.close()
