"""Moments that mean something, on a real-shaped study: every participant talks about Context calmly
(valence from the emotion model), three of six talk about Consent with feeling (the researcher's
emotion codes). Felt before calm whatever the reach; mixed only with a split; lanes show quotes with
content; the evidence and the executive-summary line say how much rests on the model."""

from __future__ import annotations

import pytest

from coding.codebook import add_code, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.nlp.experience import valence_of
from coding.synthesis import compute_journey
from tests.conftest import span_of, transcript_from_lines

CALM = "We keep the interview files on the shared drive with a readme for each project."


@pytest.fixture
def store(tmp_path):
    st = new_study(tmp_path / "s.rtui", coder="tester", template="blank")
    transcripts = []
    for i in range(1, 7):
        lines = ["Interviewer: How do you store the data?", f"DC0{i}: {CALM} Oh! Data quality.",
                 "Interviewer: And consent?", f"DC0{i}: Like, what is it? "
                 + ("The IRB sat on our consent form for eleven months and we lost the grant." if i <= 3
                    else "Consent is handled by the PI office.")]
        transcripts.append(transcript_from_lines(f"DC0{i}", lines, roles={"Interviewer": "interviewer"}))
    import_transcripts(st, transcripts)
    context, consent = add_code(st, "Context", "stage"), add_code(st, "Consent", "stage")
    angry = add_code(st, "Angry", "emotion", valence=-2)
    for i in range(1, 7):
        sid, a, b = span_of(st, f"DC0{i}", f"{CALM} Oh! Data quality.")
        add_coding(st, sid, a, b, context.id)
        sid, a, _ = span_of(st, f"DC0{i}", "Oh! Data quality.")
        add_coding(st, sid, a, b, context.id)  # a short filler quote of its own
        if i <= 3:
            sid, a, b = span_of(st, f"DC0{i}", "Like, what is it? The IRB sat on our consent form for eleven "
                                                "months and we lost the grant.")
            add_coding(st, sid, a, b, consent.id)
            add_coding(st, sid, a, b, angry.id)
            sid, a, b = span_of(st, f"DC0{i}", "Like, what is it?")
            add_coding(st, sid, a, b, consent.id)  # a question back, coded with the stage
    yield st
    st.close()


def test_felt_stage_ranks_before_a_calm_one_with_more_reach(store):
    j = compute_journey(store, valence_of=valence_of)
    context = next(m for m in j.moments if m.title == "Context")
    consent = next(m for m in j.moments if m.title == "Consent")
    assert context.reach == 1.0 and consent.reach == 0.5
    assert context.sign == "calm" and not context.felt and "little feeling" in context.sign_note
    assert consent.sign == "pain" and consent.felt and "3 of 3 strongly negative" in consent.sign_note
    assert j.moments[0].title == "Consent"
    assert "0 from the researcher's emotion codes, 12 from the emotion model" in context.basis
    assert "6 from the researcher's emotion codes, 0 from the emotion model" in consent.basis


def test_lanes_pick_quotes_with_content(store):
    j = compute_journey(store, valence_of=valence_of, k=4)
    for col in j.stages:
        for q in col.representative:
            assert q.text not in ("Oh! Data quality.", "Like, what is it?"), q.text
    for m in j.moments:
        assert all(q.text not in ("Oh! Data quality.", "Like, what is it?") for q in m.quotes)


def test_summary_line_when_most_valence_is_the_models(store):
    j = compute_journey(store, valence_of=valence_of)
    assert j.valence_sources["nlp"] > j.valence_sources["codes"]
    assert j.model_note.startswith("Most feeling here is the emotion model's reading")
    assert compute_journey(store).model_note == ""  # no model valence: nothing to say


def test_a_journey_where_nobody_feels_much_says_so_and_voices_calm_moments_typically(store, tmp_path):
    """Among the three who tell Consent calmly, no stage is felt: the summary says its moments are where people
    speak, not where they feel, naming the most felt; a calm moment's quote is what is typical there, not
    the rare quote the model reads as feeling something."""
    from exports.anonymize import Anonymizer
    from exports.markdown import render

    calm = [p.id for p in store.participants() if p.name in ("DC04", "DC05", "DC06")]
    j = compute_journey(store, valence_of=valence_of, members=calm, segment=("calm", "DC04-06"))
    assert j.moments and not any(m.felt for m in j.moments)
    most = max(j.moments, key=lambda m: m.intensity)
    assert j.calm_note == (f"No stage stands out in feeling: people feel little either way everywhere (the most "
                           f"at {most.title}, intensity {most.intensity:.2f} of 2). The moments below are where "
                           "most people speak, not where they feel most.")
    felt = compute_journey(store, valence_of=valence_of)
    assert felt.calm_note == ""  # Consent is felt by three: the moments are where people feel
    text = render(store, j, Anonymizer.from_store(store, enabled=False))
    assert f"_{j.calm_note}_" in text and "_No stage stands out" not in render(
        store, felt, Anonymizer.from_store(store, enabled=False))


TYPICAL = "We keep the interview files on the shared drive, with a readme file for each project folder."
RARE = "Honestly the shared drive is wonderful, I love it, best thing we ever did."


def calm_study(path):
    """Twelve people on one stage, Storage; one of them (DC01) with a feeling the model reads as strong."""
    st = new_study(path, coder="tester", template="blank")
    lines = {f"DC{i:02d}": TYPICAL if i > 1 else RARE for i in range(1, 13)}  # one in twelve: calm on the whole
    import_transcripts(st, [transcript_from_lines(name, ["Interviewer: Where do the files go?", f"{name}: {text}"],
                                                  roles={"Interviewer": "interviewer"})
                            for name, text in lines.items()])
    storage = add_code(st, "Storage", "stage")
    for name, text in lines.items():
        sid, a, b = span_of(st, name, text)
        add_coding(st, sid, a, b, storage.id)
    return st


def test_a_calm_moment_is_voiced_by_what_is_typical_there_not_by_a_rare_feeling(tmp_path):
    st = calm_study(tmp_path / "c.rtui")
    typical, rare = TYPICAL, RARE
    assert valence_of(rare) >= 0.5 > abs(valence_of(typical))  # the model does read the rare one as felt
    j = compute_journey(st, valence_of=valence_of)
    (moment,) = j.moments
    assert moment.sign == "calm" and not moment.felt
    assert moment.quotes[0].text == typical  # before: the rare feeling voiced the calm moment
    assert j.calm_note.startswith("No stage stands out in feeling") and "Storage" in j.calm_note
    st.close()
