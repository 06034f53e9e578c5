"""A persona's curve is the journey's: the same valence for the same quotes (the journey's own hook,
`coding.synthesis.model_valence`, and its own `stage_valence`), in the core, the CLI and the report."""

from __future__ import annotations

import json

import docx
import pytest

from coding import personas as P
from coding.people import find_participant
from coding.synthesis import compute_journey, model_valence
from research_tui.cli import main


@pytest.fixture
def talk(tmp_path):
    """Like a real interview study: stages coded, emotions hardly ever. One quote carries Frustrated (-2);
    everything else people say about the scan day is warm, and only the model can say so."""
    from tests.unit.test_personas import small_study

    warm = ["The staff were wonderful and so kind to me.", "I loved how quick and easy the whole visit was.",
            "Honestly it was a great experience, really pleasant.", "Everyone was friendly and helpful there."]
    people, attributes = {}, {}
    for i in range(6):
        name = f"Person {chr(65 + i)}"
        people[name] = [(f"{warm[(i + j) % 4][:-1]}, visit {j}.", ["Use"]) for j in range(2)]
        attributes[name] = {"segment": "A" if i < 3 else "B"}
    people["Person A"].append(("The parking machine ate my coins and nobody came.", ["Use", "Frustrated"]))
    return small_study(tmp_path / "talk.rtui", people, attributes)


def journey_means(store, members) -> dict[str, float | None]:
    journey = compute_journey(store, members=members, segment=("persona", "x"), valence_of=model_valence())
    return {col.stage.name: col.valence.mean for col in journey.stages}


def test_persona_curves_take_the_journeys_valence(demo):
    hook = model_valence()
    for s in P.describe(demo, valence_of=hook):
        expected = journey_means(demo, s.participant_ids)
        assert {c.stage.name: c.valence for c in s.curve} == pytest.approx(expected)


def test_one_coded_quote_does_not_make_the_curve(talk):
    """Hand-coded emotions only, the group's Use stage would be -2.0 from one quote; with the journey's
    valence it is what the journey shows."""
    everyone = [p.id for p in talk.participants(role="participant")]
    group = [p for p in everyone if talk.participant(p).attributes["segment"] == "A"]
    coded_only = P.sketch(P.Study(talk), group)
    assert [c.valence for c in coded_only.curve if c.valence is not None] == [pytest.approx(-2.0)]
    hook = model_valence()
    s = P.sketch(P.Study(talk, hook), group)
    use = next(c for c in s.curve if c.stage.name == "Use")
    assert use.valence == pytest.approx(journey_means(talk, group)["Use"])
    assert use.valence > 0 and use.participants == 3


def test_a_participants_curve_is_their_journey(demo):
    hook = model_valence()
    ruth = find_participant(demo, "Ruth Evans")
    profile = P.participant_profile(demo, ruth.id, valence_of=hook)
    expected = journey_means(demo, [ruth.id])
    assert {c.stage.name: c.valence for c in profile.curve} == pytest.approx(expected)


def test_cli_persona_curve_matches_the_report_journey(talk, capsys):
    path = str(talk.path)
    talk.close()
    assert main(["personas", path, "--k", "2", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["personas"]
    from coding.study import Store

    with Store.open(path, read_only=True) as store:
        for persona in shown:
            ids = [find_participant(store, p).id for p in persona["participants"]]
            expected = journey_means(store, ids)
            for point in persona["curve"]:
                want = expected[point["stage"]]
                assert point["valence"] == (None if want is None else pytest.approx(want, abs=0.001))
    assert main(["personas", path, "--json", "--no-model-valence"]) == 0
    plain = json.loads(capsys.readouterr().out)["personas"]
    assert [p["curve"] for p in plain] != [p["curve"] for p in shown]     # hand-coded emotions only


def test_report_persona_page_draws_the_journeys_valence(demo, tmp_path, monkeypatch):
    """The report passes its valence to the persona pages: each curve drawn is the persona's journey."""
    from exports import docx_personas
    from exports.docx_report import write_report

    drawn = {}

    def spy(s, journey, **kw):
        drawn[s.name] = {c.stage.name: c.valence for c in s.curve}
        return None

    monkeypatch.setattr(docx_personas, "persona_curve_png", spy)
    write_report(demo, tmp_path / "r.docx", valence_of=model_valence())
    stored = P.personas(demo)
    assert set(drawn) == {p.name for p in stored}
    for p in stored:
        assert drawn[p.name] == pytest.approx(journey_means(demo, p.participant_ids))
    assert docx.Document(str(tmp_path / "r.docx")).paragraphs
