"""Shared speaker-label logic: what is a name, merging spellings, roles, the interviewer guess, rendering."""

from __future__ import annotations

import pytest

from coding.models import Transcript, Utterance
from importers.roles import guess_roles
from importers.speakers import (
    Turn,
    accept_once,
    clean_label,
    finish,
    label_role,
    looks_like_name,
    merge_key,
    merge_labels,
    render,
)


@pytest.mark.parametrize(
    "label",
    [
        "Anna",
        "Dr. Smith",
        "INTERVIEWER 1",
        "P1",
        "id1",
        "Speaker 2",
        "I",
        "Q",
        "Ludwig van Beethoven",
        "Mary-Jane O'Neil",
        "interviewer",
        "Participant A",
        "Maria Lopez (she/her)",
        "Alex [they/them]",
        "Jane's iPhone",
    ],
)
def test_names(label):
    assert looks_like_name(label)


@pytest.mark.parametrize(
    "label",
    [
        "The answer is",
        "https",
        "10",
        "so I said",
        "Well, yes",
        "What?",
        "A very long label with far too many words",
        "x" * 41,
        "",
        "12 Anna",
        "see",
        "Time 10:30",
        "The iPhone app",
        "iPad",
    ],
)
def test_not_names(label):
    assert not looks_like_name(label)


def test_bold_labels_may_carry_titles_with_commas():
    assert looks_like_name("Mireille B. Reece, Psy.D", lenient=True)
    assert not looks_like_name("Mireille B. Reece, Psy.D")


def test_accept_once():
    assert not accept_once("note", "the time was 10:30", recurring_others=0)
    assert not accept_once("question", "Why did you leave?", recurring_others=2)
    assert not accept_once("grace", "and then it broke", recurring_others=2)  # continues a sentence
    assert accept_once("grace", "I've never used it.", recurring_others=5)


def test_merge_keys_and_labels():
    assert merge_key("Interviewer 1") == merge_key("INTERVIEWER1") == merge_key("interviewer.1")
    assert merge_key("P1") != merge_key("P11")
    mapping, notes = merge_labels(["Dr. Smith", "Dr Smith", "Dr Smith", "P1", "P11"])
    assert mapping == {"Dr. Smith": "Dr Smith", "Dr Smith": "Dr Smith", "P1": "P1", "P11": "P11"}
    assert notes == ["merged speaker labels 'Dr. Smith' into 'Dr Smith'"]


@pytest.mark.parametrize(
    "label, n, role",
    [
        ("Interviewer", 2, "interviewer"),
        ("Interviewer 2", 2, "interviewer"),
        ("Int", 2, "interviewer"),
        ("Int.", 2, "interviewer"),
        ("I", 2, "interviewer"),
        ("Q", 2, "interviewer"),
        ("Researcher", 2, "interviewer"),
        ("Facilitator", 2, "interviewer"),
        ("Facilitator", 5, "moderator"),
        ("Moderator", 5, "moderator"),
        ("Mod", 3, "moderator"),
        ("Interviewee", 2, None),
        ("Participant", 2, None),
        ("A", 2, None),
        ("R", 2, None),
        ("Isabel", 2, None),
        ("Quentin", 2, None),
    ],
)
def test_label_roles(label, n, role):
    assert label_role(label, n_speakers=n) == role


def _transcript(turns: list[tuple[str, str]]) -> Transcript:
    text, utterances = render([Turn(s, w) for s, w in turns])
    return Transcript("t", "t.txt", "text", text, utterances)


def test_interviewer_guess_for_two_unnamed_speakers():
    t = _transcript(
        [
            ("Sam", "How do you pay your bills?"),
            ("Alex", "Mostly online, through the banking app, unless the app is down again."),
            ("Sam", "And when it is down?"),
            ("Alex", "Then I phone them and wait on hold for what feels like forever, honestly."),
            ("Sam", "Okay."),
            ("Alex", "It is annoying but I have got used to it over the years."),
        ]
    )
    roles, notes = guess_roles(t)
    assert roles == {"Sam": "interviewer"}
    assert notes == ["guessed 'Sam' is the interviewer: 2 of 3 turns are questions (the others 0 of 3), "
                     "2 of the 2 questions, in shorter turns (4 words vs 13)"]


def test_no_guess_when_both_ask_or_talk_as_much():
    t = _transcript([("Sam", "Why is that?"), ("Alex", "Why not?"), ("Sam", "Really?"), ("Alex", "Sure?")])
    assert guess_roles(t) == ({}, [])


def test_forced_interviewer_overrides_the_guess():
    t = _transcript(
        [
            ("Sam", "How do you pay?"),
            ("Alex", "Online, mostly, through the app on my phone."),
            ("Sam", "Why?"),
            ("Alex", "It is quicker than going to the branch in town."),
        ]
    )
    finish(t, interviewer=["alex", "Nobody"])
    assert t.roles == {"Alex": "interviewer"}
    assert "no speaker 'Nobody' in this file to mark as interviewer" in t.notes
    assert not any(n.startswith("guessed") for n in t.notes)


def test_render_offsets_and_timestamps():
    text, utterances = render(
        [Turn("Anna", "Hello there.", 83_000, 85_000), Turn("Ben", "Hi."), Turn("X", "")]
    )
    assert text == "[00:01:23] Anna: Hello there.\n\nBen: Hi."
    assert [text[u.start : u.end] for u in utterances] == ["Hello there.", "Hi."]
    assert utterances[0] == Utterance("Anna", 17, 29, 83_000, 85_000)


@pytest.mark.parametrize("label, clean", [
    ("Maria Lopez (she/her)", "Maria Lopez"),
    ("Sam (he/him/his)", "Sam"),
    ("Alex [they/them]", "Alex"),
    ("Chris (any pronouns)", "Chris"),
    ("Dr. Ann Lee (Moderator)", "Dr. Ann Lee (Moderator)"),  # not pronouns: kept
    ("**Anna**", "Anna"),
])
def test_clean_label_drops_pronouns_after_a_display_name(label, clean):
    assert clean_label(label) == clean
