"""Word packages (.docx, .dotx) checked before python-docx reads them.

The main document is found the way Word and python-docx find it: the package relationship
(`_rels/.rels`) of type officeDocument, whatever the part is called, with its content type from
`[Content_Types].xml`. Every XML part (main document, headers, footers, footnotes, comments, styles,
relationships ...) is stream-parsed with defusedxml first, so a DOCTYPE or an entity is refused wherever
it hides and whatever its encoding; and the package is opened through `archive`, so a zip bomb (bytes
or XML elements) is refused before python-docx builds anything. The import of .docx transcripts and
the report's `--template` both call `check_word_package`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .archive import DEFAULT_LIMITS, ArchiveError, ZipLimits, open_zip

OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
DOCUMENT_MAIN = _WML + "document.main+xml"
TEMPLATE_MAIN = _WML + "template.main+xml"
_MACRO_MAIN = ("application/vnd.ms-word.document.macroEnabled.main+xml",
               "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class WordPackage:
    main_part: str  # zip member name of the main document, e.g. "word/document.xml"
    content_type: str  # DOCUMENT_MAIN or TEMPLATE_MAIN
    xml_parts: tuple[str, ...]  # every part parsed safely


def _content_types(z, *, name: str, what: str) -> tuple[dict[str, str], dict[str, str]]:
    """(defaults by lower-case extension, overrides by lower-case part name without the leading /)."""
    if "[Content_Types].xml" not in z.namelist():
        raise ArchiveError(f"not a {what}: it has no [Content_Types].xml (is it another zip file?)", path=name)
    root = z.parse("[Content_Types].xml")
    defaults = {e.get("Extension", "").lower(): e.get("ContentType", "") for e in root.iter(_CT + "Default")}
    overrides = {e.get("PartName", "").lstrip("/").lower(): e.get("ContentType", "")
                 for e in root.iter(_CT + "Override")}
    return defaults, overrides


def content_type(member: str, defaults: dict[str, str], overrides: dict[str, str]) -> str | None:
    """A part's content type as python-docx looks it up: the override for the part, else by extension."""
    if member.lower() in overrides:
        return overrides[member.lower()]
    ext = posixpath.splitext(member)[1][1:].lower()
    return defaults.get(ext)


def _is_xml(member: str, ctype: str | None) -> bool:
    return member.lower().endswith((".xml", ".rels")) or bool(ctype and ctype.split(";")[0].endswith("xml"))


def _main_part(z, *, name: str, what: str) -> str:
    """The officeDocument relationship's target, resolved as python-docx resolves it."""
    if "_rels/.rels" not in z.namelist():
        raise ArchiveError(f"not a {what}: it has no _rels/.rels (is it another zip file?)", path=name)
    root = z.parse("_rels/.rels")
    targets = [r.get("Target", "") for r in root.iter(_REL + "Relationship")
               if r.get("Type") == OFFICE_DOCUMENT and r.get("TargetMode", "Internal") != "External"]
    if not targets:
        raise ArchiveError(f"not a {what}: _rels/.rels names no main document", path=name)
    if len(targets) > 1:
        raise ArchiveError(f"not a valid {what}: _rels/.rels names {len(targets)} main documents", path=name)
    member = posixpath.normpath(posixpath.join("/", targets[0])).lstrip("/")
    if member not in z.namelist():
        raise ArchiveError(f"not a valid {what}: its main document {member[:80]} is missing", path=name)
    return member


def check_word_package(data: bytes, *, name: str, what: str = ".docx", templates: bool = False,
                       limits: ZipLimits = DEFAULT_LIMITS) -> WordPackage:
    """Refuse a zip bomb (members that unpack past `limits`, XML past its element or depth limit), a
    package without a Word main document, and any XML part with a DOCTYPE, entities or malformed XML;
    `templates` also accepts a .dotx main document. Raises ArchiveError."""
    with open_zip(data, name=name, what=what, limits=limits) as z:
        defaults, overrides = _content_types(z, name=name, what=what)
        main = _main_part(z, name=name, what=what)
        ctype = content_type(main, defaults, overrides)
        allowed = (DOCUMENT_MAIN, TEMPLATE_MAIN) if templates else (DOCUMENT_MAIN,)
        if ctype in _MACRO_MAIN:
            raise ArchiveError(f"refusing a macro-enabled Word file; save it as a {what} without macros",
                               path=name)
        if ctype not in allowed:
            raise ArchiveError(f"not a {what}: its main document {main[:80]} is {ctype or 'of no known type'}",
                               path=name)
        parsed = []
        for info in z.infolist():
            member = info.filename
            if member.endswith("/") or not _is_xml(member, content_type(member, defaults, overrides)):
                continue
            z.parse(member, tree=False)  # checked as it unpacks; no tree is built
            parsed.append(member)
    return WordPackage(main, ctype, tuple(parsed))
