"""A study file written by an older version opens, migrates forward, and keeps its data."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from coding.codebook import new_study
from coding.codings import list_codings, remove_coding
from coding.search import search_turns
from coding.study import Store
from coding.study.schema import SCHEMA_VERSION, migrations
from coding.study.studyfile import APP_ID


def _old_study(path):
    """What version 1 of the schema wrote: no coding origin, no full-text index, no action log."""
    db = Database(path)
    db.execute(f"PRAGMA application_id = {APP_ID}")  # every study has carried it since version 1
    db.execute("PRAGMA journal_mode = wal")
    migrations.apply(db, stop_before="m002_coding_origin_and_search")
    db.execute("INSERT INTO meta VALUES ('name', 'Old study')")
    db.execute("INSERT INTO sources VALUES (1, 'old', 'old.txt', 'text', 'h1', '2024-01-01', "
               "'Ann: The waiting room was cold.', '{}', 0, '')")
    db.execute("INSERT INTO participants VALUES (1, 'Ann', 'P01', 'participant', '{}')")
    db.execute("INSERT INTO utterances VALUES (1, 1, 1, 0, NULL, NULL, 5, 31, 'The waiting room was cold.')")
    db.execute("INSERT INTO codes VALUES (1, 'Pain point', 'pain_point', NULL, '#f00', '', 0, NULL, '{}')")
    db.execute("INSERT INTO codings VALUES (1, 1, 5, 21, 1, 'ann', '2024-01-01', '2024-01-01', '')")
    db.close()


def test_old_file_migrates_and_keeps_data(tmp_path):
    path = tmp_path / "old.rtui"
    _old_study(path)
    assert [m.name for m in migrations.applied(Database(path))] == ["m001_core_tables"]
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION >= 4
    coding = list_codings(store)[0]
    assert (coding.text, coding.origin, coding.coder) == ("The waiting room", "human", "ann")
    assert [u.text for u in search_turns(store, "wait")] == ["The waiting room was cold."]
    assert store.totals()["words"] == 5  # word counts filled in for utterances written before m004
    remove_coding(store, coding.id)  # the action log exists and works
    store.undo()
    assert list_codings(store)[0].text == "The waiting room"
    store.close()
    # opening again applies nothing new
    assert Store.open(path).schema_version == SCHEMA_VERSION


def test_widening_the_role_constraint_keeps_people_turns_and_codings(tmp_path):
    """m011 widens `participants`' CHECK constraint in place (ALTER TABLE cannot) under live foreign keys."""
    path = tmp_path / "old.rtui"
    _old_study(path)
    db = Database(path)
    db.execute("INSERT INTO participants VALUES (2, 'Sam', 'I01', 'interviewer', '{\"team\": \"UX\"}')")
    db.execute("INSERT INTO utterances VALUES (2, 1, 2, 1, NULL, NULL, 0, 3, 'Ann')")
    db.conn.commit()
    db.close()
    store = Store.open(path)
    assert [(p.id, p.name, p.pseudonym, p.role, p.attributes) for p in store.participants()] == [
        (1, "Ann", "P01", "participant", {}), (2, "Sam", "I01", "interviewer", {"team": "UX"})]
    assert [(u.participant_id, u.not_speech) for u in store.utterances()] == [(1, False), (2, False)]
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    # the new role is allowed, an unknown one still is not
    store.db.execute("INSERT INTO participants (name, pseudonym, role) VALUES ('(unattributed)', 'x', 'unattributed')")
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO participants (name, pseudonym, role) VALUES ('Bo', 'y', 'boss')")
    # a participant with turns still cannot be removed behind the turns' back
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("DELETE FROM participants WHERE id = 1")
    store.close()


def test_a_participants_table_that_already_allows_the_role_is_left_as_it_is(tmp_path):
    """m011 recognises the wider constraint (a study upgraded by another copy of this version)."""
    path = tmp_path / "s.rtui"
    new_study(path).close()
    db = Database(path)
    db.execute("DELETE FROM _sqlite_migrations WHERE name IN ('m011_unattributed_role', 'm012_turns_not_speech')")
    db.execute("ALTER TABLE utterances DROP COLUMN not_speech")
    db.conn.commit()
    db.close()
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert "'unattributed'" in store.db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'participants'").fetchone()[0]


def test_widening_the_role_constraint_keeps_rows_that_cascade_from_participants(tmp_path):
    """Persona members reference participants ON DELETE CASCADE: rebuilding the table (drop, create,
    copy back) would have deleted them. The constraint is widened in place, so they stay."""
    path = tmp_path / "s.rtui"
    new_study(path).close()
    db = Database(path)
    db.execute("DELETE FROM _sqlite_migrations WHERE name IN ('m011_unattributed_role', 'm012_turns_not_speech')")
    db.execute("ALTER TABLE utterances DROP COLUMN not_speech")
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'participants'").fetchone()[0]
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")  # back to the constraint older files have
    db.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'participants'",
               [sql.replace(", 'unattributed')", ")")])
    db.execute(f"PRAGMA schema_version = {version + 1}")
    db.execute("PRAGMA writable_schema = OFF")
    db.execute("INSERT INTO participants (id, name, pseudonym, role) VALUES (1, 'Ann', 'P01', 'participant')")
    db.execute("INSERT INTO personas (id, name, created_at, modified_at) VALUES (1, 'Worried', 'x', 'x')")
    db.execute("INSERT INTO persona_members (persona_id, participant_id) VALUES (1, 1)")
    db.conn.commit()
    db.close()
    with Store.open(path) as store:
        assert "'unattributed'" in store.db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'participants'").fetchone()[0]
        assert store.db.execute("SELECT persona_id, participant_id FROM persona_members").fetchall() == [(1, 1)]
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
