"""Only a study of this program is opened; anything else is refused untouched (issue 8 items 4, 5, 14).

Read-only files and folders are tested for real: with chmod when not root, and as root in a child
process that drops to user `nobody` (root ignores file permissions). The read-only code path is also
forced explicitly (`mode=ro`), which works for any user.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest

from coding import codebook
from coding.codebook import add_code, new_study
from coding.importing import import_transcripts
from coding.models import StudyError
from coding.study import Store, studyfile
from coding.study.schema import SCHEMA_VERSION
from tests.conftest import INTERVIEW_A, INTERVIEW_B, transcript_from_lines

IS_ROOT = os.geteuid() == 0


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["foreign sqlite", "foreign sqlite in WAL mode", "empty", "text", "folder"])
@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_that_is_not_a_study_is_refused_and_left_byte_identical(tmp_path, kind, read_only):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "other.sqlite"
    if kind.startswith("foreign"):
        _foreign_sqlite(path)
        if "WAL" in kind:
            conn = sqlite3.connect(path)
            conn.execute("PRAGMA journal_mode = wal")
            conn.close()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("Interviewer: hello\nAisha: hi\n")
    else:
        path.mkdir()
    before = _files(folder)
    with pytest.raises(StudyError) as err:
        Store.open(path, read_only=read_only)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    assert {"foreign sqlite": "another program", "foreign sqlite in WAL mode": "another program",
            "empty": "empty file", "text": "not an SQLite database", "folder": "folder"}[kind] in message
    assert _files(folder) == before  # byte-identical, and no -wal/-shm/-journal left behind
    if kind.startswith("foreign"):
        conn = sqlite3.connect(path)
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]
        conn.close()


def _newer_study(path: Path) -> None:
    new_study(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('research_tui', 'm999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_study_from_a_newer_version_is_refused_untouched(tmp_path, read_only):
    path = tmp_path / "future.rtui"
    _newer_study(path)
    before = _files(tmp_path)
    with pytest.raises(studyfile.NewerStudy,
                       match=rf"made by a newer research-tui \(schema {SCHEMA_VERSION + 1}\); upgrade to open it"):
        Store.open(path, read_only=read_only)
    assert _files(tmp_path) == before
    assert not (tmp_path / "future.rtui.backups").exists()


def test_a_newer_user_version_alone_is_refused(tmp_path):
    path = tmp_path / "future.rtui"
    new_study(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.close()
    with pytest.raises(studyfile.NewerStudy, match=f"schema {SCHEMA_VERSION + 3}"):
        Store.open(path)


def test_a_study_records_its_schema_version_in_the_header(tmp_path):
    path = tmp_path / "s.rtui"
    new_study(path).close()
    head = path.read_bytes()[:100]
    assert int.from_bytes(head[68:72], "big") == studyfile.APP_ID
    assert int.from_bytes(head[60:64], "big") == SCHEMA_VERSION  # PRAGMA user_version


def test_new_study_and_its_wal_and_shm_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        store = new_study(tmp_path / "s.rtui")
        store.set_anonymize(True)  # a write, so the -wal file exists
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if p.is_file()}
        store.close()
    finally:
        os.umask(old)
    assert {"s.rtui", "s.rtui-wal", "s.rtui-shm"} <= set(modes)
    assert set(modes.values()) == {0o600}, modes


def test_create_leaves_nothing_when_it_fails(tmp_path, monkeypatch):
    def broken(store, codes):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(codebook, "insert_template_codes", broken)
    with pytest.raises(StudyError, match="disk is full"):
        new_study(tmp_path / "s.rtui")
    assert list(tmp_path.iterdir()) == []


def _study_with_sources(path: Path) -> Store:
    store = new_study(path, coder="tester")
    import_transcripts(store, [transcript_from_lines("interview_a", INTERVIEW_A)])
    return store


def test_reading_works_through_an_explicit_read_only_connection(tmp_path, monkeypatch):
    """The code path a read-only file or folder takes (SQLite's mode=ro, then immutable=1), forced."""
    path = tmp_path / "s.rtui"
    _study_with_sources(path).close()
    before = _files(tmp_path)
    monkeypatch.setattr(studyfile, "writable", lambda p: False)
    with Store.open(path, read_only=True) as store:
        assert store.totals()["sources"] == 1
        with pytest.raises(studyfile.ReadOnlyStudy, match="read"):
            store.set_anonymize(True)
    assert (tmp_path / "s.rtui").read_bytes() == before["s.rtui"]
    with pytest.raises(studyfile.ReadOnlyStudy, match="read-only .*make both writable"):
        Store.open(path)  # for changes: refused in one line


def test_a_write_through_a_read_only_connection_is_one_plain_line(tmp_path):
    path = tmp_path / "s.rtui"
    _study_with_sources(path).close()
    store = Store.open(path)
    store.db.conn.close()  # what SQLite does on a write-protected file: the connection is read-only
    store.db = type(store.db)(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None))
    with pytest.raises(StudyError) as err:
        add_code(store, "Relieved", "emotion", valence=1)
    assert str(err.value) == (f"{path}: the study is read-only (no write permission for the file or its "
                              "folder); make both writable to change it")
    store.close()


