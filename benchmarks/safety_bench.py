"""Backups and restores of a big study (coding/study/backup.py) against copying the file.

A backup runs before every merge, bulk delete and schema upgrade, so it must stay a short pause on a
big study (target: 1 s for 50,000 utterances). The baseline is `shutil.copyfile` of the checkpointed
study plus one fsync, as the backup does: the least any durable copy can do.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path

from coding.study import backup
from coding.study.restore import restore

from .core_bench import ensure_study
from .harness import best_of, row


def _copy_synced(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)


def bench_backup(n_utterances: int = 50_000, n_codings: int = 5000, *, study: Path | None = None) -> dict:
    with ExitStack() as stack:
        if study is None:
            study = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "study.rtui"
        store = ensure_study(study, n_utterances, n_codings)
        stack.callback(store.close)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_mb = study.stat().st_size / 2**20
        copy = study.with_name("copy.rtui")
        t_copy, _ = best_of(lambda: _copy_synced(study, copy))
        copy.unlink()
        t_backup, made = best_of(lambda: backup.backup(store, "bench"))
        t_restore, _ = best_of(lambda: restore(study, made))
        shutil.rmtree(backup.folder(study))
    note = f"{size_mb:.1f} MB study; each kept backup costs its size on disk"
    return {"rows": [row(f"backup before a merge or bulk delete, {n_utterances:,} utterances", t_backup,
                         baseline=t_copy, max_s=1.0, note=note),
                     row("restore a backup (backs up the current state first)", t_restore, baseline=t_copy,
                         max_s=2.0, note="a backup, then the chosen one copied in through SQLite")],
            "info": {"study_mb": round(size_mb, 1), "backup_s": round(t_backup, 3), "copy_s": round(t_copy, 3),
                     "restore_s": round(t_restore, 3)}}
