"""coding.guards.text: escape sequences and control characters out, text in; formula-like cells neutralised."""

from __future__ import annotations

import pytest

from coding.guards.text import spreadsheet_safe, strip_controls, terminal_safe, xml_safe


@pytest.mark.parametrize("dirty, clean", [
    ("\x1b[31mred\x1b[0m text", "red text"),                     # CSI colours
    ("\x1b[2J\x1b[Hcleared", "cleared"),                          # clear screen, cursor home
    ("\x1b]0;pwned\x07title", "title"),                           # OSC window title, BEL
    ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),      # OSC 8 hyperlink, ST
    ("\x1b]52;c;cm0gLXJm\x07copy", "copy"),                       # OSC 52 clipboard
    ("\x9b31mC1\x9b0m", "C1"),                                     # 8-bit CSI
    ("\x9d0;t\x9ctitle", "title"),                                 # 8-bit OSC and ST
    ("\x1bP1$r\x1b\\dcs", "dcs"),                                  # DCS
    ("\x1bcreset", "reset"),                                        # RIS
    ("a\x00b\x08c\x0bd\x0ce\x7ff\x85g\r\x1b", "abcdefg"),          # lone controls
    ("tabs\tand\nnewlines stay, “quotes” — and é", "tabs\tand\nnewlines stay, “quotes” — and é"),
    ("\x1b]0;unterminated title", "0;unterminated title"),         # no BEL: the ESC ] goes, text stays
])
def test_strip_controls(dirty, clean):
    assert strip_controls(dirty) == clean
    assert terminal_safe(dirty) == clean
    assert xml_safe(dirty) == clean


def test_terminal_safe_keeps_crlf_and_xml_safe_drops_what_xml_forbids():
    assert terminal_safe("a,b\r\nc\rd\r\n") == "a,b\r\ncd\r\n"
    assert xml_safe("a\ufffeb\ud800c\uffff") == "abc"
    assert strip_controls(None) == "" and strip_controls(3) == "3"


@pytest.mark.parametrize("cell, safe", [
    ("=HYPERLINK(\"http://x\",\"click\")", "'=HYPERLINK(\"http://x\",\"click\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("It was =1+1", "It was =1+1"), ("", ""), ("'already", "'already"), ("3", "3"),
])
def test_spreadsheet_safe(cell, safe):
    assert spreadsheet_safe(cell) == safe


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("-2+3", "'-2+3"), ("\x1b[2J@SUM(A1)", "'@SUM(A1)"),
    ("-0.500", "-0.500"), ("+2", "+2"), (-3, "-3"), (1.5, "1.5"), ("-٣", "'-٣"), ("-1e5", "'-1e5"),
])
def test_every_csv_cell_is_clean_and_formula_safe_but_numbers_stay_numbers(value, cell):
    from coding.guards.text import csv_cell

    assert csv_cell(value) == cell
    assert csv_cell("=1", raw=True) == "=1"


def test_bidi_overrides_and_isolates_are_dropped_but_marks_stay():
    text = "a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j \u200f\u200e\u061c"
    assert strip_controls(text) == terminal_safe(text) == "abcdefghij \u200f\u200e\u061c"
