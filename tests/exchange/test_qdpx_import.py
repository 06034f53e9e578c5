"""Reading REFI-QDA files from other tools, safely, and our own round trip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from coding.codebook import get_code, list_codes, new_study
from coding.codings import list_codings
from coding.exchange.apply import import_project
from coding.models import ImportFailed
from exports.qdpx import write_qdpx
from importers.qdpx import read_qdc, read_qdpx
from tests.exchange.conftest import signature

REFI = Path(__file__).resolve().parents[1] / "data" / "public" / "refi-qda"


def _qdpx(project_xml: str, members: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("project.qde", project_xml)
        for name, data in (members or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def _project_xml(sources: str, codes: str = "", extra: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t" '
            f'origin="MAXQDA 2022"><Users><User guid="00000000-0000-0000-0000-00000000000a" name="Ana"/></Users>'
            f'<CodeBook><Codes>{codes}</Codes></CodeBook>{extra}<Sources>{sources}</Sources></Project>')


CODE = '<Code guid="00000000-0000-0000-0000-0000000000c1" name="Worry" isCodable="true" color="#FF0000"/>'


def _selection(a: int, b: int) -> str:
    return (f'<PlainTextSelection guid="00000000-0000-0000-0000-0000000000{a:02x}" startPosition="{a}" '
            f'endPosition="{b}" creatingUser="00000000-0000-0000-0000-00000000000a"><Coding '
            'guid="00000000-0000-0000-0000-0000000000e1"><CodeRef targetGUID="00000000-0000-0000-0000-0000000000c1"/>'
            '</Coding></PlainTextSelection>')


def test_round_trip_restores_the_study(rich_study, tmp_path):
    out = tmp_path / "study.qdpx"
    write_qdpx(rich_study, out, anonymize=False)
    project = read_qdpx(out.read_bytes(), name="study.qdpx")
    assert project.skipped == []
    fresh = new_study(tmp_path / "fresh.rtui", template="blank", coder="someone")
    report = import_project(fresh, project, filename="study.qdpx")
    assert report.codings_added == len(list_codings(rich_study))
    assert signature(fresh) == signature(rich_study) | {"memos": signature(fresh)["memos"]}
    assert [m[1:] for m in signature(fresh)["memos"]] == [("Plan", "Study plan memo")]
    # importing the same file again adds nothing: the sources are matched by their text
    again = import_project(fresh, read_qdpx(out.read_bytes(), name="study.qdpx"), filename="study.qdpx")
    assert again.sources_added == [] and again.codings_added == 0
    assert again.codings_present == len(list_codings(rich_study))


def test_nvivo_mac_export(tmp_path):
    project = read_qdpx((REFI / "nvivo_mac_12.7_OltasSzkepticizmus.qdpx").read_bytes(), name="nvivo.qdpx")
    assert project.origin.startswith("NVivo for Mac")
    assert [s.name for s in project.sources] == ["videos_selection", "videos_10_selected"]
    codings = project.sources[1].codings
    assert len(codings) == 297
    text = project.sources[1].text
    # NVivo counts UTF-16 code units: every selection starts on a word boundary once read that way
    assert sum(c.start == 0 or not text[c.start - 1].isalnum() for c in codings) >= 290
    study = new_study(tmp_path / "n.rtui", template="blank")
    report = import_project(study, project, filename="nvivo.qdpx")
    assert report.codings_added == 297 and len(report.sources_added) == 2
    codes_line = next(line for line in report.lines() if line.startswith("codes: "))  # 152 codes: not recited
    assert codes_line.startswith("codes: 152 new (1. Oltás típusa, COVID, Nem COVID, ")
    assert codes_line.endswith(" and 132 more), 0 matched by name") and len(codes_line) < 400
    codes = {c.name: c for c in list_codes(study)}
    assert codes["COVID"].parent_id == codes["1. Oltás típusa"].id            # nested codes kept
    assert {c.coder for c in list_codings(study)} <= {"floriansipos", "Gergo"}
    assert {c.origin for c in list_codings(study)} == {"import"}
    for c in list_codings(study):
        assert c.text == study.source_text(c.source_id)[c.char_start:c.char_end] and c.text.strip()


def test_atlas_ti_export_with_missing_media_and_sets(tmp_path):
    project = read_qdpx((REFI / "atlasti_8.4_TestProject.qdpx").read_bytes(), name="atlas.qdpx")
    assert project.sources == []
    assert len(project.all_codes()) == 14
    coke = next(c for c in project.codes if c.name == "Coke")
    assert sorted(c.name for c in coke.children) == ["diet Coke", "full-fat Coke"]  # issue 16: no "Coke::"
    reasons = "\n".join(project.skipped)
    assert "Mabel.txt" in reasons and "not in the archive" in reasons
    assert "sets" in reasons and "picture" in reasons
    study = new_study(tmp_path / "a.rtui", template="blank")
    report = import_project(study, project, filename="atlas.qdpx")
    assert len(report.codes_added) == 14 and report.sources_added == []
    assert any("not in the archive" in line for line in report.lines())
    codes = {c.name: c for c in list_codes(study)}
    assert codes["diet Coke"].parent_id == codes["full-fat Coke"].parent_id == codes["Coke"].id
    assert not [name for name in codes if "::" in name]


def test_a_path_in_a_nested_code_name_is_left_out_only_under_that_parent():
    codes = ('<Code guid="00000000-0000-0000-0000-0000000000c1" name="Food" isCodable="true">'
             '<Code guid="00000000-0000-0000-0000-0000000000c2" name="Food::Fruit" isCodable="true">'
             '<Code guid="00000000-0000-0000-0000-0000000000c3" name="Food::Fruit::Apple" isCodable="true"/></Code>'
             '<Code guid="00000000-0000-0000-0000-0000000000c4" name="Drink::Tea" isCodable="true"/></Code>'
             '<Code guid="00000000-0000-0000-0000-0000000000c5" name="Food::" isCodable="true"/>'
             '<Code guid="00000000-0000-0000-0000-0000000000c6" name="Food::Bread" isCodable="true"/>')
    project = read_qdpx(_qdpx(_project_xml("", codes)), name="t.qdpx")
    shape = [(c.name, [(k.name, [g.name for g in k.children]) for k in c.children]) for c in project.codes]
    assert shape == [("Food", [("Fruit", ["Apple"]), ("Drink::Tea", []), ("Food::", []), ("Bread", [])])]


def test_codes_sharing_a_guid_are_named_in_the_import_report(tmp_path):
    """Issue 19 item 8: the codings went to the last code silently."""
    twins = CODE + CODE.replace('name="Worry"', 'name="Fear"')
    text = "Ana: I was worried."
    xml = _project_xml('<TextSource guid="00000000-0000-0000-0000-0000000000f1" name="call">'
                       f'<PlainTextContent>{text}</PlainTextContent>{_selection(11, 18)}</TextSource>', twins)
    project = read_qdpx(_qdpx(xml), name="t.qdpx")
    assert project.skipped == []
    assert project.remarks == ["2 codes share the GUID 00000000-0000-0000-0000-0000000000c1 ('Worry', 'Fear'): "
                               "their codings all go to the last, 'Fear'"]
    study = new_study(tmp_path / "g.rtui", template="blank")
    report = import_project(study, project, filename="t.qdpx")
    assert [line for line in report.lines() if "share the GUID" in line][0].startswith("note: 2 codes share")
    assert [(c.text, get_code(study, c.code_id).name) for c in list_codings(study)] == [("worried", "Fear")]


def test_positions_read_as_utf16_are_a_note_not_a_skip(tmp_path):
    """Issue 16 item 5: nothing was skipped, yet the line said "skipped"."""
    text = "Ana: 😤 I was worried."
    a = len("Ana: 😤 I was ".encode("utf-16-le")) // 2
    xml = _project_xml('<TextSource guid="00000000-0000-0000-0000-0000000000f1" name="call">'
                       f'<PlainTextContent>{text}</PlainTextContent>{_selection(a, a + 7)}</TextSource>', CODE)
    project = read_qdpx(_qdpx(xml), name="t.qdpx")
    assert project.skipped == [] and [r.split(" (")[0] for r in project.remarks] == [
        "positions read as UTF-16 code units in sources with emoji or other characters beyond U+FFFF"]
    study = new_study(tmp_path / "u.rtui", template="blank")
    report = import_project(study, project, filename="t.qdpx")
    assert not [line for line in report.lines() if line.startswith("skipped")]
    assert [line for line in report.lines() if "UTF-16" in line][0].startswith("note: positions read as UTF-16")
    assert [c.text for c in list_codings(study)] == ["worried"]


def test_atlas_codebook():
    project = read_qdc((REFI / "atlasti_23.4_codebook.qdc").read_bytes(), name="codes.qdc")
    assert [(c.name, c.color, c.description) for c in project.codes] == [("code1", "#46AA00", "description")]


def test_crlf_and_cp1252_sources_keep_positions(tmp_path):
    text = "Ana: I was worried\r\nabout the café.\r\nBen: Why?\r\n"
    data = text.encode("cp1252")
    a = text.index("worried")
    b = text.index("café") + 4
    xml = _project_xml(f'<TextSource guid="00000000-0000-0000-0000-0000000000f1" name="call" '
                       f'plainTextPath="internal://f1.txt">{_selection(a, b)}</TextSource>', CODE)
    project = read_qdpx(_qdpx(xml, {"Sources/f1.txt": data}), name="t.qdpx")
    source = project.sources[0]
    c = source.codings[0]
    assert source.text[c.start:c.end] == "worried\nabout the café"
    assert c.origin == "import"
    assert source.transcript.speakers == ["Ana", "Ben"]


def test_inline_text_and_a_case_owning_a_monologue(tmp_path):
    case = ('<Variables><Variable guid="00000000-0000-0000-0000-0000000000b1" name="age" typeOfVariable="Integer"/>'
            '</Variables><Cases><Case guid="00000000-0000-0000-0000-0000000000a1" name="Rosa"><VariableValue>'
            '<VariableRef targetGUID="00000000-0000-0000-0000-0000000000b1"/><IntegerValue>67</IntegerValue>'
            '</VariableValue><SourceRef targetGUID="00000000-0000-0000-0000-0000000000f1"/></Case></Cases>')
    xml = _project_xml('<TextSource guid="00000000-0000-0000-0000-0000000000f1" name="diary">'
                       '<PlainTextContent>I keep a diary of every appointment.</PlainTextContent>'
                       f'{_selection(2, 6)}</TextSource>', CODE, case)
    project = read_qdpx(_qdpx(xml), name="t.qdpx")
    study = new_study(tmp_path / "m.rtui", template="blank")
    import_project(study, project, filename="t.qdpx")
    [rosa] = study.participants()
    assert rosa.name == "Rosa" and rosa.attributes == {"age": "67"}
    assert list_codings(study)[0].text == "keep"


@pytest.mark.parametrize("data, message", [
    (b"not a zip", "not a valid .qdpx"),
    (_qdpx('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x "boom">]><Project name="&x;"/>'), "DOCTYPE"),
    (_qdpx("<Project"), "not well-formed"),
    (_qdpx("<CodeBook/>"), "root element"),
])
def test_hostile_or_broken_files_fail_in_one_line(data, message):
    with pytest.raises(ImportFailed) as err:
        read_qdpx(data, name="bad.qdpx")
    assert message in str(err.value) and "bad.qdpx" in str(err.value)
    assert "\n" not in str(err.value)


def test_no_project_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("sources/x.txt", "hello")
    with pytest.raises(ImportFailed, match="no project.qde"):
        read_qdpx(buffer.getvalue(), name="x.qdpx")


def test_member_names_that_escape_refuse_the_file(tmp_path):
    xml = _project_xml('<TextSource guid="00000000-0000-0000-0000-0000000000f1" name="evil" '
                       'plainTextPath="internal://../../etc/passwd"/>')
    with pytest.raises(ImportFailed, match="outside the package"):
        read_qdpx(_qdpx(xml, {"../../etc/passwd": b"root:x:0:0"}), name="e.qdpx")


def test_a_bomb_is_refused_before_it_is_read():
    """A member whose directory entry says it unpacks to 4 GiB is refused without being decompressed."""
    import struct

    xml = _project_xml('<TextSource guid="00000000-0000-0000-0000-0000000000f1" name="big" '
                       'plainTextPath="internal://big.txt"/>')
    data = bytearray(_qdpx(xml, {"sources/big.txt": b"a" * 1000}))
    at = data.rindex(b"PK\x01\x02")            # the central directory entry of the last member
    struct.pack_into("<I", data, at + 24, 0xFFFFFFF0)  # its uncompressed size
    with pytest.raises(ImportFailed, match="big.txt unpacks to .*over the limit"):
        read_qdpx(bytes(data), name="big.qdpx")


@pytest.mark.parametrize("start", ["٤", " 4", "+4", "4 ", "4.0", "0x4", "-4"])
def test_positions_are_ascii_digits_alone(start):
    """Issue 19 item 8: `٤٤`, `" 44"` and `+44` were read as positions."""
    text = "Ana: I keep a diary."
    sel = _selection(4, 10).replace('startPosition="4"', f'startPosition="{start}"')
    xml = _project_xml('<TextSource guid="00000000-0000-0000-0000-0000000000f1" name="diary">'
                       f'<PlainTextContent>{text}</PlainTextContent>{sel}{_selection(5, 11)}</TextSource>', CODE)
    project = read_qdpx(_qdpx(xml), name="t.qdpx")
    assert [(c.start, c.end) for c in project.sources[0].codings] == [(5, 11)]
    assert project.skipped == ["codings whose positions are not whole numbers (digits 0-9) or fall outside their "
                               "source's text"]
