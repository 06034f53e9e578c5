"""A small study with known codings, shared by the synthesis, export and journey-screen tests.

Three interviews (journey codebook template), one participant each:

    Aisha Khan   (segment=NHS,     age=34)  Interview 1, interviewer "Interviewer"
    Ben Carter   (segment=Private, age=51)  Interview 2, interviewer "Interviewer"
    Chloe Davies (segment=NHS,     age=27)  Interview 3, interviewer "Sam Patel"

Quotes (stage coding = the quote; other codes on the same or an overlapping span):

    A0 Awareness  (interviewer only, no participant, no emotion)
    A1 Awareness  Reassured(+1)                 In person      Clear information
    A2 Onboarding Confused(-1) Frustrated(-2)   Email / letter Clear information  Pain point  Opportunity
    A3 Support    Delighted(+2)                 Phone call     Being cared for
    B1 Awareness  Confident(+1)                 Website        Speed and convenience
    B2 Onboarding Confused(-1)                  Website        Speed and convenience  Pain point
    B3 Onboarding Anxious(-1)                                  Clear information
    C1 Onboarding Anxious(-1) (on a sub-span)   Phone call     Feeling in control     Pain point
    C2 Support    Angry(-2)                     Phone call     Pain point  Opportunity
    C3 Support    (no emotion)
    plus one unstaged theme coding ("Trust") on Ben's first answer.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from coding.codebook import add_code, find_code, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.models import Transcript, Utterance
from coding.study import Store

NAMES = ("Aisha Khan", "Ben Carter", "Chloe Davies", "Sam Patel")

INTERVIEWS = [
    ("Interview 1", "interview_01.vtt", {"Interviewer": "interviewer"}, [
        ("Interviewer", "Aisha, tell me how you first heard about the scan.", 0),
        ("Aisha Khan", "My GP told me about the scan and I felt reassured.", 15_000),
        ("Interviewer", "And after the referral?", 31_000),
        ("Aisha Khan", ("The letter was confusing and I waited three weeks without news. "
                        "A text with the date would have helped."), 40_000),
        ("Interviewer", "Did anyone help?", 95_000),
        ("Aisha Khan", "When I phoned, the nurse was lovely and explained everything.", 101_000),
    ]),
    ("Interview 2", "interview_02.vtt", {"Interviewer": "interviewer"}, [
        ("Interviewer", "How did you find the clinic?", 0),
        ("Ben Carter", "I trust my insurer. I found the clinic on their website in five minutes.", 5_000),
        ("Interviewer", "What happened next?", 62_000),
        ("Ben Carter", "Booking online was quick but the form asked the same questions twice.", 65_500),
        ("Ben Carter", "Nobody told me what to bring on the day.\x0b\x0c\x1f\ufffe Honestly.", 3_725_000),
    ]),
    ("Interview 3", "interview_03.vtt", {"Sam Patel": "interviewer"}, [
        ("Sam Patel", "Thanks Chloe, tell me about the start.", 0),
        ("Chloe Davies", ("I was so anxious waiting for the letter that I called them twice, "
                          "saying this is Chloe Davies again."), 7_000),
        ("Sam Patel", "And afterwards?", 70_000),
        ("Chloe Davies", "The follow-up call never came and I had to chase it.", 80_000),
        ("Chloe Davies", "They sent the results by post.", 120_000),
    ]),
]

ATTRIBUTES = [
    {"name": "Aisha Khan", "segment": "NHS", "age": "34"},
    {"name": "Ben Carter", "segment": "Private", "age": "51"},
    {"name": "Chloe Davies", "segment": "NHS", "age": "27"},
]

# (label, interview index, exact words of the quote, [(code, sub-span words or None)])
QUOTES = [
    ("A0", 0, "Aisha, tell me how you first heard about the scan.", [("stage:Awareness", None)]),
    ("A1", 0, "My GP told me about the scan and I felt reassured.", [
        ("stage:Awareness", None), ("Reassured", None), ("In person", None), ("Clear information", None)]),
    ("A2", 0, "The letter was confusing and I waited three weeks without news.", [
        ("stage:Onboarding", None), ("Confused", None), ("Frustrated", "I waited three weeks"),
        ("Email / letter", None), ("Clear information", None), ("pain_point:Pain point", None),
        ("opportunity:Opportunity", "without news. A text with the date would have helped.")]),
    ("A3", 0, "When I phoned, the nurse was lovely and explained everything.", [
        ("stage:Support", None), ("Delighted", None), ("Phone call", None), ("Being cared for", None)]),
    ("B1", 1, "I found the clinic on their website in five minutes.", [
        ("stage:Awareness", None), ("Confident", None), ("Website", None), ("Speed and convenience", None)]),
    ("B2", 1, "Booking online was quick but the form asked the same questions twice.", [
        ("stage:Onboarding", None), ("Confused", None), ("Website", None), ("Speed and convenience", None),
        ("pain_point:Pain point", None)]),
    ("B3", 1, "Nobody told me what to bring on the day.\x0b\x0c\x1f\ufffe Honestly.", [
        ("stage:Onboarding", None), ("Anxious", None), ("Clear information", None)]),
    ("C1", 2, ("I was so anxious waiting for the letter that I called them twice, saying this is "
               "Chloe Davies again."), [
        ("stage:Onboarding", None), ("Anxious", "I was so anxious"), ("Phone call", None),
        ("Feeling in control", None), ("pain_point:Pain point", None)]),
    ("C2", 2, "The follow-up call never came and I had to chase it.", [
        ("stage:Support", None), ("Angry", None), ("Phone call", None), ("pain_point:Pain point", None),
        ("opportunity:Opportunity", None)]),
    ("C3", 2, "They sent the results by post.", [("stage:Support", None)]),
    ("T1", 1, "I trust my insurer.", [("theme:Trust", None)]),
]


def transcript(title: str, filename: str, roles: dict, turns: list) -> Transcript:
    text, utts = "", []
    for speaker, words, ms in turns:
        line = f"{speaker}: "
        start = len(text) + len(line)
        text += line + words + "\n"
        utts.append(Utterance(speaker, start, start + len(words), ms, ms + 5_000))
    t = Transcript(title=title, filename=filename, format="vtt", text=text, utterances=utts, roles=roles)
    t.check()
    return t


def build_study(path: Path, *, coder: str = "rachel") -> tuple[Store, dict[str, int]]:
    """Create the study at `path`; returns the open store and label -> stage coding id (quote id)."""
    store = new_study(path, template="journey", name="Scan journey", coder=coder)
    import_transcripts(store, [transcript(*spec) for spec in INTERVIEWS], participant_rows=ATTRIBUTES)
    add_code(store, "Trust", "theme", description="Trust in the provider")
    sources = store.sources()
    ids: dict[str, int] = {}
    for label, index, words, codes in QUOTES:
        source = sources[index]
        start = source.text.index(words)
        for name, sub in codes:
            a, b = start, start + len(words)
            if sub is not None:
                a = source.text.index(sub)
                b = a + len(sub)
            coding = add_coding(store, source.id, a, b, find_code(store, name).id)
            if name.startswith("stage:"):
                ids[label] = coding.id
    return store, ids


def docx_xml(path: Path) -> str:
    """Every XML part of a .docx (body, headers, footers, properties) as one string."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))
