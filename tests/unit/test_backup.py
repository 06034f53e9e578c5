"""Backups before what is hard to take back, and restoring them (issue 8 item 6)."""

from __future__ import annotations

import os
import random
import sqlite3
import stat

import pytest

from coding.codebook import delete_code, find_code, get_code, merge_codes
from coding.codings import code_span, list_codings
from coding.models import StudyError
from coding.people import merge_participants
from coding.study import Store, backup
from coding.study.restore import restore
from coding.study.schema import SCHEMA_VERSION
from tests.conftest import span_of


def _codings(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    finally:
        conn.close()


def _coded(study) -> None:
    sid, a, b = span_of(study, "interview_a", "I was nervous.")
    code_span(study, sid, a, b, [find_code(study, "Anxious").id, find_code(study, "Confused").id])


def test_merging_codes_deleting_a_code_and_merging_participants_are_backed_up_first(study):
    _coded(study)
    merge_codes(study, find_code(study, "Anxious").id, find_code(study, "Confused").id)
    delete_code(study, find_code(study, "Confused").id)
    merge_participants(study, "George Wilson", "Aisha Khan")
    found = backup.list_backups(study.path)
    assert [b.reason for b in found] == ["before merging participant p02 into p01",
                                         "before deleting code confused",
                                         "before merging codes anxious into confused"]
    assert [_codings(b.path) for b in found] == [0, 1, 2]  # each holds the study as it was just before
    assert found[0].path.parent == study.path.with_name("study.rtui.backups")
    assert stat.S_IMODE(found[0].path.stat().st_mode) == 0o600
    assert stat.S_IMODE(found[0].path.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in found[0].path.parent.iterdir()) == sorted(b.path.name for b in found)
    # a backup is a complete, self-contained study (no -wal file needed)
    with Store.open(found[2].path, read_only=True) as old:
        assert old.schema_version == SCHEMA_VERSION and len(list_codings(old)) == 2


def test_deleting_an_unused_code_makes_no_backup(study):
    delete_code(study, find_code(study, "Anxious").id)
    assert backup.list_backups(study.path) == []


def test_only_the_newest_backups_are_kept(study):
    made = [backup.backup(study, f"test {i}") for i in range(backup.KEEP + 3)]
    kept = backup.list_backups(study.path)
    assert [b.path for b in kept] == list(reversed(made))[:backup.KEEP]
    assert not made[0].exists() and made[-1].exists()


def test_a_failed_backup_stops_what_it_was_for(study, monkeypatch):
    _coded(study)
    backups = study.path.with_name("study.rtui.backups")
    backups.write_text("a file where the backups folder should be")
    with pytest.raises(StudyError, match="cannot make a backup before merging codes"):
        merge_codes(study, find_code(study, "Anxious").id, find_code(study, "Confused").id)
    assert len(list_codings(study)) == 2


def test_restore_backs_up_the_current_state_first(study):
    _coded(study)
    delete_code(study, find_code(study, "Anxious").id)
    chosen = backup.list_backups(study.path)[0].path
    saved = restore(study.path, chosen)
    assert _codings(saved) == 1  # the state before the restore
    study.reconnect()
    assert sorted(get_code(study, c.code_id).name for c in list_codings(study)) == ["Anxious", "Confused"]


def test_restore_while_another_connection_is_open(study):
    _coded(study)
    delete_code(study, find_code(study, "Anxious").id)
    other = Store.open(study.path)  # the studio, say
    restore(study.path, backup.list_backups(study.path)[0].path)
    assert len(list_codings(other)) == 2
    other.close()


def test_restore_a_study_that_was_written_over(study, tmp_path):
    """The disaster of issue 8: a file written over the study. The file is kept, the study comes back."""
    _coded(study)
    delete_code(study, find_code(study, "Anxious").id)
    chosen = backup.list_backups(study.path)[0].path
    study.close()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"study.rtui{suffix}").unlink(missing_ok=True)
    study.path.write_text("# Clinic: customer journey\n")
    saved = restore(study.path, chosen)
    assert saved.read_text() == "# Clinic: customer journey\n" and saved.parent == chosen.parent
    with Store.open(study.path) as again:
        assert len(list_codings(again)) == 2
    assert stat.S_IMODE(study.path.stat().st_mode) == 0o600


