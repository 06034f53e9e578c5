"""WebVTT and SRT captions: Teams voice tags, Zoom name prefixes, real podcast files, every malformed file."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importer_testkit import FIXTURES, SHARED, assert_offsets_exact, shared

from coding.models import ImportFailed
from importers import load
from importers.srt import read_srt
from importers.vtt import read_vtt


def turns(t) -> list[tuple[str, str, int | None, int | None]]:
    return [(u.speaker, t.text[u.start : u.end], u.start_ms, u.end_ms) for u in t.utterances]


def test_teams_voice_tags():
    t = load(FIXTURES / "teams_meeting.vtt")[0]
    assert_offsets_exact(t)
    assert (t.title, t.format) == ("teams_meeting", "vtt")
    assert turns(t) == [
        ("Maya Patel", "Thanks for joining. Can you hear me okay?", 1250, 4100),
        (
            "Daniel O'Brien",
            "Yes, loud and clear. I've got about <30> minutes & then a stand-up.",
            4500,
            12300,
        ),
        (
            "Maya Patel",
            "Great. Let's start with the expenses tool. What's the first thing you do each month?",
            12800,
            16000,
        ),
        ("Daniel O'Brien", "I open the app and take photos of receipts.", 16200, 21000),
        ("Maya Patel", "On your phone?", 16200, 21000),  # a second <v> inside one cue
        (
            "Daniel O'Brien",
            "Yes, always on my phone. Mostly on the train home.",
            21100,
            26000,
        ),  # no voice: continues
    ]
    assert t.text.startswith("[00:00:01] Maya Patel: Thanks for joining.")


def test_zoom_prefixes_and_a_note_that_is_not_a_speaker():
    t = load(FIXTURES / "zoom_interview.vtt")[0]
    assert_offsets_exact(t)
    assert t.speakers == ["Maya Patel", "Chris Wong"]
    assert len(t.utterances) == 6
    speaker, words, start, end = turns(t)[3]
    assert speaker == "Chris Wong"
    assert words == (
        "Sure. It was after the Berlin trip. I had twelve receipts and "
        "Note: the time was 10:30 at night, so I just wanted it done."
    )
    assert (start, end) == (15100, 25000)


def test_srt_with_prefixes_wrapped_lines_and_entities():
    t = load(FIXTURES / "zoom_interview.srt")[0]
    assert_offsets_exact(t)
    assert t.format == "srt"
    assert turns(t) == [
        ("Maya Patel", "Okay, I've started the recording. Thanks again for doing this.", 940, 5210),
        ("Chris Wong", "No problem. Happy to help.", 5800, 9010),
        ("Maya Patel", "Can you tell me about the last time you submitted an expense claim?", 9500, 14720),
        (
            "Chris Wong",
            "Sure. It was after the Berlin trip. I had twelve receipts & a lot of patience.",
            15100,
            25000,
        ),
    ]


def test_buzzsprout_vtt():
    t = load(shared("transcripts/podcast_buzzsprout/example.vtt"))[0]
    assert_offsets_exact(t)
    assert t.speakers == ["Sarah", "Gillian"]
    assert t.metadata["cues"] == 7
    (_, sarah, s0, s1), (_, gillian, g0, g1) = turns(t)
    assert (s0, s1, g0, g1) == (0, 18630, 19080, 25350)
    assert "Welcome to Podcasting Q&A, where you learn" in sarah  # &amp; decoded
    assert gillian.endswith("My question is, do we need a podcast trailer?")


def test_buzzsprout_srt_three_speakers():
    t = load(shared("transcripts/podcast_buzzsprout/example.srt"))[0]
    assert_offsets_exact(t)
    assert t.speakers == ["Travis", "Sarah", "Gilon"]
    assert [u.speaker for u in t.utterances] == [
        "Travis",
        "Sarah",
        "Travis",
        "Gilon",
        "Travis",
        "Gilon",
        "Travis",
        "Sarah",
        "Gilon",
        "Travis",
    ]
    assert t.metadata["cues"] == 222
    first = t.utterances[0]
    assert (first.start_ms, first.end_ms) == (179, 50340)
    assert t.text[first.start : first.end].startswith(
        "When you first get started in podcasting, it's almost guaranteed that you're going to make a handful"
    )
    gilon = t.utterances[3]
    assert t.text[gilon.start : gilon.end].startswith(
        "So is there an ideal podcast length, short answer? Nope."
    )
    assert t.roles == {}


MALFORMED = sorted((SHARED / "malformed" / "webvtt_py").glob("*")) if (SHARED / "malformed").exists() else []
# what each file must give through load(): "ok" or the start of the ImportFailed message
EXPECTED = {
    "empty.vtt": "empty file",
    "invalid.vtt": "not a WebVTT file",
    "no_captions.vtt": "no captions",
    "invalid_format1.srt": "not an SRT file",
    "invalid_format2.srt": "not an SRT file",
    "invalid_format3.srt": "not an SRT file",
    "invalid_format4.srt": "not an SRT file",
}


@pytest.mark.skipif(not MALFORMED, reason="shared malformed caption files not available")
@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_every_malformed_caption_file_parses_or_fails_cleanly(path):
    try:
        t = load(path)[0]
    except ImportFailed as exc:
        outcome = exc.detail
        assert exc.path == path.name
        assert "\n" not in str(exc)
    else:
        outcome = "ok"
        assert_offsets_exact(t)
        assert t.utterances
        for u in t.utterances:
            assert u.start_ms is not None and u.end_ms is not None
    if path.suffix == ".sbv":
        assert outcome.startswith("unsupported file type")
    else:
        assert outcome.startswith(EXPECTED.get(path.name, "ok")), outcome


def test_malformed_cues_are_reported():
    t = load(shared("malformed/webvtt_py/invalid_timeframe.vtt"))[0]
    assert [t.text[u.start : u.end] for u in t.utterances] == [
        "Caption text #1 Caption text #3 Caption text #4 Caption text #5 Caption text #6 Caption text #7"
    ]
    assert t.notes == ["skipped cues with unreadable times (1): line 6 ('00:00:07.000 --> 00:00:1d.890')"]
    t = load(shared("malformed/webvtt_py/missing_timeframe.vtt"))[0]
    assert t.notes == ["skipped text with no cue timing (1): line 6 ('Caption text #2')"]


def test_invalid_vtt_points_at_the_line():
    with pytest.raises(ImportFailed) as info:
        read_vtt("\n\n00:00:01.000 --> 00:00:02.000\nHi\n", name="x.vtt")
    assert info.value.line == 3
    with pytest.raises(ImportFailed) as info:
        read_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nHi\n", name="x.vtt")
    assert (info.value.line, info.value.detail) == (
        3,
        "unreadable cue timing '00:00:01.000 --> 00:00:0x.000'",
    )


def test_srt_parsed_from_text_with_leading_blank_lines_and_voice_tags():
    t = read_srt(
        "\n\n1\n00:00:01,000 --> 00:00:02,500\n<v Ana>Hola, <i>buenos</i> días.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n<v Ben>Hi!\n",
        name="x.srt",
    )
    assert turns(t) == [("Ana", "Hola, buenos días.", 1000, 2500), ("Ben", "Hi!", 3000, 4000)]


def test_cue_without_speaker_at_start_is_unknown():
    t = read_vtt(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nwelcome back\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v Ana>Thanks.\n",
        name="x.vtt",
    )
    assert [u.speaker for u in t.utterances] == ["Unknown speaker", "Ana"]


CAPTION_TOKENS = ["WEBVTT", "\n", "\n\n", "1", "2", "00:00:01.000", "00:00:02,500", " --> ", "-->", "<v Ana>",
                  "<v>", "</v>", "Ana: ", "Note: ", "hello", "&amp;", "&#xFFFFFF;", "<b>", "<", ">", ":",
                  "99:99:99.999", "\r", "\ufeff", " ", "NOTE"]  # fmt: skip


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CAPTION_TOKENS), max_size=40).map("".join))
def test_caption_readers_only_raise_import_failed(data):
    for reader in (read_vtt, read_srt):
        try:
            t = reader(data, name="fuzz")
        except ImportFailed:
            continue
        for u in t.utterances:
            assert 0 <= u.start < u.end <= len(t.text)
            assert t.text[u.start : u.end] == t.text[u.start : u.end].strip()


def test_zoom_display_names_with_pronouns_and_devices():
    """Zoom names a speaker as the display name: pronouns dropped, a phone's name kept."""
    t = load(FIXTURES / "zoom_pronouns.vtt")[0]
    assert_offsets_exact(t)
    assert [(s, w) for s, w, _, _ in turns(t)] == [
        ("Maria Lopez", "Welcome everyone, thanks for coming."),
        ("Dr. Tom O'Neil", "Happy to be here. My scan was in March."),
        ("Jane's iPhone", "I had mine in April, it was: awful."),
        ("Maria Lopez", "Tell me more."),
    ]
