"""`info`, `participants`, the home screen and the report count the same people (issue 16 item 5)."""

from __future__ import annotations

import json

from tests.cli.test_cli_safety import run


def test_info_counts_who_counts_and_names_who_does_not(tmp_path, capsys):
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "a.txt").write_text("Interviewer: Hello there.\nAna Lopez: I was fine, thanks. It was good.\n")
    (folder / "b.txt").write_text("Interviewer: Hi.\nBo Chen: I was not fine at all, no.\n")
    (folder / "c.txt").write_text("It rained all day and the bus was late again.\nThen the clinic had lost my "
                                  "letter, so I waited for an hour.\nNobody said sorry.\n")  # no speaker labels
    study = tmp_path / "s.rtui"
    assert run(capsys, "new", study)[0] == 0
    assert run(capsys, "import", study, folder)[0] == 0
    code, out, err = run(capsys, "info", study)
    assert code == 0, err
    assert out.splitlines()[1].startswith(
        "3 sources · 2 participants (not counted: 1 interviewer, 1 unnamed speaker) · ")
    people = json.loads(run(capsys, "info", study, "--json")[1])["people"]
    assert people == {"participants": 2, "not_counted": {"interviewer": 1, "participant": 1}}
    listing = run(capsys, "participants", study)[1]
    assert "not counted as people until named" in listing
    assert sum(" participant " in line for line in listing.splitlines()) == 3  # 2 counted + the unnamed one
