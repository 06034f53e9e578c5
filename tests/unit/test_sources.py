"""Sources after import (coding/sources.py): delete one with what hangs on it, replace its file keeping the
codings whose words are still there, rename it. Each backed up where it is a bulk change, each undoable."""

from __future__ import annotations

import pytest

from coding import sources as source_ops
from coding.codebook import find_code
from coding.codings import add_coding, list_codings, set_coding_memo
from coding.models import StudyError
from coding.people import find_participant
from coding.personas import stored
from coding.search import search_turns
from coding.sources import set_source_memo
from coding.study.backup import list_backups
from tests.conftest import INTERVIEW_A, span_of, transcript_from_lines


def _state(store) -> dict:
    q = store.db.execute
    return {table: q(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("sources", "utterances", "codings", "memos", "participants", "persona_members")}


def _code(store, title: str, words: str, code: str) -> int:
    sid, a, b = span_of(store, title, words)
    return add_coding(store, sid, a, b, find_code(store, code).id).id


def test_deleting_a_source_takes_its_turns_codings_memos_and_lone_speakers_and_undo_brings_all_back(study):
    aisha = find_participant(study, "Aisha Khan")
    stored.add_persona(study, "Waiting", [aisha.id])
    _code(study, "interview_a", "Nobody called me back", "Pain point")
    _code(study, "interview_b", "I felt safe", "Pain point")
    source = next(s for s in study.sources() if s.title == "interview_a")
    set_source_memo(study, source.id, "Aisha withdrew consent on 3 May")
    before = _state(study)

    removed = source_ops.delete_source(study, source.id)
    assert (removed.turns, removed.codings, removed.memos, removed.people) == (4, 1, 1, ["P01"])
    assert [s.title for s in study.sources()] == ["interview_b"]
    assert [p.name for p in study.participants()] == ["Interviewer", "George Wilson"]  # the interviewer stays
    assert [c.text for c in list_codings(study)] == ["I felt safe"]
    assert search_turns(study, "nobody") == [] and study.totals()["utterances"] == 4
    assert study.db.execute("SELECT count(*) FROM persona_members").fetchone()[0] == 0
    (taken,) = list_backups(study.path)
    assert taken.reason == "before deleting source s01"
    assert study.history(1)[0].summary == ("deleted source S01 with 4 turns and 1 codings; participants P01 "
                                           "spoke only there")

    study.undo()
    assert _state(study) == before
    assert sorted(u.text for u in search_turns(study, "nobody")) == [
        "I waited three weeks for the results. Nobody called me back. It was awful.",
        "My GP, Dr Patel, referred me. I was nervous. Nobody told me how long it would take."]
    study.redo()
    assert [s.title for s in study.sources()] == ["interview_b"]


def test_renaming_a_source(study):
    source = next(s for s in study.sources() if s.title == "interview_a")
    assert source_ops.rename_source(study, source.id, "  Aisha,  first scan ").title == "Aisha, first scan"
    with pytest.raises(StudyError, match="there is already a source titled 'interview_b'"):
        source_ops.rename_source(study, source.id, "INTERVIEW_B")
    with pytest.raises(StudyError, match="a source needs a title"):
        source_ops.rename_source(study, source.id, " ")
    assert source_ops.find_source(study, "S01").title == "Aisha, first scan"
    study.undo()
    assert study.source(source.id).title == "interview_a"


CORRECTED_A = [
    "Interviewer: How did you first hear about the scan?",
    "Aisha Khan: Dr Patel, my GP, referred me. I was nervous. Nobody told me how long it would take.",
    "Interviewer: And the results? Did anyone call?",
    "Aisha Khan: I waited three weeks for the results. Nobody called me back. It was awful. Nobody called me back.",
    "Tom Khan: She was in tears most evenings.",
]


def test_replacing_a_file_keeps_the_codings_whose_words_are_still_there(study):
    source = next(s for s in study.sources() if s.title == "interview_a")
    kept = _code(study, "interview_a", "Nobody called me back", "Pain point")
    memo_id = _code(study, "interview_a", "I waited three weeks", "Anxious")
    set_coding_memo(study, memo_id, "the wait")
    lost = _code(study, "interview_a", "My GP, Dr Patel, referred me", "Pain point")
    turns = study.utterances(source.id)
    from coding import turns as turn_ops

    turn_ops.set_not_speech(study, [turns[2].id])  # "And the results?" marked as not speech
    before = _state(study)

    new = transcript_from_lines("interview_a_v2", CORRECTED_A, roles={"Interviewer": "interviewer"})
    preview = source_ops.replace_source(study, source.id, new, dry_run=True)
    assert _state(study) == before
    result = source_ops.replace_source(study, source.id, new)
    assert (preview.kept, preview.lost) == (result.kept, result.lost) == (2, [("Pain point",
                                                                              "My GP, Dr Patel, referred me")])
    assert result.people_added == ["P03"]  # Tom Khan, new in this version
    text = study.source_text(source.id)
    assert text == "\n".join(CORRECTED_A) + "\n"
    by_id = {c.id: c for c in list_codings(study)}
    assert lost not in by_id
    assert by_id[kept].text == "Nobody called me back"
    assert by_id[kept].char_start == text.index("Nobody called me back")  # the first of two, as before
    assert (by_id[memo_id].text, by_id[memo_id].memo) == ("I waited three weeks", "the wait")
    assert study.source(source.id).title == "interview_a" and study.source(source.id).filename == "interview_a_v2.txt"
    rows = study.utterances(source.id)
    assert [(study.participant(u.participant_id).name, u.not_speech) for u in rows] == [
        ("Interviewer", False), ("Aisha Khan", False), ("Interviewer", False), ("Aisha Khan", False),
        ("Tom Khan", False)]
    assert result.lines()[0] == ("'interview_a': 4 turns replaced by 5 from interview_a_v2.txt; 2 of 3 codings "
                                 "kept their words (2 at new offsets)")
    assert "coding removed, its words are not in the new file: Pain point: \"My GP, Dr Patel, referred me\"" \
        in result.lines()

    study.undo()
    assert _state(study) == before
    assert study.source_text(source.id) == "\n".join(INTERVIEW_A) + "\n"


def test_a_replacement_keeps_corrections_of_unchanged_turns_and_finds_words_across_new_line_breaks(study):
    source = next(s for s in study.sources() if s.title == "interview_a")
    coding = _code(study, "interview_a", "I was nervous. Nobody told me", "Anxious")
    from coding import turns as turn_ops

    first = study.utterances(source.id)[0]
    turn_ops.set_not_speech(study, [first.id])
    rewrapped = [INTERVIEW_A[0], INTERVIEW_A[1].replace("nervous. Nobody", "nervous.\nNobody"), *INTERVIEW_A[2:]]
    new = transcript_from_lines("interview_a", rewrapped, roles={"Interviewer": "interviewer"})
    result = source_ops.replace_source(study, source.id, new)
    assert (result.kept, result.lost, result.people_added, result.people_removed) == (1, [], [], [])
    assert list_codings(study)[0].id == coding and list_codings(study)[0].text == "I was nervous.\nNobody told me"
    assert study.utterances(source.id)[0].not_speech  # the header mark carried over


def test_a_speaker_who_no_longer_speaks_goes_and_what_cannot_be_replaced_is_refused(study):
    source = next(s for s in study.sources() if s.title == "interview_a")
    other = next(s for s in study.sources() if s.title == "interview_b")
    renamed = transcript_from_lines("interview_a", [line.replace("Aisha Khan", "Participant") for line in INTERVIEW_A],
                                    roles={"Interviewer": "interviewer"})
    result = source_ops.replace_source(study, source.id, renamed)
    assert result.people_removed == [] and result.speakers_kept == 4  # same words: the same speakers
    with pytest.raises(StudyError, match="the file's text is the same as the source's: nothing to replace"):
        source_ops.replace_source(study, source.id, renamed)
    twin = transcript_from_lines("copy", [line for line in study.source_text(other.id).splitlines()])
    with pytest.raises(StudyError, match="the same text is already in the study as 'interview_b'"):
        source_ops.replace_source(study, source.id, twin)
    fresh = transcript_from_lines("interview_a", ["Interviewer: Hello?", "Ann Lee: Hi, I am someone else."],
                                  roles={"Interviewer": "interviewer"})
    result = source_ops.replace_source(study, source.id, fresh)
    assert result.people_removed == ["P01"] and result.people_added == ["P03"]
    assert "Aisha Khan" not in [p.name for p in study.participants()]
