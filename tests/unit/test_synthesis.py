"""Synthesis on a small study with known codings (see tests/exports/journey_study.py for the table)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from coding.codebook import find_code, get_code, list_stages, new_study
from coding.codings import add_coding, get_coding, list_codings
from coding.models import StudyError
from coding.synthesis import compare_segments, compute_journey, saturation, score_of, segment_keys
from coding.synthesis.moments import sign_of
from coding.synthesis.represent import pick_diverse
from tests.exports.journey_study import build_study

AISHA, BEN, CHLOE = "Aisha Khan", "Ben Carter", "Chloe Davies"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    store, ids = build_study(tmp_path_factory.mktemp("synthesis") / "scan.rtui")
    people = {p.name: p.id for p in store.participants()}
    yield store, ids, people
    store.close()


@pytest.fixture(scope="module")
def journey(study):
    return compute_journey(study[0])


def test_stages_in_codebook_order_with_quotes_and_participants(study, journey):
    store, _ids, _people = study
    assert [c.name for c in journey.stages] == [s.name for s in list_stages(store)]
    counts = {c.name: (len(c.quotes), len(c.participant_ids)) for c in journey.stages}
    assert counts == {"Awareness": (3, 2), "Consideration": (0, 0), "Purchase": (0, 0), "Onboarding": (4, 3),
                      "Use": (0, 0), "Support": (3, 2), "Renewal/Advocacy": (0, 0)}
    assert [p.name for p in journey.participants] == [AISHA, BEN, CHLOE]
    assert journey.n == 3


def test_interviewer_words_are_a_quote_without_participants(study, journey):
    _store, ids, people = study
    a0 = journey.quote(ids["A0"])
    assert a0.participant_ids == ()
    assert people[AISHA] not in a0.participant_ids
    assert journey.stage("Awareness").participant_ids == (people[AISHA], people[BEN])


def test_codings_attach_to_overlapping_stage_quotes(study, journey):
    store, ids, _people = study
    c1 = journey.quote(ids["C1"])  # the Anxious coding covers only "I was so anxious"
    kinds = sorted(a.kind for a in c1.attached)
    assert kinds == ["emotion", "need", "pain_point", "touchpoint"]
    a2 = journey.quote(ids["A2"])  # the opportunity starts inside the quote and runs past its end
    assert find_code(store, "opportunity:Opportunity").id in a2.code_ids("opportunity")
    assert set(a2.coding_ids) == {ids["A2"], *(a.coding_id for a in a2.attached)}
    assert len(journey.unstaged_coding_ids) == 1
    assert get_coding(store, journey.unstaged_coding_ids[0]).text == "I trust my insurer."


def test_attribution_matches_the_store(study, journey):
    store, _ids, _people = study
    for q in journey.quotes:
        expected = [p for p in store.participants_of_span(q.source_id, q.start, q.end)
                    if store.participant(p).role == "participant"]
        assert list(q.participant_ids) == expected


def test_quote_text_attribution_and_timestamp(study, journey):
    store, ids, people = study
    b3 = journey.quote(ids["B3"])
    source = store.source(b3.source_id)
    assert b3.text == source.text[b3.start:b3.end]
    assert b3.participant_ids == (people[BEN],)
    assert b3.timestamp == "01:02:05"
    assert journey.quote(ids["A2"]).timestamp == "00:00:40"


def test_doing_lane_touchpoints_with_counts_and_attributes(journey):
    onboarding = journey.stage("Onboarding")
    assert [(t.code.name, t.quotes, t.participants) for t in onboarding.touchpoints] == [
        ("Website", 1, 1), ("Phone call", 1, 1), ("Email / letter", 1, 1)]
    support = journey.stage("Support").touchpoints
    assert [(t.code.name, t.quotes, t.participants) for t in support] == [("Phone call", 2, 2)]
    assert support[0].code.attributes == {"channel": "offline", "owned": True}
    assert len(support[0].coding_ids) == 2


def test_feeling_lane_emotions_and_valence_curve(study, journey):
    store, _ids, people = study
    onboarding = journey.stage("Onboarding")
    assert [(t.code.name, t.quotes, t.participants) for t in onboarding.emotions] == [
        ("Confused", 2, 2), ("Anxious", 2, 2), ("Frustrated", 1, 1)]
    v = onboarding.valence
    # Aisha -1.5 (Confused -1, Frustrated -2 on one quote), Ben -1 (two quotes of -1), Chloe -1
    assert dict(v.by_participant) == {people[AISHA]: -1.5, people[BEN]: -1.0, people[CHLOE]: -1.0}
    assert v.mean == pytest.approx(-3.5 / 3)
    assert v.std == pytest.approx(math.sqrt(((1 / 3) ** 2 + 2 * (1 / 6) ** 2) / 3))
    assert (v.min, v.max, v.n) == (-1.5, -1.0, 3)
    awareness, support = journey.stage("Awareness").valence, journey.stage("Support").valence
    assert (awareness.mean, awareness.std, awareness.n) == (1.0, 0.0, 2)
    assert (support.mean, support.std, support.n) == (0.0, 2.0, 2)
    assert journey.stage("Use").valence.mean is None
    # every number traces back to the emotion codings it is the mean of
    emotion_ids = {c.id for c in list_codings(store, kind="emotion")}
    assert set(v.coding_ids) <= emotion_ids and len(v.coding_ids) == 5


def test_valence_sources_and_nlp_hook(study, journey):
    store, ids, _people = study
    assert journey.valence_sources == {"codes": 8, "nlp": 0, "none": 2}
    with_nlp = compute_journey(store, valence_of=lambda text: -0.5 if "post" in text else None)
    assert with_nlp.valence_sources == {"codes": 8, "nlp": 1, "none": 1}
    c3 = with_nlp.quote(ids["C3"])
    assert (c3.valence, c3.valence_from) == (-0.5, "nlp")
    # Chloe: mean of -2 (C2) and -0.5 (C3); Aisha +2
    assert with_nlp.stage("Support").valence.mean == pytest.approx((2 + (-1.25)) / 2)
    clipped = compute_journey(store, valence_of=lambda text: 9.0)
    assert clipped.quote(ids["C3"]).valence == 2.0


def test_needs_split_functional_and_emotional(journey):
    onboarding = journey.stage("Onboarding")
    assert [(t.code.name, t.participants) for t in onboarding.needs_functional] == [
        ("Clear information", 2), ("Speed and convenience", 1)]
    assert [(t.code.name, t.participants) for t in onboarding.needs_emotional] == [("Feeling in control", 1)]


def test_pain_points_and_opportunities_keep_their_quotes(study, journey):
    _store, ids, _people = study
    pains = journey.stage("Onboarding").pain_points
    assert [(t.code.name, t.quotes, t.participants) for t in pains] == [("Pain point", 3, 3)]
    assert set(pains[0].quote_ids) == {ids["A2"], ids["B2"], ids["C1"]}
    opp = journey.stage("Support").opportunities
    assert [(t.code.name, t.quote_ids) for t in opp] == [("Opportunity", (ids["C2"],))]


def test_thinking_lane_is_diverse_and_deterministic(study, journey):
    store, ids, people = study
    onboarding = journey.stage("Onboarding").representative
    assert len(onboarding) == 4
    first_three = [q.participant_ids[0] for q in onboarding[:3]]
    assert sorted(first_three) == sorted(people[n] for n in (AISHA, BEN, CHLOE))  # one each before repeats
    awareness = journey.stage("Awareness").representative
    assert awareness[-1].id == ids["A0"]  # the interviewer's words come last
    assert [q.id for q in compute_journey(store).stage("Onboarding").representative] == [q.id for q in onboarding]


def test_pick_diverse_one_per_participant_first(journey):
    quotes = journey.stage("Onboarding").quotes
    ben_first = {q.id: (1.0 if len(q.participant_ids) and q.text.startswith(("Booking", "Nobody")) else 0.1)
                 for q in quotes}
    picked = pick_diverse(quotes, ben_first, 3)
    assert len({q.participant_ids for q in picked}) == 3


def test_moments_ranked_with_documented_scores(journey):
    ranked = [(m.title, round(m.score, 5)) for m in journey.moments]
    assert ranked == [
        ("Support", 0.8), ("Support · Phone call", 0.8), ("Onboarding", 0.7), ("Awareness", 0.46667),
        ("Onboarding · Email / letter", 0.43333), ("Onboarding · Website", 0.4),
        ("Awareness · Website", 0.33333), ("Awareness · In person", 0.33333), ("Onboarding · Phone call", 0.33333),
    ]
    support = journey.moments[0]
    assert (support.reach, support.intensity, support.peak_end) == pytest.approx((2 / 3, 2.0, 2 / 3))
    assert support.score == pytest.approx(score_of(2 / 3, 2.0, 2 / 3))
    assert support.sign == "mixed"
    onboarding = journey.moments[2]
    assert (onboarding.reach, onboarding.intensity, onboarding.peak_end) == pytest.approx((1.0, 3.5 / 3, 1 / 3))
    assert onboarding.sign == "pain" and journey.moments[3].sign == "delight"
    assert onboarding.score == pytest.approx(0.4 * 1 + 0.4 * (3.5 / 3) / 2 + 0.2 * (1 / 3))
    # Ben's last stage is Onboarding and his tied peak is his later Onboarding quote
    assert len(onboarding.peak_end_ids) == 1
    website = journey.moments[5]
    assert website.peak_end == pytest.approx(1 / 3)  # end: last coded stage, and Ben is in the cell


def test_moment_needs_quotes_and_provenance(study, journey):
    _store, ids, people = study
    onboarding = journey.moments[2]
    assert [(t.code.name, t.participants) for t in onboarding.needs] == [
        ("Clear information", 2), ("Speed and convenience", 1), ("Feeling in control", 1)]
    assert 3 <= len(onboarding.quotes) <= 5
    assert {q.participant_ids[0] for q in onboarding.quotes[:3]} == {people[AISHA], people[BEN], people[CHLOE]}
    assert onboarding.quotes[0].id == ids["A2"]  # the most intense quote first
    assert set(onboarding.quote_ids) == {ids["A2"], ids["B2"], ids["B3"], ids["C1"]}
    assert set(onboarding.coding_ids) >= set(onboarding.quote_ids)
    assert "reach 1.00 (3 of 3 participants)" in onboarding.why


def test_top_moments_skip_touchpoint_cells_that_repeat_their_stage(journey):
    top = journey.top_moments(4)
    assert [m.title for m in top] == ["Support", "Onboarding", "Awareness", "Onboarding · Email / letter"]
    assert len(journey.top_moments(4, distinct=False)) == 4


def test_sign_rules():
    assert sign_of([]) == "calm"
    assert sign_of([-2.0, 1.0]) == "pain"
    assert sign_of([-1.0, 1.2]) == "mixed"
    assert sign_of([0.5]) == "delight"
    assert sign_of([0.1, 0.2]) == "calm" and sign_of([-0.25]) == "pain" and sign_of([0.25]) == "delight"
    # mixed only when participants really split: a share (20%, at least 1) strongly on each side
    ten = [-0.6, 0.7, 0.05, 0.0, 0.1, -0.1, 0.0, 0.05, 0.0, 0.0]
    assert sign_of(ten) == "calm"  # 1 of 10 each way is no split, and little is felt
    assert sign_of([-0.6, -0.7, 0.6, 0.8, 0.0, 0.0, 0.1, 0.0, 0.0, 0.0]) == "mixed"  # 2 of 10 each way
    assert sign_of([-0.3, 0.3, -0.4, 0.4]) == "calm"  # mild both ways: no split


def test_segment_restricts_participants_and_denominator(study):
    store, _ids, _people = study
    nhs = compute_journey(store, segment=("segment", "NHS"))
    assert [p.name for p in nhs.participants] == [AISHA, CHLOE]
    assert len(nhs.stage("Awareness").quotes) == 1  # the interviewer quote is not in a segment
    assert nhs.stage("Onboarding").valence.mean == pytest.approx(-1.25)
    assert nhs.moments[0].n_journey == 2
    assert compute_journey(store, segment=("Segment", "nhs")).n == 2  # any case


def test_segment_errors_name_what_is_known(study):
    store = study[0]
    with pytest.raises(StudyError, match="known attributes: age, segment"):
        compute_journey(store, segment=("region", "North"))
    with pytest.raises(StudyError, match="known values: NHS, Private"):
        compute_journey(store, segment=("segment", "Charity"))
    assert segment_keys(store) == {"age": ["27", "34", "51"], "segment": ["NHS", "Private"]}


def test_compare_segments_side_by_side(study):
    cmp = compare_segments(study[0], "segment", "NHS", "Private")
    rows = {r.stage.name: (r.mean_a, r.n_a, r.mean_b, r.n_b) for r in cmp.rows}
    assert rows["Awareness"] == (1.0, 1, 1.0, 1)
    assert rows["Onboarding"] == (pytest.approx(-1.25), 2, -1.0, 1)
    assert rows["Support"] == (0.0, 2, None, 0)
    assert rows["Use"] == (None, 0, None, 0)
    assert [r.difference for r in cmp.rows if r.stage.name == "Onboarding"] == [pytest.approx(-0.25)]
    with pytest.raises(StudyError):
        compare_segments(study[0], "segment", "NHS", "nhs")


def test_saturation_curve(study):
    store, _ids, _people = study
    points = saturation(store)
    assert [(p.title, p.new, p.cumulative) for p in points] == [
        ("Interview 1", 14, 14), ("Interview 2", 5, 19), ("Interview 3", 2, 21)]
    names = {get_code(store, c).name for c in points[2].new_code_ids}
    assert names == {"Feeling in control", "Angry"}
    assert all(get_coding(store, cid).source_id == points[2].source_id for cid in points[2].first_coding_ids)


def test_empty_study_has_an_empty_journey(tmp_path):

    store = new_study(tmp_path / "empty.rtui")
    j = compute_journey(store)
    assert j.moments == () and j.n == 0 and len(j.stages) == 7
    assert saturation(store) == []


def test_importing_the_core_loads_no_ui_and_no_nlp():
    code = ("import sys, coding.synthesis, exports; "
            "bad = [m for m in ('textual', 'rich', 'sklearn', 'spacy', 'matplotlib') if m in sys.modules]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_pick_diverse_shows_the_same_words_once():
    from coding.synthesis import Quote

    def q(qid, pid, text):
        return Quote(id=qid, stage_id=1, source_id=pid, source_title="s", source_position=pid, start=0,
                     end=len(text), text=text, participant_ids=(pid,), start_ms=None)

    quotes = [q(1, 1, "I waited three weeks."), q(2, 2, "Honestly, I waited three weeks."),
              q(3, 3, "i waited THREE weeks"), q(4, 4, "The nurse was lovely.")]
    picked = pick_diverse(quotes, {1: 0.9, 2: 0.8, 3: 0.7, 4: 0.1}, 3)
    assert [p.id for p in picked] == [1, 4]


def test_pick_diverse_skips_near_repeats():
    from coding.synthesis import Quote

    def q(qid, pid, text):
        return Quote(id=qid, stage_id=1, source_id=pid, source_title="s", source_position=pid, start=0,
                     end=len(text), text=text, participant_ids=(pid,), start_ms=None)

    quotes = [q(1, 1, "Well, my GP mentioned the scan and said it was routine, which calmed me down."),
              q(2, 2, "Looking back, my GP mentioned the scan and said it was routine, which calmed me down."),
              q(3, 3, "My GP said nothing about the scan.")]
    assert [p.id for p in pick_diverse(quotes, {1: 0.9, 2: 0.8, 3: 0.1}, 3)] == [1, 3]


def test_a_second_coder_on_the_same_span_counts_once(tmp_path):
    store, _ids = build_study(tmp_path / "two-coders.rtui")
    before = compute_journey(store)
    for c in list_codings(store):
        add_coding(store, c.source_id, c.char_start, c.char_end, c.code_id, coder="second coder")
    after = compute_journey(store)
    assert len(list_codings(store)) == 2 * sum(1 for c in list_codings(store) if c.coder != "second coder")
    assert [q.id for q in after.quotes] == [q.id for q in before.quotes]
    assert [m.score for m in after.moments] == [m.score for m in before.moments]
    assert [(c.name, c.valence.mean) for c in after.stages] == [(c.name, c.valence.mean) for c in before.stages]
    store.close()
