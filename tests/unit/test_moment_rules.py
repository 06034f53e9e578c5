"""Moments that matter on a ten-person study: minimum reach, quotes of the moment's own sign, felt
peaks and ends, saturation over coded sources only."""

from __future__ import annotations

import pytest

from coding.codebook import find_code
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.synthesis import compute_journey, saturation
from coding.synthesis.moments import min_participants
from tests.exports.journey_study import transcript
from tests.exports.ten_study import build as _study
from tests.exports.ten_study import plan as _plan


@pytest.fixture(scope="module")
def ten(tmp_path_factory):
    store = _study(tmp_path_factory.mktemp("moments") / "ten.rtui", _plan())
    yield store, compute_journey(store)
    store.close()


def test_minimum_reach_rule():
    assert [min_participants(n) for n in (0, 1, 2, 3, 4, 5, 10, 30, 31, 50)] == [0, 1, 2, 2, 3, 3, 3, 3, 4, 5]


def test_a_moment_of_one_person_ranks_after_moments_with_reach(ten):
    _store, journey = ten
    assert journey.n == 10 and journey.min_participants == 3
    support = next(m for m in journey.moments if m.title == "Support")
    # by score alone the one furious person would outrank the calm ending that all ten share
    assert support.score > next(m for m in journey.moments if m.title == "Renewal/Advocacy").score
    assert support.limited_reach and support.caution == "only 1 of 10 participants"
    ranked = [m.title for m in journey.moments]
    reaching = [m.title for m in journey.moments if not m.limited_reach]
    assert ranked[:len(reaching)] == reaching and ranked.index("Support") >= len(reaching)
    assert [m.title for m in journey.top_moments(3)] == ["Onboarding", "Awareness", "Renewal/Advocacy"]
    assert all(m.caution == "" for m in journey.top_moments(3))


def test_a_pain_moment_shows_no_delighted_quote(ten):
    _store, journey = ten
    onboarding = journey.moments[0]
    assert onboarding.title == "Onboarding" and onboarding.sign == "pain"
    delighted = next(q for q in journey.quotes if q.text.startswith("Then the receptionist"))
    assert delighted.id in onboarding.quote_ids          # it is still counted in the cell
    assert delighted not in onboarding.quotes            # but not shown as a voice of this pain
    assert all((q.valence or 0) <= 0 for q in onboarding.quotes)
    people = [q.participant_ids for q in onboarding.quotes]
    assert len(people) == 5 and len(set(people)) == 5   # one quote per participant


def test_a_delight_moment_shows_no_pained_quote(tmp_path):
    plan = [[("Awareness", "Delighted", f"It was lovely, says {i}."),
             ("Onboarding", "Anxious", f"Forms again, says {i}.")] for i in range(4)]
    plan[0].append(("Awareness", "Frustrated", "But the car park was hell."))
    store = _study(tmp_path / "delight.rtui", plan)
    awareness = next(m for m in compute_journey(store).moments if m.title == "Awareness")
    assert awareness.sign == "delight"
    assert [q.text for q in awareness.quotes if "car park" in q.text] == []
    store.close()


def test_a_calm_ending_carries_no_end_weight(ten):
    _store, journey = ten
    renewal = next(m for m in journey.moments if m.title == "Renewal/Advocacy")
    assert renewal.reach == 1.0 and renewal.intensity == 0.0
    assert renewal.peak_end == 0.0 and renewal.peak_end_ids == ()   # everyone's last stage, felt by no one
    onboarding = journey.moments[0]
    # the peak: the strongest felt quote (Anxious -1) for the three people who were only mildly reassured
    # at Awareness is later in the journey, so Onboarding is their peak (ties go to the later quote)
    assert len(onboarding.peak_end_ids) == 8


def test_a_felt_ending_counts(tmp_path):
    plan = [[("Awareness", "Neutral", f"Heard of it, says {i}."), ("Support", "Angry", f"Terrible, says {i}."),
             ("Renewal/Advocacy", "Frustrated" if i < 2 else "Neutral", f"Never again, says {i}.")]
            for i in range(4)]
    store = _study(tmp_path / "ends.rtui", plan)
    renewal = next(m for m in compute_journey(store).moments if m.title == "Renewal/Advocacy")
    assert renewal.peak_end == pytest.approx(2 / 4)   # two felt endings (-2), two calm ones (0)
    store.close()


def test_saturation_leaves_out_sources_not_yet_coded(tmp_path):
    store = _study(tmp_path / "sat.rtui", _plan()[:2])
    for n, who in ((3, "Dana Lee"), (4, "Eve Stone")):
        import_transcripts(store, [transcript(f"Interview {n}", f"interview_0{n}.vtt", {"Interviewer": "interviewer"},
                                             [("Interviewer", "Hello?", 0), (who, "Reassured by the letter.", 1000)])])
    fourth = store.sources()[-1]
    start = fourth.text.index("Reassured by")
    add_coding(store, fourth.id, start, start + 9, find_code(store, "Reassured").id)
    points = saturation(store)
    assert [(p.title, p.new, p.cumulative) for p in points] == [
        ("Interview 1", 8, 8), ("Interview 2", 1, 9), ("Interview 4", 0, 9)]   # Interview 3: not coded yet
    store.close()
