"""The Clusters screen: cluster in a worker, rename, mark, code a cluster (undoable), open a quote."""

from __future__ import annotations

from textual.widgets import OptionList

from coding.codebook import find_code, list_codes
from coding.codings import list_codings
from coding.nlp.cluster import load_run, select
from research_tui.screens.clusters import ClustersScreen
from research_tui.screens.reader import ReaderScreen

from .conftest import app_for, errors, run


async def _settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def test_cluster_rename_mark_code_undo_and_open(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.press("K")
            await _settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, ClustersScreen) and not errors(app)
            saved = load_run(study)
            assert saved is not None and saved.scope == "uncoded" and saved.k >= 2
            listing = screen.query_one("#clusters-list", OptionList)
            assert listing.option_count == saved.k
            assert sorted(q.id for c in saved.clusters for q in c.quotes) == sorted(q.id for q in select(study,
                                                                                                      "uncoded"))
            # rename the first cluster
            await pilot.press("e", "ctrl+u", *"Waiting around", "enter")
            await pilot.pause()
            assert load_run(study).clusters[0].label == "Waiting around"
            assert "Waiting around" in str(listing.get_option_at_index(0).prompt)
            # mark two quotes of the first cluster, code them as a new theme: one undoable change
            first = load_run(study).clusters[0]
            assert first.size >= 2
            await pilot.press("tab", "space", "space")
            assert screen.marked == {first.quotes[0].id, first.quotes[1].id}
            await pilot.press("c", *"theme:Delays", "enter", "y")
            await pilot.pause()
            code = find_code(study, "Delays")
            coded = {(c.source_id, c.char_start, c.char_end) for c in list_codings(study, code=code.id)}
            assert coded == {(q.source_id, q.start, q.end) for q in first.quotes[:2]}
            assert {c.origin for c in list_codings(study, code=code.id)} == {"suggestion"}
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert not list_codings(study, kind="theme") and all(c.name != "Delays" for c in list_codes(study))
            # nothing marked now: c codes the whole cluster with an existing code
            await pilot.press("c", *"Awareness", "enter")
            await pilot.pause()
            assert len(list_codings(study, code="Awareness")) == first.size
            log = [(a.id, a.state) for a in study.history(5)]
            await pilot.press("c", *"Awareness", "enter")                 # again: nothing to do, nothing logged
            await pilot.pause()
            assert [(a.id, a.state) for a in study.history(5)] == log
            assert "all have Awareness already; nothing changed" in list(app._notifications)[-1].message
            # enter on a quote opens it in the reader, selected
            quote = screen._quote()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
            assert app.screen.source_id == quote.source_id
            assert app.screen.view.selection == (quote.start, quote.end)

    run(body())


def test_scope_and_number_rerun_in_the_worker(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.press("K")
            await _settle(app, pilot)
            await pilot.press("n", *"2", "enter")
            await _settle(app, pilot)
            assert load_run(study).k == 2 and not load_run(study).k_chosen
            await pilot.press("s", *"segment = NHS", "enter")
            await _settle(app, pilot)
            saved = load_run(study)
            assert saved.scope == "attr:segment=NHS"
            names = {study.participant(q.participant_id).name for c in saved.clusters for q in c.quotes}
            assert names == {"Aisha Khan", "Mei Chen"}
            await pilot.press("n", *"x", "enter")
            await pilot.pause()
            assert errors(app)

    run(body())


def test_a_read_only_study_is_clustered_on_screen_and_never_written(study, monkeypatch):
    """A studio on a study it may not write (a shared read-only file): the worker reads it too, the run
    and a rename live on the screen, the file stays byte for byte as it was."""
    from coding.study import Store, studyfile

    path = study.path
    study.close()
    before = path.read_bytes()
    monkeypatch.setattr(studyfile, "writable", lambda p: False)  # what a read-only file says (root ignores it)
    read_only = Store.open(path, read_only=True)

    async def body():
        app = app_for(read_only)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.press("K")
            await _settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, ClustersScreen) and not errors(app)
            listing = screen.query_one("#clusters-list", OptionList)
            assert screen.run is not None and listing.option_count == screen.run.k >= 2
            assert sorted((q.source_id, q.start, q.end) for c in screen.run.clusters for q in c.quotes) == \
                sorted((q.source_id, q.start, q.end) for q in select(read_only, "uncoded"))
            await pilot.press("e", "ctrl+u", *"Waiting around", "enter")
            await pilot.pause()
            assert not errors(app) and "Waiting around" in str(listing.get_option_at_index(0).prompt)

    run(body())
    read_only.close()
    assert path.read_bytes() == before
    with Store.open(path, read_only=True) as store:
        assert load_run(store) is None
