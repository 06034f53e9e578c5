"""Decoding bytes: UTF-8, byte order marks, UTF-16 without a mark, cp1252, binary refusal, newlines."""

from __future__ import annotations

import codecs

import pytest

from coding.models import ImportFailed
from importers import load, load_with_report
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


MIXED_UTF8 = ["Interviewer: Was the café easy to find? — tell me.", "Interviewer: And the naïve question?"]
MIXED_CP1252 = ["P1: Not really – I didn’t see the sign, it’s “hidden”.", "P1: Crème brûlée at the café, 5 €."]


def _mixed_bytes(codepage: str = "cp1252") -> bytes:
    """Notes pasted together: UTF-8 questions, answers saved by an older program in a code page."""
    lines = [MIXED_UTF8[0].encode(), MIXED_CP1252[0].encode(codepage), MIXED_UTF8[1].encode(),
             MIXED_CP1252[1].encode(codepage), b"Interviewer: Thanks!"]
    return b"\r\n".join(lines) + b"\r\n"


def test_mixed_utf8_and_cp1252_lines_are_each_read_right():
    """Before: the whole file was guessed as cp1250 ("cafĂ©", "â€”")."""
    notes: list[str] = []
    text = decode(_mixed_bytes(), name="notes.txt", notes=notes)
    assert text.splitlines() == [MIXED_UTF8[0], MIXED_CP1252[0], MIXED_UTF8[1], MIXED_CP1252[1],
                                 "Interviewer: Thanks!"]
    assert notes == ["2 lines of 5 not in UTF-8 like the rest: read as cp1252 (text pasted from another program?)"]


def test_mixed_lines_in_another_code_page():
    lines = ["Интервьюер: Как вы узнали о клинике? — расскажите.".encode(),
             "Пациент: Мне сказал врач, и я волновался.".encode("cp1251"),
             "Пациент: Очень долго ждал результатов, никто не звонил.".encode("cp1251")]
    notes: list[str] = []
    text = decode(b"\n".join(lines), name="notes.txt", notes=notes)
    assert text.split("\n")[1:] == ["Пациент: Мне сказал врач, и я волновался.",
                                    "Пациент: Очень долго ждал результатов, никто не звонил."]
    assert notes and "read as cp1251" in notes[0]


def test_a_whole_file_in_one_code_page_is_not_mixed():
    notes: list[str] = []
    assert decode(SAMPLE.encode("cp1252"), name="x.txt", notes=notes) == SAMPLE
    assert decode(SAMPLE.encode(), name="x.txt", notes=notes) == SAMPLE
    assert notes == []


def test_mixed_file_import_reports_the_lines_that_needed_a_code_page(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(_mixed_bytes())
    result = load_with_report(path)
    t = result.transcripts[0]
    assert [t.text[u.start:u.end] for u in t.utterances] == [
        MIXED_UTF8[0].partition(": ")[2], MIXED_CP1252[0].partition(": ")[2], MIXED_UTF8[1].partition(": ")[2],
        MIXED_CP1252[1].partition(": ")[2], "Thanks!"]
    assert t.notes[0].startswith("2 lines of 5 not in UTF-8 like the rest: read as cp1252")
    assert result.file_notes == []  # reported once, with the source, not again for the file
    survey = tmp_path / "answers.csv"
    survey.write_bytes("id,answer\r\n1,The café was easy to find — really\r\n".encode()
                       + "2,I didn’t see the sign; it’s “hidden” somewhere\r\n".encode("cp1252"))
    result = load_with_report(survey)
    assert [t.text.split("\n")[1] for t in result.transcripts] == [
        "The café was easy to find — really", "I didn’t see the sign; it’s “hidden” somewhere"]
    assert result.file_notes[0].startswith("1 line of 3 not in UTF-8 like the rest: read as cp1252")
