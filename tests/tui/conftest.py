"""A small study for the studio's tests: three sources, an interviewer, participants with segments.

Tests press keys in the running app (Pilot) and then ask the Store what was saved. pytest-asyncio is
optional: tests are plain functions that call `run(...)` on an async body.
"""

from __future__ import annotations

import asyncio

import pytest

from coding.codebook import find_code, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.models import Transcript, Utterance
from coding.study import Store
from research_tui.app import make_app
from research_tui.settings import Settings

CLINIC = [
    ("Interviewer", 0, "How did you first hear about the clinic?"),
    ("Aisha Khan", 4000, "My GP referred me. I was nervous about it. Nobody told me how long it would take."),
    ("Interviewer", 15000, "And the waiting room?"),
    ("Aisha Khan", 19000, "I waited three hours in the waiting room. It was awful. The staff were kind though."),
]
RESULTS = [
    ("Interviewer", None, "Tell me about getting the results."),
    ("George Wilson", None, "The results letter was full of jargon. I was confused. I rang the helpline twice."),
    ("Interviewer", None, "What would have helped?"),
    ("George Wilson", None, "A phone call from a nurse. Someone to explain it in plain words."),
]
FOLLOW_UP = [
    ("Interviewer", None, "Anything else?"),
    ("Mei Chen", None, "The app was easy. I booked online in two minutes. I felt in control."),
]


def transcript(title: str, turns: list[tuple[str, int | None, str]]) -> Transcript:
    """`Speaker: words` lines with exact offsets (and times when given)."""
    text, utterances = "", []
    for speaker, ms, words in turns:
        prefix = f"{speaker}: "
        start = len(text) + len(prefix)
        text += prefix + words + "\n"
        utterances.append(Utterance(speaker, start, start + len(words), ms, None if ms is None else ms + 3000))
    return Transcript(title=title, filename=f"{title}.txt", format="text", text=text, utterances=utterances,
                      roles={"Interviewer": "interviewer"})


def make_study(path) -> Store:
    store = new_study(path, coder="tester", name="Clinic study")
    import_transcripts(
        store, [transcript("clinic_visit", CLINIC), transcript("results", RESULTS), transcript("follow_up", FOLLOW_UP)],
        participant_rows=[
            {"name": "Aisha Khan", "segment": "NHS", "age_band": "35-54"},
            {"name": "George Wilson", "segment": "Private", "age_band": "75+"},
            {"name": "Mei Chen", "segment": "NHS", "age_band": "18-34"},
        ],
    )
    return store


@pytest.fixture
def study(tmp_path) -> Store:
    store = make_study(tmp_path / "s.rtui")
    yield store
    store.close()


@pytest.fixture(autouse=True)
def _no_user_settings(tmp_path, monkeypatch):
    """Never read the developer's own settings file."""
    monkeypatch.setenv("RESEARCH_TUI_SETTINGS", str(tmp_path / "no-settings.toml"))


def run(body) -> None:
    """Run an async test body (works with or without pytest-asyncio installed)."""
    asyncio.run(body)


def app_for(store: Store, **settings):
    return make_app(store, Settings.for_tests(**settings))


def span(store: Store, title: str, words: str) -> tuple[int, int, int]:
    """(source_id, start, end) of the only occurrence of `words` in a source."""
    source = next(s for s in store.sources() if s.title == title)
    start = source.text.index(words)
    assert source.text.find(words, start + 1) == -1
    return source.id, start, start + len(words)


def source_id(store: Store, title: str) -> int:
    return next(s.id for s in store.sources() if s.title == title)


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def burst(app, *keys: str) -> None:
    """Send keys the way a fast typist's terminal does: all at once, nothing handled in between
    (Pilot's `press` waits for the app to go idle after every key)."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    for key in keys:  # the same events as Pilot's press
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def until(pilot, condition, *, seconds: float = 10.0) -> None:
    """Wait (pausing, never sleeping blindly) until `condition()` holds; fail after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), "condition never held"


async def settle(app, pilot) -> None:
    """Let our workers finish and the screen catch up (a DirectoryTree's loader never finishes)."""
    for _ in range(200):  # typed text waits for a pause before it filters (up to 10 s on a loaded machine)
        if not getattr(app.screen, "search_pending", False):
            break
        await pilot.pause(0.05)
    ours = [w for w in app.workers if w.group in ("import", "quotes")]
    if ours:  # an empty list would mean "every worker"
        await app.workers.wait_for_complete(ours)
    await pilot.pause()




CODED_QUOTES = [  # Aisha (NHS) three, George (Private) two; 'awful' overlaps Frustrated and Pain point
    ("clinic_visit", "I was nervous about it.", "Anxious"),
    ("clinic_visit", "I waited three hours in the waiting room. It was awful.", "Pain point"),
    ("clinic_visit", "It was awful.", "Frustrated"),
    ("results", "The results letter was full of jargon.", "Pain point"),
    ("results", "I was confused.", "Confused"),
]


def code_quotes(store: Store, extra: list[tuple[str, str, str]] = ()) -> Store:
    """Code CODED_QUOTES (and `extra`) in the small study."""
    for title, words, code in [*CODED_QUOTES, *extra]:
        sid, a, b = span(store, title, words)
        add_coding(store, sid, a, b, find_code(store, code).id)
    return store
