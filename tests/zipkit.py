"""Hostile Word packages for tests: zip bombs and parts in unexpected places.

`docx_bomb(1000)` is a real, valid .docx of about 1 MB whose word/document.xml unpacks to 1,000 MiB:
the document's XML followed by spaces (legal after the root element), compressed as repeated
identical deflate blocks so building it takes well under a second, with a correct CRC.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

MiB = 1024 * 1024


def blank_docx(*paragraphs: str) -> bytes:
    import docx

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _deflate(data: bytes) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def _write_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """Members as (name, raw deflate data, crc32, uncompressed size); no ZIP64 (sizes < 4 GiB)."""
    out, central = io.BytesIO(), []
    for name, data, crc, size in members:
        offset, encoded = out.tell(), name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0))
        out.write(encoded + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size,
                                   len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def repeated(head: bytes, chunk: bytes, times: int, tail: bytes = b"") -> tuple[bytes, int, int]:
    """(raw deflate data, crc32, size) of head + chunk * times + tail, built in well under a second for
    gigabytes: each chunk is compressed after a full flush, so every chunk's compressed bytes are the same."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH) if times else b""
    last = co.compress(tail) + co.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    return first + block * times + last, zlib.crc32(tail, crc), len(head) + len(chunk) * times + len(tail)


def fill(unit: bytes, mib: float) -> tuple[bytes, int]:
    """(chunk of about 1 MiB made of `unit`, how many chunks make `mib` MiB)."""
    chunk = unit * max(1, min(MiB, round(mib * MiB)) // len(unit))
    return chunk, max(1, round(mib * MiB / len(chunk)))


def zip_of(members: dict[str, bytes | tuple[bytes, int, int]], *, declared: dict[str, int] | None = None) -> bytes:
    """A zip of plain members (bytes) and prepared ones (`repeated(...)`); `declared` makes the zip lie
    about a member's size (what its directory says it unpacks to)."""
    rows = []
    for name, content in members.items():
        data, crc, size = content if isinstance(content, tuple) else (_deflate(content), zlib.crc32(content),
                                                                        len(content))
        rows.append((name, data, crc, (declared or {}).get(name, size)))
    return _write_zip(rows)


@functools.lru_cache(maxsize=4)
def docx_bomb(mib: int = 1000, part: str = "word/document.xml") -> bytes:
    """A valid .docx whose `part` is its own XML padded with spaces to `mib` MiB."""
    source = zipfile.ZipFile(io.BytesIO(blank_docx("Interviewer: Hello?", "P1: Hi.")))
    members: dict = {i.filename: source.read(i) for i in source.infolist()}
    members[part] = repeated(members[part], b" " * MiB, mib)
    return zip_of(members)


def docx_of_repeated(mib: float, unit: bytes = b"<w:p/>", *, declared: int | None = None) -> bytes:
    """A valid .docx whose body is two real paragraphs and then `unit` (XML in the body) repeated to
    `mib` MiB; `declared`: the size its zip claims for word/document.xml."""
    source = zipfile.ZipFile(io.BytesIO(blank_docx("Interviewer: Hello?", "P1: Hi.")))
    members: dict = {i.filename: source.read(i) for i in source.infolist()}
    xml = members["word/document.xml"]
    cut = xml.index(b"<w:sectPr")
    chunk, times = fill(unit, mib)
    members["word/document.xml"] = repeated(xml[:cut], chunk, times, xml[cut:])
    return zip_of(members, declared={"word/document.xml": declared} if declared else None)


QDE_HEAD = (b'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="big" '
            b'origin="a test">')


def qdpx_of_elements(mib: float, unit: bytes = b"<N/>") -> bytes:
    """A .qdpx whose project.qde is `unit` repeated to `mib` MiB inside <Project>."""
    chunk, times = fill(unit, mib)
    return zip_of({"project.qde": repeated(QDE_HEAD, chunk, times, b"</Project>")})


def qdpx_with_big_source(mib: float, *, declared: int | None = None) -> bytes:
    """A .qdpx with one text source of `mib` MiB of interview turns (`declared`: the size its zip claims)."""
    qde = QDE_HEAD + (b'<Sources><TextSource guid="00000000-0000-0000-0000-000000000001" name="big" '
                      b'plainTextPath="internal://big.txt"/></Sources></Project>')
    chunk, times = fill(b"Interviewer: How was the visit?\nP1: It was long, and nobody told me why.\n", mib)
    return zip_of({"project.qde": qde, "sources/big.txt": repeated(b"", chunk, times)},
                  declared={"sources/big.txt": declared} if declared else None)


def rewrite(data: bytes, changes: dict[str, bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of the zip with some members replaced (None removes one) and others added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in changes:
                if changes[info.filename] is not None:
                    target.writestr(info.filename, changes[info.filename])
            else:
                target.writestr(info, source.read(info))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)
