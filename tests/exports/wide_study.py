"""A study with many stages and long words, for fitting the journey map on its page.

`build(path, stages=10, people=12)`: one interview per person; every person speaks at every stage
(three sentences each, 15-30 words), coded with the stage, an emotion, a touchpoint, a need, and every
third answer a pain point and an opportunity. Stage names are long ("Waiting for results",
"Renewal/Advocacy"), so the map must shrink to keep them whole.
"""

from __future__ import annotations

import random

from coding.codebook import add_code, list_codes, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.study import Store
from tests.exports.journey_study import transcript

STAGE_NAMES = ("Symptoms and GP", "Referral", "Booking the appointment", "Preparing", "Scan day",
               "Waiting for results", "Results and next steps", "Follow-up appointments", "Renewal/Advocacy",
               "Long-term monitoring", "Recommending", "Complaints", "Discharge", "Aftercare")
EMOTIONS = ("Anxious", "Frustrated", "Reassured", "Confused", "Delighted", "Angry", "Confident", "Neutral")
TOUCHPOINTS = ("Website", "Phone call", "Email / letter", "In person")
NEEDS = ("Clear information", "Speed and convenience", "Feeling in control", "Being cared for")
PEOPLE = ("Amara Okafor", "Bilal Chaudhry", "Carys Morgan", "Dmitri Volkov", "Esther Adeyemi", "Finn Gallagher",
          "Gwen Pritchard", "Hamza Siddiqui", "Ines Carvalho", "Jonah Feldman", "Kezia Boateng", "Lorcan Doyle",
          "Maja Lindqvist", "Nikhil Rao", "Orla Kennedy", "Pavel Novak")
WORDS = ("the radiographer explained everything slowly while the questionnaire kept asking about metal "
         "implants and nobody phoned back about the appointment letter which arrived after the date so "
         "I rang the hospital switchboard twice waiting on hold for forty minutes before a receptionist "
         "finally apologised and rebooked me for the following Tuesday morning").split()


def _sentence(rng: random.Random, n: int) -> str:
    start = rng.randrange(len(WORDS))
    words = [WORDS[(start + i) % len(WORDS)] for i in range(n)]
    return " ".join(words).capitalize() + "."


def build(path, stages: int = 10, people: int = 12, seed: int = 7) -> Store:
    rng = random.Random(seed)
    store = new_study(path, template="blank", name="Wide journey", coder="rachel")
    for name in STAGE_NAMES[:stages]:
        add_code(store, name, "stage")
    for i, name in enumerate(EMOTIONS):
        add_code(store, name, "emotion", valence=(-1, -2, 1, -1, 2, -2, 1, 0)[i])
    for name in TOUCHPOINTS:
        add_code(store, name, "touchpoint")
    for name in NEEDS:
        add_code(store, name, "need")
    add_code(store, "Pain point", "pain_point")
    add_code(store, "Opportunity", "opportunity")
    specs, plan = [], []
    for p in range(people):
        turns, answers = [("Interviewer", "Tell me about it.", 0)], []
        for s in range(stages):
            answer = " ".join(_sentence(rng, rng.randint(15, 30)) for _ in range(3)) + f" (stage {s}, person {p})"
            turns += [("Interviewer", f"And then, at step {s + 1}?", 1000 * (2 * s + 1)),
                      (PEOPLE[p], answer, 1000 * (2 * s + 2))]
            answers.append((s, answer))
        specs.append(transcript(f"Interview {p + 1}", f"interview_{p + 1:02d}.vtt", {"Interviewer": "interviewer"},
                                turns))
        plan.append(answers)
    import_transcripts(store, specs)
    codes = {c.name: c.id for c in list_codes(store)}
    for source, answers in zip(store.sources(), plan):
        for s, answer in answers:
            start = source.text.index(answer)
            end = start + len(answer)
            names = [STAGE_NAMES[s], EMOTIONS[(s + len(answer)) % len(EMOTIONS)],
                     TOUCHPOINTS[(s * 3 + len(answer)) % len(TOUCHPOINTS)], NEEDS[(s + len(answer) // 7) % len(NEEDS)]]
            if (s + len(answer)) % 3 == 0:
                names += ["Pain point", "Opportunity"]
            for name in names:
                add_coding(store, source.id, start, end, codes[name])
    return store
