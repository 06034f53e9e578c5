"""Every `-o` refuses a folder that is not there, and `--segment` filters every export or is refused
(issue 16 item 5; issue 19 items 5 and 8)."""

from __future__ import annotations

import csv
import zipfile

import pytest

from research_tui.cli import main
from tests.cli.test_cli_safety import run, study  # noqa: F401  (the fixture)


@pytest.mark.parametrize("argv", [
    ["report", "-o", "{out}/x.docx"],
    ["export", "--format", "csv", "-o", "{out}/x.csv"],
    ["export", "--format", "markdown", "-o", "{out}/x.md", "--force"],
    ["export", "--format", "qdpx", "-o", "{out}/x.qdpx"],
    ["export", "--format", "qdc", "-o", "{out}/x.qdc"],
    ["matrix", "--rows", "codes", "--cols", "codes", "-o", "{out}/x.csv"],
    ["workshop", "-o", "{out}/kit.docx"],
    ["workshop", "-o", "{here}/kit.docx", "--csv", "{out}/cards.csv"],
    ["workshop", "-o", "{out}/kit.docx", "--csv", "{here}/cards.csv"],
])
def test_an_output_into_a_missing_folder_is_refused_and_no_folder_appears(study, tmp_path, capsys, argv):  # noqa: F811
    out = tmp_path / "nonexistent" / "dir"
    def listing():
        return sorted(p for p in tmp_path.iterdir() if not p.name.startswith("s.rtui"))

    before = listing()
    args = [a.format(out=out, here=tmp_path) for a in argv]
    code, stdout, err = run(capsys, args[0], study, *args[1:])
    assert code == 1 and stdout == ""
    assert err.startswith("research-tui: error: ") and err.count("\n") == 1
    assert f"the folder {out} does not exist; create it first" in err
    assert listing() == before  # no folder, and not the other file of the pair either


def test_export_segment_filters_csv_and_qdpx(study, tmp_path, capsys):  # noqa: F811
    assert main(["code", str(study), "interview_george", "I felt safe.", "Reassured"]) == 0
    everyone, private = tmp_path / "all.csv", tmp_path / "private.csv"
    assert run(capsys, "export", study, "--format", "csv", "-o", everyone)[0] == 0
    assert run(capsys, "participants", study, "set", "George Wilson", "segment=Private")[0] == 0
    assert run(capsys, "participants", study, "set", "Aisha Khan", "segment=NHS")[0] == 0
    assert run(capsys, "export", study, "--format", "csv", "-o", private, "--segment", "segment=private")[0] == 0
    with everyone.open(encoding="utf-8-sig") as fh:
        assert sorted(r["participant"] for r in csv.DictReader(fh)) == ["Aisha Khan", "George Wilson"]
    with private.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["participant"], r["text"]) for r in rows] == [("George Wilson", "I felt safe.")]
    project = tmp_path / "private.qdpx"
    assert run(capsys, "export", study, "--format", "qdpx", "-o", project, "--segment", "segment=Private")[0] == 0
    with zipfile.ZipFile(project) as z:
        qde = z.read("project.qde").decode()
        texts = [z.read(n).decode() for n in z.namelist() if n.startswith("sources/")]
    assert len(texts) == 1 and "George Wilson: The radiographer" in texts[0]
    assert 'name="George Wilson"' in qde and "Aisha" not in qde and 'name="I felt safe."' in qde


@pytest.mark.parametrize("fmt", ["csv", "qdpx", "markdown"])
@pytest.mark.parametrize("segment, message", [
    ("nosuch=1", "unknown participant attribute 'nosuch'; known attributes: age_band, segment"),
    ("segment=Nobody", "no participant has segment=Nobody; known values: NHS, Private"),
    ("nosuch", "--segment takes ATTR=VALUE, not 'nosuch'"),
])
def test_an_unknown_segment_is_refused_with_what_is_known(study, tmp_path, capsys, fmt, segment, message):  # noqa: F811
    assert run(capsys, "participants", study, "set", "George Wilson", "segment=Private")[0] == 0
    assert run(capsys, "participants", study, "set", "George Wilson", "age_band=75+")[0] == 0
    assert run(capsys, "participants", study, "set", "Aisha Khan", "segment=NHS")[0] == 0
    out = tmp_path / f"x.{fmt}"
    code, stdout, err = run(capsys, "export", study, "--format", fmt, "-o", out, "--segment", segment)
    assert (code, stdout, err) == (1, "", f"research-tui: error: {message}\n")
    assert not out.exists()


def test_a_codebook_takes_no_segment(study, tmp_path, capsys):  # noqa: F811
    code, _out, err = run(capsys, "export", study, "--format", "qdc", "-o", tmp_path / "c.qdc",
                          "--segment", "segment=NHS")
    assert code == 1 and "does not apply to a codebook" in err and not (tmp_path / "c.qdc").exists()
