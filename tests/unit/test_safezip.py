"""coding.safezip: every limit is checked from the central directory, before anything is unpacked."""

from __future__ import annotations

import io
import zipfile

import pytest

from coding.safezip import ArchiveError, ZipLimits, open_zip, parse_xml, read_member, safe_member_path


def make_zip(members: dict[str, bytes], *, flag_bits: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    data = out.getvalue()
    at = data.find(b"PK\x01\x02")
    while flag_bits and at >= 0:  # set the flags of every entry in the central directory
        data = data[:at + 8] + flag_bits.to_bytes(2, "little") + data[at + 10:]
        at = data.find(b"PK\x01\x02", at + 4)
    return data


SMALL = ZipLimits(members=3, member_bytes=1000, total_bytes=1500)


def test_a_package_within_the_limits_opens_and_reads():
    with open_zip(make_zip({"a.xml": b"<a/>", "b/c.txt": b"x" * 1000}), name="p.zip", limits=SMALL) as z:
        assert read_member(z, "b/c.txt", name="p.zip") == b"x" * 1000


@pytest.mark.parametrize("members, message", [
    ({f"m{i}": b"" for i in range(4)}, "it holds 4 files, over the limit of 3"),
    ({"big.xml": b" " * 1001}, "big.xml unpacks to 1,001 bytes, over the limit of 1,000 bytes per file"),
    ({"a": b" " * 900, "b": b" " * 900}, "its files unpack to over 1,500 bytes, the limit for the whole package"),
])
def test_limits_name_the_member_and_the_limit(members, message):
    with pytest.raises(ArchiveError) as info:
        open_zip(make_zip(members), name="p.zip", limits=SMALL)
    assert str(info.value) == f"p.zip: refusing this zip file: {message} (a zip bomb?)"
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a/../../b", "C:\\x.txt", "a\\..\\b", "..", "x\x00y"])
def test_names_that_escape_the_folder_are_refused(name):
    with pytest.raises(ValueError):
        safe_member_path(name)
    if "\x00" in name:
        return  # zipfile itself cuts a name at NUL
    data = make_zip({"ok.txt": b"", name: b"x"})
    with pytest.raises(ArchiveError, match="outside the package"):
        open_zip(data, name="p.qdpx", what=".qdpx project")


@pytest.mark.parametrize("name, clean", [("sources/a.txt", "sources/a.txt"), ("./a/b.xml", "a/b.xml"),
                                         ("a/./b", "a/b"), ("project.qde", "project.qde")])
def test_ordinary_names_are_kept(name, clean):
    assert safe_member_path(name) == clean


def test_duplicate_and_encrypted_members_are_refused():
    with pytest.warns(UserWarning):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("a.xml", "<a/>")
            z.writestr("a.xml", "<b/>")
    with pytest.raises(ArchiveError, match="holds a.xml twice"):
        open_zip(out.getvalue(), name="p.zip")
    with pytest.raises(ArchiveError, match=r"a.xml is encrypted \(password-protected\)"):
        open_zip(make_zip({"a.xml": b"<a/>"}, flag_bits=1), name="p.zip")


@pytest.mark.parametrize("data", [b"", b"not a zip", make_zip({"a": b"x"})[:30]])
def test_corrupt_archives_are_one_line(data):
    with pytest.raises(ArchiveError, match=r"^p.docx: not a valid \.docx \(corrupt or truncated\)$"):
        open_zip(data, name="p.docx", what=".docx")


def test_parse_xml_refuses_doctypes_in_any_encoding():
    evil = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'
    for encoding in ("utf-8", "utf-16", "utf-16-be"):
        with pytest.raises(ArchiveError, match="whose project.qde declares a DOCTYPE or entities"):
            parse_xml(evil.encode(encoding), member="project.qde", name="p.qdpx", what=".qdpx project")
    with pytest.raises(ArchiveError, match=r"project.qde is not well-formed"):
        parse_xml(b"<a>&x;</a>", member="project.qde", name="p.qdpx", what=".qdpx project")
    assert parse_xml("<a>é</a>".encode("utf-16"), member="m", name="p").text == "é"
