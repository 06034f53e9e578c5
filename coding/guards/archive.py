"""Untrusted zip packages (.docx, .dotx, .qdpx) opened so they cannot exhaust memory or escape a folder.

`open_zip` reads only the central directory and refuses, before any member is decompressed: more
members than the limit, a member or the whole archive declaring to unpack to more than the limits,
duplicate names, names that are absolute or climb out with `..`, and encrypted members. Reading then
counts what members really unpack to, in chunks, and stops at the limit (a zip can declare less than
it holds). XML is stream-parsed with defusedxml (no DTD, no entities, no external references) and
refused past a number of elements or a nesting depth, so a few hundred KB of `<p/>` repeated cannot
build a tree of gigabytes. Importers give the limits from `--max-mb` (`ZipLimits.unpacking_to`).
Importers and exports both use this module, which is why it lives in the core.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..models import StudyError

MiB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """What a package may unpack to. The defaults fit any real transcript, report template or
    REFI-QDA project (Word keeps a 1,000-page document.xml well under 100 MiB)."""

    members: int = 10_000
    member_bytes: int = 256 * MiB
    total_bytes: int = 512 * MiB
    elements: int = 1_000_000  # XML elements in one part (a 1,000-page transcript's document.xml: ~400,000)
    depth: int = 256  # XML nesting, as lxml allows without huge_tree
    option: str = ""  # the option that sets the byte limits, named when one is reached

    @classmethod
    def unpacking_to(cls, max_bytes: int, option: str = "--max-mb") -> ZipLimits:
        """Limits for an import: what the members unpack to, each and together, within `max_bytes`."""
        return cls(member_bytes=max_bytes, total_bytes=max_bytes, option=option)

    def hint(self) -> str:
        return f"a zip bomb? if not, raise the limit with {self.option}" if self.option else "a zip bomb?"


DEFAULT_LIMITS = ZipLimits()


class ArchiveError(StudyError):
    """A zip package that is corrupt, or that this program refuses to unpack."""


def _mib(n: int) -> str:
    return f"{n / MiB:,.0f} MiB" if n >= MiB else f"{n:,} bytes"


def safe_member_path(member: str) -> str:
    """The member's name as a relative POSIX path that stays inside its folder, or raise ValueError.

    Refuses absolute names (`/etc/x`, `C:\\x`), `..` anywhere, backslashes and NUL bytes: what a
    reader that extracts members (REFI-QDA sources) must never write outside its folder.
    """
    if not member or "\x00" in member or "\\" in member:
        raise ValueError(member)
    if member.startswith("/") or (len(member) > 1 and member[1] == ":"):
        raise ValueError(member)
    parts = member.split("/")
    if any(part == ".." for part in parts):
        raise ValueError(member)
    clean = posixpath.normpath(member)
    if clean.startswith(("../", "/")) or clean == "..":
        raise ValueError(member)
    return clean


_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
_CHUNK = 1024 * 1024


class SafeZip:
    """A zip package whose directory passed `open_zip`'s checks. `read` and `parse` count what members
    really unpack to (each, and all read together) against the limits. A context manager."""

    def __init__(self, z: zipfile.ZipFile, *, name: str, what: str, limits: ZipLimits):
        self.zip, self.name, self.what, self.limits = z, name, what, limits
        self.unpacked = 0  # bytes read from all members so far

    def infolist(self) -> list[zipfile.ZipInfo]:
        return self.zip.infolist()

    def namelist(self) -> list[str]:
        return self.zip.namelist()

    def chunks(self, member: str) -> Iterable[bytes]:
        """A member's bytes in chunks, refused as soon as they pass a limit; corrupt data is an ArchiveError."""
        refuse = f"refusing this {self.what}:"
        try:
            with self.zip.open(member) as fh:
                size = 0
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    self.unpacked += len(chunk)
                    if size > self.limits.member_bytes:
                        raise ArchiveError(f"{refuse} {member[:80]} unpacks to over {_mib(self.limits.member_bytes)}, "
                                           f"the limit per file ({self.limits.hint()})", path=self.name)
                    if self.unpacked > self.limits.total_bytes:
                        raise ArchiveError(f"{refuse} its files unpack to over {_mib(self.limits.total_bytes)}, the "
                                           f"limit for the whole package ({self.limits.hint()})", path=self.name)
                    yield chunk
        except KeyError:
            raise ArchiveError(f"not a valid {self.what}: {member[:80]} is missing", path=self.name) from None
        except _CORRUPT:
            raise ArchiveError(f"not a valid {self.what} (corrupt or truncated)", path=self.name) from None

    def read(self, member: str) -> bytes:
        """A member's bytes, within the limits."""
        return b"".join(self.chunks(member))

    def parse(self, member: str, *, tree: bool = True):
        """A member parsed as XML as it is unpacked (see `parse_xml`)."""
        return parse_xml(self.chunks(member), member=member, name=self.name, what=self.what,
                         limits=self.limits, tree=tree)

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_zip(source: bytes | str | Path, *, name: str, what: str = "zip file",
             limits: ZipLimits = DEFAULT_LIMITS) -> SafeZip:
    """Open `source` (bytes or a path) as a zip whose members are checked against `limits`.

    Nothing is decompressed here. Raises `ArchiveError` naming `name`, the member and the limit.
    The caller closes the returned SafeZip (it is a context manager).
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except _CORRUPT:
        raise ArchiveError(f"not a valid {what} (corrupt or truncated)", path=name) from None
    try:
        _check(z.infolist(), name=name, what=what, limits=limits)
    except BaseException:
        z.close()
        raise
    return SafeZip(z, name=name, what=what, limits=limits)


def _check(infos: list[zipfile.ZipInfo], *, name: str, what: str, limits: ZipLimits) -> None:
    refuse = f"refusing this {what}:"
    if len(infos) > limits.members:
        raise ArchiveError(f"{refuse} it holds {len(infos):,} files, over the limit of {limits.members:,} "
                           "(a zip bomb?)", path=name)
    seen: set[str] = set()
    total = 0
    for info in infos:
        member = info.filename
        if info.file_size > limits.member_bytes:
            raise ArchiveError(f"{refuse} {member[:80]} unpacks to {_mib(info.file_size)}, over the limit of "
                               f"{_mib(limits.member_bytes)} per file ({limits.hint()})", path=name)
        total += info.file_size
        if total > limits.total_bytes:
            raise ArchiveError(f"{refuse} its files unpack to over {_mib(limits.total_bytes)}, the limit for "
                               f"the whole package ({limits.hint()})", path=name)
        try:
            safe_member_path(member)
        except ValueError:
            raise ArchiveError(f"{refuse} it holds a file named {member[:80]!r}, outside the package",
                               path=name) from None
        if member in seen:
            raise ArchiveError(f"{refuse} it holds {member[:80]} twice", path=name)
        seen.add(member)
        if info.flag_bits & 0x1:
            raise ArchiveError(f"{refuse} {member[:80]} is encrypted (password-protected)", path=name)


def read_member(z: SafeZip, member: str, *, name: str = "", what: str = "") -> bytes:
    """A member's bytes, within the limits (`SafeZip.read`; kept for callers that pass the zip)."""
    return z.read(member)


