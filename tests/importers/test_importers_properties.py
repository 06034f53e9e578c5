"""Property tests for every importer (issue 8, item 13): any text or bytes give a transcript whose turns sit at
their offsets in the normalized text, or one clean `ImportFailed`; never another exception.

The invariant, for every transcript: each utterance is non-empty, `text[start:end]` has no surrounding
whitespace, utterances come in text order without overlapping, and all lie within the text. A Store
stores exactly `text[start:end]` for each, so this is what "offsets are sacred" needs from an importer.
"""

from __future__ import annotations

import io
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coding.models import ImportFailed, Transcript
from importers import SUPPORTED_SUFFIXES, load, load_participants
from importers.docx import read_docx
from importers.participants import read_participants
from importers.srt import read_srt
from importers.survey import read_survey
from importers.text import read_text
from importers.vtt import read_vtt

FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def assert_turns_at_offsets(t: Transcript) -> None:
    assert isinstance(t, Transcript)
    assert isinstance(t.text, str) and "\r" not in t.text
    end = 0
    for u in t.utterances:
        assert end <= u.start < u.end <= len(t.text), (u, end, len(t.text))
        words = t.text[u.start:u.end]
        assert words == words.strip(), u
        assert u.speaker and u.speaker == u.speaker.strip()
        assert u.start_ms is None or u.start_ms >= 0
        end = u.end


def read_or_fail(reader, data, **kw) -> list[Transcript]:
    """The reader's transcripts, or [] when it refused the input with an ImportFailed."""
    try:
        result = reader(data, **kw)
    except ImportFailed as exc:
        assert str(exc) and "\n" not in str(exc)
        return []
    return result[0] if isinstance(result, tuple) else [result]


# Pieces real transcripts are made of, with the odd characters hostile files add
NAMES = ["Interviewer", "P1", "Anna Keller", "INT", "Dr. Smith", "Speaker 2", "id1", "Note", "Q", "Ana"]
TIMES = ["00:01:23", "0:03", "1:02:03.5", "99:99", "00:00:01,250", "[03:55]", "(0:07)"]
WORDS = ["hello", "the time was 10:30", "Why?", "é", "“quoted”", "…", "[laughter]", "**", "#", "---", ":",
         "\t", " ", "\u00a0", "\u2028", "\x0b", "\x1b[31m", "\ufeff", "\x00", "\ud7ff", "😀", "a\u0301"]
SEPS = ["\n", "\r\n", "\r", "\n\n", " ", ": ", ":"]
piece = st.sampled_from(NAMES + TIMES + WORDS + SEPS)
line = st.one_of(
    st.tuples(st.sampled_from(NAMES), st.sampled_from([": ", ":", "  ", " "]), st.lists(piece, max_size=6))
    .map(lambda t: t[0] + t[1] + "".join(t[2])),
    st.tuples(st.sampled_from(TIMES), st.sampled_from([" ", " - "]), st.sampled_from(NAMES),
              st.sampled_from([": ", "\n"]), st.lists(piece, max_size=5)).map(lambda t: "".join(t[:4]) + "".join(t[4])),
    st.lists(piece, max_size=8).map("".join),
)
transcript_text = st.one_of(st.lists(line, max_size=25).map("\n".join), st.text(max_size=300))


@FUZZ
@given(transcript_text)
def test_text(data):
    for t in read_or_fail(read_text, data, name="fuzz.txt"):
        assert_turns_at_offsets(t)
        assert t.text == data.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _vtt_time(ms: int, sep: str = ".") -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


cue_text = st.one_of(
    st.tuples(st.sampled_from(["<v Ana>", "<v.loud Ana Keller>", "<v>", "", "Ana: ", "Note: ", "<b>", "&amp;"]),
              st.lists(piece, max_size=5).map("".join)).map("".join),
    st.lists(st.sampled_from(WORDS + ["<", ">", "</v>", "-->", "&#xFFFFFF;", "\n"]), max_size=6).map("".join),
)
cue = st.tuples(st.integers(0, 10**8), st.integers(0, 10**6), cue_text)


@FUZZ
@given(st.lists(cue, max_size=12), st.sampled_from(["\n", "\r\n"]), st.sampled_from(["", "\ufeff", "\n"]))
def test_vtt_and_srt(cues, newline, lead):
    vtt = [lead + "WEBVTT", ""]
    srt = [lead]
    for n, (start, length, words) in enumerate(cues, start=1):
        vtt += [f"{_vtt_time(start)} --> {_vtt_time(start + length)}", words, ""]
        srt += [str(n), f"{_vtt_time(start, ',')} --> {_vtt_time(start + length, ',')}", words, ""]
    for reader, lines in ((read_vtt, vtt), (read_srt, srt)):
        for t in read_or_fail(reader, newline.join(lines), name="fuzz"):
            assert_turns_at_offsets(t)


CAPTION_TOKENS = ["WEBVTT", "\n", "\n\n", "1", "00:00:01.000", "00:00:02,500", " --> ", "-->", "<v Ana>", "</v>",
                  "Ana: ", "hello", "&amp;", "<", ">", "\r", "\ufeff", " ", "NOTE", "STYLE", "::cue", "{", "}"]


@FUZZ
@given(st.lists(st.sampled_from(CAPTION_TOKENS), max_size=50).map("".join) | st.text(max_size=200))
def test_caption_soup(data):
    for reader in (read_vtt, read_srt):
        for t in read_or_fail(reader, data, name="fuzz"):
            assert_turns_at_offsets(t)


cell = st.one_of(st.sampled_from(["", "1", "2", "NHS", "a long answer with several words in it", "=1+2", "é",
                                  "two\nlines of a longer answer here", "Ana", " ", "\ufeff", "\x00"]),
                 st.text(max_size=30))


