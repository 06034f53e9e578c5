"""Suggestions learned from the study's codings, accepting and rejecting them, and autocoding."""

from __future__ import annotations

import pytest

from coding.codebook import add_code, delete_code, find_code, get_code, list_codes, merge_codes, new_study
from coding.codings import add_codings, list_codings, remove_coding
from coding.importing import import_transcripts
from coding.models import StudyError
from coding.nlp import decisions
from coding.nlp import suggest as S
from coding.nlp.autocode import autocode, matches
from coding.nlp.segments import candidates
from tests.conftest import transcript_from_lines

WAIT = ["I waited six weeks for the letter and nobody told me anything.",
        "The wait for the appointment letter was endless, weeks of nothing.",
        "Waiting all those weeks without a letter was the worst part.",
        "I was still waiting for a letter after two months."]
KIND = ["The nurse was lovely and explained every step of the scan.",
        "The radiographer was so kind, she explained everything calmly.",
        "A lovely nurse held my hand and explained what the noise was."]
OTHER = ["I drove to the hospital on a Tuesday morning.",
         "My daughter came along with me to the appointment.",
         "The car park was next to the main entrance."]


NAMES = ["Ann Lee", "Bo Chen", "Cy Diaz", "Di Evans"]


def _interview(n: int) -> list[str]:
    lines = []
    for i, text in enumerate([WAIT[n % 4], OTHER[n % 3], KIND[n % 3], WAIT[(n + 1) % 4], OTHER[(n + 1) % 3],
                              KIND[(n + 1) % 3]]):
        lines += [f"Interviewer: Question {i + 1} for you?", f"{NAMES[n]}: {text}"]
    return lines


@pytest.fixture
def coded(tmp_path):
    """Four interviews; the first three coded by hand (Waiting, Reassured), the fourth not at all."""
    store = new_study(tmp_path / "s.rtui", template="journey", coder="ana")
    import_transcripts(store, [transcript_from_lines(f"interview_{n}", _interview(n),
                                                    roles={"Interviewer": "interviewer"}) for n in range(4)])
    add_code(store, "Waiting", "pain_point")
    waiting, reassured = find_code(store, "Waiting").id, find_code(store, "Reassured").id
    plan = []
    for cand in candidates(store):
        title = store.source(cand.source_id).title
        if title == "interview_3":
            continue
        if cand.text in WAIT:
            plan.append((cand.source_id, cand.start, cand.end, waiting))
        elif cand.text in KIND:
            plan.append((cand.source_id, cand.start, cand.end, reassured))
    add_codings(store, plan)
    yield store
    store.close()


def _on(found, text):
    return next(q for q in found if q.candidate.text == text)


def test_learned_suggestions_on_the_uncoded_interview(coded):
    found = S.suggest(coded, min_confidence=0.5)
    coded_spans = [(c.source_id, c.char_start, c.char_end) for c in list_codings(coded)]
    for q in found:                                         # only uncoded quotes get suggestions
        c = q.candidate
        assert not any(sid == c.source_id and a < c.end and b > c.start for sid, a, b in coded_spans)
    held = {c.id for c in candidates(coded) if coded.source(c.source_id).title == "interview_3"}
    assert {q.candidate.id for q in found if any(s.code in ("Waiting", "Reassured") and s.by == "learned"
                                                 for s in q.codes)} <= held
    for text in (WAIT[3], WAIT[0]):
        q = _on(found, text)
        learned = {s.code: s for s in q.codes if s.by == "learned"}
        assert "Waiting" in learned and 0.5 <= learned["Waiting"].confidence <= 1
        assert "Reassured" not in learned
        assert -2 <= q.prediction.valence <= 2
    kind = _on(found, KIND[0])
    assert kind.codes[0].code == "Reassured"
    assert kind.candidate.text == coded.source_text(kind.candidate.source_id)[kind.candidate.start:kind.candidate.end]
    assert all(o not in {q.candidate.text for q in found if any(s.by == "learned" for s in q.codes)} for o in OTHER)
    # determinism
    again = S.suggest(coded, min_confidence=0.5)
    assert [(q.candidate.id, q.codes) for q in again] == [(q.candidate.id, q.codes) for q in found]


def test_a_code_needs_a_handful_of_codings(coded):
    codings = list_codings(coded, code="Waiting")
    for c in codings[: len(codings) - (S.MIN_CODINGS - 1)]:
        remove_coding(coded, c.id)
    assert len(list_codings(coded, code="Waiting")) == S.MIN_CODINGS - 1
    found = S.suggest(coded, code="Waiting", min_confidence=0.0)
    assert not any(s.code == "Waiting" for q in found for s in q.codes)


def test_accept_codes_with_origin_suggestion_and_the_researcher(coded):
    coded.coder = "bea"
    q = _on(S.suggest(coded, code="Waiting"), WAIT[3])
    assert decisions.accept(coded, [(q.candidate, q.codes[0].code_id)]) == 1
    coding = list_codings(coded, origin="suggestion")[0]
    assert (coding.source_id, coding.char_start, coding.char_end) == (q.candidate.source_id, q.candidate.start,
                                                                       q.candidate.end)
    assert coding.coder == "bea" and get_code(coded, coding.code_id).name == "Waiting"
    assert coded.history(1)[0].summary == "accepted 1 suggestion (Waiting)"
    assert WAIT[3] not in {x.candidate.text for x in S.suggest(coded)}   # coded now: no longer suggested
    coded.undo()
    assert list_codings(coded, origin="suggestion") == []


