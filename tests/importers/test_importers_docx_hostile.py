"""Hostile .docx files: the main document under another name, DOCTYPEs in any part, zip bombs (issue 8, 7-8)."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from coding.models import ImportFailed
from importers import load
from importers.docx import read_docx
from tests.zipkit import blank_docx, docx_bomb, member, rewrite

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EVIL = '<!DOCTYPE w:document [<!ENTITY x "secret">]>'


def doc_xml(*paragraphs: str, root: str = "document", doctype: str = "") -> str:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    inner = f"<w:body>{body}</w:body>" if root == "document" else body
    return f'<?xml version="1.0"?>{doctype}<w:{root} xmlns:w="{W}" xmlns:r="{R}">{inner}</w:{root}>'


def with_main_part(data: bytes, part: str, xml: bytes, *, decoy: bytes | None = None) -> bytes:
    """Move the main document to `part` (relationships and content types follow); `decoy` stays at
    word/document.xml, referenced by nothing."""
    rels = member(data, "_rels/.rels").replace(b'Target="word/document.xml"', f'Target="{part}"'.encode())
    types = member(data, "[Content_Types].xml").replace(
        b'PartName="/word/document.xml"', f'PartName="/{part}"'.encode())
    folder, _, base = part.rpartition("/")
    moved_rels = member(data, "word/_rels/document.xml.rels")
    return rewrite(data, {"_rels/.rels": rels, "[Content_Types].xml": types, "word/document.xml": decoy,
                          "word/_rels/document.xml.rels": None},
                   {part: xml, f"{folder}/_rels/{base}.rels": moved_rels})


def with_part(data: bytes, part: str, content_type: str, reltype: str, xml: bytes) -> bytes:
    """Add a part related to the main document (a header, footer, footnotes, comments)."""
    rels = member(data, "word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        f'<Relationship Id="rIdHostile" Type="{R}/{reltype}" Target="{part.removeprefix("word/")}"/>'
        "</Relationships>".encode())
    types = member(data, "[Content_Types].xml").replace(
        b"</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'.encode())
    return rewrite(data, {"word/_rels/document.xml.rels": rels, "[Content_Types].xml": types}, {part: xml})


def words(t) -> list[str]:
    return [t.text[u.start:u.end] for u in t.utterances]


def test_main_document_found_through_the_relationships():
    """Word online writes word/document2.xml; python-docx follows _rels/.rels, and so does the check."""
    data = with_main_part(blank_docx(), "word/document2.xml",
                          doc_xml("Interviewer: How did you book?", "P1: Online, it was quick.").encode())
    t = read_docx(data, name="renamed.docx")
    assert words(t) == ["How did you book?", "Online, it was quick."]


def test_an_unreferenced_document_xml_is_not_what_is_read():
    data = with_main_part(blank_docx(), "word/body.xml", doc_xml("Interviewer: Real?", "P1: Real words.").encode(),
                          decoy=doc_xml("Interviewer: Decoy?", "P1: Decoy words.").encode())
    assert words(read_docx(data, name="decoy.docx")) == ["Real?", "Real words."]


@pytest.mark.parametrize("part, encoding", [("word/body", "utf-8"), ("word/body.xml", "utf-16")])
def test_doctype_in_a_main_part_under_another_name_is_refused(part, encoding):
    """Before: only word/document.xml was parsed, other parts were searched for the bytes '<!DOCTYPE', so
    a main part without .xml in its name, or in UTF-16, was read and lost the paragraph holding `&x;`."""
    xml = doc_xml("Interviewer: Hello?", "P1: &x; was here.", doctype=EVIL).encode(encoding)
    data = with_main_part(blank_docx(), part, xml, decoy=doc_xml("P1: Decoy words.").encode())
    with pytest.raises(ImportFailed, match=rf"evil.docx: refusing a \.docx whose {part} declares a DOCTYPE"):
        read_docx(data, name="evil.docx")


@pytest.mark.parametrize("part, kind, root", [
    ("word/header9.xml", "header", "hdr"),
    ("word/footer9.xml", "footer", "ftr"),
    ("word/footnotes.xml", "footnotes", "footnotes"),
    ("word/comments.xml", "comments", "comments"),
])
def test_doctype_in_headers_footers_footnotes_and_comments_is_refused(part, kind, root):
    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    clean = with_part(blank_docx("P1: Hi."), part, content_type, kind, doc_xml("Acme", root=root).encode())
    assert words(read_docx(clean, name="clean.docx")) == ["Hi."]
    evil = with_part(blank_docx("P1: Hi."), part, content_type, kind,
                     doc_xml("&x;", root=root, doctype=EVIL).encode("utf-16"))
    with pytest.raises(ImportFailed, match=f"whose {part} declares a DOCTYPE or entities"):
        read_docx(evil, name="evil.docx")


def test_malformed_xml_in_any_part_is_named():
    data = with_part(blank_docx("P1: Hi."), "word/comments.xml",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml", "comments",
                     b"<w:comments><w:p>")
    with pytest.raises(ImportFailed, match=r"word/comments.xml is not well-formed"):
        read_docx(data, name="bad.docx")


def test_a_package_without_a_main_document_relationship():
    data = blank_docx("P1: Hi.")
    rels = member(data, "_rels/.rels").replace(b"/officeDocument", b"/somethingElse")
    with pytest.raises(ImportFailed, match=r"_rels/\.rels names no main document"):
        read_docx(rewrite(data, {"_rels/.rels": rels}), name="odd.docx")


def test_a_zip_bomb_fails_fast_with_little_memory_and_names_the_limit(tmp_path):
    """Before: 23 s and 3 GB before failing (the 1 GB total limit let 1,000 MiB through)."""
    bomb = docx_bomb(1000)
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(ImportFailed) as info:
            read_docx(bomb, name="bomb.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value) == ("bomb.docx: refusing this .docx: word/document.xml unpacks to 1,000 MiB, "
                               "over the limit of 256 MiB per file (a zip bomb?)")
    assert peak < 16 * 1024 * 1024  # nothing was unpacked
    assert time.perf_counter() - t0 < 5  # generous for a loaded machine: before it was 23 s
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    with pytest.raises(ImportFailed) as info:  # an import: the limit is --max-mb's
        load(path)
    assert str(info.value) == ("bomb.docx: refusing this .docx: word/document.xml unpacks to 1,000 MiB, over the "
                               "limit of 50 MiB per file (a zip bomb? if not, raise the limit with --max-mb)")


def test_a_smaller_bomb_under_the_limit_is_read():
    """The limit is about size, not about compression: 8 MiB of padding is a valid (odd) document."""
    t = read_docx(docx_bomb(8), name="padded.docx")
    assert words(t) == ["Hello?", "Hi."]
