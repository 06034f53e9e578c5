"""What the report says about the rules of synthesis: minimum reach, felt peak-end, saturation."""

from __future__ import annotations

import docx
import pytest

from coding.synthesis import compute_journey
from exports import write_markdown, write_report
from research_tui.screens.journey import moment_label
from tests.exports.ten_study import build, plan


@pytest.fixture(scope="module")
def ten(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ten")
    store = build(folder / "ten.rtui", plan())
    yield store, folder
    store.close()


@pytest.fixture(scope="module")
def ten_report(ten):
    store, folder = ten
    write_report(store, folder / "ten.docx", anonymize=True)
    return docx.Document(str(folder / "ten.docx"))


def test_a_thin_moment_is_marked_everywhere(ten, ten_report):
    store, folder = ten
    headings = [p.text for p in ten_report.paragraphs if p.style.name == "Heading 2" and p.text[0].isdigit()]
    assert headings[:4] == ["1. Onboarding — pain", "2. Awareness — delight", "3. Renewal/Advocacy — mixed feelings",
                            "4. Support — pain (caution: only 1 of 10 participants)"]
    text = "\n".join(p.text for p in ten_report.paragraphs)
    assert "Read with care: only 1 of 10 participants, fewer than the minimum of 3" in text
    summary = [p.text for p in ten_report.paragraphs if p.text.startswith("4. Support")]
    assert summary and "caution: only 1 of 10 participants" in summary[0]
    assert "Minimum reach: a moment needs at least 3 of the 10 participants" in text
    assert "a calm ending carries no end weight" in text

    write_markdown(store, folder / "ten.md", anonymize=True)
    md = (folder / "ten.md").read_text(encoding="utf-8")
    assert "### 4. Support (pain, score 0.46) — caution: only 1 of 10 participants" in md
    assert "### 1. Onboarding (pain, score" in md and "caution" not in md.split("### 2.")[0].split("### 1.")[1]

    support = next(m for m in compute_journey(store).moments if m.title == "Support")
    assert "⚠ only 1 of 10 participants" in moment_label(4, support)


def test_a_moment_section_quotes_its_own_sign(ten_report):
    paragraphs = ten_report.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "1. Onboarding — pain")
    end = next(i for i, p in enumerate(paragraphs) if p.text.startswith("2. Awareness") and i > start)
    quotes = [p.text for p in paragraphs[start:end] if p.style.name == "Quote"]
    assert len(quotes) == 5
    assert not any("receptionist was wonderful" in q for q in quotes)
