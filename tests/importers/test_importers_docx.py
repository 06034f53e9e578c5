"""Word transcripts: paragraph, table, Otter, Rev and Teams layouts; no labels; corrupt and hostile files."""

from __future__ import annotations

import io
import zipfile

import pytest
from importer_testkit import assert_offsets_exact, make_docx, shared

from coding.models import ImportFailed
from importers import load
from importers.docx import read_docx


def words(t) -> list[tuple[str, str]]:
    return [(u.speaker, t.text[u.start : u.end]) for u in t.utterances]


def test_paragraph_labels():
    data = make_docx(
        ("heading", "Interview 7 – expenses"),
        "Interviewer: What do you do with paper receipts?",
        "P7: I keep them in an envelope in my bag.",
        "Sometimes they fade before I scan them.",
        "Interviewer: How often does that happen?",
        "P7: Every month, at least once.",
    )
    t = read_docx(data, name="interview_07.docx")
    assert_offsets_exact(t)
    assert (t.title, t.format) == ("interview_07", "docx")
    assert words(t) == [
        ("Interviewer", "What do you do with paper receipts?"),
        ("P7", "I keep them in an envelope in my bag.\nSometimes they fade before I scan them."),
        ("Interviewer", "How often does that happen?"),
        ("P7", "Every month, at least once."),
    ]
    assert t.text.startswith("Interviewer: What do you do with paper receipts?\n\nP7: I keep them")
    assert t.metadata["document title"] == "Interview 7 – expenses"
    assert t.roles == {"Interviewer": "interviewer"}


def test_table_with_time_and_header_row():
    data = make_docx(
        [
            ("Time", "Speaker", "Text"),
            ("00:00:04", "Maya Patel", "Can you show me how you file a claim?"),
            ("00:00:09", "Chris Wong", "Sure, I open the app first."),
            ("00:00:15", "Chris Wong", "Then I tap the plus button."),
            ("00:00:21", "Maya Patel", "What happens if the photo is blurry?"),
        ]
    )
    t = read_docx(data, name="teams_table.docx")
    assert_offsets_exact(t)
    assert words(t) == [
        ("Maya Patel", "Can you show me how you file a claim?"),
        ("Chris Wong", "Sure, I open the app first."),
        ("Chris Wong", "Then I tap the plus button."),
        ("Maya Patel", "What happens if the photo is blurry?"),
    ]
    assert [u.start_ms for u in t.utterances] == [4000, 9000, 15000, 21000]
    assert t.text.splitlines()[0] == "[00:00:04] Maya Patel: Can you show me how you file a claim?"


def test_table_speaker_and_text_only():
    data = make_docx(
        [
            ("Interviewer", "Where do you keep your passwords?"),
            ("Respondent", "In a notebook by the computer."),
            ("Interviewer", "Does anyone else use it?"),
        ]
    )
    t = read_docx(data, name="rev_table.docx")
    assert [u.speaker for u in t.utterances] == ["Interviewer", "Respondent", "Interviewer"]
    assert t.text[t.utterances[1].start : t.utterances[1].end] == "In a notebook by the computer."


def test_otter_docx():
    data = make_docx(
        "Anna Keller  0:02",
        "Thanks for making time today. How do you book appointments?",
        "Participant 4  0:09",
        "I ring the surgery at eight.",
        "Then I wait in the queue.",
        "Anna Keller  1:02",
        "Did you try the app?",
        "Participant 4  1:05",
        "Once. It logged me out.",
    )
    t = read_docx(data, name="otter.docx")
    assert_offsets_exact(t)
    assert words(t)[1] == ("Participant 4", "I ring the surgery at eight.\nThen I wait in the queue.")
    assert [u.start_ms for u in t.utterances] == [2000, 9000, 62000, 65000]
    assert t.text.split("\n\n")[2] == "[00:01:02] Anna Keller: Did you try the app?"


def test_rev_docx():
    data = make_docx(
        "Interviewer (00:00:03):",
        "Can you walk me through your last renewal?",
        "Jordan (00:00:11):",
        "The price went up by thirty percent.",
        "Interviewer (00:00:20):",
        "What did you do?",
        "Jordan (00:00:23):",
        "I switched.",
    )
    t = read_docx(data, name="rev.docx")
    assert words(t) == [
        ("Interviewer", "Can you walk me through your last renewal?"),
        ("Jordan", "The price went up by thirty percent."),
        ("Interviewer", "What did you do?"),
        ("Jordan", "I switched."),
    ]
    assert [u.start_ms for u in t.utterances] == [3000, 11000, 20000, 23000]


