"""The README stays true: every CLI command, every key binding and the two set-up commands are in it."""

from __future__ import annotations

from pathlib import Path

from research_tui.cli import COMMANDS, _parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quickstart_has_the_two_setup_commands():
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_cli_command_is_documented():
    sub = next(a for a in _parser()._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)
    for command in COMMANDS:
        assert f"research-tui {command}" in README, f"`research-tui {command}` missing from README"


def test_every_key_binding_is_documented():
    from research_tui.keymap import all_bindings

    bindings = all_bindings()
    assert len(bindings) > 20
    for screen, key, description in bindings:
        assert f"`{key}`" in README, f"key {key!r} ({description}, {screen}) missing from README"
        assert description in README, f"description {description!r} of {key!r} missing from README"
