"""App-wide: screens, help and the key map, command palette, settings, theme, import, worker errors."""

from __future__ import annotations

import pytest

from coding.codebook import add_code
from coding.codings import add_coding, list_codings
from coding.importing import import_transcripts
from coding.people import find_participant, rename_participant, set_participant_attribute
from research_tui.keymap import all_bindings
from research_tui.screens.help import HelpScreen
from research_tui.screens.home import HomeScreen
from research_tui.screens.importer import ImportDialog
from research_tui.screens.picker import CodePicker
from research_tui.settings import Settings, SettingsError
from tests.tui.conftest import app_for, errors, notices, run, settle


def test_all_bindings_have_keys_and_descriptions_for_every_screen():
    rows = all_bindings()
    screens = {screen for screen, _, _ in rows}
    assert {"app", "home", "reader", "codebook", "quotes", "help"} <= screens
    assert all(key and description for _, key, description in rows)
    assert ("app", "ctrl+z", "Undo") in rows and ("reader", "c", "Code") in rows
    assert ("reader", "]", "Next turn") in rows and ("quotes", "/", "Search") in rows
    assert ("reader", "space", "Code") in all_bindings({"reader.code": "space"})


def test_every_declared_binding_has_an_id():
    from research_tui.keymap import binding_specs

    missing = [(screen, key) for screen, key, _, ident in binding_specs() if not ident]
    assert missing == []
    ids = [ident for *_, ident in binding_specs()]
    assert len(ids) == len(set(ids)), "binding ids are unique"


def test_switch_screens_and_help(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            for key, name in [("R", "ReaderScreen"), ("C", "CodebookScreen"), ("Q", "QuotesScreen"),
                              ("H", "HomeScreen")]:
                await pilot.press(key)
                await settle(app, pilot)
                assert type(app.screen).__name__ == name
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("C")                       # screen keys wait while help is open
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, HomeScreen)

    run(body())


def test_journey_and_export_say_when_they_are_missing_or_open(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("J")
            await pilot.pause()
            await pilot.press("E")
            await pilot.pause()
            # either the other engineer's screens opened, or a clear note said they are not there yet
            assert not errors(app), errors(app)

    run(body())


def test_palette_lists_the_bindings_of_the_current_screen(study):
    async def body():
        from research_tui.palette import BindingCommands

        app = app_for(study)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("R")
            await pilot.pause()
            provider = BindingCommands(app.screen)
            names = [name for name, _, _ in provider._commands()]
            assert {"Code", "Undo", "Memo", "Next sentence", "Home"} <= set(names)
            run_code = next(cmd for name, _, cmd in provider._commands() if name == "Code")
            await run_code()
            await pilot.pause()
            assert isinstance(app.screen, CodePicker)

    run(body())


def test_keys_are_remapped_from_the_settings(study):
    async def body():
        app = app_for(study, keys={"reader.code": "space", "nope.binding": "z"})
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("R")
            await pilot.pause()
            await pilot.press("space")
            await pilot.pause()
            assert isinstance(app.screen, CodePicker)
            assert any("unknown binding id 'nope.binding'" in n for n in notices(app))

    run(body())


def test_theme_from_settings_and_toggle(study):
    async def body():
        app = app_for(study, theme="light")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert app.theme == "textual-light"
            await pilot.press("ctrl+t")
            assert app.theme == "textual-dark"

    run(body())


def test_undo_with_nothing_to_undo_says_so(study):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("ctrl+z", "ctrl+y")
            await pilot.pause()
            assert "Nothing to undo" in notices(app) and "Nothing to redo" in notices(app)

    run(body())


def test_import_files_from_the_home_screen(study, tmp_path):
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "interview_9.txt").write_text("Interviewer: Hello?\nPriya: The parking was impossible.\n")
    (folder / "broken.docx").write_bytes(b"not a docx")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, ImportDialog)
            await pilot.press(*str(folder / "*"), "enter")
            await settle(app, pilot)
            titles = [s.title for s in study.sources()]
            assert len(titles) == 4 and any("interview_9" in t for t in titles)
            report = str(app.screen.query_one("#report").render())
            assert "broken.docx" in report
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert app.screen.query_one("#sources").row_count == 4

    run(body())


def test_participants_sheet_from_the_import_dialog(study, tmp_path):
    """A sheet on its own adds attributes; with transcripts it comes in the same transaction."""
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,segment,region\nAisha Khan,Repeat,North\nPriya,First,South\n")
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "interview_9.txt").write_text("Interviewer: Hello?\nPriya: The parking was impossible.\n")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("i", "tab", *str(sheet), "enter")
            await settle(app, pilot)
            people = {p.name: p.attributes for p in study.participants()}
            assert people["Aisha Khan"]["region"] == "North" and people["Aisha Khan"]["segment"] == "Repeat"
            assert len(study.sources()) == 3
            await pilot.press("shift+tab", *str(folder / "*.txt"), "enter")
            await settle(app, pilot)
            people = {p.name: p.attributes for p in study.participants()}
            assert people["Priya"] == {"segment": "First", "region": "South"}
            assert not errors(app)
            await pilot.press("escape")
            await pilot.pause()
            rows = app.screen.query_one("#people")
            assert rows.row_count == len(study.participants())

    run(body())


