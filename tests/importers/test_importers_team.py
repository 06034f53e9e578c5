"""The research team across files (importers.team): interviewers and team members are one person each.

`tests/data/importers/academic_team/` holds ten academic interviews labelled `P1 0:00` / `A1 0:10` with the
research team as transcribed: A1 interviews; A5, the second author, speaks in eight files (a follow-up
question, a technical remark, a thank-you); R1, a research assistant, asks the questions in interview 3
after A1's first one. Ten people were interviewed: the study must have ten participants, not nineteen.
"""

from __future__ import annotations

from collections import Counter

from importer_testkit import FIXTURES

from coding.codebook import new_study
from coding.importing import import_transcripts
from importers.batch import read_all, settle
from importers.speakers import Turn, finish, render
from importers.team import own_participants

TEAM = FIXTURES / "academic_team"


def _talk(name: str, turns: list[tuple[str, str]]):
    from coding.models import Transcript

    text, utterances = render([Turn(s, w) for s, w in turns])
    return finish(Transcript(name, f"{name}.txt", "text", text, utterances))


def test_ten_interviews_with_a_note_taker_and_a_colleague_give_ten_participants(tmp_path):
    read = read_all([TEAM])
    assert len(read.transcripts) == 10
    by_file = {t.filename: t.roles for t in read.transcripts}
    assert by_file["interview_03.txt"] == {"A1": "interviewer", "R1": "interviewer", "A5": "team"}
    assert by_file["interview_09.txt"] == {"A1": "interviewer"}  # A5 was not there
    assert sum(t.roles.get("A5") == "team" for t in read.transcripts) == 8
    assert ("'A5' speaks in 8 of the 10 files of this import and is the one interviewed in none of them (at most "
            "5% of a file's words): one team member across them, such as a co-interviewer or note-taker, not "
            "counted as a participant (`research-tui participants STUDY role 'A5' participant` if wrong)") in read.notes
    third = next(t for t in read.transcripts if t.filename == "interview_03.txt")
    assert ("'A1' taken as the interviewer: 'A1' interviews in 8 of the 10 files of this import ('R1', who asks "
            "the questions here, stays an interviewer too)") in third.notes

    store = new_study(tmp_path / "s.rtui", template="blank")
    import_transcripts(store, read.transcripts)
    people = store.participants()
    assert Counter(p.role for p in people) == {"participant": 10, "interviewer": 2, "team": 1}
    assert {(p.name, p.role, p.pseudonym) for p in people if p.role != "participant"} == {
        ("A1", "interviewer", "I01"), ("A5", "team", "T01"), ("R1", "interviewer", "I02")}
    assert {p.name for p in people if p.role == "participant"} == {f"P1 (interview_{n:02d})" for n in range(1, 11)}
    a5 = next(p for p in people if p.name == "A5")
    assert len({u.source_id for u in store.utterances() if u.participant_id == a5.id}) == 8


def test_a_later_file_joins_the_team_member_already_in_the_study(tmp_path):
    store = new_study(tmp_path / "s.rtui", template="blank")
    files = sorted(TEAM.glob("interview_*.txt"))
    import_transcripts(store, read_all(files[:9]).transcripts)
    read = read_all([files[9]])  # interview_10 alone: A5 says one line, nothing across files to go on
    assert read.transcripts[0].roles.get("A5") is None
    report = import_transcripts(store, read.transcripts)
    assert "interview_10.txt: 'A5' is the team member 'A5' already in the study (one person across files), not " \
           "this file's participant" in report.lines()
    assert [p.name for p in store.participants() if p.name.startswith("A5")] == ["A5"]


FOCUS = [("M", "What did you think of the new app?"), ("P1", "I liked it, the booking was quick and easy to find."),
         ("P2", "I found it confusing at first, the menu hides the things I need most."),
         ("P3", "It was fine once someone showed me where the settings were, then I used it every day."),
         ("M", "And the reminders?"), ("P1", "Useful, they came the day before, which is what I want."),
         ("P2", "Too many of them, I turned them off after a week because they kept buzzing."),
         ("P3", "I never saw one, so I can't really say anything about them, sorry.")]


def test_labels_a_focus_group_series_gives_each_file_are_not_one_person():
    """P1-P3 speak in every file of a series of focus groups, each time someone else: each is one of the
    file's own participants, never a team member; the moderator is one person."""
    files = [_talk(f"group_{n}", FOCUS if n % 2 else [FOCUS[0], *FOCUS[3:1:-1], FOCUS[1], *FOCUS[4:]])
             for n in range(1, 5)]
    notes = settle(files).notes
    assert not any("team member" in n for n in notes)
    assert all(set(t.roles.values()) <= {"interviewer", "moderator"} for t in files)
    assert own_participants(files[0], {"m"}) == {"P1", "P2", "P3"}


def test_a_named_note_taker_in_most_interviews_is_a_team_member_and_a_guest_is_not():
    answers = {  # an interview is mostly the guest talking; the note-taker says one line
        "Ann Lee": ("I phone the clinic and wait on hold for twenty minutes, sometimes longer, with the same "
                    "music on a loop, and then someone tells me to call back on Monday.",
                    "A letter comes a week later, and it has the wrong department on it, so I phone again.",
                    "The letter gives a Tuesday."),
        "Bo Chen": ("My GP books it for me, I never see the form or know what was asked, which is fine until "
                    "something goes wrong and nobody can tell me who has my referral.",
                    "I wait for a text message, and I check my phone far more often than I should.",
                    "The text came after three weeks."),
        "Cy Diaz": ("Online, through the hospital portal, which logs me out twice before I reach the page, and "
                    "the page asks for a number printed on a letter I have not been sent.",
                    "Nothing happens for a month, then three appointments arrive on the same day.",
                    "It was a Saturday morning slot."),
        "Di Eze": ("My daughter does it on her phone while I sit next to her, because the small buttons and "
                   "the codes they send are more than I can manage on my own these days.",
                   "She tells me the date on Sunday when she visits, and writes it on the calendar.", ""),
    }

    def interview(guest: str, note_taker: bool):
        first, then, date = answers[guest]
        turns = [("Sam Reid", "How do you book a scan?"), (guest, first), ("Sam Reid", "What happens after that?"),
                 (guest, then)]
        if note_taker:
            turns += [("Tom Hale", "Sorry, could you repeat the date bit?"), (guest, date)]
        return _talk(guest.split()[0].lower(), turns)

    files = [interview("Ann Lee", True), interview("Bo Chen", True), interview("Cy Diaz", True),
             interview("Di Eze", False)]
    notes = settle(files).notes
    assert [t.roles.get("Tom Hale") for t in files[:3]] == ["team"] * 3
    assert any(n.startswith("'Tom Hale' speaks in 3 of the 4 files of this import") for n in notes)
    assert all(t.roles.get(t.speakers[1]) is None for t in files)  # each guest is the file's own participant
