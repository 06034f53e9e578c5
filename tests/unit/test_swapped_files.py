"""The study's -wal and -shm files deleted or replaced while the studio has it open (issue 19 item 3).

Before, both sides went on: the CLI's writes were acknowledged, then lost when the studio copied its own
(deleted) -wal into the study. Now the studio refuses to write into files that are gone, and the CLI
refuses to write while another process holds the study through files that are gone. The CLI runs in a
process of its own, as it does for a researcher: SQLite's locks are per process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coding.codebook import add_code, list_codes
from coding.models import StudyError
from coding.study import Store

ROOT = Path(__file__).resolve().parents[2]


def cli(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "research_tui.cli", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def _codes(path) -> set[str]:
    with Store.open(path, read_only=True) as s:
        return {c.name for c in list_codes(s)}


@pytest.mark.parametrize("deleted", [("-wal", "-shm"), ("-shm",)])
def test_deleting_wal_and_shm_under_the_studio_refuses_writes_on_both_sides(study, deleted):
    add_code(study, "Before the deletion", "theme")  # in the studio's -wal, not yet in the study file
    for suffix in deleted:
        Path(f"{study.path}{suffix}").unlink()

    for name in ("Added one", "Added two"):
        done = cli("codes", study.path, "add", name, "--kind", "theme")
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr == (f"research-tui: error: {study.path}: another program (process {os.getpid()}) "
                               "has the study open through -wal and -shm files that were deleted or replaced; "
                               "nothing was saved: quit the studio or other program that has it open, then open "
                               "it again\n")
    with pytest.raises(StudyError, match="the study's -wal and -shm files were deleted or replaced while it was "
                                         r"open; nothing was saved: .* \(changes saved before are kept when it "
                                         "closes\\)$"):
        add_code(study, "Studio after", "theme")
    with pytest.raises(StudyError):
        study.undo()

    study.close()  # the studio quits: what it saved before the deletion reaches the study file
    assert {"Before the deletion"} <= _codes(study.path)
    assert not {"Added one", "Added two", "Studio after"} & _codes(study.path)
    assert cli("codes", study.path, "add", "Added later", "--kind", "theme").returncode == 0
    assert "Added later" in _codes(study.path)
    with Store.open(study.path) as again:
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_study_file_replaced_under_the_studio_is_not_written(study, tmp_path):
    copy = tmp_path / "copy.rtui"
    study.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(study.path, copy)
    copy.replace(study.path)  # another file now has the study's name
    with pytest.raises(StudyError, match="the study file was moved or replaced while it was open; nothing was saved"):
        add_code(study, "Lost", "theme")


def test_the_studio_and_the_cli_at_once_still_both_write(study):
    """No false alarm: the CLI in another process while the studio (and a worker's second Store) are open."""
    worker = Store.open(study.path)
    try:
        done = cli("codes", study.path, "add", "From the CLI", "--kind", "theme")
        assert done.returncode == 0, done.stderr
        add_code(study, "From the studio", "theme")
        add_code(worker, "From a worker", "theme")
    finally:
        worker.close()
    assert {"From the CLI", "From the studio", "From a worker"} <= _codes(study.path)
