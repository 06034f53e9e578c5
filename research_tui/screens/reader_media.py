"""The reader's recording keys (mixed into `ReaderScreen`, whose bindings call them): play the source's
recording from the current turn through mpv or ffplay (from the selected words' own time when the captions
give it, else from the turn's start), and link a recording to the source.

The player runs as its own process, with no terminal (the studio keeps the screen and the keys); `p` again
at the same place stops it, elsewhere plays from there. Leaving the studio stops it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from coding import media

from .base import attempt
from .dialogs import TextDialog


class RecordingKeys:
    """Needs `self.store`, `self.view` (the TranscriptView) and `self.source_id`."""

    player: subprocess.Popen | None = None
    _playing: list[str] | None = None  # the command that is playing

    def action_play(self) -> None:
        doc = self.view.doc
        if self.source_id is None or doc is None or not doc.turns:
            self.notify("Nothing to play here", severity="warning")
            return
        turn = doc.turns[self.view.current_turn]
        problem, command = self._play_command(turn.utterance_id)
        if self.playing() and self._playing == command:  # the same place again: stop
            self.stop_playing()
            self.notify("Stopped", timeout=2)
            return
        if problem:
            self.notify(problem, severity="warning", timeout=6)
            return
        self.stop_playing()
        try:
            self.player = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            self.notify(f"Could not start {Path(command[0]).name}: {exc.strerror}", severity="error")
            return
        self._playing = command
        self.notify(f"Playing from {turn.time or 'the turn'} with {Path(command[0]).name} (p stops)", timeout=3)

    def _play_command(self, utterance_id: int) -> tuple[str, list[str]]:
        """("", the player's command), or (what is missing, [])."""
        source = self.store.source(self.source_id)
        path = media.recording(self.store, self.source_id)
        if path is None:
            return "No recording linked to this source: L links one (or `research-tui sources STUDY media`)", []
        if not path.is_file():
            return f"The recording is missing: {path}", []
        turns = self.store.utterances(self.source_id)
        times = media.turn_times(turns)
        if utterance_id not in times:
            if not times:
                return f"This source is {media.no_times_reason(source)}: the recording cannot start at a turn", []
            return "This turn has no time to start from", []
        start = times[utterance_id][0] / 1000
        span = media.quote_span(turns, *self.view.selection, media.cue_times(self.store, self.source_id))
        if isinstance(span, media.Span) and span.start >= start:  # the selected words, not the turn's first
            start = span.start
        command = media.player_command(path, start)
        if command is None:
            return "No player to play recordings: install mpv, or ffmpeg (for ffplay)", []
        return "", command

    def playing(self) -> bool:
        return self.player is not None and self.player.poll() is None

    def stop_playing(self) -> None:
        if self.playing():
            self.player.terminate()
            try:
                self.player.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.player.kill()
        self.player, self._playing = None, None

    def on_unmount(self) -> None:
        self.stop_playing()

    def action_link_recording(self) -> None:
        if self.source_id is None:
            return
        source_id = self.source_id
        current = media.recording(self.store, source_id)
        dialog = TextDialog(f"Recording of '{self.view.doc.title}': an audio or video file (empty unlinks)",
                            str(current) if current else "", multiline=False)

        def save(text: str | None) -> None:
            if text is None:
                return
            if not text.strip():
                if attempt(self, media.unlink_recording, self.store, source_id):
                    self.notify("Recording unlinked", timeout=2)
                return
            path = Path(text.strip()).expanduser()
            if not path.is_absolute():
                path = self.store.path.parent / path
            if attempt(self, media.link_recording, self.store, source_id, path):
                self.notify(f"Recording linked: {path.name} (p plays from a turn)", timeout=3)

        self.app.push_screen(dialog, save)
