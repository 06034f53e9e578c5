"""`research-tui code` on a real Markdown transcript: the words as a researcher copies them (from the
report in Word, from a wrapped terminal line, without the Markdown escapes) find the exact span."""

from __future__ import annotations

from pathlib import Path

from coding.codings import list_codings
from coding.study import Store
from research_tui.cli import main

REAL = Path(__file__).resolve().parents[1] / "data" / "public" / "transcripts" / "changelog_podcast"


def _coded(study: Path) -> list[str]:
    with Store.open(study) as store:
        return [c.text for c in list_codings(store)]


def test_code_finds_words_copied_from_word_or_a_terminal_and_names_sources_as_turns_does(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    assert main(["new", str(study)]) == 0
    assert main(["import", str(study), str(REAL / "the-changelog-253.md")]) == 0
    capsys.readouterr()
    # the file escapes the brackets: "... no life.' \[laughter\] He just goes ..."
    assert main(["code", str(study), "the-changelog-253", "you have no life.' [laughter] He just goes", "Use"]) == 0
    # Word made the quotes curly; a terminal wrapped the line
    assert main(["code", str(study), "the-changelog-253.md", "Every year I say “We should go to\n Strange Loop",
                 "Use"]) == 0
    assert main(["code", str(study), "S01", "pam selle, welcome back to the changelog", "Use"]) == 0
    assert _coded(study) == ["Pam Selle, welcome back to The Changelog",  # in reading order
                             'Every year I say "We should go to Strange Loop',
                             "you have no life.' \\[laughter\\] He just goes"]
    out = capsys.readouterr().out
    assert "of 'the-changelog-253' as Use" in out
    # still one place, or none: nothing is coded on a guess
    assert main(["code", str(study), "S01", "welcome back to the conference", "Use"]) == 1
    assert main(["code", str(study), "S01", "strange loop", "Use"]) == 1
    err = capsys.readouterr().err
    assert "those words do not occur in 'the-changelog-253'" in err and "add --occurrence N" in err
    assert len(_coded(study)) == 3
    # an anonymized study does not print the title it hides
    assert main(["anonymize", str(study), "on"]) == 0
    assert main(["code", str(study), "S01", "no such words", "Use"]) == 1
    assert capsys.readouterr().err.strip().endswith("those words do not occur in 'S01'")
