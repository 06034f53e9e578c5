"""`research-tui sources`: list, delete, replace, rename; a withdrawn-consent note in a folder of interviews is
skipped with its reason; words marked not speech reach no export (issue 16)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import docx

from coding.codings import list_codings
from coding.study import Store
from research_tui.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"
NOTE = "Participant withdrew consent; transcript removed."


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_withdrawn_consent_note_in_a_folder_is_named_and_skipped(tmp_path, capsys):
    folder = tmp_path / "interviews"
    shutil.copytree(DATA / "academic", folder)
    (folder / "interview_04_removed.txt").write_text(NOTE + "\n", encoding="utf-16")
    study = tmp_path / "s.rtui"
    run(capsys, "new", study, "--template", "blank")
    code, out, err = run(capsys, "import", study, folder)
    assert code == 0, err
    assert (f"interview_04_removed.txt: skipped, one line with no speaker (\"{NOTE}\"): a note, not an interview "
            "(name the file on its own to import it)") in out
    assert "study now has 10 sources" in out
    code, out, err = run(capsys, "import", study, folder / "interview_04_removed.txt")  # on its own: read
    assert code == 0 and "study now has 11 sources" in out


def test_list_rename_delete_and_undo(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study, "--template", "blank")
    run(capsys, "import", study, DATA / "academic")
    code, out, _ = run(capsys, "sources", study)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 10
    assert lines[0].split()[:3] == ["S01", "interview_01", "text"] and lines[0].endswith("P1, A1")
    code, out, _ = run(capsys, "sources", study, "rename", "interview_03.txt", "Interview three")
    assert (code, out.strip()) == (0, "S03 is now titled 'Interview three'")
    code, out, _ = run(capsys, "sources", study, "delete", "Interview three")
    assert code == 0
    assert out.strip() == ("deleted Interview three: 20 turns, 0 codings, 0 memos; P03 spoke only there and went "
                           "with it (backed up first; `research-tui undo` brings it back)")
    code, out, _ = run(capsys, "sources", study, "--json")
    rows = json.loads(out)
    assert len(rows) == 9 and "Interview three" not in {r["title"] for r in rows}
    assert run(capsys, "undo", study)[0] == 0
    assert len(json.loads(run(capsys, "sources", study, "--json")[1])) == 10
    code, _, err = run(capsys, "sources", study, "delete", "nope")
    assert code == 1 and "no source titled 'nope'" in err
    code, _, err = run(capsys, "sources", study, "delete")
    assert code == 1 and "sources delete takes SOURCE" in err
    with Store.open(study) as store:  # anonymized: S-ids and pseudonyms only
        store.set_anonymize(True)
    code, out, _ = run(capsys, "sources", study)
    assert "interview_01" not in out and out.splitlines()[0].split()[:2] == ["S01", "S01"]


def test_replace_a_file_keeping_the_codings_whose_words_match(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    run(capsys, "new", study, "--template", "journey")
    run(capsys, "import", study, DATA / "academic" / "interview_01.txt")
    run(capsys, "code", study, "interview_01", "nine years now", "Awareness")
    run(capsys, "code", study, "interview_01", "Yes, I can hear you now.", "Awareness")
    text = (DATA / "academic" / "interview_01.txt").read_text()
    corrected = tmp_path / "interview_01_v2.txt"
    corrected.write_text(text.replace("Yes, I can hear you now.", "Yes, loud and clear.")
                         .replace("about nine years now", "about nine years now,\nmaybe ten"))
    code, out, err = run(capsys, "sources", study, "replace", "S01", corrected, "--dry-run")
    assert code == 0, err
    assert out.splitlines()[0].startswith("'interview_01': 20 turns replaced by 20 from interview_01_v2.txt; 1 of 2 "
                                          "codings kept their words")
    assert "coding removed, its words are not in the new file: Awareness: \"Yes, I can hear you now.\"" in out
    assert out.strip().endswith("nothing changed (--dry-run)")
    with Store.open(study) as store:
        assert len(list_codings(store)) == 2
    code, out, err = run(capsys, "sources", study, "replace", "S01", corrected)
    assert code == 0, err
    with Store.open(study) as store:
        (kept,) = list_codings(store)
        assert kept.text == "nine years now" and store.sources()[0].filename == "interview_01_v2.txt"
    assert run(capsys, "undo", study)[0] == 0
    with Store.open(study) as store:
        assert sorted(c.text for c in list_codings(store)) == ["Yes, I can hear you now.", "nine years now"]
        assert store.sources()[0].text == text
    code, _, err = run(capsys, "sources", study, "replace", "S01", DATA / "academic" / "interview_01.txt")
    assert code == 1 and "nothing to replace" in err


def test_words_marked_not_speech_reach_no_export(tmp_path, capsys):
    """The issue's note: imported on its own, coded as a pain point, then marked not speech. It leaves the
    report (map and appendix counts), the CSV, the Markdown, the matrix and the workshop cards."""
    study = tmp_path / "s.rtui"
    run(capsys, "demo", study, "--no-open")
    note = tmp_path / "BSR04_removed.txt"
    note.write_text(NOTE + "\n")
    assert run(capsys, "import", study, note)[0] == 0
    code, _, err = run(capsys, "code", study, "BSR04_removed", NOTE, "Waiting for results",
                       "No news on the waiting list")
    assert code == 0, err

    def exported() -> dict[str, bool]:
        report, rows, md, cards = (tmp_path / n for n in ("r.docx", "c.csv", "m.md", "cards.csv"))
        for argv in (("report", study, "-o", report, "--force"), ("export", study, "--format", "csv", "-o", rows,
                     "--force"), ("export", study, "--format", "markdown", "-o", md, "--force"),
                     ("workshop", study, "-o", tmp_path / "kit.docx", "--csv", cards, "--names", "--force")):
            code, _, err = run(capsys, *argv)
            assert code == 0, err
        document = docx.Document(str(report))
        text = "\n".join([p.text for p in document.paragraphs]
                         + [c.text for t in document.tables for r in t.rows for c in r.cells])
        appendix = {r.cells[0].text: r.cells[3].text for r in document.tables[-1].rows[1:]}
        _, matrix, _ = run(capsys, "matrix", study, "--rows", "kind:stage", "--cols", "kind:pain_point")
        return {"report": "withdrew consent" in text, "csv": any("withdrew consent" in r["text"] for r in
                                                                  csv.DictReader(rows.open(encoding="utf-8-sig"))),
                "markdown": "withdrew consent" in md.read_text(), "cards": "withdrew consent" in cards.read_text(),
                "appendix": appendix, "matrix": matrix}

    before = exported()
    assert before["report"] and before["csv"] and before["cards"]  # a quote of nobody known, yet a quote
    code, out, err = run(capsys, "turns", study, "BSR04_removed", "not-speech", "1")
    assert code == 0, err
    after = exported()
    assert not any(after[k] for k in ("report", "csv", "markdown", "cards"))
    pain = "No news on the waiting list"
    assert int(before["appendix"][pain]) == int(after["appendix"][pain]) + 1
    assert before["matrix"] != after["matrix"]
