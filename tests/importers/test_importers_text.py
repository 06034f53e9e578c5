"""Plain-text / Markdown transcripts: every label form, real files, false positives, merging, fuzzing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importer_testkit import FIXTURES, assert_offsets_exact, shared

from coding.codebook import new_study
from coding.codings import list_codings
from coding.models import ImportFailed
from importers import load
from importers.text import parse_turns, read_text, ts_ms

QUOTES = [
    "How did you first hear about the app?",
    "A friend at work told me about it.",
    "What did they say about setting it up?",
    "That it takes five minutes. It took me an hour.",
]
TIMES = [5000, 9000, 62000, 70000]


def read_fixture(name: str):
    path = FIXTURES / name
    return read_text(path.read_text(encoding="utf-8"), name=path.name)


@pytest.mark.parametrize(
    "name, asker, answerer, timed",
    [
        ("forms/colon.txt", "Interviewer", "Sam Lee", False),
        ("forms/caps.txt", "INTERVIEWER", "SAM LEE", False),
        ("forms/bold_inside.md", "Interviewer", "Sam Lee", False),
        ("forms/bold_outside.md", "Interviewer", "Sam Lee", False),
        ("forms/bracket_ts.txt", "Interviewer", "Sam Lee", True),
        ("forms/ts_first.txt", "Interviewer", "Sam Lee", True),
        ("forms/name_paren_ts.txt", "Interviewer", "Sam Lee", True),
        ("forms/name_bracket_ts.txt", "Interviewer", "Sam Lee", True),
        ("forms/otter_header.txt", "Interviewer", "Sam Lee", True),
        ("forms/teams_header.txt", "Interviewer", "Sam Lee", True),
        ("forms/rev_header.txt", "Interviewer", "Sam Lee", True),
        ("forms/zoom_cc.txt", "Interviewer", "Sam Lee", True),
        ("forms/teams_cues.txt", "Interviewer", "Sam Lee", True),
        ("forms/zoom_cc_inline.txt", "Interviewer", "Sam Lee", True),
        ("forms/id_brackets.txt", "id1", "id2", False),
        ("forms/i_r.txt", "I", "R", False),
        ("forms/q_a.txt", "Q", "A", False),
        ("forms/interviewer_p1.txt", "Interviewer", "P1", False),
    ],
)
def test_label_forms(name, asker, answerer, timed):
    t = read_fixture(name)
    assert_offsets_exact(t)
    assert [u.speaker for u in t.utterances] == [asker, answerer, asker, answerer]
    assert [t.text[u.start : u.end] for u in t.utterances] == QUOTES
    assert [u.start_ms for u in t.utterances] == (TIMES if timed else [None] * 4)
    assert t.format == "text"
    assert t.title == name.split("/")[1].rsplit(".", 1)[0]
    expected_role = {
        "Interviewer": "interviewer",
        "INTERVIEWER": "interviewer",
        "I": "interviewer",
        "Q": "interviewer",
        "id1": "interviewer",  # no role in the label, but it asks both questions in shorter turns
    }.get(asker)
    assert t.roles == ({asker: expected_role} if expected_role else {})


def test_text_is_the_file_itself():
    raw = (FIXTURES / "forms/bold_inside.md").read_text(encoding="utf-8")
    assert read_text(raw, name="bold_inside.md").text == raw


def test_otter_export():
    t = read_fixture("otter_interview.txt")
    assert_offsets_exact(t)
    assert t.speakers == ["Anna Keller", "Participant 4"]
    assert len(t.utterances) == 8
    assert [u.start_ms for u in t.utterances][:4] == [2000, 9000, 21000, 24000]
    second_answer = t.text[t.utterances[3].start : t.utterances[3].end]
    assert second_answer == (
        "Honestly, sometimes forty minutes. Last time I was number 23 in the queue.\n"
        "By the time I got through, all the same-day slots were gone."
    )
    last = t.text[t.utterances[-1].start : t.utterances[-1].end]
    assert last.endswith("she sorted it out in ten minutes.")  # Otter's footer is not speech
    assert "otter.ai" not in last
    assert t.roles == {"Anna Keller": "interviewer"}
    assert any(n.startswith("guessed 'Anna Keller' is the interviewer") for n in t.notes)


def test_rev_export_keeps_a_note_line_inside_the_turn():
    t = read_fixture("rev_interview.txt")
    assert_offsets_exact(t)
    assert Counter(u.speaker for u in t.utterances) == {"Interviewer": 3, "Jordan": 3}
    assert [u.start_ms for u in t.utterances] == [3000, 11000, 20000, 23000, 41000, 44000]
    answer = t.text[t.utterances[3].start : t.utterances[3].end]
    assert answer.startswith("I went straight to a comparison site.")
    assert answer.endswith("Note: the time was 10:30 at night by then, so I was tired and a bit annoyed.")
    assert "Note" not in t.speakers


def test_focus_group_with_moderator_and_five_participants():
    t = read_fixture("focus_group.txt")
    assert_offsets_exact(t)
    assert t.speakers == ["Moderator", "Tom", "Priya", "Luis", "Hannah", "Grace"]
    assert Counter(u.speaker for u in t.utterances) == {
        "Moderator": 4,
        "Tom": 2,
        "Priya": 2,
        "Luis": 2,
        "Hannah": 2,
        "Grace": 1,
    }
    assert t.roles == {"Moderator": "moderator"}
    # heading and "Date:"/"Location:" lines are not speech
    assert t.metadata == {"Date": "14 March 2024", "Location": "community centre, Leeds"}
    assert t.text.startswith("# Focus group 2")
    assert all(u.start > t.text.index("Location:") for u in t.utterances)
    luis = t.text[t.utterances[5].start : t.utterances[5].end]
    assert luis == (
        "I tried the app but it kept logging me out.\n"
        "Note: the time was 10:30 at night when I gave up, so maybe I was just tired."
    )
    priya = t.text[t.utterances[4].start : t.utterances[4].end]
    assert "https://www.nhs.uk/nhs-app/ and we set it up together." in priya
    grace = t.utterances[9]
    assert (
        t.text[grace.start : grace.end] == "I've never used it, to be honest. I prefer talking to a person."
    )


def test_false_positive_labels_stay_in_the_turn():
    t = read_fixture("false_positives.txt")
    assert_offsets_exact(t)
    assert t.speakers == ["Interviewer", "Customer"]
    assert len(t.utterances) == 5
    first = t.text[t.utterances[1].start : t.utterances[1].end]
    assert "Example: I'd added the same jacket twice" in first
    assert first.endswith("So my answer is: never again on a Friday.")
    second = t.text[t.utterances[3].start : t.utterances[3].end]
    assert "https://help.example.com/payments/failed" in second
    assert second.endswith("Update: they refunded me the next day, which was fine.")


def test_label_merging_and_p1_is_not_p11():
    t = read_fixture("merge_labels.txt")
    assert_offsets_exact(t)
    assert t.speakers == ["Interviewer 1", "P1", "P11", "Dr. Smith"]
    assert Counter(u.speaker for u in t.utterances) == {"Interviewer 1": 5, "P1": 2, "P11": 2, "Dr. Smith": 2}
    assert "merged speaker labels 'Interviewer1', 'INTERVIEWER 1' into 'Interviewer 1'" in t.notes
    assert "merged speaker labels 'Dr Smith' into 'Dr. Smith'" in t.notes
    assert t.roles == {"Interviewer 1": "interviewer"}
    # offsets still point at the original words (the text keeps the original spelling)
    assert t.text[t.utterances[8].start : t.utterances[8].end] == "Very slow, especially on Mondays."
    assert t.text[t.utterances[8].start - 10 : t.utterances[8].start] == "Dr Smith: "


def test_no_labels_is_one_unknown_speaker_monologue_without_headings():
    t = read_fixture("monologue.md")
    assert_offsets_exact(t)
    assert t.speakers == ["Unknown speaker"]
    (u,) = t.utterances
    words = t.text[u.start : u.end]
    assert words.startswith("Today I tried to change my address")
    assert words.endswith("The person on the phone was quick and kind.")
    assert "Diary study" not in words and "Entry 5" not in words
    assert t.roles == {}


def test_unlabelled_text_before_the_first_label_is_unknown_speaker():
    t = read_fixture("preamble.txt")
    assert_offsets_exact(t)
    assert t.speakers == ["Unknown speaker", "Interviewer", "Participant"]
    assert t.text[t.utterances[0].start : t.utterances[0].end] == (
        "Recording started a little late, first minute missing."
    )
    assert t.roles == {"Interviewer": "interviewer"}


def test_one_time_speaker_in_the_middle_of_a_sentence_is_continuation():
    text = (
        "Anna: We looked at three options and\n"
        "Basically: none of them worked.\n"
        "Ben: Right.\nAnna: Yes.\nBen: Okay then.\nCara: Hi.\nCara: Bye.\n"
    )
    t = read_text(text, name="x.txt")
    assert "Basically" not in t.speakers
    assert t.text[t.utterances[0].start : t.utterances[0].end] == (
        "We looked at three options and\nBasically: none of them worked."
    )


def test_continuation_lines_and_blank_lines_extend_the_turn():
    text = "Anna: First line\nsecond line\n\nthird paragraph\nBen: Reply.\n"
    t = read_text(text, name="x.txt")
    assert t.text[t.utterances[0].start : t.utterances[0].end] == "First line\nsecond line\n\nthird paragraph"
    assert t.text[t.utterances[1].start : t.utterances[1].end] == "Reply."


def test_crlf_and_bom_are_normalized():
    t = read_text("\ufeffAnna: One.\r\nBen: Two.\rAnna: Three.\r\n", name="x.txt")
    assert t.text == "Anna: One.\nBen: Two.\nAnna: Three.\n"
    assert [t.text[u.start : u.end] for u in t.utterances] == ["One.", "Two.", "Three."]


def test_markdown_escaped_inline_timestamp_becomes_start_time():
    t = read_text(
        "**Ann Lee:** \\[03:55\\] Yes, exactly.\n\n**Bo Kim:** No.\n\n**Ann Lee:** Fine.\n", name="x.md"
    )
    assert t.utterances[0].start_ms == 235000
    assert t.text[t.utterances[0].start : t.utterances[0].end] == "Yes, exactly."


def test_empty_text_is_refused():
    with pytest.raises(ImportFailed, match="empty file"):
        read_text(" \n\n\t\n", name="blank.txt")


def test_ts_ms():
    assert ts_ms("0:03") == 3000
    assert ts_ms("1:02:03") == 3723000
    assert ts_ms("00:01:23,250") == 83250
    assert ts_ms("00:01:23.5") == 83500


def test_qualcoder_sample_transcript():
    t = load(shared("transcripts/qualcoder_sample/transcript.txt"))[0]
    assert_offsets_exact(t)
    assert t.title == "transcript"
    assert t.speakers == ["id1", "id2", "id3"]
    assert Counter(u.speaker for u in t.utterances) == {"id1": 3, "id2": 2, "id3": 2}
    assert t.text[t.utterances[1].start : t.utterances[1].end] == (
        "I am struggling with the lecture slides. I felt that they were too busy and I switched off."
    )
    assert t.text[t.utterances[-1].start : t.utterances[-1].end] == (
        "Hmm, I will ask the tutor for more help as I am really struggling."
    )


@pytest.mark.parametrize(
    "name, counts, roles",
    [
        ("the-changelog-253.md", {"Pam Selle": 91, "Jerod Santo": 83, "Adam Stacoviak": 37}, {}),
        ("founders-talk-63.md", {"Adam Stacoviak": 64, "Austen Allred": 64}, {"Adam Stacoviak": "interviewer"}),
        (
            "brain-science-2.md",
            {"Mireille B. Reece, Psy.D": 36, "Adam Stacoviak": 35},
            {"Adam Stacoviak": "interviewer"},
        ),
    ],
)
def test_changelog_transcripts(name, counts, roles):
    t = load(shared(f"transcripts/changelog_podcast/{name}"))[0]
    assert_offsets_exact(t)
    assert Counter(u.speaker for u in t.utterances) == counts
    assert t.roles == roles
    assert "Break" not in t.speakers
    assert not any("**Break:**" in t.text[u.start : u.end] for u in t.utterances)


def test_changelog_quotes_and_timestamps():
    t = load(shared("transcripts/changelog_podcast/the-changelog-253.md"))[0]
    u = t.utterances[0]
    assert (u.speaker, t.text[u.start : u.end]) == (
        "Jerod Santo",
        "Pam Selle, welcome back to The Changelog.",
    )
    stamped = next(u for u in t.utterances if u.start_ms is not None)
    assert stamped.speaker == "Pam Selle" and stamped.start_ms == 3 * 60_000 + 55_000
    assert t.text[stamped.start : stamped.end].startswith("Yeah, if Alex hears about it")
    t = load(shared("transcripts/changelog_podcast/brain-science-2.md"))[0]
    first = t.text[t.utterances[0].start : t.utterances[0].end]
    assert first.startswith("My husband has often said")
    assert first.endswith("Would you agree?")  # the turn runs over two blank-line paragraphs


def test_parse_turns_reports_whether_labels_were_found():
    assert parse_turns("just some words").labelled is False
    assert parse_turns("Anna: hi\nBen: hello\n").labelled is True


TOKENS = [
    "Anna",
    "ANNA",
    "Dr. Smith",
    "P1",
    "P11",
    "I",
    "Note",
    "id1",
    "https://x.y",
    " ",
    "  ",
    ":",
    ": ",
    "**",
    "[",
    "]",
    "(",
    ")",
    "#",
    "# ",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\t",
    ".",
    "?",
    "00:01:23",
    "0:03",
    "\\[03:55\\]",
    "hello",
    "the time was 10:30",
    "é",
    "\ufeff",
    "Transcribed by https://otter.ai",
    "---",
    "words and",
]


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join) | st.text(max_size=200))
def test_read_text_never_raises_anything_but_import_failed(data):
    try:
        t = read_text(data, name="fuzz.txt")
    except ImportFailed:
        return
    expected = data.removeprefix("\ufeff")
    assert t.text == expected.replace("\r\n", "\n").replace("\r", "\n")
    for u in t.utterances:
        assert 0 <= u.start < u.end <= len(t.text)
        words = t.text[u.start : u.end]
        assert words == words.strip()
        assert u.speaker


# -- dumps and long texts: no fake speakers ------------------------------------------------------------
def _comment_dump() -> str:
    """Shaped like the NVivo project's YouTube-comment source: one cell a line, eight lines a comment, the
    video's title (here with a colon) above every comment on it, a colon now and then in a comment."""
    rows = ["video_id", "video_title", "comment_author", "comment_text", "comment_likes", "comment_date"]
    titles = {"HhkH": "Kötelező oltás: Alkotmánymódosítás is jöhet?",
              "a1b2": "PSZ: Januártól több iskolában is leállhat az oktatás a kötelező oltás miatt",
              "c3d4": "Pfizer: újabb adag kell az ősszel a harmadik oltás után"}
    n = 0
    for vid, title in titles.items():
        for _ in range(6):
            n += 1
            comment = "Magyarul: angolnyelves párosítás." if n == 15 else f"Ez a {n}. hozzászólás, nem értek egyet."
            rows += [vid, title, f"@user{n}", comment, str(n % 3), f"2021-12-{n:02d}T05:35:36Z"]
    return "\n".join(rows) + "\n"


