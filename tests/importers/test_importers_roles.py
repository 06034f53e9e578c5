"""Who interviews, from the questions asked: two people, a couple, two interviewers, a focus group.

The files in `tests/data/importers/roles/` are shaped like real transcripts: an academic interview where
`R1` asks 16 questions to the participant's 11 answers in long framed questions, an Otter-style couple
interview, a colon-labelled interview by two researchers, an Otter-style focus group whose moderator has
no role in her label.
"""

from __future__ import annotations

import pytest
from importer_testkit import FIXTURES

from coding.codebook import new_study
from coding.importing import import_transcripts
from coding.people import find_participant, set_participant_role
from importers import load
from importers.roles import asking, is_question

ROLES = FIXTURES / "roles"


@pytest.mark.parametrize("words, asks", [
    ("How did that feel?", True),
    ("Could you tell me about the last time you booked.", True),  # transcribed without the "?"
    ("Tell me about your week.", True),
    ("And what happened then", True),
    ("Right, I see. And who did you ask first?", True),
    ("It broke, you know?", False),  # a tag, not a question
    ("It was tribal, right?", False),
    ("When you are tired, it is hard to care.", False),  # "when" opens a clause, not a question
    ("Thank you, that's really helpful.", False),
    ("I wondered what to do. " * 20 + "Then I asked myself, why bother? I just stopped.", False),  # long turn
])
def test_what_counts_as_a_question(words, asks):
    assert is_question(words) is asks


def test_r1_asks_sixteen_questions_and_is_the_interviewer():
    (t,) = load(ROLES / "r1_interview.txt")
    assert t.speakers == ["R1", "P"]
    stats = asking(t)
    assert (stats["R1"].turns, stats["R1"].questions) == (17, 16)
    assert (stats["P"].turns, stats["P"].questions) == (11, 1)  # "What do you mean by support?" asked back
    assert t.roles == {"R1": "interviewer"}
    assert "guessed 'R1' is the interviewer: 16 of 17 turns are questions (the others 1 of 11), " \
           "16 of the 17 questions, in shorter turns (19 words vs 36)" in t.notes


def test_a_couple_interviewed_by_one_researcher():
    (t,) = load(ROLES / "couple_interview.txt")
    assert t.speakers == ["Lena Fischer", "Mark Evans", "Julie Evans"]
    assert t.roles == {"Lena Fischer": "interviewer"}  # two people answer: an interview, not a focus group


def test_two_interviewers():
    (t,) = load(ROLES / "two_interviewers.txt")
    assert t.roles == {"Sam Reid": "interviewer", "Priya Nair": "interviewer"}
    assert [n.split(":")[0] for n in t.notes] == ["guessed 'Sam Reid' is the interviewer",
                                                  "guessed 'Priya Nair' is the interviewer"]


def test_a_focus_group_moderator_without_a_role_in_her_label():
    (t,) = load(ROLES / "focus_group_otter.txt")
    assert len(t.speakers) == 5
    assert t.roles == {"Hannah Lee": "moderator"}
    assert t.notes[-1].startswith("guessed 'Hannah Lee' is the moderator: 5 of 6 turns are questions")


def test_labels_still_decide_and_a_monologue_has_no_interviewer():
    (focus,) = load(FIXTURES / "focus_group.txt")
    assert focus.roles == {"Moderator": "moderator"}
    assert "'Moderator' is the moderator (from the label)" in focus.notes
    (mono,) = load(FIXTURES / "monologue.md")
    assert mono.roles == {}


def test_interviewer_option_overrides_the_guess():
    (t,) = load(ROLES / "r1_interview.txt", interviewer=["P"])
    assert t.roles == {"P": "interviewer"}
    assert not any(n.startswith("guessed") for n in t.notes)


def test_in_the_study_r1_is_an_interviewer_and_the_participant_is_one_person(tmp_path):
    store = new_study(tmp_path / "s.rtui", template="blank")
    report = import_transcripts(store, load(ROLES / "r1_interview.txt"))
    people = {p.name: (p.role, p.pseudonym) for p in store.participants()}
    assert people == {"R1": ("interviewer", "I01"), "P (r1_interview)": ("participant", "P01")}
    assert any(line.startswith("r1_interview.txt: guessed 'R1' is the interviewer") for line in report.lines())
    set_participant_role(store, "R1", "participant")  # and the researcher can still say otherwise
    assert find_participant(store, "R1").role == "participant"
