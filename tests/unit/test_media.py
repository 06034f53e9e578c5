"""Recordings in the core: matching names, linking (undoable, kept across moves), times of quotes, players."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlite_utils import Database

from coding import media
from coding.codebook import new_study
from coding.importing import import_transcripts
from coding.models import StudyError, UtteranceRow
from coding.study import Store
from coding.study.schema import migrations
from tests.conftest import transcript_from_lines


@dataclass
class Src:
    id: int
    filename: str
    title: str = ""


def test_recordings_are_matched_by_name():
    sources = [Src(1, "interview_01.vtt"), Src(2, "GMT20240312-140012_Recording.transcript.vtt"),
               Src(3, "focus group 2 (otter).txt"), Src(4, "Interview-04.en.srt"), Src(5, "diary.docx"),
               Src(6, "P7.vtt")]
    files = [Path(n) for n in ("interview_01.m4a", "GMT20240312-140012_Recording_1920x1080.mp4",
                               "focus group 2.mp3", "interview_04.wav", "P7 call 2.mp4", "P7 call 3.mp4",
                               "holiday.mov")]
    paired, missing, left = media.match_recordings(sources, files)
    assert {sid: p.name for sid, p in paired.items()} == {
        1: "interview_01.m4a", 2: "GMT20240312-140012_Recording_1920x1080.mp4", 3: "focus group 2.mp3",
        4: "interview_04.wav"}
    assert [s.id for s in missing] == [5, 6]  # P7: two recordings start like it, so neither is guessed
    assert [p.name for p in left] == ["P7 call 2.mp4", "P7 call 3.mp4", "holiday.mov"]


def _turn(i: int, start: int, end: int, start_ms: int | None, end_ms: int | None) -> UtteranceRow:
    return UtteranceRow(id=i, source_id=1, participant_id=1, position=i, start_ms=start_ms, end_ms=end_ms,
                        char_start=start, char_end=end, text="x" * (end - start))


def test_quote_times_come_from_the_turns():
    caption = [_turn(1, 0, 100, 5000, 9000), _turn(2, 110, 150, 10000, 12000)]
    assert media.quote_span(caption, 0, 100) == media.Span(5.0, 9.0)                 # a whole turn
    assert media.quote_span(caption, 25, 75) == media.Span(6.0, 8.0)                 # its share of the turn
    assert media.quote_span(caption, 50, 150) == media.Span(7.0, 12.0)               # across two turns
    timestamps = [_turn(1, 0, 100, 60_000, None), _turn(2, 110, 150, 75_000, None)]  # "[00:01:00] Ann: …"
    assert media.quote_span(timestamps, 0, 100) == media.Span(60.0, 75.0)            # ends where the next begins
    assert media.quote_span(timestamps, 110, 150) == "its turns have no times"       # the last turn has no end
    assert media.quote_span([_turn(1, 0, 100, None, None)], 0, 50) == "no times"


def test_players_never_take_the_terminal(monkeypatch):
    found = {"mpv": "/usr/bin/mpv", "ffplay": "/usr/bin/ffplay"}
    assert media.player_command(Path("a.m4a"), 12.5, found.get) == [
        "/usr/bin/mpv", "--no-terminal", "--really-quiet", "--start=12.500", "a.m4a"]
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert media.player_command(Path("a.mp4"), 3, {"ffplay": "/usr/bin/ffplay"}.get) == [
        "/usr/bin/ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet", "-ss", "3.000", "a.mp4"]
    assert media.player_command(Path("a.mp4"), 3, {}.get) is None


@pytest.fixture
def study(tmp_path):
    (tmp_path / "study").mkdir()
    store = new_study(tmp_path / "study" / "s.rtui", coder="tester")
    import_transcripts(store, [transcript_from_lines("call", ["Ann: Hello there."])])
    yield store
    store.close()


def test_a_recording_inside_the_study_folder_moves_with_it(study, tmp_path):
    inside = study.path.parent / "audio" / "call.m4a"
    inside.parent.mkdir()
    inside.write_bytes(b"not really audio")
    outside = tmp_path / "call.wav"
    outside.write_bytes(b"x")
    source = study.sources()[0]
    media.link_recording(study, source.id, inside)
    assert study.db.execute("SELECT path FROM source_media").fetchone()[0] == str(Path("audio") / "call.m4a")
    media.link_recording(study, source.id, outside)  # re-linking replaces
    assert media.recording(study, source.id) == outside.resolve()
    assert study.db.execute("SELECT count(*) FROM source_media").fetchone()[0] == 1
    study.undo()
    assert media.recording(study, source.id) == study.path.parent / "audio" / "call.m4a"
    with pytest.raises(StudyError, match="not an audio or video file"):
        media.link_recording(study, source.id, study.path)


def test_an_older_study_gets_the_table(tmp_path):
    path = tmp_path / "old.rtui"
    new_study(path).close()
    db = Database(path)
    db.execute("DROP TABLE source_media")
    db.execute("DROP TABLE cues")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm015_source_media'")
    db.conn.commit()
    db.close()
    assert "m015_source_media" in {m.name for m in migrations.pending(Database(path))}
    with Store.open(path) as store:
        assert store.db.execute("SELECT count(*) FROM source_media").fetchone()[0] == 0
        assert store.db.execute("SELECT count(*) FROM cues").fetchone()[0] == 0
