"""The .qdpx we write: valid against the REFI-QDA schema, exact positions, names gone when anonymized."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from coding.codebook import list_codes
from coding.codings import list_codings
from exports.qdpx import write_qdc, write_qdpx

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "public" / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture(scope="module")
def schema():
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA))


def _project(path: Path):
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(path) as z:
        return z, fromstring(z.read("project.qde")), {n: z.read(n) for n in z.namelist()}


def test_export_validates_and_carries_everything(rich_study, tmp_path, schema):
    out = tmp_path / "study.qdpx"
    write_qdpx(rich_study, out, anonymize=False)
    z, root, members = _project(out)
    schema.validate(members["project.qde"].decode("utf-8"))
    assert sorted(n for n in members if n.startswith("sources/")) == sorted(
        f"sources/{s.get('guid')}.txt" for s in root.iterfind("q:Sources/q:TextSource", NS))
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    assert set(users.values()) == {"sam", "priya"}
    codes = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    nested = root.find(".//q:Code[@name='Waiting']/q:Code", NS)
    assert nested is not None and nested.get("name") == "Waiting for results"
    kinds = {s.get("name"): len(s.findall("q:MemberCode", NS)) for s in root.iterfind("q:Sets/q:Set", NS)}
    assert kinds["research-tui: Stages"] == len(list_codes(rich_study, "stage"))
    assert kinds["research-tui: Emotions"] == len(list_codes(rich_study, "emotion"))
    # every coding: a selection whose positions cut the exported text at the quoted words
    texts = {s.get("guid"): members[f"sources/{s.get('guid')}.txt"].decode("utf-8")
             for s in root.iterfind("q:Sources/q:TextSource", NS)}
    seen = []
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        units = texts[source.get("guid")].encode("utf-16-le")
        for sel in source.iterfind("q:PlainTextSelection", NS):
            for coding in sel.iterfind("q:Coding", NS):
                a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
                words = units[2 * a:2 * b].decode("utf-16-le")
                seen.append((words, codes[coding.find("q:CodeRef", NS).get("targetGUID")],
                             users[coding.get("creatingUser")]))
    assert ("Awful 😤 at first.", "Frustrated", "sam") in seen       # UTF-16 units past the emoji
    assert ("I felt safe.", "Reassured", "sam") in seen
    assert ("I was nervous.", "Anxious", "priya") in seen
    assert len(seen) == len(list_codings(rich_study))
    cases = {c.get("name"): c for c in root.iterfind("q:Cases/q:Case", NS)}
    assert {"Aisha Khan", "George Wilson", "Interviewer"} <= set(cases)
    notes = [n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind("q:Notes/q:Note", NS)]
    assert "Aisha Khan was late to the call." in notes and "second coder, from a suggestion" in notes
    assert "Study plan memo" in notes


def test_anonymized_export_has_no_names_and_positions_follow(rich_study, tmp_path, schema):
    out = tmp_path / "anon.qdpx"
    write_qdpx(rich_study, out, anonymize=True)
    z, root, members = _project(out)
    schema.validate(members["project.qde"].decode("utf-8"))
    blob = b"\n".join(members.values()).decode("utf-8")
    for name in ("Aisha", "Khan", "George", "Wilson", "interview_a", "interview_a.txt"):
        assert name not in blob, name
    names = [s.get("name") for s in root.iterfind("q:Sources/q:TextSource", NS)]
    assert names == ["S01", "S02", "S03"]
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = members[f"sources/{source.get('guid')}.txt"].decode("utf-8").encode("utf-16-le")
        for sel in source.iterfind("q:PlainTextSelection", NS):
            words = text[2 * int(sel.get("startPosition")):2 * int(sel.get("endPosition"))].decode("utf-16-le")
            if sel.get("name") != "turn":
                assert " ".join(words.split()) == sel.get("name")


def test_codebook_alone(rich_study, tmp_path):
    from defusedxml.ElementTree import fromstring

    out = tmp_path / "codes.qdc"
    n = write_qdc(rich_study, out)
    root = fromstring(out.read_bytes())
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert n == len(names) == len(list_codes(rich_study))
    assert "Waiting for results" in names