def test_restore_a_study_that_is_gone(study):
    _coded(study)
    delete_code(study, find_code(study, "Anxious").id)
    chosen = backup.list_backups(study.path)[0].path
    study.close()
    for suffix in ("", "-wal", "-shm"):
        study.path.with_name(f"study.rtui{suffix}").unlink(missing_ok=True)
    assert restore(study.path, chosen) is None
    with Store.open(study.path) as again:
        assert len(list_codings(again)) == 2


def test_restore_refuses_a_backup_that_is_not_a_study(study, tmp_path):
    junk = tmp_path / "junk.rtui"
    junk.write_text("not a study")
    with pytest.raises(StudyError, match="not a research-tui study"):
        restore(study.path, junk)
    assert backup.list_backups(study.path) == []


def test_find_backup_by_number_name_or_path(study):
    first = backup.backup(study, "one")
    second = backup.backup(study, "two")
    assert backup.find_backup(study.path, "1") == second
    assert backup.find_backup(study.path, "2") == first
    assert backup.find_backup(study.path, first.name) == first
    assert backup.find_backup(study.path, str(first)) == first
    with pytest.raises(StudyError, match="there is no backup number 3; the study has 2"):
        backup.find_backup(study.path, "3")


def test_a_stale_part_file_is_not_listed_and_is_cleaned(study):
    folder = backup.folder(study.path)
    backup.backup(study, "one")
    part = folder / ".20200101-000000-000_killed.rtui.part"
    part.write_bytes(b"half")
    os.utime(part, (0, 0))
    assert [b.reason for b in backup.list_backups(study.path)] == ["one"]
    backup.backup(study, "two")
    assert not part.exists()


# -- issue 19 item 1: restore works on a study damaged in any way ---------------------------------------
def _damage(path, kind: str) -> None:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    pages = len(data) // page
    if kind == "schema text":  # one byte of a table's CREATE statement: SQLite cannot even quote it
        at = data.index(b"CREATE TABLE memos")
        data[at + 3] ^= 0xFF
    elif kind == "header":
        data[:16] = b"x" * 16
    elif kind == "page size":
        data[16:18] = b"\x00\x07"
    elif kind == "truncated":
        del data[len(data) // 2:]
    elif kind == "page garbage":
        noise = random.Random(19)
        for n in (1, pages // 3, pages // 2):
            data[n * page:(n + 1) * page] = noise.randbytes(page)
    elif kind == "first page garbage":
        data[100:page] = random.Random(7).randbytes(page - 100)
    path.write_bytes(bytes(data))


def _intact(path) -> bool:
    try:
        with Store.open(path, read_only=True) as store:
            list_codings(store)
            return store.db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except StudyError:
        return False


@pytest.mark.parametrize("kind", ["schema text", "header", "page size", "truncated", "page garbage",
                                  "first page garbage"])
def test_restore_a_damaged_study_moves_it_aside_untouched(study, kind):
    _coded(study)
    chosen = backup.backup(study, "good")
    study.close()  # the last connection checkpoints: the file holds the whole study
    assert not study.path.with_name("study.rtui-wal").exists()
    _damage(study.path, kind)
    damaged = study.path.read_bytes()
    assert not _intact(study.path)
    saved = restore(study.path, chosen)
    assert saved.name.endswith("_replaced-by-restore.rtui") and saved.parent == chosen.parent
    assert saved.read_bytes() == damaged  # moved aside byte for byte, never repaired or deleted
    with Store.open(study.path) as again:
        assert again.db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert len(list_codings(again)) == 2


def test_a_damaged_schema_is_one_line_naming_restore(study):
    study.close()
    _damage(study.path, "schema text")
    with pytest.raises(StudyError, match=r"damaged; restore a backup: `research-tui restore .*` lists them") as caught:
        Store.open(study.path)
    assert "\n" not in str(caught.value) and "CREATE" not in str(caught.value)
