"""A study file written by an older version opens, migrates forward, and keeps its data."""

from __future__ import annotations

from sqlite_utils import Database

from coding.schema import SCHEMA_VERSION, migrations
from coding.store import Store
from coding.studyfile import APP_ID


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
    coding = store.codings()[0]
    assert (coding.text, coding.origin, coding.coder) == ("The waiting room", "human", "ann")
    assert [u.text for u in store.search("wait")] == ["The waiting room was cold."]
    assert store.totals()["words"] == 5  # word counts filled in for utterances written before m004
    store.remove_coding(coding.id)  # the action log exists and works
    store.undo()
    assert store.codings()[0].text == "The waiting room"
    store.close()
    # opening again applies nothing new
    assert Store.open(path).schema_version == SCHEMA_VERSION
