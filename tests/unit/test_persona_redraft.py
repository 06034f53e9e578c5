"""Drafting again keeps what the researcher knows: a persona whose members mostly stay together keeps its id,
name, number and edits, so `rename 2 …` after a redraft still means the same people; undo restores all."""

from __future__ import annotations

from types import SimpleNamespace

from coding import personas as P
from coding.personas.drafting import _lead
from coding.personas.model import Persona
from coding.personas.stored import carry_over, numbered
from tests.unit.test_persona_edits import demo, demo_file, tables  # noqa: F401  (fixtures)


def members(store, ref) -> set[str]:
    return {store.participant(p).name for p in P.find_persona(store, ref).participant_ids}


def test_a_redraft_keeps_names_numbers_and_edits_of_who_stays(demo):  # noqa: F811
    P.rename_persona(demo, "2", "Older patients")
    P.edit_persona(demo, "3", description="First scan, frightened, wants to know what happens.")
    before = P.personas(demo)
    drafted_1 = before[0].description                                         # never edited
    saved = P.save_drafts(demo, P.draft_personas(demo))
    assert [(p.id, p.name) for p in saved] == [(p.id, p.name) for p in before]
    assert saved[2].description == "First scan, frightened, wants to know what happens."   # the researcher's words
    assert saved[0].description == P.draft_personas(demo).sketches[0].description == drafted_1
    assert demo.history(1)[0].summary == "drafted 3 personas (k = 3); kept 3 whose members mostly stay"
    P.rename_persona(demo, "2", "Older NHS patients")                         # by number: the same people
    assert P.find_persona(demo, before[1].id).name == "Older NHS patients"


def test_a_persona_that_splits_is_replaced_and_the_others_keep_their_numbers(demo):  # noqa: F811
    P.rename_persona(demo, "2", "Older patients")
    old = P.personas(demo)
    old_members = [set(p.participant_ids) for p in old]
    start = tables(demo)
    saved = P.save_drafts(demo, P.draft_personas(demo, k=5))                  # the working-age six split 3 / 3
    assert len(saved) == 5
    assert (saved[1].id, saved[1].name) == (old[1].id, "Older patients")
    assert (saved[2].id, saved[2].name) == (old[2].id, old[2].name)
    for p, was in ((saved[1], old_members[1]), (saved[2], old_members[2])):
        assert 2 * len(set(p.participant_ids) & was) > len(was)               # most of them stayed
    assert old[0].id not in {p.id for p in saved}                            # 3 of 6 is not most
    leads = [_lead(p.name) for p in saved]
    assert len(set(leads)) == 5                                               # new names avoid kept ones
    assert demo.undo() is not None and tables(demo) == start                 # one step back, exactly


def test_carry_over_rules():
    def persona(pid, people):
        return Persona(pid, f"P{pid}", "", (), None, pid, tuple(people), {})

    def draft(people):
        return SimpleNamespace(participant_ids=tuple(people))

    old = [persona(1, [1, 2, 3, 4]), persona(2, [5, 6, 7]), persona(3, [8, 9]), persona(4, [])]
    drafts = [draft([5, 6, 1, 2, 3]), draft([4, 7, 8, 9, 10])]
    kept = carry_over(old, drafts)
    # draft 0 holds 3 of persona 1's 4 and 2 of persona 2's 3: both mostly there, persona 1 has more there
    assert {i: p.id for i, p in kept.items()} == {0: 1, 1: 3}
    assert carry_over(old, [draft([1, 2, 5, 6]), draft([3, 4, 7, 8, 9])]) == {0: old[1], 1: old[2]}  # 2 of 4: not most


def test_kept_personas_keep_their_place_in_the_list():
    old = [SimpleNamespace(id=i) for i in (10, 11, 12, 13)]
    # drafts 0..3; draft 2 continues old number 1 (id 10), draft 0 continues old number 4 (id 13)
    assert numbered(old, {2: old[0], 0: old[3]}, 4) == [2, 1, 3, 0]
    # only 2 drafts: old number 4 no longer exists, so draft 0 takes the free place
    assert numbered(old, {1: old[0], 0: old[3]}, 2) == [1, 0]