def test_a_title_repeated_above_every_comment_is_no_speaker():
    t = read_text(_comment_dump(), name="videos_selection.txt")
    assert t.speakers == ["Unknown speaker"]
    assert len(t.utterances) == 1 and t.text[t.utterances[0].start:t.utterances[0].end].startswith("video_id")
    assert "'PSZ', 'Pfizer': read as titles, not speakers: each heads the same line again and again" in t.notes


def test_a_word_and_colon_deep_in_a_long_monologue_is_no_speaker():
    lines = [f"I logged {i} meals today and it went fine." for i in range(1, 61)]
    lines[30] = "Tuesday: the app crashed again when I saved a photo."
    t = read_text("\n".join(lines), name="diary.txt")
    assert t.speakers == ["Unknown speaker"] and len(t.utterances) == 1
    assert "Tuesday: the app crashed again" in t.text[t.utterances[0].start:t.utterances[0].end]


def test_an_interviewer_who_repeats_a_prompt_stays_a_speaker():
    turns = []
    for i in range(8):
        prompt = "Can you tell me more about that?" if i % 3 == 0 else f"What happened on day {i}?"
        turns += [f"Interviewer: {prompt}", f"Dana: On day {i} I waited {i + 2} hours for the nurse to call."]
    t = read_text("\n".join(turns), name="dana.txt")
    assert t.speakers == ["Interviewer", "Dana"] and len(t.utterances) == 16


def test_the_nvivo_comment_project_gets_no_fake_people(tmp_path):
    """The real NVivo for Mac project: video titles with colons above every comment were 19 'speakers'."""
    from coding.exchange.apply import import_project
    from importers.qdpx import read_qdpx

    refi = Path(__file__).resolve().parents[1] / "data" / "public" / "refi-qda"
    project = read_qdpx((refi / "nvivo_mac_12.7_OltasSzkepticizmus.qdpx").read_bytes(), name="nvivo.qdpx")
    study = new_study(tmp_path / "n.rtui", template="blank")
    import_project(study, project, filename="nvivo.qdpx")
    people = study.participants()
    assert len(people) == 2 and all(p.name.startswith("Unknown speaker") for p in people)
    assert len(list_codings(study)) == 297
    study.close()
