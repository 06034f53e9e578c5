"""Participant profiles and persona drafts: numbers traced to the codings, deterministic drafts, and the rules
for few participants and shared attributes."""

from __future__ import annotations

from statistics import fmean

import pytest

from coding import personas as P
from coding.codebook import add_code, find_code, list_stages, new_study
from coding.codings import add_codings
from coding.importing import import_transcripts
from coding.models import StudyError, Transcript, Utterance
from coding.people import find_participant
from coding.personas.profiles import shared_attributes
from coding.study import Store
from coding.synthesis import compute_journey


def small_study(path, people: dict[str, list[tuple[str, list[str]]]], attributes: dict[str, dict],
                themes: tuple[str, ...] = ()) -> Store:
    """One source per person; each (sentence, codes) becomes a turn coded with those codes."""
    store = new_study(path, coder="tester")
    for theme in themes:
        add_code(store, theme, "theme")
    transcripts = []
    for name, turns in people.items():
        text, utts = "", []
        for sentence, _codes in turns:
            start = len(text) + len(name) + 2
            text += f"{name}: {sentence}\n"
            utts.append(Utterance(name, start, start + len(sentence)))
        transcripts.append(Transcript(title=name, filename=f"{name}.txt", format="text", text=text,
                                      utterances=utts))
    import_transcripts(store, transcripts, participant_rows=[{"name": n, **a} for n, a in attributes.items()])
    planned = []
    for source in store.sources():
        for sentence, codes in people[source.title]:
            start = source.text.index(sentence)
            planned += [(source.id, start, start + len(sentence), find_code(store, c).id) for c in codes]
    add_codings(store, planned, summary="test coding")
    return store


def test_profile_counts_trace_to_the_codings(demo):
    ruth = find_participant(demo, "Ruth Evans")
    profile = P.participant_profile(demo, "Ruth Evans")
    journey = compute_journey(demo)
    mine = [q for q in journey.quotes if ruth.id in q.participant_ids]
    assert [q.id for q in sorted(mine, key=lambda q: q.id)] == sorted(q.id for q in profile.quotes)
    access = find_code(demo, "Accessible contact")
    count = next(c for c in profile.needs if c.code.id == access.id)
    assert count.quotes == sum(1 for q in mine if access.id in q.code_ids("need"))
    assert profile.needs[0].quotes >= profile.needs[-1].quotes            # most quoted first
    assert [c.code.name for c in profile.stages] == [s.name for s in list_stages(demo)]   # journey order
    for point in profile.curve:                                              # her own curve
        values = [q.valence for q in mine if q.stage_id == point.stage.id and q.valence is not None]
        assert point.valence == (pytest.approx(fmean(values)) if values else None)
    top = profile.strongest[0]
    assert abs(top.valence) == max(abs(q.valence or 0) for q in mine)
    assert len({q.stage_id for q in profile.strongest}) == len(profile.strongest)  # one per stage first
    assert len(P.profiles(demo)) == 15


def test_demo_drafts_three_personas_deterministically(demo):
    first, second = P.draft_personas(demo), P.draft_personas(demo)
    assert first.k == 3 and [s.participant_ids for s in first.sketches] == [s.participant_ids for s in second.sketches]
    assert set(first.silhouettes) == {2, 3, 4, 5, 6} and "silhouette" in first.reason
    assert "chance: 0.0" in first.reason and "no clearer than chance" not in first.reason
    assert first.features == ("needs", "pains", "emotions", "stages", "attributes")
    everyone = sorted(p for s in first.sketches for p in s.participant_ids)
    assert everyone == sorted(p.id for p in demo.participants(role="participant"))   # each in exactly one
    names = {s.name for s in first.sketches}
    assert len(names) == 3
    older = next(s for s in first.sketches if find_participant(demo, "Ruth Evans").id in s.participant_ids)
    assert older.attributes["age_band"] == "55+" and older.attributes["segment"] == "NHS"
    assert older.needs[0].code.name == "Accessible contact" and older.needs[0].lift > 2
    assert "Accessible contact" in older.name
    assert older.goals[0] == find_code(demo, "Accessible contact").description
    first_timers = next(s for s in first.sketches if find_participant(demo, "Mei Chen").id in s.participant_ids)
    assert first_timers.attributes["first_scan"] == "first scan"
    assert {x.code.name for x in first_timers.needs[:2]} == {"Know what to expect", "Reassurance and kindness"}
    assert all(set(q.participant_ids) & set(first_timers.participant_ids) for q in first_timers.quotes)
    assert len({q.participant_ids for q in first_timers.quotes[:4]}) == 4          # a voice each first


def test_k_overrides_and_its_limits(demo):
    four = P.draft_personas(demo, k=4)
    assert four.k == 4 and len(four.sketches) == 4 and "as asked" in four.reason
    with pytest.raises(StudyError, match="--k must be from 2"):
        P.draft_personas(demo, k=1)


def _people(n: int):
    people, attrs = {}, {}
    for i in range(n):
        name = f"Person {chr(65 + i)}"
        calm = i % 2 == 0
        people[name] = [
            (f"I waited for weeks, person {i}.", ["Consideration", "Frustrated", "Speed and convenience"]),
            (f"The nurse was kind to me, person {i}.", ["Use", "Reassured" if calm else "Anxious",
                                                        "Being cared for" if calm else "Clear information"]),
        ]
        attrs[name] = {"age_band": "55-74" if calm else "18-34", "first_scan": "yes" if calm else "no",
                       "email": f"p{i}@example.org"}
    return people, attrs


