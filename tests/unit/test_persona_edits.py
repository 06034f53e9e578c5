"""Persona drafts kept in the study and stage plans (to-be, KPIs): every edit is one command that undo
restores exactly and redo applies again."""

from __future__ import annotations

import shutil

import pytest

from coding import personas as P
from coding import stageplans as S
from coding.codebook import list_stages
from coding.models import StudyError
from coding.people import find_participant, merge_participants
from coding.study import Store
from research_tui.demo import build_demo


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.rtui"
    store = build_demo(path)
    for persona in P.personas(store):                       # start from fresh drafts, whatever the demo keeps
        P.delete_persona(store, persona.id)
    for plan in S.stage_plans(store):                       # and from no stage plans
        if not plan.empty:
            S.update_stage_plan(store, plan.stage, clear=True)
    P.save_drafts(store, P.draft_personas(store))
    store.close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    path = tmp_path / "demo.rtui"
    shutil.copy(demo_file, path)
    store = Store.open(path)
    yield store
    store.close()


def tables(store) -> dict:
    return {t: store.db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("personas", "persona_members", "stage_plans", "participants")}


def undo_redo(store, before: dict, check) -> None:
    """The change made `check()` true; undo gives back `before` exactly; redo makes `check()` true again."""
    check()
    after = tables(store)
    assert store.undo() is not None
    assert tables(store) == before
    assert store.redo() is not None
    assert tables(store) == after
    check()


def test_drafts_are_stored_with_their_members(demo):
    stored = P.personas(demo)
    assert len(stored) == 3 and [p.position for p in stored] == [0, 1, 2]
    assert sorted(pid for p in stored for pid in p.participant_ids) == sorted(
        p.id for p in demo.participants(role="participant"))
    assert stored[0].method["k"] == 3 and "silhouette" in stored[0].method["chosen"]
    assert all(p.attributes is None and p.goals for p in stored)
    assert demo.history(1)[0].summary == "drafted 3 personas (k = 3)"
    before = tables(demo)
    P.save_drafts(demo, P.draft_personas(demo, k=4))                       # a redraft replaces them
    undo_redo(demo, before, lambda: len(P.personas(demo)) == 4 or pytest.fail("no redraft"))


def test_rename_edit_and_find(demo):
    first = P.personas(demo)[0]
    before = tables(demo)
    P.rename_persona(demo, "1", "Short on time")
    undo_redo(demo, before, lambda: P.find_persona(demo, "short").name == "Short on time")
    with pytest.raises(StudyError, match="already exists"):
        P.rename_persona(demo, "2", "short on TIME")
    with pytest.raises(StudyError, match="matches no persona; personas: 1. Short on time"):
        P.find_persona(demo, "nobody")
    before = tables(demo)
    P.edit_persona(demo, first.id, description="Working-age patients", goals=["Be seen fast", " ", "Plan work"],
                   attributes={"age_band": "35-54", "segment": "", "work": "full time"})

    def edited():
        p = P.find_persona(demo, first.id)
        assert p.description == "Working-age patients" and p.goals == ("Be seen fast", "Plan work")
        assert p.attributes["age_band"] == "35-54" and p.attributes["work"] == "full time"
        assert "segment" not in p.attributes
        sketch = P.describe(demo, [p])[0]
        assert sketch.attributes == p.attributes and sketch.attributes_edited and sketch.shared != p.attributes
    undo_redo(demo, before, edited)
    P.edit_persona(demo, first.id, computed_attributes=True)
    assert P.find_persona(demo, first.id).attributes is None


