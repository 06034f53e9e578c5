"""Bytes -> text for every text-based importer.

UTF-8 first; a byte order mark picks UTF-8/16/32; otherwise charset-normalizer guesses, and cp1252
(the Windows default that Word and Excel use for "ANSI" exports) wins unless the guess decodes to
another script, since the detector is unreliable on short Western text. NUL bytes or undecodable data
mean binary.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from coding.models import ImportFailed

BINARY = "binary file, not a transcript"

# longest first: the UTF-32-LE mark starts with the UTF-16-LE one
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_C1 = re.compile("[\x80-\x9f]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def normalize_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n; a leading byte order mark is dropped."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def xml_safe(text: str) -> str:
    """Remove characters XML (and so .docx/.qdpx) cannot hold; tabs and newlines stay."""
    return _XML_ILLEGAL.sub("", text)


def decode(data: bytes, *, name: str, notes: list[str] | None = None) -> str:
    """Decode a file's bytes to newline-normalized text, or raise ImportFailed for binary data.

    A file mixing UTF-8 lines with lines in an 8-bit code page (notes pasted together) is decoded line
    by line; `notes` (when given) receives one line saying how many lines needed the code page."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ImportFailed(f"bad {encoding.upper()} text ({exc.reason})", path=name) from None
            return _checked(text, name)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _checked(utf16, name)
    if b"\x00" in data:
        raise ImportFailed(BINARY, path=name)
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    mixed = _mixed(data, notes)
    return _checked(mixed if mixed is not None else _guess(data, name), name)


def _mixed(data: bytes, notes: list[str] | None) -> str | None:
    """UTF-8 lines as UTF-8 and the others in the code page they read best in; None when no line is
    UTF-8 beyond ASCII (then the whole file is one code page, see `_guess`).

    A line counts as UTF-8 when it decodes as UTF-8, has a non-ASCII character and no C1 control
    (U+0080-U+009F: what cp1252 bytes such as "Â€" would become; never intended text)."""
    lines = data.split(b"\n")
    decoded: list[str | None] = []
    other: list[int] = []
    utf8 = False
    for i, line in enumerate(lines):
        if line.isascii():
            decoded.append(line.decode("ascii"))
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None or _C1.search(text):
            decoded.append(None)
            other.append(i)
        else:
            decoded.append(text)
            utf8 = True
    if not utf8:
        return None
    encoding = _code_page(b"\n".join(lines[i] for i in other)) or "cp1252"
    for i in other:
        try:
            decoded[i] = lines[i].decode(encoding)
        except UnicodeDecodeError:
            decoded[i] = lines[i].decode("cp1252", errors="replace")
    if notes is not None:
        n, total = len(other), len(lines) - (lines[-1] in (b"", b"\r"))
        notes.append(f"{n} line{'s' if n != 1 else ''} of {total} not in UTF-8 like the rest: read as "
                     f"{codecs.lookup(encoding).name} (text pasted from another program?)")
    return "\n".join(decoded)  # type: ignore[arg-type]  every None was filled


def _guess(data: bytes, name: str) -> str:
    encoding = _code_page(data)
    if encoding is None:
        raise ImportFailed(BINARY, path=name)
    return data.decode(encoding)


def _code_page(data: bytes) -> str | None:
    """cp1252 unless the detector's guess reads better; None when nothing decodes the bytes.

    On short Western text the detector picks almost any 8-bit code page (cp775, cp850, cp1250 …), and
    they all decode the bytes; what tells them apart is what comes out. A guess wins when its letters
    are mostly non-Latin (Cyrillic, Greek, CJK …), or when it yields more plausible characters
    (letters and typographic marks such as “ ” – … €) than cp1252 does, which turns Polish "ż ł ą"
    into "¿ ³ ¹". Otherwise cp1252, the code page Word, Excel and Notepad write on Western Windows.
    """
    from charset_normalizer import from_bytes  # imported lazily: only non-UTF-8 files need it

    best = from_bytes(data).best()
    guessed = str(best) if best is not None else None
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        return best.encoding if best is not None else None
    if guessed is not None and (_mostly_non_latin(guessed) or _plausible(guessed) > _plausible(western)):
        return best.encoding
    return "cp1252"


_TYPOGRAPHIC = set("“”‘’„‚–—…•€£«»°§©®™·\u00a0")


def _plausible(text: str) -> int:
    """Non-ASCII characters that look intended (letters, typographic marks) minus the rest."""
    score = 0
    for ch in text:
        if ord(ch) > 127:
            score += 1 if (ch.isalpha() or ch in _TYPOGRAPHIC) else -1
    return score


def _mostly_non_latin(text: str) -> bool:
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    if not letters:
        return False
    latin = sum(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
    return latin < len(letters) / 2


def _utf16_without_bom(data: bytes) -> str | None:
    """Text saved as UTF-16 without a mark: NULs sit on every other byte of the ASCII characters."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= half * 0.4 and other == 0:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _checked(text: str, name: str) -> str:
    text = normalize_newlines(text)
    if "\x00" in text:
        raise ImportFailed(BINARY, path=name)
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 50):
        raise ImportFailed(BINARY, path=name)
    return text
