"""The CLI twins of the studio's corrections and searches: codes rename (descriptions), participants
delete, turns (list, speaker, not speech, split) and search."""

from __future__ import annotations

from coding.store import Store
from research_tui.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_codes_rename_keeps_the_description_and_says_so_or_clears_or_replaces_it(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study)
    old = Store.open(study).find_code("Onboarding").description
    code, out, err = run(capsys, "codes", study, "rename", "Onboarding", "Analysis")
    assert code == 0 and "renamed 'Onboarding' to 'Analysis'" in out
    assert "kept its description" in err and old in err
    with Store.open(study) as store:
        assert store.find_code("Analysis").description == old
    assert run(capsys, "codes", study, "rename", "Analysis", "Setup", "--clear-description")[0] == 0
    with Store.open(study) as store:
        assert store.find_code("Setup").description == ""
    assert run(capsys, "codes", study, "rename", "Setup", "Arrival", "--description", "Gets there.")[0] == 0
    with Store.open(study) as store:
        assert store.find_code("Arrival").description == "Gets there."
    code, _, err = run(capsys, "codes", study, "rename", "Arrival", "X", "--description", "a", "--clear-description")
    assert code == 1 and "not both" in err
    run(capsys, "undo", study)
    with Store.open(study) as store:
        assert store.find_code("Setup").description == ""