def test_rejected_suggestions_are_not_offered_again_and_undo_brings_them_back(coded):
    found = S.suggest(coded, code="Waiting")
    picks = [(q.candidate, s.code_id) for q in found for s in q.codes]
    assert len(picks) >= 2
    assert decisions.reject(coded, picks) == len(picks)
    assert decisions.reject(coded, picks) == 0                      # already rejected: nothing new
    assert S.suggest(coded, code="Waiting") == []
    assert coded.db.execute("SELECT count(*) FROM suggestion_rejections").fetchone()[0] == len(picks)
    coded.undo()
    assert len(S.suggest(coded, code="Waiting")) == len(found)


def test_emotion_model_suggests_emotion_codes_with_few_codings(tmp_path):
    store = new_study(tmp_path / "e.rtui", template="journey", coder="ana")
    import_transcripts(store, [transcript_from_lines("i1", [
        "Interviewer: How was it?", "Mo: I was terrified of what the scan would find, absolutely terrified.",
        "Interviewer: And then?", "Mo: Honestly the booking system was a nightmare, so frustrating."],
        roles={"Interviewer": "interviewer"})])
    found = S.suggest(store, min_confidence=0.0, include_empty=True)
    assert len(found) == 2
    feelings = [q.emotion_code for q in found]
    names = {c.name for c in list_codes(store, "emotion")}
    assert all(f is None or f in names for f in feelings)
    assert all(q.prediction.valence < 0 for q in found)
    by_model = [s for q in found for s in q.codes if s.by == "emotion model"]
    assert by_model and all(s.kind == "emotion" for s in by_model)


def test_bad_minimum_confidence(coded):
    with pytest.raises(StudyError):
        S.suggest(coded, min_confidence=1.5)


def test_autocode_whole_quotes_one_undoable_command(coded):
    before = len(list_codings(coded))
    plan = matches(coded, "Waiting", phrase="LETTER")
    assert plan.already == 6                               # interviews 0-2: coded by hand already
    assert [q.text for q in plan.quotes] == [WAIT[3], WAIT[0]]  # the uncoded interview, reading order
    assert len(list_codings(coded)) == before                  # a dry run changes nothing
    done = autocode(coded, "Waiting", phrase="letter")
    assert done.added == 2
    new = list_codings(coded, code="Waiting", source_id=plan.quotes[0].source_id)
    assert [c.text for c in new] == [WAIT[3], WAIT[0]]     # whole candidate quotes, exact offsets
    assert all(c.memo == 'autocoded: phrase "letter"' for c in new)
    coded.undo()
    assert len(list_codings(coded)) == before


def test_autocode_regex_speaker_and_errors(coded):
    plan = matches(coded, "Reassured", regex=r"\bexplain(ed|s)?\b", speaker="Di Evans")
    assert [q.text for q in plan.quotes] == [KIND[0], KIND[1]]
    assert matches(coded, "Reassured", phrase="NURSE   was").quotes  # any case, any white space
    assert not matches(coded, "Reassured", phrase="urse").quotes     # whole words only
    with pytest.raises(StudyError, match="invalid regular expression"):
        matches(coded, "Waiting", regex="(")
    with pytest.raises(StudyError, match="matches empty text"):
        matches(coded, "Waiting", regex=".*")
    with pytest.raises(StudyError, match="one of"):
        matches(coded, "Waiting")
    with pytest.raises(StudyError, match="no code"):
        matches(coded, "Nope", phrase="wait")


@pytest.mark.parametrize("change", ["delete", "merge"])
def test_undoing_a_deleted_or_merged_code_brings_back_its_rejected_suggestions(coded, change):
    found = S.suggest(coded, code="Waiting")
    picks = [(q.candidate, s.code_id) for q in found for s in q.codes]
    assert decisions.reject(coded, picks) == len(picks) >= 2
    rejections = "SELECT * FROM suggestion_rejections ORDER BY id"
    before = coded.db.execute(rejections).fetchall()
    waiting = find_code(coded, "Waiting").id
    if change == "delete":
        delete_code(coded, waiting)
    else:
        merge_codes(coded, waiting, add_code(coded, "Delays", "pain_point").id)
    assert coded.db.execute(rejections).fetchall() == []
    coded.undo()
    assert coded.db.execute(rejections).fetchall() == before
    assert S.suggest(coded, code="Waiting") == []            # still rejected: not offered again
    coded.redo()
    coded.undo()
    assert coded.db.execute(rejections).fetchall() == before


def test_the_emotion_model_alone_never_suggests_a_feeling_for_filler(tmp_path):
    """"Yeah, that's exactly right." read as Confident on a real uncoded study: back-channels get no emotion."""
    assert S.says_little("Yeah, that's exactly right.") and S.says_little("Mm-hmm. Sure, okay!")
    assert not S.says_little("I was terrified.") and not S.says_little("A nightmare.")
    store = new_study(tmp_path / "f.rtui", template="journey", coder="ana")
    import_transcripts(store, [transcript_from_lines("i1", [
        "Interviewer: So the booking was online?", "Mo: Yeah, that's exactly right.",
        "Interviewer: How did that feel?", "Mo: I was terrified of what the scan would find, absolutely terrified."],
        roles={"Interviewer": "interviewer"})])
    found = {q.candidate.text: q for q in S.suggest(store, min_confidence=0.0, include_empty=True)}
    assert set(found) == {"Yeah, that's exactly right.",
                          "I was terrified of what the scan would find, absolutely terrified."}
    assert not [s for s in found["Yeah, that's exactly right."].codes if s.by == "emotion model"]
    assert [s for s in found["I was terrified of what the scan would find, absolutely terrified."].codes
            if s.by == "emotion model"]
    store.close()
