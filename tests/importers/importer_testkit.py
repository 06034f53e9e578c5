"""Helpers for the importer tests (a uniquely named module, so it cannot clash with other test folders)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "importers"
SHARED = Path(os.environ.get("RESEARCH_TUI_SHARED_DATA", Path(__file__).resolve().parents[1] / "data" / "public"))


def shared(relative: str) -> Path:
    """A file of the public data set copied into tests/data/public; skips the test when it is not there."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


def make_docx(*blocks) -> bytes:
    """Build a .docx: str -> paragraph, ("heading", text) -> heading, list of row tuples -> table."""
    import docx

    doc = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            doc.add_paragraph(block)
        elif isinstance(block, tuple) and block[0] == "heading":
            doc.add_heading(block[1], level=1)
        else:
            table = doc.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def assert_offsets_exact(t) -> None:
    """Every utterance indexes non-empty words with no surrounding whitespace."""
    t.check()
    for u in t.utterances:
        words = t.text[u.start : u.end]
        assert words, u
        assert words == words.strip(), (u, words)
