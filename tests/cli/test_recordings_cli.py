"""Recordings end to end: audio and video made here with ffmpeg, captions whose times we know, clips cut with
ffmpeg and measured with ffprobe."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess

import pytest

from coding import media
from coding.study import Store
from research_tui.cli import main

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.500
<v Interviewer>How did the booking go?

00:00:05.000 --> 00:00:09.250
<v Ann Lee>The booking line kept me on hold for ages.

00:00:10.000 --> 00:00:12.000
<v Interviewer>And the scan itself?

00:00:12.500 --> 00:00:15.000
<v Ann Lee>The radiographer was lovely and calm.

00:00:15.000 --> 00:00:17.800
<v Ann Lee>She talked me through every sound.
"""
TEXT = "Interviewer: How was the waiting?\nBo Khan: The waiting was the worst part, nobody called.\n"
# quote -> its known length in seconds: whole turns, times straight from the captions
KNOWN = {"The booking line kept me on hold for ages.": 4.25,
         "The radiographer was lovely and calm. She talked me through every sound.": 5.3}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _need_ffmpeg() -> None:
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg is not installed (`make test` installs the Debian package as root)")


def _duration(path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return float(json.loads(out)["format"]["duration"])


def _make_media(folder, name: str, video: bool = False) -> None:
    tone = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=20"]
    picture = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=20"] if video else []
    codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"] if video else []
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *picture, *tone, *codecs, "-shortest",
                    str(folder / name)], check=True, timeout=120)


@pytest.fixture
def recorded(tmp_path, capsys):
    """A study with a captioned interview (and its recording in a folder) and a plain-text one, coded."""
    _need_ffmpeg()
    files, recordings = tmp_path / "transcripts", tmp_path / "recordings"
    files.mkdir()
    recordings.mkdir()
    (files / "zoom_ann.transcript.vtt").write_text(VTT, encoding="utf-8")
    (files / "notes_bo.txt").write_text(TEXT, encoding="utf-8")
    _make_media(recordings, "zoom_ann.wav")
    _make_media(recordings, "unrelated_call.m4a")
    study = tmp_path / "s.rtui"
    assert run(capsys, "new", study)[0] == 0
    code, out, err = run(capsys, "import", study, files / "zoom_ann.transcript.vtt", files / "notes_bo.txt",
                         "--media", recordings)
    assert code == 0, err
    assert "recording zoom_ann.wav linked to zoom_ann.transcript" in out
    assert "no recording found for: notes_bo" in out and "not matched to a source: unrelated_call.m4a" in out
    for quote in (*KNOWN, "kept me on hold", "The waiting was the worst part"):
        source = "notes_bo" if "waiting" in quote else "zoom_ann.transcript"
        assert run(capsys, "code", study, source, quote, "Pain point")[0] == 0
    return study, tmp_path


def test_clips_have_the_quotes_lengths(recorded, capsys):
    study, tmp_path = recorded
    out_dir = tmp_path / "reel"
    code, out, err = run(capsys, "clips", study, "--code", "Pain point", "-o", out_dir, "--join")
    assert code == 0, err
    assert "skipped notes_bo (S02): 1 quote not clipped: a plain-text transcript without timestamps" in err
    with (out_dir / "clips.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["quote"] for r in rows] == ["The booking line kept me on hold for ages.", "kept me on hold",
                                          *list(KNOWN)[1:]]
    for row in rows:
        clip = out_dir / row["file"]
        assert clip.suffix == ".m4a" and row["participant"] == "Ann Lee"
        if row["quote"] in KNOWN:
            assert abs(_duration(clip) - KNOWN[row["quote"]]) < 0.1, row
            assert abs(float(row["seconds"]) - KNOWN[row["quote"]]) < 0.01
        else:  # words inside a turn: their share of the turn's time, inside it
            assert 5.0 < float(row["start"]) < float(row["end"]) < 9.25
            assert abs(_duration(clip) - float(row["seconds"])) < 0.1
    total = sum(float(r["seconds"]) for r in rows)
    assert abs(_duration(out_dir / "highlight-reel.m4a") - total) < 0.3
    assert "wrote 3 clips" in out
    # run again: the earlier reel is replaced; a folder of other files is not written into
    assert run(capsys, "clips", study, "--code", "Pain point", "-o", out_dir)[0] == 0
    assert not (out_dir / "highlight-reel.m4a").exists() and len(list(out_dir.glob("*.m4a"))) == 3
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    code, _, err = run(capsys, "clips", study, "--code", "Pain point", "-o", other)
    assert code == 1 and "holds other files (keep.txt" in err and (other / "keep.txt").read_text() == "mine"
    # issue 16/19: the reel's folder is made, never a missing folder above it
    code, _, err = run(capsys, "clips", study, "--code", "Pain point", "-o", tmp_path / "no" / "such" / "reel")
    assert code == 1 and "the folder" in err and "does not exist; create it first" in err
    assert not (tmp_path / "no").exists()


