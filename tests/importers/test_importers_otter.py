"""Otter.ai exports (.txt and .docx): the header block, the footer and irregular labels.

`tests/data/importers/otter/otter_call_03.{txt,docx}` are one call exported twice, shaped like Otter's
exports: a title and date line, `SUMMARY KEYWORDS` and a line of keywords, `SPEAKERS` and the speaker
labels, `Name  mm:ss` turns, one name alone on a line, two times alone on a line, and the footer.
"""

from __future__ import annotations

import docx
import pytest
from importer_testkit import FIXTURES, assert_offsets_exact

from coding.codebook import new_study
from coding.importing import import_transcripts
from importers import load, load_with_report
from importers.docx import read_docx
from importers.text import read_text

OTTER = FIXTURES / "otter"
KEYWORDS = ["appointment", "app", "password", "surgery", "queue", "pharmacy", "booking", "receptionist",
            "phone", "reminder", "morning", "mum", "doctor", "chest infection", "week", "people", "feel",
            "verification", "letter", "carers"]
A, T = "Anna Keller", "Tom Becker"
SPEAKERS = [A, T, A, T, A, T, A, T, A, T, T, A, T, A]


def turns(t) -> list[tuple[str, str]]:
    return [(u.speaker, t.text[u.start:u.end]) for u in t.utterances]


@pytest.mark.parametrize("name", ["otter_call_03.txt", "otter_call_03.docx"])
def test_header_block_is_metadata_never_speech(name):
    result = load_with_report(OTTER / name)
    (t,) = result.transcripts
    assert_offsets_exact(t)
    assert t.speakers == [A, T]  # no "Unknown speaker" made of the header
    assert [u.speaker for u in t.utterances] == SPEAKERS
    assert t.metadata["keywords"] == KEYWORDS
    assert t.metadata["speakers"] == [T, A]
    assert t.metadata["exported_by"] == "Otter.ai"
    assert t.metadata["preamble"] == ["Booking interview 03 - Tom", "Thu, Mar 14, 2024 10:02AM • 38:17"]
    spoken = " ".join(words for _, words in turns(t))
    for header_word in ("SUMMARY KEYWORDS", "SPEAKERS", "receptionist, phone", "otter.ai", "10:02AM"):
        assert header_word not in spoken
    assert turns(t)[-1] == (A, "Thank you, Tom, that's really helpful.")
    assert t.roles == {A: "interviewer"}


def test_txt_keeps_the_file_text_and_the_times():
    t = read_text((OTTER / "otter_call_03.txt").read_text(encoding="utf-8"), name="otter_call_03.txt")
    assert t.text.startswith("Booking interview 03 - Tom\n")
    assert [u.start_ms for u in t.utterances] == [
        2000, 9000, 12000, 17000, 41000, None, 80000, 84000, 98000, 102000, 121000, 130000, 135000, 144000]


def test_irregular_labels_a_name_alone_and_times_alone():
    (t,) = load(OTTER / "otter_call_03.txt")
    said = turns(t)
    # "Tom Becker" alone on a line starts Tom's turn: the question before it stays Anna's
    assert said[4] == (A, "What did you do then?")
    assert said[5][0] == T and said[5][1].startswith("I tried the app.")
    # "01:24" alone after Anna's question and before Anna's next turn: Tom's answer
    assert said[6] == (A, "How did that feel?")
    assert said[7][0] == T and said[7][1].startswith("Honestly, pretty rubbish.")
    # "02:01" alone after Tom's turn: nothing says otherwise, so Tom goes on (as a turn of its own)
    assert said[10] == (T, "And the receptionist was lovely once I mentioned what the pharmacist said.")
    assert "01:24" not in t.text[t.utterances[7].start:t.utterances[7].end]
    assert "1 speaker name alone on a line (no time) started a turn: line 25" in t.notes
    assert "1 time with no speaker name kept the previous speaker (check them): line 40" in t.notes
    assert ("1 time with no speaker name answered a question between two turns of the other person, "
            "so it went to 'Tom Becker': line 31") in t.notes


def test_the_two_exports_of_one_call_have_the_same_turns():
    (txt,) = load(OTTER / "otter_call_03.txt")
    (doc,) = load(OTTER / "otter_call_03.docx")
    assert turns(txt) == turns(doc)
    assert doc.text.split("\n\n")[0] == (
        "[00:00:02] Anna Keller: Thanks for joining, Tom. Before we start, is it okay if I record this call? "
        "It only goes to the research team.")
    assert any("alone in a paragraph" in n for n in doc.notes)


