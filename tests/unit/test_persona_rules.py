"""Personas agree with their numbers: what "sets a group apart" passes the lift bar (above 1.2, said by at least
two members), the description says nothing the lifts do not, and drafts get names led by different codes."""

from __future__ import annotations

import pytest

from coding import personas as P
from coding.codebook import add_code, find_code, new_study
from coding.codings import add_codings
from coding.importing import import_transcripts
from coding.models import Transcript, Utterance
from coding.personas.drafting import _lead, name_drafts
from coding.personas.profiles import APART, Study, lifts, sets_apart, sketch

# Four groups of an expert-interview study (think research-data curators), four people each, four quotes each.
# Everybody talks about speed and control once. Licensing comes up twice with each curator and once with each
# archivist: it sets both groups apart from the rest, the curators more. Methodologists want care; one curator
# alone has a rare need; librarians say nothing the others do not (two quotes carry no need at all).
GROUPS = {
    "curator": ["Clear licensing", "Clear licensing", "Speed and convenience", "Feeling in control"],
    "archivist": ["Clear licensing", None, "Speed and convenience", "Feeling in control"],
    "methodologist": ["Being cared for", "Being cared for", "Speed and convenience", "Feeling in control"],
    "librarian": [None, None, "Speed and convenience", "Feeling in control"],
}


@pytest.fixture
def experts(tmp_path):
    people, attributes = {}, {}
    for team, needs in GROUPS.items():
        for i in range(4):
            name = f"{team.title()} {i + 1}"
            people[name] = [(f"{name} said this, point {j}.", ["Use"] + ([need] if need else []))
                            for j, need in enumerate(needs)]
            if team == "curator" and i == 0:
                people[name][1][1].append("Rare need")
            attributes[name] = {"team": team}
    return _build(tmp_path / "experts.rtui", people, attributes)


def _build(path, people, attributes):
    """Like `test_personas.small_study`, with two needs of this study's own codebook."""
    store = new_study(path, coder="tester")
    add_code(store, "Clear licensing", "need")
    add_code(store, "Rare need", "need")
    transcripts = []
    for name, turns in people.items():
        text, utts = "", []
        for sentence, _ in turns:
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


def group(store, role: str) -> list[int]:
    return [p.id for p in store.participants(role="participant") if p.attributes.get("team") == role]


def test_only_lift_above_the_bar_said_by_two_sets_a_group_apart(experts):
    study = Study(experts)
    curators = sketch(study, group(experts, "curator"))
    every = {x.code.name: x for x in lifts(study, curators.participant_ids, "need")}
    rare, speed = every["Rare need"], every["Speed and convenience"]
    assert rare.members == 1 and rare.lift > APART                     # one voice, however strong
    assert speed.members == 4 and speed.lift <= 1.0                    # everyone's topic
    assert [x.code.name for x in curators.needs] == ["Clear licensing"]
    assert all(sets_apart(x) and x.lift > 1.2 and x.members >= 2 for x in curators.needs)
    assert curators.description == "More than the others they need: clear licensing."
    assert curators.goals == ("Clear licensing",)


def test_a_group_nothing_sets_apart_says_so(experts):
    """Librarians say what everybody says: no "more than the others"; what they say most is kept apart."""
    librarians = sketch(Study(experts), group(experts, "librarian"))
    assert librarians.needs == librarians.pains == librarians.themes == ()
    assert librarians.description == ""
    assert {x.code.name for x in librarians.top_needs} == {"Speed and convenience", "Feeling in control"}
    assert all(x.lift == pytest.approx(1.0, abs=0.05) for x in librarians.top_needs)
    assert librarians.goals == tuple(x.code.description or x.code.name for x in librarians.top_needs[:2])


def test_draft_names_are_led_by_different_codes(experts):
    """Licensing sets curators and archivists apart: the curators (higher lift) are named by it; nothing
    else sets the archivists apart, so theirs is a plain working name, not a second "Clear licensing"."""
    study = Study(experts)
    sketches = [sketch(study, group(experts, team)) for team in GROUPS]
    curators, archivists = sketches[0], sketches[1]
    assert [x.code.name for x in archivists.needs] == ["Clear licensing"]
    assert APART < archivists.needs[0].lift < curators.needs[0].lift
    named = name_drafts(sketches)
    assert [n.name for n in named] == ["Clear licensing (curator)", "Persona 2 (archivist)",
                                       "Being cared for (methodologist)", "Persona 4 (librarian)"]
    assert len({_lead(n.name) for n in named}) == 4


def test_names_never_repeat_a_kept_name_or_its_code(experts):
    study = Study(experts)
    curators, methodologists = sketch(study, group(experts, "curator")), sketch(study, group(experts, "methodologist"))
    named = name_drafts([curators, curators, methodologists], reserved=["Clear licensing (team A)", "Persona 2"])
    assert [s.name for s in named] == ["Persona 1 (curator)", "Persona 2 (curator)", "Being cared for (methodologist)"]
    named = name_drafts([curators, curators], reserved=["Persona 1 (curator)"])
    assert [s.name for s in named] == ["Clear licensing (curator)", "Persona 2 (curator)"]
    named = name_drafts([curators, curators], numbers=[4, 3])              # a working name says its number
    assert [s.name for s in named] == ["Clear licensing (curator)", "Persona 3 (curator)"]


def test_demo_drafts_agree_with_their_numbers(demo):
    drafting = P.draft_personas(demo, k=5)
    leads = [_lead(s.name) for s in drafting.sketches]
    assert len(set(leads)) == len(leads) == 5
    for s in drafting.sketches:
        for x in (*s.needs, *s.pains, *s.themes):
            assert x.lift > 1.2 and x.members >= 2
        if s.description:
            named = s.description.split(": ", 1)[1]
            assert s.needs and s.needs[0].code.name.lower() in named.lower()


def test_one_voice_sets_nobody_apart(experts):
    """A persona of one curator: licensing is well above the others (lift near 3) but said by one person."""
    study = Study(experts)
    alone = sketch(study, group(experts, "curator")[:1])
    licensing = next(x for x in lifts(study, alone.participant_ids, "need") if x.code.name == "Clear licensing")
    assert licensing.lift > 2 * APART and licensing.members == 1
    assert alone.needs == () and "More than the others" not in alone.description
    assert "Clear licensing" in {x.code.name for x in alone.top_needs}
