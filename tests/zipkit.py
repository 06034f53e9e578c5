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


@functools.lru_cache(maxsize=4)
def docx_bomb(mib: int = 1000, part: str = "word/document.xml") -> bytes:
    """A valid .docx whose `part` is its own XML padded with spaces to `mib` MiB."""
    source = zipfile.ZipFile(io.BytesIO(blank_docx("Interviewer: Hello?", "P1: Hi.")))
    members = []
    for info in source.infolist():
        content = source.read(info)
        if info.filename != part:
            members.append((info.filename, _deflate(content), zlib.crc32(content), len(content)))
            continue
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        head = co.compress(content) + co.flush(zlib.Z_FULL_FLUSH)
        chunk = b" " * MiB
        block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)  # the same bytes for every chunk
        crc = zlib.crc32(content)
        for _ in range(mib):
            crc = zlib.crc32(chunk, crc)
        data = head + block * mib + co.flush()
        members.append((info.filename, data, crc, len(content) + mib * MiB))
    return _write_zip(members)


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
