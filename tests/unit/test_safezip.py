"""coding.guards.archive: every limit is checked from the central directory, before anything is unpacked."""

from __future__ import annotations

import io
import zipfile

import pytest

from coding.guards.archive import ArchiveError, ZipLimits, open_zip, parse_xml, read_member, safe_member_path


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


# -- issue 19 item 2: what members really unpack to, and XML elements ------------------------------
def test_a_zip_that_declares_less_than_it_holds_is_never_read_past_its_declaration():
    from tests.zipkit import repeated, zip_of

    lying = zip_of({"a.txt": repeated(b"", b"x" * 1024, 1024)}, declared={"a.txt": 1000})  # 1 MiB said 1,000
    with open_zip(lying, name="p.zip", limits=SMALL) as z:
        with pytest.raises(ArchiveError, match=r"^p.zip: not a valid zip file \(corrupt or truncated\)$"):
            z.read("a.txt")
        assert z.unpacked <= 1000


def test_reading_one_member_many_times_counts_towards_the_package_limit():
    with open_zip(make_zip({"a.txt": b"x" * 600}), name="p.zip", limits=SMALL) as z:
        assert z.read("a.txt") == b"x" * 600
        assert z.read("a.txt") == b"x" * 600
        with pytest.raises(ArchiveError) as info:
            z.read("a.txt")
    assert str(info.value) == ("p.zip: refusing this zip file: its files unpack to over 1,500 bytes, the limit "
                               "for the whole package (a zip bomb?)")


def test_the_byte_limits_of_an_import_name_its_option():
    limits = ZipLimits.unpacking_to(1000)
    with pytest.raises(ArchiveError) as info:
        open_zip(make_zip({"big.xml": b" " * 1001}), name="p.zip", limits=limits)
    assert str(info.value).endswith("big.xml unpacks to 1,001 bytes, over the limit of 1,000 bytes per file "
                                    "(a zip bomb? if not, raise the limit with --max-mb)")


def test_xml_is_refused_past_its_element_and_depth_limits_without_building_a_tree():
    import tracemalloc

    limits = ZipLimits(elements=1000, depth=20)
    assert parse_xml(b"<a>" + b"<n/>" * 999 + b"</a>", member="m", name="p", limits=limits).tag == "a"
    with pytest.raises(ArchiveError) as info:
        parse_xml(b"<a>" + b"<n/>" * 1000 + b"</a>", member="project.qde", name="p.qdpx", limits=limits)
    assert str(info.value) == ("p.qdpx: refusing this zip file: project.qde holds over 1,000 XML elements, the "
                               "limit for one part")
    with pytest.raises(ArchiveError, match="m nests XML elements over 20 deep, the limit"):
        parse_xml(b"<a>" * 21 + b"</a>" * 21, member="m", name="p", limits=limits)
    # the default limit, streamed: 30 MB of <N/> (7.5 million elements) stops at the millionth
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveError, match="holds over 1,000,000 XML elements"):
            parse_xml(iter([b"<P>"] + [b"<N/>" * 250_000] * 30), member="m", name="p", tree=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024  # checked, not built
