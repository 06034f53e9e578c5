"""Study text made safe for where it goes: terminals, spreadsheets, XML.

Transcripts, names, titles, codes and memos hold whatever a file held, including terminal escape
sequences (`ESC ] 0 ; title BEL` retitles a terminal, `ESC [ 2 J` clears it, OSC 52 writes the
clipboard) and characters XML cannot hold. Every export and every line the CLI prints goes through
`strip_controls` (or `xml_safe`, which also drops what XML 1.0 forbids); every CSV cell goes through
`csv_cell`, which adds `spreadsheet_safe`: it stops `=HYPERLINK(...)` from becoming a live formula.
"""

from __future__ import annotations

import re

# ECMA-48 sequences, 7-bit (ESC ...) and 8-bit (C1) forms
_ESCAPE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]                    # CSI: colours, cursor moves, clearing
    | (?:\x1b\]|\x9d) [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)  # OSC: window title, hyperlink, clipboard
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]) [^\x1b\x9c]* (?:\x1b\\|\x9c)  # DCS, SOS, PM, APC ... ST
    | \x1b [ -/]* [0-~]                                       # two-byte escapes: resets, charsets
    """,
    re.VERBOSE,
)
# bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069): U+202E shows "exe.txt" for "txt.exe"
# and turns a line of a terminal or a spreadsheet around (Trojan Source); the implicit marks LRM/RLM stay
BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")  # C0 but tab and newline, DEL, C1, bidi
_TERMINAL_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI}]|\r(?!\n)")  # keeps CRLF ends
_XML_ILLEGAL = re.compile("[\ud800-\udfff\ufffe\uffff]")
# OWASP's CSV injection list: a cell starting with one of these is a formula in Excel, LibreOffice, Sheets
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def strip_controls(text: object) -> str:
    """The text without escape sequences, control characters and bidi overrides; tabs and newlines stay."""
    text = "" if text is None else str(text)
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE.sub("", text))


def terminal_safe(text: str) -> str:
    """`strip_controls` for output streams, keeping CRLF line ends (a CSV written to standard output)."""
    if not _TERMINAL_CONTROL.search(text):
        return text
    return _TERMINAL_CONTROL.sub("", _ESCAPE.sub("", text))


def xml_safe(text: object) -> str:
    """`strip_controls`, and without the characters XML 1.0 forbids (python-docx raises on them)."""
    return _XML_ILLEGAL.sub("", strip_controls(text))


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading `'` (OWASP)."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_cell(value: object, *, raw: bool = False) -> str:
    """One cell of any CSV that leaves the study: without controls, and formula-safe unless `raw`.
    A plain number (`-0.500`, `+2`) is written as it is: it is never a formula, and a `'` would make
    a spreadsheet read it as text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    cell = strip_controls(value)
    return cell if raw or _NUMBER.fullmatch(cell) else spreadsheet_safe(cell)
