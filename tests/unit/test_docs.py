"""The docs stay true.

README.md is the first page: the two set-up commands, every CLI command once, the most-used keys, a link to every
page of docs/. docs/commands.md documents every command and option, docs/studio.md every key binding with its
description, and no relative link in the README or docs/ points at nothing.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from research_tui.cli import COMMANDS, _parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS_DOC = (DOCS / "commands.md").read_text(encoding="utf-8")
STUDIO_DOC = (DOCS / "studio.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

LINK = re.compile(r"!?\[[^\]\n]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def _subcommands() -> dict:
    sub = next(a for a in _parser()._actions if a.dest == "command")
    return sub.choices


def test_quickstart_has_the_two_setup_commands():
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_cli_command_is_documented():
    commands = _subcommands()
    assert set(commands) == set(COMMANDS)
    for command in COMMANDS:
        assert f"research-tui {command}" in README, f"`research-tui {command}` missing from README"
        assert f"research-tui {command}" in COMMANDS_DOC, f"`research-tui {command}` missing from docs/commands.md"


def test_every_cli_option_is_documented():
    def documented(action) -> bool:
        longs = [s for s in action.option_strings if s.startswith("--")]
        shorts = [s for s in action.option_strings if not s.startswith("--")]
        return any(s in COMMANDS_DOC for s in longs) or any(
            re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", COMMANDS_DOC) for s in shorts)

    parsers = {"": _parser(), **_subcommands()}
    checked = 0
    for name, parser in parsers.items():
        for action in parser._actions:
            if not action.option_strings or "--help" in action.option_strings:
                continue
            checked += 1
            assert documented(action), f"option {'/'.join(action.option_strings)} of `research-tui {name}` " \
                                       "missing from docs/commands.md"
    assert checked > 80


def test_every_key_binding_is_documented():
    from research_tui.keymap import all_bindings

    bindings = all_bindings()
    assert len(bindings) > 20
    for screen, key, description in bindings:
        assert f"`{key}`" in STUDIO_DOC, f"key {key!r} ({description}, {screen}) missing from docs/studio.md"
        assert description in STUDIO_DOC, f"description {description!r} of {key!r} missing from docs/studio.md"


def test_the_readme_key_table_names_real_bindings():
    from research_tui.keymap import all_bindings

    real = {(key, description) for _, key, description in all_bindings()}
    pairs, header = [], None
    for line in README.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        header = (header or cells) if cells else None  # the first row of each table
        if header and header[0] == "key":  # a table of keys: `key` | action pairs side by side
            for key, action in zip(cells[::2], cells[1::2]):
                if re.fullmatch(r"`[^`]+`", key) and action:
                    pairs.append((key.strip("`"), action))
    assert len(pairs) >= 15, "the README's table of most-used keys is missing"
    for pair in pairs:
        assert pair in real, f"README key table: {pair} is not a key binding (research_tui/keymap.py)"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation and symbols dropped, spaces to hyphens."""
    text = heading.strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", FENCE.sub("", page.read_text(encoding="utf-8")), re.M):
        slug, n = _slug(heading), 1
        while slug in anchors:
            slug, n = f"{_slug(heading)}-{n}", n + 1
        anchors.add(slug)
    return anchors


def test_every_relative_link_points_to_something():
    checked = 0
    for page in PAGES:
        text = CODE_SPAN.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target):  # https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            where = f"{page.relative_to(ROOT)}: link {target!r}"
            assert file.is_file(), f"{where} points to no file"
            if anchor:
                assert file.suffix == ".md" and anchor in _anchors(file), f"{where}: no heading #{anchor} there"
            checked += 1
    assert checked > 10


def test_the_readme_links_every_docs_page():
    for page in sorted(DOCS.glob("*.md")):
        assert f"(docs/{page.name})" in README, f"README does not link docs/{page.name}"
