"""Untrusted zip packages (.docx, .dotx, .qdpx) opened so they cannot exhaust memory or escape a folder.

`open_zip` reads only the central directory and refuses, before any member is decompressed: more
members than the limit, a member or the whole archive unpacking to more than the limits, duplicate
names, names that are absolute or climb out with `..`, and encrypted members. Python's zipfile never
hands out more than a member's declared size (a member that inflates beyond it fails its CRC check),
so checking the declared sizes bounds what any later read can cost. `parse_xml` parses a member with
defusedxml: no DTD, no entities, no external references. Importers and exports both use this module,
which is why it lives in the core.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .models import StudyError

MiB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """What a package may unpack to. The defaults fit any real transcript, report template or
    REFI-QDA project (Word keeps a 1,000-page document.xml well under 100 MiB)."""

    members: int = 10_000
    member_bytes: int = 256 * MiB
    total_bytes: int = 512 * MiB


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


def open_zip(source: bytes | str | Path, *, name: str, what: str = "zip file",
             limits: ZipLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open `source` (bytes or a path) as a zip whose members are checked against `limits`.

    Nothing is decompressed here. Raises `ArchiveError` naming `name`, the member and the limit.
    The caller closes the returned ZipFile (it is a context manager).
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise ArchiveError(f"not a valid {what} (corrupt or truncated)", path=name) from None
    try:
        _check(z.infolist(), name=name, what=what, limits=limits)
    except BaseException:
        z.close()
        raise
    return z


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
                               f"{_mib(limits.member_bytes)} per file (a zip bomb?)", path=name)
        total += info.file_size
        if total > limits.total_bytes:
            raise ArchiveError(f"{refuse} its files unpack to over {_mib(limits.total_bytes)}, the limit for "
                               "the whole package (a zip bomb?)", path=name)
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


def read_member(z: zipfile.ZipFile, member: str, *, name: str, what: str = "zip file") -> bytes:
    """A member's bytes (its size was checked by `open_zip`); corrupt data is an ArchiveError."""
    try:
        return z.read(member)
    except KeyError:
        raise ArchiveError(f"not a valid {what}: {member[:80]} is missing", path=name) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise ArchiveError(f"not a valid {what} (corrupt or truncated)", path=name) from None


def parse_xml(data: bytes, *, member: str, name: str, what: str = "zip file"):
    """Parse one XML member with defusedxml (no DOCTYPE, entities or external references allowed);
    returns the root `xml.etree.ElementTree.Element`."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ArchiveError(f"refusing a {what} whose {member[:80]} declares a DOCTYPE or entities",
                           path=name) from None
    except (ParseError, ValueError, LookupError) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ArchiveError(f"not a valid {what}: {member[:80]} is not well-formed ({detail})",
                           path=name) from None