def test_teams_docx_time_then_name():
    data = make_docx(
        "00:00:03 Maya Patel",
        "Hello, can you hear me?",
        "00:00:06 Chris Wong",
        "Yes, loud and clear.",
        "00:00:09 Maya Patel",
        "Great, let's start.",
    )
    t = read_docx(data, name="teams.docx")
    assert [u.speaker for u in t.utterances] == ["Maya Patel", "Chris Wong", "Maya Patel"]
    assert t.utterances[-2].start_ms == 6000
    assert t.text[t.utterances[-1].start : t.utterances[-1].end] == "Great, let's start."


def test_teams_docx_with_title_and_date_lines_and_name_time_headers():
    data = make_docx(
        "Transcript",
        "November 2, 2023, 2:03PM",
        "Sam Reid   0:03",
        "How did you hear about the clinic?",
        "Aisha Khan   0:10",
        "My GP told me. I was worried.",
        "Sam Reid   0:25",
        "And then?",
        "Aisha Khan   0:31",
        "The letter came late.",
    )
    t = read_docx(data, name="teams.docx")
    assert_offsets_exact(t)
    assert t.speakers == ["Sam Reid", "Aisha Khan"]  # the title and date are no one's words
    assert t.metadata["preamble"] == ["Transcript", "November 2, 2023, 2:03PM"]
    assert [u.start_ms for u in t.utterances] == [3000, 10000, 25000, 31000]


def test_older_teams_docx_with_cue_times_and_name_lines():
    data = make_docx(
        "0:0:0.0 --> 0:0:3.520", "Sam Reid", "How did you hear about the clinic?", "",
        "0:0:4.100 --> 0:0:9.0", "Aisha Khan", "My GP told me. I was worried.", "",
        "0:0:9.500 --> 0:0:12.0", "Aisha Khan", "Then nothing for weeks.",
    )
    t = read_docx(data, name="teams_old.docx")
    assert_offsets_exact(t)
    assert words(t) == [("Sam Reid", "How did you hear about the clinic?"),
                        ("Aisha Khan", "My GP told me. I was worried."), ("Aisha Khan", "Then nothing for weeks.")]
    assert [u.start_ms for u in t.utterances] == [0, 4100, 9500]


def test_docx_without_labels_is_a_monologue():
    data = make_docx("I really like the new dashboard.", "", "The export button is hard to find, though.")
    t = read_docx(data, name="diary.docx")
    assert words(t) == [
        ("Unknown speaker", "I really like the new dashboard.\nThe export button is hard to find, though.")
    ]
    assert any("monologue" in n for n in t.notes)


def test_qualcoder_id1_docx():
    t = load(shared("transcripts/qualcoder_sample/ID1.docx"))[0]
    assert_offsets_exact(t)
    assert t.speakers == ["Unknown speaker"]
    (u,) = t.utterances
    quote = t.text[u.start : u.end]
    assert quote.startswith("I really like learning new things. I think this course is good for me")
    assert "I also like the other students in the course." in quote
    assert quote.count("\n") == 2  # three paragraphs


def test_truncated_docx_is_refused():
    data = make_docx("Interviewer: Hello?", "P1: Hi.")
    for cut in (len(data) // 2, 30, len(data) - 10):
        with pytest.raises(ImportFailed, match=r"not a valid \.docx \(corrupt or truncated\)"):
            read_docx(data[:cut], name="broken.docx")


def _rewrite(data: bytes, part: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == part else content)
    return out.getvalue()


def test_docx_with_doctype_and_entities_is_refused():
    data = make_docx("Interviewer: Hello?", "P1: Hi.")
    evil = _rewrite(
        data,
        "word/document.xml",
        lambda xml: xml.replace(
            b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1
        ).replace(b"Hi.", b"&x;"),
    )
    with pytest.raises(ImportFailed, match="DOCTYPE"):
        read_docx(evil, name="evil.docx")


def test_zip_that_is_not_a_docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(ImportFailed, match=r"not a \.docx: it has no \[Content_Types\]\.xml"):
        read_docx(out.getvalue(), name="archive.docx")


def test_malformed_document_xml():
    data = _rewrite(make_docx("P1: Hi."), "word/document.xml", lambda xml: xml[:-40])
    with pytest.raises(ImportFailed, match="not well-formed"):
        read_docx(data, name="bad.docx")


def test_load_wraps_corrupt_docx(tmp_path):
    path = tmp_path / "interview.docx"
    path.write_bytes(make_docx("Interviewer: Hello?")[:200])
    with pytest.raises(ImportFailed) as info:
        load(path)
    assert str(info.value) == "interview.docx: not a valid .docx (corrupt or truncated)"
