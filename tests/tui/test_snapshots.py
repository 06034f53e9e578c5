"""Snapshots of the key screens at a fixed size, with fixed timestamps (`--snapshot-update` to renew)."""

from __future__ import annotations

import pytest

from coding.codebook import find_code
from coding.codings import add_coding
from tests.tui.conftest import app_for, span


@pytest.fixture
def coded(study):
    for title, words, code in [
        ("clinic_visit", "I was nervous about it.", "Anxious"),
        ("clinic_visit", "I waited three hours in the waiting room. It was awful.", "Pain point"),
        ("clinic_visit", "It was awful.", "Frustrated"),
        ("results", "The results letter was full of jargon.", "Pain point"),
    ]:
        sid, a, b = span(study, title, words)
        add_coding(study, sid, a, b, find_code(study, code).id)
    # the home screen shows when things happened: freeze it (test data only)
    study.db.execute("UPDATE actions SET at = '2025-03-01T10:00:00+00:00'")
    return study


def test_home(coded, snap_compare):
    assert snap_compare(app_for(coded), terminal_size=(100, 30))


def _pressing(*keys):
    """Press keys, then wait for the workers they start (the reader's suggestions) before the picture."""
    async def run_before(pilot):
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return run_before


def test_reader_with_codes_and_a_trimmed_selection(coded, snap_compare):
    keys = ["enter", "j", "j", "shift+down", "h"]
    assert snap_compare(app_for(coded), terminal_size=(100, 30), run_before=_pressing(*keys))


def test_codebook(coded, snap_compare):
    assert snap_compare(app_for(coded), terminal_size=(100, 30), press=["C", "down", "down"])


def test_reader_small_and_light(coded, snap_compare):
    keys = ["enter", "right_square_bracket", "shift+down"]
    assert snap_compare(app_for(coded, theme="light"), terminal_size=(80, 24), run_before=_pressing(*keys))


def test_personas_screen_on_the_demo(tmp_path, snap_compare):
    from coding.study import Store
    from research_tui.demo import build_demo
    from research_tui.screens.personas import PersonasScreen

    build_demo(tmp_path / "demo.rtui").close()
    store = Store.open(tmp_path / "demo.rtui")

    async def wait_for_the_personas(pilot):
        await pilot.press("P")
        for _ in range(1200):  # describing loads scikit-learn in a worker: wait for it, never sleep blindly
            screen = pilot.app.screen
            if isinstance(screen, PersonasScreen) and screen.loaded is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(app_for(store), terminal_size=(120, 36), run_before=wait_for_the_personas)
    store.close()