def _docx(build) -> bytes:
    import io

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_with_heading_styles_and_line_breaks_inside_a_paragraph():
    def build(d):
        d.add_heading("Renewal call", level=1)
        d.add_heading("SUMMARY KEYWORDS", level=2)
        d.add_paragraph("renewal, price, switch")
        d.add_heading("SPEAKERS", level=2)
        d.add_paragraph("Speaker 1, Jordan Ellis")
        for name, time, words in [("Speaker 1", "0:03", "Can you walk me through your last renewal?"),
                                  ("Jordan Ellis", "0:11", "The price went up by thirty percent."),
                                  ("Speaker 1", "0:20", "What did you do?"),
                                  ("Jordan Ellis", "0:23", "I switched, the same afternoon.")]:
            p = d.add_paragraph()
            p.add_run(f"{name}  {time}").bold = True
            p.add_run().add_break()
            p.add_run(words)
        d.add_paragraph("Transcribed by https://otter.ai")

    t = read_docx(_docx(build), name="renewal.docx")
    assert_offsets_exact(t)
    assert t.metadata["keywords"] == ["renewal", "price", "switch"]
    assert t.metadata["speakers"] == ["Speaker 1", "Jordan Ellis"]
    assert turns(t) == [("Speaker 1", "Can you walk me through your last renewal?"),
                        ("Jordan Ellis", "The price went up by thirty percent."),
                        ("Speaker 1", "What did you do?"),
                        ("Jordan Ellis", "I switched, the same afternoon.")]
    assert [u.start_ms for u in t.utterances] == [3000, 11000, 20000, 23000]


def test_a_name_line_then_a_time_line_is_one_label():
    text = ("SPEAKERS\nSam Reid, Priya Shah\n\nSam Reid\n0:05\nWhat do you use it for?\n\n"
            "Priya Shah\n0:09\nMostly invoices.\n\nSam Reid  0:15\nAnything else?\n\nPriya Shah  0:18\nNo.\n")
    t = read_text(text, name="split.txt")
    assert turns(t) == [("Sam Reid", "What do you use it for?"), ("Priya Shah", "Mostly invoices."),
                        ("Sam Reid", "Anything else?"), ("Priya Shah", "No.")]
    assert [u.start_ms for u in t.utterances] == [5000, 9000, 15000, 18000]


def test_times_alone_without_any_names_are_unknown_speaker_paragraphs():
    text = ("0:01\nWhen I was a kid, apples were garbage.\n\n0:15\nIt was a bad time to be an apple grower.\n\n"
            "Transcribed by https://otter.ai\n")
    t = read_text(text, name="no_names.txt")
    assert turns(t) == [("Unknown speaker", "When I was a kid, apples were garbage."),
                        ("Unknown speaker", "It was a bad time to be an apple grower.")]
    assert [u.start_ms for u in t.utterances] == [1000, 15000]
    assert not any("time with no speaker name" in n for n in t.notes)


def test_names_alone_that_nobody_uses_as_a_label_stay_speech():
    text = "Anna: Who recommended it?\nBen: My sister.\nAnna: What is her name?\nBen: It was\nCarla\n"
    t = read_text(text, name="x.txt")
    assert turns(t)[-1] == ("Ben", "It was\nCarla")
    text = "Anna: Who did you ask?\nBen: I asked\nAnna\nand she said no.\nAnna: Oh.\nBen: Yes.\n"
    assert turns(read_text(text, name="y.txt"))[1] == ("Ben", "I asked\nAnna\nand she said no.")  # mid-sentence
    text = "Anna: Who?\nBen: My sister.\nAnna: Which one?\nBen: The older one.\nAnna\nWhat did she say?\nBen: No.\n"
    assert turns(read_text(text, name="z.txt"))[4] == ("Anna", "What did she say?")  # a known name alone


def test_speakers_said_after_the_first_turn_is_speech():
    text = "Anna  0:01\nWho was on the panel?\n\nBen  0:04\nSPEAKERS\nthree of them, all from finance.\n"
    t = read_text(text, name="x.txt")
    assert turns(t)[1] == ("Ben", "SPEAKERS\nthree of them, all from finance.")
    assert "speakers" not in t.metadata


def test_store_gets_two_people_and_the_keywords(tmp_path):
    store = new_study(tmp_path / "s.rtui", template="blank")
    import_transcripts(store, load(OTTER / "otter_call_03.txt"))
    people = {p.name: p.role for p in store.participants()}
    assert people == {A: "interviewer", T: "participant"}
    (source,) = store.sources()
    assert source.metadata["keywords"] == KEYWORDS
    assert source.metadata["speakers"] == [T, A]
