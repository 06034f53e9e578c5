"""The studio under change (issue 16 item 1): real CLI processes write the study again and again while the
studio goes through every screen; the session and the study both survive, and the screens show the latest.

The studio died here with "database disk image is malformed" / "file is not a database": its workers opened
and closed their own connections to the file, which dropped the studio's SQLite locks, so the CLI deleted the
-wal under it. Every writer below is a process of its own, as in a second terminal."""

from __future__ import annotations

import asyncio
import sys

from textual.widgets import OptionList, Static

from coding import personas as P
from coding.codebook import list_codes
from coding.codings import list_codings
from coding.people import find_participant
from coding.study import Store
from research_tui.screens.home import HomeScreen
from research_tui.screens.personas import PersonasScreen

from .conftest import app_for, errors, run, until

# every screen of the studio, by its key; the search field takes what is typed, escape leaves it
SCREENS = ["H", "R", "C", "Q", "S escape", "J", "X", "P", "K", "A", "R"]
SHOWN = {"HomeScreen", "ReaderScreen", "CodebookScreen", "QuotesScreen", "SearchScreen", "JourneyScreen",
         "MatrixScreen", "PersonasScreen", "ClustersScreen", "AgreementScreen"}
ROUNDS = 2
QUOTES = ["Relieved, I think, that somebody was taking it seriously.", "Go for it."]
VISITORS = ["Zoe Park", "Yusuf Ali", "Nina Berg"]


def writers(path, folder, round_: int) -> list[list[str]]:
    """One round of what a colleague in a second terminal does: every kind of write the CLI has."""
    extra = folder / f"extra_{round_}.txt"
    extra.write_text(f"Sam Reid: How was the car park, visit {round_}?\n"
                     f"{VISITORS[round_]}: The car park was full. I drove round for twenty minutes. I was late.\n")
    study = str(path)
    return [
        ["participants", study, "set", "Aisha Khan", f"round={round_}"],
        ["code", study, "interview_01_aisha", QUOTES[round_ % len(QUOTES)], "Relieved"],
        ["undo", study],
        ["import", study, str(extra)],
        ["turns", study, f"extra_{round_}", "split", "2", "I drove round"],
        ["turns", study, f"extra_{round_}", "not-speech", "1"],
        ["turns", study, f"extra_{round_}", "speaker", "2", "Aisha Khan"],
        ["personas", study, "rename", "1", f"Short on time {round_}"],
        ["code", study, f"extra_{round_}", "The car park was full.", "Frustrated"],
    ]