class _Counted:
    """A parser target that refuses a part past `limits.elements` elements or `limits.depth` levels,
    building the tree only when asked (`builder`)."""

    def __init__(self, builder, limits: ZipLimits, refuse):
        self.builder, self.limits, self.refuse = builder, limits, refuse
        self.elements = self.depth = 0

    def start(self, tag, attrib):
        self.elements += 1
        self.depth += 1
        if self.elements > self.limits.elements:
            raise self.refuse(f"holds over {self.limits.elements:,} XML elements, the limit for one part")
        if self.depth > self.limits.depth:
            raise self.refuse(f"nests XML elements over {self.limits.depth} deep, the limit")
        if self.builder is not None:
            return self.builder.start(tag, attrib)

    def end(self, tag):
        self.depth -= 1
        if self.builder is not None:
            return self.builder.end(tag)

    def data(self, text):
        if self.builder is not None:
            self.builder.data(text)

    def close(self):
        return self.builder.close() if self.builder is not None else None


def parse_xml(data: bytes | Iterable[bytes], *, member: str, name: str, what: str = "zip file",
              limits: ZipLimits = DEFAULT_LIMITS, tree: bool = True):
    """Parse one XML member (bytes, or chunks as they are unpacked) with defusedxml (no DOCTYPE,
    entities or external references allowed) within `limits.elements` and `limits.depth`; returns the
    root `xml.etree.ElementTree.Element`, or None when `tree` is False (only checked, nothing built)."""
    from xml.etree.ElementTree import TreeBuilder

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    def refuse(why: str) -> ArchiveError:
        return ArchiveError(f"refusing this {what}: {member[:80]} {why}", path=name)

    target = _Counted(TreeBuilder() if tree else None, limits, refuse)
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        for chunk in [data] if isinstance(data, bytes) else data:
            parser.feed(chunk)
        return parser.close()
    except DefusedXmlException:
        raise ArchiveError(f"refusing a {what} whose {member[:80]} declares a DOCTYPE or entities",
                           path=name) from None
    except (ParseError, ValueError, LookupError) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ArchiveError(f"not a valid {what}: {member[:80]} is not well-formed ({detail})",
                           path=name) from None