def _as_nobody(fn) -> tuple[int, str]:
    """Run fn() in a child process as user nobody; returns (exit code, what it wrote)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        code = 0
        try:
            os.setgid(65534)
            os.setuid(65534)
            out = fn()
        except BaseException as exc:  # noqa: BLE001 - report anything to the parent
            out, code = f"{type(exc).__name__}: {exc}", 1
        os.write(write, str(out).encode())
        os._exit(code)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), data.decode()


@pytest.fixture
def locked_folder():
    """A folder (and study) the test user cannot write: chmod, or ownership by root for `nobody`."""
    folder = Path(tempfile.mkdtemp(prefix="rtui-ro-"))
    os.chmod(folder, 0o755)
    path = folder / "s.rtui"
    _study_with_sources(path).close()
    os.chmod(path, 0o644 if IS_ROOT else 0o444)
    if not IS_ROOT:
        os.chmod(folder, 0o555)
    yield path
    os.chmod(folder, 0o755)
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()


def _nobody_can_read_the_install() -> None:
    """`nobody` reads python-docx's template (and other data files) from the install at run time: a
    checkout in a private folder (`mktemp -d` is 0700) cannot be tested as that user, so say why and skip."""
    import docx

    for folder in [*Path(docx.__file__).resolve().parents, *Path(__file__).resolve().parents]:
        if folder.exists() and not folder.stat().st_mode & 0o001:
            pytest.skip(f"user nobody cannot enter {folder} (mode {folder.stat().st_mode & 0o777:o}), "
                        "where the installed packages are")


def _run_as_test_user(fn, study: Path, scratch: Path):
    """fn(study) as a user who cannot write the study or its folder. As root, fn first runs once on a
    scratch copy: `nobody` cannot import the modules fn loads lazily from root's Python install."""
    if IS_ROOT:
        _nobody_can_read_the_install()
        copy = scratch / "warm-up.rtui"
        copy.write_bytes(study.read_bytes())
        fn(copy)
        return _as_nobody(lambda: fn(study))
    try:
        return 0, fn(study)
    except BaseException as exc:  # noqa: BLE001
        return 1, f"{type(exc).__name__}: {exc}"


def test_reading_commands_work_on_a_read_only_study_in_a_read_only_folder(locked_folder, capsys):
    from research_tui.cli import main

    before = _files(locked_folder.parent)
    tmp_path = Path(tempfile.mkdtemp(prefix="rtui-out-"))
    os.chmod(tmp_path, 0o777)  # the report goes somewhere the test user can write

    def read_everything(study):
        outputs = []
        for argv in (["info", "--json"], ["participants"], ["codes"], ["history"],
                     ["export", "--format", "csv", "-o", "-"], ["report", "-o", str(tmp_path / f"{study.stem}.docx")]):
            code = main([argv[0], str(study), *argv[1:]])
            if code != 0:
                raise SystemExit(f"{argv[0]} exited {code}")
            outputs.append(argv[0])
        return " ".join(outputs)

    code, out = _run_as_test_user(read_everything, locked_folder, tmp_path)
    report = (tmp_path / "s.docx").read_bytes()[:2]
    shutil.rmtree(tmp_path)
    assert code == 0, out
    assert report == b"PK"
    assert out.endswith("info participants codes history export report")
    assert _files(locked_folder.parent) == before


def test_changing_a_read_only_study_is_one_plain_line(locked_folder, tmp_path, capsys):
    from research_tui.cli import main

    before = _files(locked_folder.parent)

    def change(study):
        code = main(["codes", str(study), "add", "Relieved", "--kind", "emotion"])
        return f"exit {code}"

    code, out = _run_as_test_user(change, locked_folder, tmp_path)
    assert out.startswith("exit 1"), out
    assert _files(locked_folder.parent) == before


def test_a_full_disk_is_one_plain_line_and_the_study_stays_intact(tmp_path):
    path = tmp_path / "s.rtui"
    store = _study_with_sources(path)
    before = store.totals()
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 1}")  # the disk fills up after one more page
    big = transcript_from_lines("interview_b", INTERVIEW_B * 400)
    with pytest.raises(StudyError) as err:
        import_transcripts(store, [big])
    assert str(err.value) == f"{path}: the disk is full; free some space and try again (nothing was saved)"
    store.close()
    with Store.open(path) as again:
        assert again.totals() == before
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_disk_io_error_is_one_plain_line_and_the_study_stays_intact(tmp_path):
    """A real write error: the child may not grow any file past a size limit (EFBIG -> SQLITE_IOERR)."""
    path = tmp_path / "s.rtui"
    store = _study_with_sources(path)
    before = store.totals()
    store.close()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (path.stat().st_size + 50_000,) * 2)
        try:
            with Store.open(path) as s:
                import_transcripts(s, [transcript_from_lines("interview_b", INTERVIEW_B * 800)])
            message = "imported"
        except StudyError as exc:
            message = str(exc)
        os.write(write, message.encode())
        os._exit(0)
    os.close(write)
    message = os.read(read, 65536).decode()
    os.waitpid(pid, 0)
    assert message.startswith(f"{path}: disk I/O error while reading or writing the study"), message
    assert "\n" not in message
    with Store.open(path) as again:
        assert again.totals() == before
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sqlite_errors_become_plain_lines():
    def err(text, name):
        exc = sqlite3.OperationalError(text)
        exc.sqlite_errorname = name
        return str(studyfile.explain(exc, "s.rtui"))

    assert err("database is locked", "SQLITE_BUSY").startswith("s.rtui: another program is writing to the study")
    assert "read-only" in err("attempt to write a readonly database", "SQLITE_READONLY")
    assert "disk is full" in err("database or disk is full", "SQLITE_FULL")
    assert "disk I/O error" in err("disk I/O error", "SQLITE_IOERR_WRITE")
    assert "restore a backup" in err("database disk image is malformed", "SQLITE_CORRUPT")