async def cli(argv: list[str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from research_tui.cli import main; sys.exit(main())",
        "--coder", "colleague", *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


def test_cli_writers_in_a_loop_while_the_studio_shows_every_screen(demo, tmp_path):
    path = demo.path

    async def body():
        app = app_for(demo)
        failed: list[str] = []
        keys = iter(SCREENS * 50)
        shown: set[str] = set()
        async with app.run_test(size=(140, 45)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            for round_ in range(ROUNDS):
                for argv in writers(path, tmp_path, round_):
                    proc = await cli(argv)
                    waiting = asyncio.ensure_future(proc.communicate())
                    while not waiting.done():                   # the researcher goes on working meanwhile
                        await pilot.press(*next(keys).split())
                        shown.add(type(app.screen).__name__)
                        app.check_outside_changes()             # what the studio's timer does every second
                        await pilot.pause(0.2)
                    _, err = waiting.result()
                    if proc.returncode:
                        failed.append(f"{argv[0]}: {err.decode().strip()}")
                    app.check_outside_changes()
                    assert app.is_running and app._exception is None, argv
            assert failed == []
            assert shown >= SHOWN
            assert errors(app) == []                            # nothing failed in the studio either

            # the session goes on: the screens show what the CLI wrote
            await pilot.press("H")
            app.check_outside_changes()
            head = app.screen.query_one("#home-title", Static)
            await until(pilot, lambda: f"{ROUNDS + 11} sources" in str(head.render()), seconds=30)
            await pilot.press("P")
            await until(pilot, lambda: isinstance(app.screen, PersonasScreen) and app.screen.loaded is not None
                        and app.screen.loaded.sketches[0].name == f"Short on time {ROUNDS - 1}", seconds=60)
            first = app.screen.query_one("#persona-list", OptionList).get_option_at_index(0)
            assert str(first.prompt).startswith(f"1. Short on time {ROUNDS - 1} · ")
            assert app.is_running and app._exception is None

    run(body())

    with Store.open(path) as store:                             # the study survived, with every change
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(store.sources()) == 11 + ROUNDS
        assert find_participant(store, "Aisha Khan").attributes["round"] == str(ROUNDS - 1)
        assert P.personas(store)[0].name == f"Short on time {ROUNDS - 1}"
        for round_ in range(ROUNDS):
            source = next(s for s in store.sources() if s.title == f"extra_{round_}")
            turns = store.utterances(source.id)
            assert [(store.participant(t.participant_id).name, t.not_speech) for t in turns] == [
                ("Sam Reid", True), ("Aisha Khan", False), (VISITORS[round_], False)]
            assert [store.coding_text(c) for c in list_codings(store, source_id=source.id)] == [
                "The car park was full."]
        relieved = {store.coding_text(c) for c in list_codings(store) if c.coder == "colleague"}
        assert not relieved & set(QUOTES)                       # each was undone


# the reader's three corrections in each round: who says turn 2, a split, a turn that is not speech
RECIPE_TURNS = [[("speaker", "2", "George Wilson"), ("split", "6", "You have to ring"), ("not-speech", "5")],
                [("speaker", "2", "Aisha Khan"), ("split", "13", "I didn't know if I was"), ("not-speech", "3")]]


def test_the_issue_recipe_drafting_personas_while_the_cli_writes(demo):
    """Issue 16's recipe, twice in one session: personas shown, the CLI sets an attribute, the studio drafts
    personas while the CLI codes, sets and undoes; home; then the reader open while the CLI reassigns,
    splits and hides its turns. The studio ended here (file is not a database / disk image is malformed,
    'Personas: drafting…' for ever); now every change shows and nothing is lost."""
    from research_tui.screens.reader import ReaderScreen
    from research_tui.widgets.transcript import TranscriptView

    path = str(demo.path)
    aisha = next(s for s in demo.sources() if s.title == "interview_01_aisha")
    turns_before = len(demo.utterances(aisha.id))

    async def wrote(*argv: str) -> None:
        proc = await cli(list(argv))
        _, err = await proc.communicate()
        assert proc.returncode == 0, f"{argv[0]}: {err.decode().strip()}"

    async def one_round(app, pilot, round_: int) -> None:
        await pilot.press("P")
        await until(pilot, lambda: isinstance(app.screen, PersonasScreen) and app.screen.loaded is not None,
                    seconds=60)
        head = app.screen.query_one("#personas-head", Static)
        await wrote("participants", path, "set", "Aisha Khan", f"y={round_}")
        await pilot.pause(1.5)                                  # the studio's timer sees it
        await pilot.press("d")
        if not isinstance(app.screen, PersonasScreen):          # "Draft personas again?"
            await pilot.press("y")
        # while it drafts: the CLI codes, sets, undoes (each a process of its own)
        await wrote("code", path, "interview_01_aisha", QUOTES[round_], "Relieved")
        await wrote("participants", path, "set", "George Wilson", f"z={round_}")
        await wrote("participants", path, "set", "Mei Chen", f"w={round_}")
        await wrote("undo", path)                               # Mei Chen's w goes again
        await until(pilot, lambda: "drafted with k" in str(head.render()), seconds=90)
        await pilot.press("H")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause(1.5)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen)
                    and app.screen.query_one(TranscriptView).doc is not None)
        reader = app.screen
        assert reader.source_id == aisha.id
        for argv in RECIPE_TURNS[round_]:
            await wrote("turns", path, "S01", *argv)
        await until(pilot, lambda: len(reader.query_one(TranscriptView).doc.turns) == turns_before + round_ + 1,
                    seconds=20)
        assert app.is_running and app._exception is None

    async def body():
        app = app_for(demo)
        async with app.run_test(size=(140, 45)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            for round_ in range(2):
                await one_round(app, pilot, round_)
            assert errors(app) == []

    run(body())

    with Store.open(demo.path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert find_participant(store, "Aisha Khan").attributes["y"] == "1"
        assert find_participant(store, "George Wilson").attributes["z"] == "1"
        assert "w" not in find_participant(store, "Mei Chen").attributes
        turns = store.utterances(aisha.id)
        assert len(turns) == turns_before + 2
        assert [n for n, t in enumerate(turns, 1) if t.not_speech] == [3, 5]
        assert store.participant(turns[1].participant_id).name == "Aisha Khan"
        coded = {store.coding_text(c) for c in list_codings(store, source_id=aisha.id) if c.coder == "colleague"}
        assert coded == set(QUOTES)
        assert P.personas(store)


class WriteLock:
    """Another program in the middle of a long write: it holds the study's write lock."""

    def __init__(self, path) -> None:
        import sqlite3

        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def recording(app) -> list[tuple[str, str]]:
    """Every (severity, message) the studio shows from now on (shown ones vanish after their timeout)."""
    said: list[tuple[str, str]] = []
    show = app.notify

    def notify(message, **kwargs):
        said.append((kwargs.get("severity", "information"), message))
        show(message, **kwargs)

    app.notify = notify
    return said


def test_a_screen_that_cannot_read_says_so_and_reads_again_when_it_can(demo):
    """SQLite refuses the studio's reading of the codebook (its authorizer: the engine's own error, as a
    damaged page or a lost disk would give): a warning, once, and the screen reads again when it can."""
    import sqlite3

    from research_tui.screens.codebook import CodebookScreen

    def no_codes(action, table, *_):
        return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_READ and table == "codes" else sqlite3.SQLITE_OK

    async def body():
        app = app_for(demo)
        said = recording(app)
        async with app.run_test(size=(140, 45)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            demo.db.conn.set_authorizer(no_codes)
            try:
                await pilot.press("C")                               # its first reading fails
                await until(pilot, lambda: any("Could not read the study" in m for _, m in said))
                await pilot.pause(2.5)                               # it tried again (1 s, then 2 s later)
                assert app.is_running and app._exception is None
            finally:
                demo.db.conn.set_authorizer(None)
            screen = app.screen
            assert isinstance(screen, CodebookScreen)
            await until(pilot, lambda: len(getattr(screen, "codes", {})) == len(list_codes(demo)), seconds=20)
            [warning] = [(severity, m) for severity, m in said if "Could not read" in m]   # once, not every time
            assert warning[0] == "warning" and "prohibited" in warning[1] and warning[1].endswith("trying again")

    run(body())


def test_drafting_that_fails_is_a_message_and_the_screen_says_so(demo, monkeypatch):
    from coding.study import studyfile

    monkeypatch.setattr(studyfile, "BUSY_TIMEOUT_S", 0.2)

    async def body():
        app = app_for(demo)
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("P")
            await until(pilot, lambda: isinstance(app.screen, PersonasScreen) and app.screen.loaded is not None,
                        seconds=60)
            head = app.screen.query_one("#personas-head", Static)
            lock = WriteLock(demo.path)
            try:
                await pilot.press("d", "y")                          # draft again? yes
                await until(pilot, lambda: errors(app), seconds=30)
                assert "another program is writing to the study" in errors(app)[0]
                await until(pilot, lambda: "could not read or draft" in str(head.render()))
            finally:
                lock.release()
            assert app.is_running and app._exception is None
            await pilot.press("d", "y")                              # and again, now that it can
            await until(pilot, lambda: "drafted with k" in str(head.render()), seconds=90)

    run(body())


def test_the_studio_exits_non_zero_when_it_ends_on_an_error(demo, monkeypatch, capsys):
    """A crash used to end with a traceback and exit status 0: scripts and shells took it for a normal end."""
    from textual.app import App

    from research_tui.app import StudioApp
    from research_tui.cli import main

    monkeypatch.setattr("research_tui.commands.study._on_a_terminal", lambda: True)
    monkeypatch.setattr(StudioApp, "run", lambda self, **kwargs: App.run(self, headless=True, size=(120, 40)))

    def a_bug(self):
        raise RuntimeError("a bug in the home screen")

    path = str(demo.path)
    monkeypatch.setattr(HomeScreen, "load_study", lambda self: self.set_timer(0.2, self.app.exit))  # quits
    assert main([path]) == 0
    monkeypatch.setattr(HomeScreen, "load_study", a_bug)
    assert main([path]) == 1
    assert "a bug in the home screen" in capsys.readouterr().err