def test_merge_delete_and_move(demo):
    one, two, three = P.personas(demo)
    before = tables(demo)
    P.merge_personas(demo, two.name, one.name)

    def merged():
        kept = P.find_persona(demo, one.id)
        assert set(kept.participant_ids) == set(one.participant_ids) | set(two.participant_ids)
        assert [p.id for p in P.personas(demo)] == [one.id, three.id]
        assert set(kept.goals) == set(one.goals) | set(two.goals)
    undo_redo(demo, before, merged)
    demo.undo()                                                             # three personas again
    with pytest.raises(StudyError, match="into itself"):
        P.merge_personas(demo, one.id, one.id)

    ruth = find_participant(demo, "Ruth Evans")
    home = P.persona_of(demo, ruth.id)
    target = next(p for p in P.personas(demo) if p.id != home.id)
    before = tables(demo)
    P.move_participant(demo, "Ruth Evans", target.name)
    undo_redo(demo, before, lambda: P.persona_of(demo, ruth.id).id == target.id or pytest.fail())
    before = tables(demo)
    P.move_participant(demo, ruth.pseudonym, None)
    undo_redo(demo, before, lambda: P.persona_of(demo, ruth.id) is None or pytest.fail())
    with pytest.raises(StudyError, match="not a participant"):
        P.move_participant(demo, "Sam Reid", target.name)

    before = tables(demo)
    freed = P.delete_persona(demo, three.id)
    assert freed == len(three.participant_ids)
    undo_redo(demo, before, lambda: [p.id for p in P.personas(demo)] == [one.id, two.id] or pytest.fail())


def test_a_merged_participant_leaves_their_persona(demo):
    mei, jade = find_participant(demo, "Mei Chen"), find_participant(demo, "Jade Thompson")
    merge_participants(demo, jade.id, mei.id)
    assert all(jade.id not in p.participant_ids for p in P.personas(demo))
    assert P.persona_of(demo, mei.id) is not None


def test_stage_plans_to_be_kpis_and_opportunities(demo):
    assert S.parse_kpi("Days to results=21->7|median days, scan to call") == S.KPI(
        "Days to results", "median days, scan to call", "21", "7")
    assert S.parse_kpi("Calls answered = 40% → 90%") == S.KPI("Calls answered", "", "40%", "90%")
    assert S.parse_kpi("Complaints=?->10|per month") == S.KPI("Complaints", "per month", "", "10")
    assert S.parse_kpi("Complaints=12") == S.KPI("Complaints", "", "12", "")
    assert S.parse_kpi("Complaints=?->?") == S.KPI("Complaints")  # written out: both values not known yet
    with pytest.raises(StudyError, match="needs a name"):
        S.parse_kpi("=1->2")
    for bad in ("bad kpi", "Complaints=", "Complaints= -> ", "Complaints|per month"):  # issue 16 item 5
        with pytest.raises(StudyError, match=r"a KPI is NAME=CURRENT->TARGET, e\.g\. \"Days to results=21->7\""):
            S.parse_kpi(bad)
    before = tables(demo)
    S.update_stage_plan(demo, "waiting", to_be="A named nurse rings with the results within 7 days",
                        kpis=[S.parse_kpi("Days to results=21->7|median days from scan to call")],
                        attach=["Results date before leaving", "A named contact"])

    def planned():
        plan = S.stage_plan(demo, "Waiting for results")
        assert plan.to_be.startswith("A named nurse") and plan.kpis[0].target == "7"
        assert [c.name for c in plan.opportunities] == ["Results date before leaving", "A named contact"]
    undo_redo(demo, before, planned)
    assert demo.history(1)[0].summary == "changed the to-be plan of stage 'Waiting for results'"
    plan = S.update_stage_plan(demo, 6, kpis=[S.parse_kpi("Days to results=18->7")], detach=["A named contact"])
    assert plan.kpis == (S.KPI("Days to results", "median days from scan to call", "18", "7"),)
    assert [c.name for c in plan.opportunities] == ["Results date before leaving"]
    ev = S.evidence(demo, plan)
    assert ev[plan.opportunities[0].id][0] >= 4
    with pytest.raises(StudyError, match="not a journey stage|no journey stage"):
        S.update_stage_plan(demo, "Frustrated", to_be="x")
    with pytest.raises(StudyError, match="attach opportunity codes|no code named"):
        S.update_stage_plan(demo, "Booking", attach=["Frustrated"])
    with pytest.raises(StudyError, match="no KPI named"):
        S.update_stage_plan(demo, "Booking", remove_kpis=["Nothing"])
    assert [p.stage.name for p in S.stage_plans(demo)] == [s.name for s in list_stages(demo)]