def _csv(rows: list[list[str]], delimiter: str) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


@FUZZ
@given(st.lists(st.sampled_from(["id", "Name", "answer", "role", "segment", "Why?", "", "ID"]), min_size=1,
                max_size=5),
       st.lists(st.lists(cell, max_size=6), max_size=8), st.sampled_from([",", ";", "\t"]))
def test_survey_and_participants(header, rows, delimiter):
    data = _csv([header, *rows], delimiter)
    for t in read_or_fail(read_survey, data, name="fuzz.csv"):
        assert_turns_at_offsets(t)
    try:
        people = read_participants(data, name="fuzz.csv")
    except ImportFailed as exc:
        assert "\n" not in str(exc)
        return
    assert all(isinstance(p, dict) and p["name"] and p["name"] == " ".join(p["name"].split()) for p in people)
    assert len({p["name"].casefold() for p in people}) == len(people)


CSV_SOUP = [",", ";", "\t", "\n", "\r\n", '"', '""', "id", "Name", "answer", "a long answer with several words",
            "=cmd", "\x00", "é"]


@FUZZ
@given(st.lists(st.sampled_from(CSV_SOUP), max_size=40).map("".join) | st.text(max_size=200))
def test_csv_soup(data):
    for t in read_or_fail(read_survey, data, name="fuzz.csv"):
        assert_turns_at_offsets(t)
    try:
        read_participants(data, name="fuzz.csv")
    except ImportFailed:
        pass


paragraph = st.one_of(line, st.sampled_from(["", " ", "Transcript", "# Title", "[00:00:04] Maya: Hi?"]))
printable = st.text(alphabet=string.printable + "é“”–\u00a0", max_size=40)


def _docx(paragraphs: list[str], table: list[list[str]]) -> bytes:
    import docx

    from importers.encoding import xml_safe

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(xml_safe(text))
    if table and table[0]:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row[: len(table[0])]):
                grid.cell(r, c).text = xml_safe(value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@settings(FUZZ, max_examples=30)  # python-docx builds each file: slow, and test_docx_any_characters covers more
@given(st.lists(paragraph, max_size=12), st.lists(st.lists(printable, min_size=1, max_size=3), max_size=4))
def test_docx(paragraphs, table):
    for t in read_or_fail(read_docx, _docx(paragraphs, table), name="fuzz.docx"):
        assert_turns_at_offsets(t)


_VALID_DOCX = _docx(["Interviewer: How did you hear about us?", "P1: A friend told me."], [])
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
run_piece = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff",
                                   max_codepoint=0x3000), max_size=12),
    st.sampled_from(NAMES + [": ", "\r", "\r\n", "\n", "\x85", "\u2028", "\t", "[00:01:02]", "<w:br/>", "<w:cr/>",
                     "<w:tab/>"]),
)


def _escape(piece: str) -> str:
    """XML for a run: elements as they are, every character as a reference (so CR survives parsing)."""
    if piece.startswith("<w:"):
        return piece
    return "".join(f"&#{ord(ch)};" if ch in "\r\n\t&<>" or not (0x20 <= ord(ch) < 0xD800) else ch
                   for ch in piece if ch in "\t\n\r" or ord(ch) >= 0x20)


def _raw_docx(paragraphs: list[list[str]]) -> bytes:
    from tests.zipkit import rewrite

    body = "".join("<w:p>" + "".join(f'<w:r><w:t xml:space="preserve">{_escape(p)}</w:t></w:r>'
                                     if not p.startswith("<w:") else f"<w:r>{p}</w:r>" for p in runs) + "</w:p>"
                   for runs in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    return rewrite(_VALID_DOCX, {"word/document.xml": xml.encode()})


@settings(FUZZ, max_examples=60)
@given(st.lists(st.lists(run_piece, max_size=6), max_size=8))
def test_docx_any_characters_in_the_xml(paragraphs):
    """Characters python-docx never writes but Word files can hold (`&#13;`, NEL, line separators)."""
    for t in read_or_fail(read_docx, _raw_docx(paragraphs), name="fuzz.docx"):
        assert_turns_at_offsets(t)


@settings(FUZZ, max_examples=100)
@given(st.data())
def test_docx_bytes_damaged_anywhere(data):
    raw = bytearray(_VALID_DOCX)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(raw)))
    for t in read_or_fail(read_docx, bytes(raw[:cut]), name="fuzz.docx"):
        assert_turns_at_offsets(t)


@settings(FUZZ, max_examples=60)
@given(st.binary(max_size=400) | transcript_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
       st.sampled_from(SUPPORTED_SUFFIXES))
def test_load_any_bytes_with_any_suffix(tmp_path_factory, data, suffix):
    """`load` reads the bytes, decodes them and dispatches: any file gives transcripts or one ImportFailed."""
    path = tmp_path_factory.mktemp("fuzz") / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        transcripts = load(path)
    except ImportFailed as exc:
        assert str(exc).startswith(path.name) and "\n" not in str(exc)
        return
    for t in transcripts:
        assert_turns_at_offsets(t)
    if suffix == ".csv":
        try:
            load_participants(path)
        except ImportFailed:
            pass


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252", "cp1251", "utf-32"])
@settings(FUZZ, max_examples=25)
@given(data=transcript_text)
def test_encoded_text_round_trips(tmp_path_factory, encoding, data):
    raw = data.encode(encoding, errors="replace")  # what a code page cannot hold becomes "?"
    path = tmp_path_factory.mktemp("enc") / "fuzz.txt"
    path.write_bytes(raw)
    try:
        transcripts = load(path)
    except ImportFailed:
        return
    for t in transcripts:
        assert_turns_at_offsets(t)
