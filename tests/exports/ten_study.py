"""A ten-person study for the rules of moments: one interview each, stage and emotion codings.

    plan()       ten people: everyone mildly anxious at Onboarding and calm (Neutral) at Renewal/Advocacy,
                 their last stage; only person A furious at Support; seven reassured at Awareness
                 (one delighted); person B also delighted at Onboarding
    build(path, plan) -> Store
"""

from __future__ import annotations

from coding.codebook import find_code, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from tests.exports.journey_study import transcript

WORRIES = ("The forms asked the same thing twice.", "Parking near the clinic was impossible.",
           "Nobody said what it would cost.", "I dreaded the noise of the machine.", "Needles scare me.",
           "Waiting two weeks felt endless.", "My boss wanted me back by noon.", "Who would feed the dog?",
           "Mum kept phoning to ask for news.", "An hour's drive each way, in the rain.")


def build(path, plan):
    """plan: one list per participant of (stage, emotion or None, words); each person one interview."""
    store = new_study(path, template="journey", name="Ten people", coder="rachel")
    specs = []
    for i, quotes in enumerate(plan, start=1):
        turns = [("Interviewer", "Tell me about it.", 0)]
        turns += [(f"Person {chr(64 + i)}lpha", words, 1000 * n) for n, (_s, _e, words) in enumerate(quotes, 1)]
        specs.append(transcript(f"Interview {i}", f"interview_{i:02d}.vtt", {"Interviewer": "interviewer"}, turns))
    import_transcripts(store, specs)
    for source, quotes in zip(store.sources(), plan):
        for stage, emotion, words in quotes:
            start = source.text.index(words)
            end = start + len(words)
            add_coding(store, source.id, start, end, find_code(store, f"stage:{stage}").id)
            if emotion:
                add_coding(store, source.id, start, end, find_code(store, emotion).id)
    return store


def plan():
    """Ten people: everyone is mildly anxious at Onboarding and calm (Neutral) at Renewal, their last
    stage; only person A is furious at Support; seven are reassured at Awareness, one of them also
    delighted there, and person B is delighted at Onboarding (a quote against that pain moment)."""
    people = []
    for i in range(10):
        quotes = []
        if i < 7:
            quotes.append(("Awareness", "Delighted" if i == 2 else "Reassured", f"Awareness words of person {i}."))
        quotes.append(("Onboarding", "Anxious", WORRIES[i]))
        if i == 1:
            quotes.append(("Onboarding", "Delighted", "Then the receptionist was wonderful to me."))
        if i == 0:
            quotes.append(("Support", "Angry", "Nobody ever called me back, it was a disgrace."))
        quotes.append(("Renewal/Advocacy", "Neutral", f"I would go there again, I suppose, says {i}."))
        people.append(quotes)
    return people
