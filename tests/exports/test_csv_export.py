"""One CSV row per coding, with the exact quote text."""

from __future__ import annotations

import csv
import re

from coding.codebook import add_code, find_code
from coding.codings import add_coding, get_coding, list_codings
from coding.guards.text import strip_controls
from exports import write_csv
from tests.exports.journey_study import NAMES


def _read(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_one_row_per_coding_with_all_columns(scan_study, tmp_path):
    store, _ids = scan_study
    path = tmp_path / "codings.csv"
    assert write_csv(store, path, anonymize=False) == 40
    rows = _read(path)
    assert len(rows) == len(list_codings(store)) == 40
    assert list(rows[0]) == ["coding_id", "source", "filename", "participant", "attr:age", "attr:segment", "code",
                             "code_path", "kind", "stage", "text", "char_start", "char_end", "start_time", "end_time",
                             "coder", "origin", "memo", "created_at"]
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"  # BOM: Excel reads UTF-8


def test_text_is_exactly_the_source_span(scan_study, tmp_path):
    store, ids = scan_study
    path = tmp_path / "codings.csv"
    write_csv(store, path, anonymize=False)
    sources = {s.title: s for s in store.sources()}
    for row in _read(path):
        source = sources[row["source"]]
        assert row["text"] == strip_controls(source.text[int(row["char_start"]):int(row["char_end"])])
    b3 = next(r for r in _read(path) if r["coding_id"] == str(ids["B3"]))
    span = sources[b3["source"]].text[int(b3["char_start"]):int(b3["char_end"])]
    assert "\x0b" in span and b3["text"] == strip_controls(span) == span.replace("\x0b\x0c\x1f", "")
    assert (b3["participant"], b3["attr:segment"], b3["attr:age"]) == ("Ben Carter", "Private", "51")
    assert (b3["start_time"], b3["end_time"]) == ("01:02:05", "01:02:10")
    assert (b3["kind"], b3["code"], b3["coder"], b3["origin"]) == ("stage", "Onboarding", "rachel", "human")
    assert b3["stage"] == "Onboarding"


def test_stage_column_names_the_stages_a_coding_is_in(scan_study, tmp_path):
    """With `code`, the CSV finds every quote behind a figure of the report's evidence appendix."""
    from coding.synthesis import compute_journey

    store, _ids = scan_study
    path = tmp_path / "codings.csv"
    write_csv(store, path, anonymize=False)
    rows = _read(path)
    for col in compute_journey(store).stages:
        for t in col.pain_points + col.needs + col.emotions:
            found = {r["coding_id"] for r in rows
                     if r["code"] == t.code.name and col.name in r["stage"].split("; ")}
            assert found == {str(c) for c in t.coding_ids}, (col.name, t.code.name)


def test_interviewer_only_span_and_code_path(fresh_study, tmp_path):
    store, ids = fresh_study
    parent = find_code(store, "pain_point:Pain point")
    child = add_code(store, "Waiting", "pain_point", parent_id=parent.id)
    c2 = get_coding(store, ids["C2"])
    add_coding(store, c2.source_id, c2.char_start, c2.char_end, child.id, memo="chased twice")
    path = tmp_path / "codings.csv"
    write_csv(store, path, anonymize=False)
    rows = _read(path)
    waiting = next(r for r in rows if r["code"] == "Waiting")
    assert waiting["code_path"] == "Pain point > Waiting" and waiting["memo"] == "chased twice"
    a0 = next(r for r in rows if r["coding_id"] == str(ids["A0"]))
    assert a0["participant"] == "Interviewer"


def test_anonymized_csv_has_pseudonyms_only(scan_study, tmp_path):
    store, ids = scan_study
    path = tmp_path / "anon.csv"
    write_csv(store, path, anonymize=True)
    content = path.read_text(encoding="utf-8-sig")
    for name in NAMES:
        for token in (name, *name.split()):
            assert not re.search(rf"\b{re.escape(token)}\b", content, re.IGNORECASE), token
    rows = _read(path)
    assert {r["participant"] for r in rows} >= {"P01", "P02", "P03"}
    c1 = next(r for r in rows if r["coding_id"] == str(ids["C1"]))
    assert c1["text"].endswith("saying this is P03 again.")