def test_survey_csv_import_shows_the_columns_it_guessed(study, tmp_path):
    survey = tmp_path / "survey.csv"
    survey.write_text("respondent,age band,What was hardest about booking?\n"
                      "R1,18-34,Nobody answered the phone for three days and I gave up twice.\n"
                      "R2,55+,The letter said one date and the text message said another one.\n")

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("i", *str(survey), "enter")
            await settle(app, pilot)
            report = str(app.screen.query_one("#report").render())
            assert "survey.csv: survey: id column 'respondent'" in report
            assert {"R1", "R2"} <= {s.title for s in study.sources()}

    run(body())


def test_a_bad_participants_sheet_changes_nothing(study, tmp_path):
    sheet = tmp_path / "people.csv"
    sheet.write_text("segment,region\nRepeat,North\n")  # no name column

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            before = [(p.name, p.attributes) for p in study.participants()]
            await pilot.press("i", "tab", *str(sheet), "enter")
            await settle(app, pilot)
            assert any("people.csv" in e for e in errors(app))
            assert [(p.name, p.attributes) for p in study.participants()] == before

    run(body())


def test_import_of_a_missing_path_is_an_error_and_changes_nothing(study, tmp_path):
    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("i", *str(tmp_path / "nothing-here.txt"), "enter")
            await settle(app, pilot)
            assert any("no such file or folder" in e for e in errors(app))
            assert len(study.sources()) == 3

    run(body())


# -- settings ------------------------------------------------------------------------------------
def test_settings_defaults_and_file(tmp_path, monkeypatch):
    assert Settings.for_tests() == Settings()
    path = tmp_path / "settings.toml"
    path.write_text('theme = "light"\ncoder = "Sam"\npinned = ["Anxious"]\ncolour = 1\n'
                    '[keys]\n"reader.code" = "space"\n')
    monkeypatch.setenv("RESEARCH_TUI_SETTINGS", str(path))
    s = Settings.load()
    assert (s.theme, s.textual_theme, s.coder, s.pinned, s.keys) == (
        "light", "textual-light", "Sam", ["Anxious"], {"reader.code": "space"})
    assert s.warnings == [f"{path}: unknown setting 'colour' ignored"]
    assert Settings.load(tmp_path / "missing.toml") == Settings()


def test_settings_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("theme = \n")
    with pytest.raises(SettingsError, match="bad.toml.*invalid TOML"):
        Settings.load(bad)
    bad.write_text("pinned = 3\n")
    with pytest.raises(SettingsError, match="bad.toml.*'pinned' must be a list"):
        Settings.load(bad)


def test_coder_from_settings_signs_codings(study):
    from coding.study import default_coder

    study.coder = default_coder()

    async def body():
        app = app_for(study, coder="Sam")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("R")
            await pilot.pause()
            await pilot.press("j", "1")
            await pilot.pause()
            assert list_codings(study)[0].coder == "Sam"

    run(body())


def test_participants_rename_role_attribute_and_merge_from_home(study):
    """Participants table: n renames, r sets the role, a sets an attribute, m merges; ctrl+z undoes."""
    names = [p.name for p in study.participants()]  # Interviewer, Aisha Khan, George Wilson, Mei Chen

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("n")                          # the sources table has focus: a hint, no dialog
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen) and app.screen.focused.id == "people"
            await pilot.press("down", "down")               # George Wilson
            await pilot.press("n", "end", *" (results)", "enter")  # the dialog starts with his name
            await pilot.pause()
            george = study.participant(find_participant(study, "George Wilson (results)").id)
            await pilot.press("a", *"region=West", "enter")
            await pilot.pause()
            assert study.participant(george.id).attributes["region"] == "West"
            await pilot.press("r", *"moderator", "enter")
            await pilot.pause()
            assert study.participant(george.id).pseudonym == "M01"
            await pilot.press("m", *"Aisha", "enter", "y")  # merge George into Aisha, confirm
            await pilot.pause()
            assert [p.name for p in study.participants()] == [names[0], "Aisha Khan", "Mei Chen"]
            assert app.screen.query_one("#people").row_count == 3
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert [p.name for p in study.participants()] == [names[0], "Aisha Khan", "George Wilson (results)",
                                                               "Mei Chen"]
            assert not errors(app)

    run(body())


def test_brackets_in_titles_names_and_codes_are_text_not_markup(study):
    """'[/]' or '[draft]' in a file name, a participant or a code must show as typed, never crash a screen."""
    from tests.tui.conftest import transcript

    import_transcripts(study, [transcript("notes [draft]", [("Interviewer", 0, "Hi there?"),
                                                           ("Bo", 1000, "I said [bold]no[/bold] and [/] left.")])])
    rename_participant(study, "Mei Chen", "Mei [/] Chen")
    set_participant_attribute(study, "Bo", "segment", "[A]")
    code = add_code(study, "[Legacy] Wait [/]", kind="theme")
    source = next(s for s in study.sources() if s.title == "notes [draft]")
    turn = study.utterances(source.id)[1]
    add_coding(study, source.id, turn.char_start, turn.char_end, code.id)

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            sources, people = app.screen.query_one("#sources"), app.screen.query_one("#people")
            assert "notes [draft]" in [str(sources.get_row_at(i)[0]) for i in range(sources.row_count)]
            cells = [[str(c) for c in people.get_row_at(i)] for i in range(people.row_count)]
            assert ["Mei [/] Chen", "participant"] == cells[3][:2] and "segment=[A]" in cells[-1][2]
            for key in ("C", "Q", "J", "R", "question_mark", "escape", "H"):
                await pilot.press(key)
                await settle(app, pilot)
            app.notify("coded as [Legacy] Wait [/]")
            await pilot.pause()
            assert not errors(app)

    run(body())
