"""Decoding bytes: UTF-8, byte order marks, UTF-16 without a mark, cp1252, binary refusal, newlines."""

from __future__ import annotations

import codecs

import pytest

from coding.models import ImportFailed
from importers import load
from importers.encoding import decode, normalize_newlines, xml_safe

SAMPLE = "Interviewer: Was the café “easy” to find?\nP1: Not really – I didn’t see the sign.\n"


@pytest.mark.parametrize(
    "bom, encoding",
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_marks(bom, encoding):
    assert decode(bom + SAMPLE.encode(encoding), name="x.txt") == SAMPLE


def test_plain_utf8():
    assert decode(SAMPLE.encode("utf-8"), name="x.txt") == SAMPLE


def test_utf16_without_bom():
    assert decode(SAMPLE.encode("utf-16-le"), name="x.txt") == SAMPLE
    assert decode(SAMPLE.encode("utf-16-be"), name="x.txt") == SAMPLE


@pytest.mark.parametrize("text, encoding", [
    ("Sam Reid  0:03\nHow did you hear?\n\nAisha Khan  0:10\nMy GP told me. I was “worried” at first.\n", "cp1252"),
    ("Señora Muñoz: ¿Qué pasó? Esperé mucho.\n", "cp1252"),
    ("Müller: Größe und Übergröße, schön.\n", "cp1252"),
    ("Pacjent: Zażółć gęślą jaźń, powiedział.\n", "cp1250"),
    ("Интервьюер: Как вы узнали о клинике?\nПациент: Мне сказал врач, и я волновался.\n", "cp1251"),
    ("Συνεντευκτής: Πώς μάθατε για την κλινική;\n", "cp1253"),
])
def test_short_eight_bit_text_in_its_own_script(text, encoding):
    """The detector calls short Western text cp775 or cp850; what decides is what the letters become."""
    assert decode(text.encode(encoding), name="x.txt") == text


def test_cp1252_curly_quotes_and_accents():
    data = SAMPLE.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data, name="x.txt") == SAMPLE
    assert decode("é".encode("cp1252"), name="x.txt") == "é"  # one byte: no guessing EBCDIC or cp1250


def test_newlines_are_normalized():
    assert decode(b"a\r\nb\rc\n", name="x.txt") == "a\nb\nc\n"
    assert normalize_newlines("\ufeffa\r\nb") == "a\nb"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        bytes(range(32)) * 10,
        b"%PDF-1.7\n\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18",
    ],
)
def test_binary_is_refused(data):
    with pytest.raises(ImportFailed, match="binary file, not a transcript") as info:
        decode(data, name="photo.txt")
    assert info.value.path == "photo.txt"


def test_xml_safe_removes_control_characters_but_keeps_tabs_and_newlines():
    assert xml_safe("a\x00b\x0bc\x0cd\x1fe\ufffef\tg\nh") == "abcdef\tg\nh"


def test_load_decodes_files(tmp_path):
    for name, data in [
        ("utf16.txt", codecs.BOM_UTF16_LE + SAMPLE.replace("\n", "\r\n").encode("utf-16-le")),
        ("ansi.txt", SAMPLE.encode("cp1252")),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        t = load(path)[0]
        assert t.text == SAMPLE
        assert [t.text[u.start : u.end] for u in t.utterances] == [
            "Was the café “easy” to find?",
            "Not really – I didn’t see the sign.",
        ]
        assert t.speakers == ["Interviewer", "P1"]


def test_load_refuses_binary(tmp_path):
    path = tmp_path / "recording.vtt"
    path.write_bytes(b"\x00\x01RIFF\x00\x00WAVEfmt ")
    with pytest.raises(ImportFailed) as info:
        load(path)
    assert str(info.value) == "recording.vtt: binary file, not a transcript"
