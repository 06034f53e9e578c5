"""Two programs writing one study at once (issue 8 item 3), with real processes.

Every write transaction takes the write lock up front (`BEGIN IMMEDIATE`), so a second writer waits
on the busy timeout instead of failing part-way; the database itself refuses a second identical coding
(same coder, span and code); a writer that waits too long says so in one line.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from coding.codebook import add_code, find_code, list_codes, new_study
from coding.codings import add_coding, list_codings
from coding.importing import import_transcripts
from coding.models import StudyError
from coding.study import Store, studyfile
from coding.study.schema import SCHEMA_VERSION, migrations
from coding.study.studyfile import APP_ID
from research_tui.cli import main
from tests.conftest import INTERVIEW_A, INTERVIEW_B, transcript_from_lines

FORK = multiprocessing.get_context("fork")  # children share the parent's imports: 100 start in a blink


def _quiet_main(argv, barrier, results):
    import io
    import sys

    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    barrier.wait()
    code = main(argv)
    results.put((code, sys.stderr.getvalue().strip()))


def _run_at_once(argvs: list[list[str]]) -> list[tuple[int, str]]:
    barrier = FORK.Barrier(len(argvs))
    results = FORK.Queue()
    procs = [FORK.Process(target=_quiet_main, args=(argv, barrier, results)) for argv in argvs]
    for p in procs:
        p.start()
    out = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return out


def test_two_imports_at_once_both_succeed(tmp_path):
    study = tmp_path / "s.rtui"
    new_study(study).close()
    files = []
    for name, lines in (("a.txt", INTERVIEW_A), ("b.txt", INTERVIEW_B)):
        (tmp_path / name).write_text("\n".join(lines) + "\n")
        files.append(tmp_path / name)
    results = _run_at_once([["import", str(study), str(f)] for f in files])
    assert [code for code, _ in results] == [0, 0], results
    with Store.open(study) as store:
        assert sorted(s.filename for s in store.sources()) == ["a.txt", "b.txt"]
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_same_file_imported_twice_at_once_is_imported_once(tmp_path):
    study = tmp_path / "s.rtui"
    new_study(study).close()
    f = tmp_path / "a.txt"
    f.write_text("\n".join(INTERVIEW_A) + "\n")
    results = _run_at_once([["import", str(study), str(f)]] * 4)
    assert [code for code, _ in results] == [0] * 4, results
    with Store.open(study) as store:
        assert store.totals()["sources"] == 1


def test_a_hundred_identical_code_commands_at_once_give_one_coding(tmp_path):
    study = tmp_path / "s.rtui"
    with new_study(study) as store:
        import_transcripts(store, [transcript_from_lines("interview_a", INTERVIEW_A)])
    argv = ["--coder", "sam", "code", str(study), "interview_a", "I was nervous.", "Anxious"]
    results = _run_at_once([argv] * 100)
    codes = sorted(code for code, _ in results)
    assert codes == [0] + [1] * 99, results[:3]
    refusals = {err for code, err in results if code}
    assert refusals == {"research-tui: error: that quote is already coded 'Anxious'"}
    with Store.open(study) as store:
        assert len(list_codings(store)) == 1
        assert store.db.execute("SELECT count(*) FROM actions WHERE kind = 'add_coding'").fetchone()[0] == 1


def test_concurrent_undos_never_fail_on_the_lock(tmp_path):
    study = tmp_path / "s.rtui"
    with new_study(study) as store:
        import_transcripts(store, [transcript_from_lines("interview_a", INTERVIEW_A)])
        source = store.sources()[0]
        for words in ("I was nervous.", "It was awful.", "Nobody called me back."):
            start = source.text.index(words)
            add_coding(store, source.id, start, start + len(words), find_code(store, "Anxious").id)
    results = _run_at_once([["undo", str(study)]] * 20)
    assert sorted(code for code, _ in results) == [0] * 3 + [1] * 17, results
    assert {err for code, err in results if code} == {"research-tui: error: nothing to undo"}
    with Store.open(study) as store:
        assert list_codings(store) == []


def test_the_database_refuses_a_second_identical_coding(study):
    source = study.sources()[0]
    start = source.text.index("I was nervous.")
    values = [source.id, start, start + 14, find_code(study, "Anxious").id, "tester", "x", "x"]
    insert = ("INSERT INTO codings (source_id, char_start, char_end, code_id, coder, created_at, modified_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)")
    study.db.execute(insert, values)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        study.db.execute(insert, values)
    study.db.execute(insert, values[:4] + ["another coder", "x", "x"])  # agreement needs this


def test_a_writer_that_cannot_get_the_lock_says_so_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(studyfile, "BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "s.rtui"
    new_study(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is in the middle of a write
    try:
        with Store.open(path) as store, pytest.raises(StudyError) as err:
            add_code(store, "Relieved", "emotion", valence=1)
        assert str(err.value) == (f"{path}: another program is writing to the study (waited 0.2 s); "
                                  "try again when it has finished")
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Store.open(path) as store:
        assert add_code(store, "Relieved", "emotion", valence=1).name == "Relieved"


def test_an_old_file_with_duplicate_codings_is_cleaned_on_upgrade(tmp_path):
    """Studies coded by racing processes before the UNIQUE index: the oldest coding stays with every
    memo, the action log says what happened, and a backup holds the file as it was."""
    path = tmp_path / "old.rtui"
    db = Database(path)
    db.execute(f"PRAGMA application_id = {APP_ID}")
    db.execute("PRAGMA journal_mode = wal")
    migrations.apply(db, stop_before="m008_unique_codings")
    db.execute("INSERT INTO sources VALUES (1, 'old', 'old.txt', 'text', 'h1', '2024-01-01', "
               "'Ann: The waiting room was cold.', '{}', 0, '')")
    db.execute("INSERT INTO participants VALUES (1, 'Ann', 'P01', 'participant', '{}')")
    db.execute("INSERT INTO codes VALUES (1, 'Pain point', 'pain_point', NULL, '#f00', '', 0, NULL, '{}')")
    rows = [(1, "ann", "first"), (2, "ann", ""), (3, "ann", "third"), (4, "bob", ""), (5, "ann", "first")]
    for cid, coder, memo in rows:
        db.execute("INSERT INTO codings (id, source_id, char_start, char_end, code_id, coder, created_at, "
                   "modified_at, memo, origin) VALUES (?, 1, 5, 21, 1, ?, '2024', '2024', ?, 'human')",
                   [cid, coder, memo])
    db.close()
    with Store.open(path) as store:
        kept = [(c.id, c.coder, c.memo) for c in list_codings(store)]
        assert kept == [(1, "ann", "first\n\nthird"), (4, "bob", "")]
        assert store.history(1)[0].summary == ("schema upgrade: removed 3 duplicate codings "
                                               "(same coder, span and code)")
    backups = list((tmp_path / "old.rtui.backups").iterdir())
    assert len(backups) == 1 and backups[0].name.endswith(f"_before-schema-{SCHEMA_VERSION}.rtui")
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT count(*) FROM codings").fetchone()[0] == 5
    conn.close()


def _cli(*argv: str) -> None:
    """The CLI in a process of its own, as in a second terminal."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import sys; from research_tui.cli import main; sys.exit(main())",
                           *argv], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_second_store_in_this_process_does_not_drop_the_first_ones_locks(study):
    """Issue 16: the studio died with "database disk image is malformed" / "file is not a database" when the
    CLI wrote while a worker had opened and closed its own Store. Closing any descriptor of the file drops
    every POSIX lock this process holds on it: the CLI then thought it was the last reader, checkpointed
    and deleted the -wal under the studio's connection, which went on reading a stale or broken index
    (`studyfile.header` now reads through the descriptor SQLite has open). Real CLI processes here."""
    path = study.path
    names = lambda: {c.name for c in list_codes(study)}  # noqa: E731
    assert "Parking" not in names()
    with Store.open(path, read_only=True) as worker:   # what a studio worker does
        assert worker.sources()
    assert studyfile.looks_like_study(path)           # what an export does before writing a file
    _cli("codes", str(path), "add", "Parking", "--kind", "touchpoint")
    assert Path(f"{path}-wal").exists()               # the CLI did not think it was alone
    assert "Parking" in names()                       # the studio's connection sees the change
    with Store.open(path) as worker:
        worker.sources()
    _cli("codes", str(path), "add", "Lift", "--kind", "touchpoint")
    _cli("--coder", "sam", "code", str(path), "interview_a", "I was nervous.", "Anxious")
    assert "Lift" in names()
    assert [c.coder for c in list_codings(study)] == ["sam"]
    assert study.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
