"""`codes add` takes several names in one undoable step; `codes describe` changes a description without a
rename (issue 16 item 5)."""

from __future__ import annotations

import json

from coding.codebook import list_codes
from coding.study import Store
from tests.cli.test_cli_safety import run, study  # noqa: F401  (the fixture)


def _codes(study, kind):  # noqa: F811
    with Store.open(study, read_only=True) as s:
        return [(c.name, c.description, c.valence) for c in list_codes(s, kind)]


def test_codes_add_takes_several_names_as_one_step(study, capsys):  # noqa: F811
    before = _codes(study, "emotion")
    code, out, err = run(capsys, "codes", study, "add", "Furious", "Livid", "--kind", "emotion", "--valence", "-2")
    assert code == 0, err
    assert out == "added emotion code 'Furious'\nadded emotion code 'Livid'\n"
    assert _codes(study, "emotion") == [*before, ("Furious", "", -2), ("Livid", "", -2)]
    history = run(capsys, "history", study, "--limit", "1")[1]
    assert "added 2 emotion codes: 'Furious', 'Livid'" in history
    assert run(capsys, "undo", study)[0] == 0                                    # one step takes both back
    assert _codes(study, "emotion") == before


def test_codes_add_is_all_or_nothing(study, capsys):  # noqa: F811
    before = _codes(study, "theme")
    for names, message in ((["Trust", "Waiting", "trust"], "'trust' is named twice; nothing was added"),
                           (["Costs", "Trust"], None)):
        if message is None:
            assert run(capsys, "codes", study, "add", "Trust", "--kind", "theme")[0] == 0
            before = _codes(study, "theme")
            message = "a theme code named 'Trust' already exists; nothing was added"
        code, out, err = run(capsys, "codes", study, "add", *names, "--kind", "theme")
        assert (code, out, err) == (1, "", f"research-tui: error: {message}\n")
        assert _codes(study, "theme") == before
    code, _, err = run(capsys, "codes", study, "add", "--kind", "theme")
    assert code == 1 and "codes add takes one or more names" in err


def test_codes_describe_changes_the_description_alone(study, capsys):  # noqa: F811
    code, out, err = run(capsys, "codes", study, "describe", "Anxious", "Worried about what comes next")
    assert (code, err) == (0, "") and out == "described 'Anxious': “Worried about what comes next”\n"
    rows = {r["name"]: r for r in json.loads(run(capsys, "codes", study, "--json", "--kind", "emotion")[1])}
    assert rows["Anxious"]["description"] == "Worried about what comes next" and rows["Anxious"]["codings"] == 1
    assert "changed description of 'Anxious'" in run(capsys, "history", study, "--limit", "1")[1]
    assert run(capsys, "codes", study, "describe", "Anxious", "--description", "Worried about what comes next")[1] \
        == "'Anxious' already has that description; nothing changed\n"
    assert run(capsys, "codes", study, "describe", "anxious", "--clear-description")[1] == \
        "cleared the description of 'Anxious'\n"
    assert dict((n, d) for n, d, _ in _codes(study, "emotion"))["Anxious"] == ""
    assert run(capsys, "undo", study)[0] == 0
    assert dict((n, d) for n, d, _ in _codes(study, "emotion"))["Anxious"] == "Worried about what comes next"
    for argv, message in ((["Anxious"], "say what the description is"),
                          (["Anxious", "a", "--description", "b"], "give the description once"),
                          (["Nothing", "text"], "no code named 'Nothing'"),
                          ([], "codes describe takes a name and the text")):
        code, _, err = run(capsys, "codes", study, "describe", *argv)
        assert code == 1 and message in err and err.count("\n") == 1