def test_the_clips_list_is_formula_safe(recorded, capsys):
    study, tmp_path = recorded
    assert run(capsys, "codes", study, "rename", "Pain point", "=Pain point")[0] == 0
    assert run(capsys, "clips", study, "--code", "=Pain point", "-o", tmp_path / "reel")[0] == 0
    with (tmp_path / "reel" / "clips.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["code"] for r in rows} == {"'=Pain point"}
    assert all(not v.startswith(("=", "@")) for r in rows for v in r.values())


def test_a_quote_inside_a_long_turn_has_its_own_captions_times(recorded, capsys):
    """The turn "The radiographer … calm. She talked me through every sound." is two cues (12.5-15.0 and
    15.0-17.8): its second sentence is clipped at its cue's times, not at a share of the turn's."""
    study, tmp_path = recorded
    assert run(capsys, "code", study, "zoom_ann.transcript", "She talked me through every sound.", "Delighted")[0] == 0
    assert run(capsys, "clips", study, "--code", "Delighted", "-o", tmp_path / "d")[0] == 0
    with (tmp_path / "d" / "clips.csv").open(encoding="utf-8-sig") as fh:
        [row] = list(csv.DictReader(fh))
    assert (row["start"], row["end"]) == ("15.000", "17.800")
    assert abs(_duration(tmp_path / "d" / row["file"]) - 2.8) < 0.1


def test_a_replaced_file_brings_its_own_caption_times(recorded, capsys):
    """`sources replace` with a corrected caption file: its cues replace the old ones, and undo puts them back."""
    study, tmp_path = recorded
    fixed = tmp_path / "fixed.vtt"
    fixed.write_text(VTT.replace("00:00:12.500 --> 00:00:15.000", "00:00:13.000 --> 00:00:15.000"), encoding="utf-8")

    def cues():
        with Store.open(study) as s:
            return s.db.execute("SELECT start_ms, end_ms FROM cues ORDER BY start_ms").fetchall()

    before = cues()
    assert (12500, 15000) in before and len(before) == 5
    code, _, err = run(capsys, "sources", study, "replace", "zoom_ann.transcript", fixed)
    assert code == 0, err
    assert (13000, 15000) in cues() and (12500, 15000) not in cues() and len(cues()) == 5
    assert run(capsys, "undo", study)[0] == 0
    assert cues() == before


def test_anonymized_clips_have_pseudonymous_names(recorded, capsys):
    study, tmp_path = recorded
    assert run(capsys, "anonymize", study, "on")[0] == 0
    out_dir = tmp_path / "anon"
    code, _out, err = run(capsys, "clips", study, "--code", "Pain point", "-o", out_dir)
    assert code == 0, err
    names = sorted(p.name for p in out_dir.iterdir())
    assert names[0].startswith("01_P01_S01_00-00-05") and all("Ann" not in n and "zoom" not in n for n in names)
    listing = (out_dir / "clips.csv").read_text(encoding="utf-8-sig")
    assert "Ann" not in listing and "zoom_ann" not in listing and ",P01,S01," in listing
    assert "skipped S02: 1 quote not clipped" in err and "notes_bo" not in err


def test_video_recordings_give_video_clips(tmp_path, capsys):
    _need_ffmpeg()
    (tmp_path / "call.vtt").write_text(VTT, encoding="utf-8")
    _make_media(tmp_path, "call.mp4", video=True)
    study = tmp_path / "v.rtui"
    run(capsys, "new", study)
    assert run(capsys, "import", study, tmp_path / "call.vtt")[0] == 0
    code, out, _ = run(capsys, "sources", study, "media", "call", tmp_path / "call.mp4")
    assert code == 0 and out.strip().endswith("call.mp4")
    run(capsys, "code", study, "call", "The booking line kept me on hold for ages.", "Pain point")
    assert run(capsys, "clips", study, "--code", "Pain point", "-o", tmp_path / "clips", "--join")[0] == 0
    clip = next((tmp_path / "clips").glob("01_*.mp4"))
    assert abs(_duration(clip) - 4.25) < 0.1
    streams = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,width", "-of", "json",
                              str(clip)], capture_output=True, text=True, check=True).stdout
    assert {s["codec_type"] for s in json.loads(streams)["streams"]} == {"video", "audio"}
    assert (tmp_path / "clips" / "highlight-reel.mp4").is_file()


def test_sources_media_links_lists_and_unlinks(recorded, capsys):
    study, tmp_path = recorded
    code, out, _ = run(capsys, "sources", study, "media")
    assert code == 0 and "S01  zoom_ann.transcript: " in out and "zoom_ann.wav" in out and "S02  notes_bo: —" in out
    code, _, err = run(capsys, "sources", study, "media", "notes_bo", tmp_path / "recordings" / "unrelated_call.m4a")
    assert code == 0 and "notes_bo is a plain-text transcript without timestamps" in err
    code, _, err = run(capsys, "sources", study, "media", "S01", tmp_path / "nothing.mp3")
    assert code == 1 and "no such recording" in err
    code, _, err = run(capsys, "sources", study, "media", "S01", tmp_path / "transcripts" / "notes_bo.txt")
    assert code == 1 and "not an audio or video file" in err
    assert run(capsys, "sources", study, "media", "S01", "--remove")[0] == 0
    with Store.open(study) as s:
        assert media.recording(s, s.sources()[0].id) is None
        s.undo()  # unlinking is one undoable step
        assert media.recording(s, s.sources()[0].id).name == "zoom_ann.wav"
    code, _, err = run(capsys, "clips", study, "--code", "Pain point", "-o", tmp_path / "x")
    assert code == 0, err


def test_no_recording_says_why(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    (tmp_path / "a.vtt").write_text(VTT, encoding="utf-8")
    run(capsys, "new", study)
    run(capsys, "import", study, tmp_path / "a.vtt")
    run(capsys, "code", study, "a", "The booking line kept me on hold for ages.", "Pain point")
    code, _, err = run(capsys, "clips", study, "--code", "Pain point", "-o", tmp_path / "out")
    assert code == 1
    assert "no quote coded 'Pain point' can be clipped: a (S01): 1 quote not clipped: no recording linked" in err
    assert not (tmp_path / "out").exists()
