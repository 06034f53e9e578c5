"""Any sequence of commands, undone to the start, leaves the study exactly as it was; redone, exactly
as it ended. Checked on every table (rows, not counts) and the full-text index."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coding.codebook import add_code, delete_code, list_codes, merge_codes, move_code, new_study, update_code
from coding.codings import add_coding, add_codings, list_codings, remove_coding, set_coding_memo
from coding.importing import import_transcripts
from coding.models import StudyError
from coding.people import merge_participants, rename_participant, set_participant_attribute, set_participant_role
from coding.sources import set_source_memo
from coding.study import Store
from tests.conftest import INTERVIEW_A, INTERVIEW_B, transcript_from_lines

TABLES = ("codes", "codings", "memos", "sources", "participants", "utterances", "meta")


def snapshot(store: Store) -> dict:
    state = {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    state["fts"] = store.db.execute("SELECT rowid FROM utterances_fts WHERE utterances_fts MATCH 'results' "
                                    "ORDER BY rowid").fetchall()
    return state


STEPS = st.lists(st.tuples(st.sampled_from(["code", "uncode", "memo", "source_memo", "add_code", "rename",
                                            "merge", "delete", "move", "bulk", "rename_person",
                                            "role", "attribute", "merge_people"]),
                           st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=12)


def apply(store: Store, step: tuple[str, int, int]) -> bool:
    """Run one command; False when the step did not apply (nothing to uncode, kinds differ …); a step that
    ran may still change nothing (the same memo again), and then it logs nothing."""
    op, x, y = step
    sources = store.sources()
    source = sources[x % len(sources)]
    codes = list_codes(store)
    code = codes[y % len(codes)]
    codings = list_codings(store)
    length = len(source.text)
    start = x % (length - 1)
    end = min(length, start + 1 + y % 40)
    if op == "code":
        add_coding(store, source.id, start, end, code.id)
    elif op == "bulk":
        add_codings(store, [(source.id, start, end, code.id), (source.id, 0, 5, codes[0].id)])
    elif op == "uncode" and codings:
        remove_coding(store, codings[x % len(codings)].id)
    elif op == "memo" and codings:
        set_coding_memo(store, codings[x % len(codings)].id, f"memo {y}")
    elif op == "source_memo":
        set_source_memo(store, source.id, f"source memo {y}")
    elif op == "add_code":
        add_code(store, f"Theme {x}", kind="theme")
    elif op == "rename":
        update_code(store, code.id, name=f"{code.name} {y}")
    elif op == "merge":
        other = codes[x % len(codes)]
        if other.kind != code.kind:
            return False
        merge_codes(store, other.id, code.id)
    elif op == "delete":
        delete_code(store, code.id)
    elif op == "move":
        order = [c.id for c in list_codes(store, code.kind)]
        move_code(store, code.id, x % 5 - 2)
        return [c.id for c in list_codes(store, code.kind)] != order  # at an edge, or by 0: nothing to log
    elif op in ("rename_person", "role", "attribute", "merge_people"):
        people = store.participants()
        person = people[x % len(people)]
        if op == "rename_person":
            rename_participant(store, person.id, f"Person {y}")
        elif op == "role":
            role = ("participant", "interviewer", "moderator")[y % 3]
            if role == person.role:
                return False
            set_participant_role(store, person.id, role)
        elif op == "attribute":
            set_participant_attribute(store, person.id, "segment", ("", "A", "B")[y % 3])
        else:
            into = people[y % len(people)]
            merge_participants(store, person.id, into.id)
    else:
        return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_undo_everything_then_redo_everything(tmp_path_factory, steps):
    store = new_study(tmp_path_factory.mktemp("undo") / "s.rtui", coder="tester", template="journey")
    import_transcripts(store, [transcript_from_lines("interview_a", INTERVIEW_A),
                              transcript_from_lines("interview_b", INTERVIEW_B)])
    start = snapshot(store)
    done = 0
    for step in steps:
        before, logged = snapshot(store), len(store.history(10_000))
        try:
            apply(store, step)
        except StudyError:
            pass  # refused commands (duplicate, same name, merge into itself) change nothing
        changed = snapshot(store) != before
        assert len(store.history(10_000)) == logged + changed, step  # a command that changed nothing logs nothing
        done += changed
    end = snapshot(store)
    undone = 0
    while store.undo() is not None:
        undone += 1
    assert undone == done
    assert snapshot(store) == start
    while store.redo() is not None:
        pass
    assert snapshot(store) == end
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()
