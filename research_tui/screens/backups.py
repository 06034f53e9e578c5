"""Backups from the studio (command palette: "Backups"): pick one, confirm, restore.

The same core calls as `research-tui restore`: the current state is backed up first, then the study
is restored in place and every screen re-reads it.
"""

from __future__ import annotations

from coding.models import StudyError
from coding.study import backup
from coding.study.restore import restore as restore_study

from .dialogs import ConfirmDialog
from .picker import Item, PickList


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, round(n / 1024))} kB"


def choose_backup(app) -> None:
    """List the study's backups; restoring one asks first."""
    found = backup.list_backups(app.store.path)
    if not found:
        app.notify("No backups yet: one is made before a schema upgrade, a merge and a bulk delete", timeout=5)
        return
    items = [Item(f"{b.taken_at.astimezone():%Y-%m-%d %H:%M:%S}  {b.reason}", b, _size(b.size)) for b in found]

    def confirm(chosen: backup.Backup | None) -> None:
        if chosen is None:
            return
        when = f"{chosen.taken_at.astimezone():%Y-%m-%d %H:%M:%S}"
        message = (f"Make the study what it was at {when} ({chosen.reason})? "
                   "The study as it is now is backed up first.")
        app.push_screen(ConfirmDialog("Restore a backup", message, yes="Restore"),
                        lambda yes: yes and restore(app, chosen))

    app.push_screen(PickList(f"Backups of {app.store.path.name} (newest first)", items), confirm)


def restore(app, chosen: backup.Backup) -> None:
    store = app.store
    try:
        restore_study(store.path, chosen.path, coder=store.coder)
        store.reconnect()  # the file's content changed under this connection: start afresh
    except StudyError as exc:
        app.notify(str(exc), severity="error", title="Not restored")
        return
    app.notify(f"Restored the study as it was at {chosen.taken_at.astimezone():%Y-%m-%d %H:%M:%S}; "
               "the state before is the newest backup", title="Restored", timeout=6)
    app._after_change()
