"""The codebook's highlight reel (mixed into `CodebookScreen`, whose binding calls it): the highlighted code's
quotes cut from their recordings into a folder, with their list and one joined file (`exports.clips`).

ffmpeg runs in a worker that opens its own Store; the result (or why nothing could be cut) is a notification.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual import work

from coding.models import StudyError
from coding.study import Store

from .dialogs import TextDialog


class HighlightReel:
    """Needs `self.store` and `self._need_code()`."""

    def action_clips(self) -> None:
        code = self._need_code()
        if code is None:
            return
        slug = re.sub(r"[^\w-]+", "-", code.name).strip("-").lower() or "code"
        default = self.store.path.with_name(f"{self.store.path.stem}-clips-{slug}")
        dialog = TextDialog(f"Highlight reel of '{code.name}': the folder for its clips", str(default),
                            multiline=False, hint="enter cuts the clips (and one joined file), escape cancels")

        def go(text: str | None) -> None:
            if text and text.strip():
                folder = Path(text.strip()).expanduser()
                folder = folder if folder.is_absolute() else self.store.path.parent / folder
                self.notify(f"Cutting the clips of '{code.name}' into {folder.name}…", timeout=3)
                self.cut_reel(self.store.path, code.id, folder, self.store.anonymize)

        self.app.push_screen(dialog, go)

    @work(thread=True, exclusive=True, group="clips", exit_on_error=False)
    def cut_reel(self, study_path: Path, code_id: int, folder: Path, anonymize: bool) -> None:
        from exports.clips import cut_clips, plan_clips

        try:
            with Store.open(study_path, read_only=True) as store:
                plan = plan_clips(store, code_id, anonymize=anonymize)
            cut_clips(plan, folder, join=True)
        except StudyError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title="No clips", timeout=8)
            return
        skipped = f"; {len(plan.skipped)} source(s) left out: {plan.skipped[0]}" if plan.skipped else ""
        self.app.call_from_thread(
            self.notify, f"{len(plan.clips)} clips, clips.csv and a highlight reel in {folder}{skipped}",
            title="Clips cut", timeout=8)