def test_fewer_than_six_participants_make_no_drafts(tmp_path):
    people, attrs = _people(5)
    store = small_study(tmp_path / "five.rtui", people, attrs)
    result = P.draft_personas(store)
    assert result.sketches == () and result.k is None
    assert "5 participants with coded quotes" in result.reason and "at least 6" in result.reason
    with pytest.raises(StudyError, match="at least 6"):
        P.save_drafts(store, result)


def test_lift_by_hand_and_identifying_attributes_ignored(tmp_path):
    people, attrs = _people(6)
    store = small_study(tmp_path / "six.rtui", people, attrs)
    result = P.draft_personas(store)
    assert result.k == 2
    calm = next(s for s in result.sketches if find_participant(store, "Person A").id in s.participant_ids)
    assert {store.participant(p).name for p in calm.participant_ids} == {"Person A", "Person C", "Person E"}
    cared = next(x for x in calm.needs if x.code.name == "Being cared for")
    # each calm person: 1 of 2 quotes carries it (0.5); nobody else says it: (0.5 + 0.01) / (0 + 0.01)
    assert (cared.members, cared.share, cared.weight, cared.others_weight) == (3, 1.0, 0.5, 0.0)
    assert cared.lift == pytest.approx(51.0)
    from coding.personas.profiles import Study, lifts

    every = lifts(Study(store), calm.participant_ids, "need")
    speed = next(x for x in every if x.code.name == "Speed and convenience")   # everyone says it:
    assert speed.lift == pytest.approx(1.0) and speed not in calm.needs           # it sets nobody apart
    assert [x.code.name for x in calm.needs] == ["Being cared for"]
    assert calm.attributes == {"age_band": "55-74", "first_scan": "first scan"}   # no e-mail addresses
    assert calm.goals[0] == "Being treated as a person, not a case."   # the need's definition as a goal
    assert calm.description == "More than the others they need: being cared for."


def test_shared_attribute_phrases():
    from coding.models import Participant

    rows = [("55-74", "yes", "NHS"), ("55-74", "yes", "NHS"), ("75+", "no", "NHS"), ("55-74", "yes", "Private"),
            ("18-34", "no", "NHS"), ("35-54", "no", "Private")]
    people = {i: Participant(i, f"P{i}", f"P{i:02d}", "participant",
                             {"age_band": a, "first_scan": f, "segment": s}) for i, (a, f, s) in enumerate(rows)}
    older = shared_attributes(people, [0, 1, 2, 3], list(people))
    assert older == {"age_band": "55+", "first_scan": "mostly first scan", "segment": "mostly NHS"}
    younger = shared_attributes(people, [4, 5], list(people))
    assert younger == {"age_band": "18-54", "first_scan": "not first scan"}


def test_a_persona_journey_has_only_its_members(demo):
    saved = P.save_drafts(demo, P.draft_personas(demo))
    name, ids = P.persona_scope(demo, saved[1].name)
    journey = compute_journey(demo, members=ids, segment=("persona", name))
    assert journey.segment == ("persona", name)
    assert {p.id for p in journey.participants} == set(ids)
    assert all(set(q.participant_ids) <= set(ids) for q in journey.quotes)


def test_a_study_coded_without_stages_still_makes_drafts(tmp_path):
    """Needs, pains and themes coded on spans that overlap no stage coding still count."""
    people, attrs = {}, {}
    for i in range(8):
        worried = i < 4
        people[f"Person {chr(65 + i)}"] = [
            (f"Nobody told me anything, person {i}.", ["Clear information", "Anxious"] if worried
             else ["Speed and convenience", "Frustrated"]),
            (f"The cost of it all, person {i}.", ["Money worries"] if not worried else ["Being cared for"]),
        ]
        attrs[f"Person {chr(65 + i)}"] = {"segment": "A" if worried else "B"}
    store = small_study(tmp_path / "themes.rtui", people, attrs, themes=("Money worries",))
    result = P.draft_personas(store)
    assert result.k == 2 and "themes" in result.features and "stages" not in result.features
    groups = [{store.participant(p).name for p in s.participant_ids} for s in result.sketches]
    assert {"Person A", "Person B", "Person C", "Person D"} in groups
    worried = next(s for s in result.sketches if find_participant(store, "Person A").id in s.participant_ids)
    assert worried.needs[0].code.name in ("Clear information", "Being cared for") and worried.needs[0].lift > 10
    assert worried.quotes and all(q.stage_id == 0 for q in worried.quotes)     # coded spans, no stage
    profile = P.participant_profile(store, "Person A")
    assert profile.stages == () and {c.code.name for c in profile.needs} == {"Clear information", "Being cared for"}
    assert all(point.valence is None for point in profile.curve)


def test_drafts_no_clearer_than_chance_are_called_so(tmp_path):
    import random

    rng = random.Random(3)
    needs = ["Clear information", "Speed and convenience", "Feeling in control", "Being cared for"]
    people = {f"Person {i:02d}": [(f"Sentence {j} of person {i}.", ["Use", rng.choice(needs),
                                  rng.choice(["Anxious", "Reassured", "Frustrated"])]) for j in range(4)]
              for i in range(14)}
    store = small_study(tmp_path / "noise.rtui", people, {n: {"segment": rng.choice("AB")} for n in people})
    result = P.draft_personas(store)
    assert "no clearer than chance" in result.reason      # silhouettes near 0.3 mean nothing here
