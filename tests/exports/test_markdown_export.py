"""The Markdown journey summary."""

from __future__ import annotations

from exports import write_markdown


def test_markdown_has_stages_moments_and_quotes(scan_study, tmp_path):
    store, _ids = scan_study
    path = tmp_path / "journey.md"
    journey = write_markdown(store, path, anonymize=True)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Scan journey: customer journey")
    for stage in ("Awareness", "Consideration", "Onboarding", "Support", "Renewal/Advocacy"):
        assert f"| {stage} |" in text
    assert "| Onboarding | 4 | 3 | −1.2 (3) |" in text
    assert "### 1. Support (mixed, score 0.80)" in text
    assert "### 2. Onboarding (pain, score 0.70)" in text
    assert ("> “The letter was confusing and I waited three weeks without news.”\n"
            "> — P01 · S01 · 00:00:40") in text
    assert "Aisha" not in text and "\x0b" not in text and "\ufffe" not in text
    assert journey.moments[0].stage.name == "Support"


def test_markdown_emotion_curve_and_segment(scan_study, tmp_path):
    store, _ids = scan_study
    path = tmp_path / "nhs.md"
    write_markdown(store, path, anonymize=False, segment=("segment", "NHS"))
    text = path.read_text(encoding="utf-8")
    assert "participants with segment = NHS" in text
    curve = text.split("## Emotion curve")[1].split("```")[1]
    onboarding = next(line for line in curve.splitlines() if line.startswith("Onboarding"))
    assert onboarding.rstrip().endswith("−1.2  n=2") and "█" in onboarding
    assert "Ben Carter" not in text and "Aisha Khan" in text
