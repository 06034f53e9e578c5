"""The reader plays a source's recording from the current turn (a real ffplay, silent) and links one."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from coding import media
from coding.codebook import find_code
from coding.codings import add_coding
from research_tui.screens.reader import ReaderScreen
from tests.tui.conftest import app_for, notices, run, source_id


def test_play_from_the_turn_stop_and_say_why_not(study, tmp_path, monkeypatch):
    real_which = shutil.which
    if real_which("ffplay") is None or real_which("ffmpeg") is None:
        pytest.skip("ffmpeg (with ffplay) is not installed (`make test` installs the Debian package as root)")
    audio = tmp_path / "clinic.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=40", str(audio)],
                   check=True, timeout=60)
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")  # a machine without a sound card plays into nothing
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "mpv" else real_which(name))

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")                     # clinic_visit, the first source
            await pilot.pause()
            reader = app.screen
            assert isinstance(reader, ReaderScreen)
            await pilot.press("p")
            assert "No recording linked to this source" in notices(app)[-1]
            await pilot.press("L")
            await pilot.pause()
            await pilot.press(*str(audio), "enter")
            await pilot.pause()
            assert media.recording(study, source_id(study, "clinic_visit")) == audio
            await pilot.press("j")                         # Aisha's first sentence, at 00:00:04
            await pilot.press("p")
            await pilot.pause()
            player = reader.player
            assert player is not None and player.args[0].endswith("ffplay")
            assert player.args[player.args.index("-ss") + 1] == "4.000" and player.args[-1] == str(audio)
            time.sleep(0.5)
            assert player.poll() is None                   # playing
            await pilot.press("p")                         # the same turn again: stop
            await pilot.pause()
            assert player.poll() is not None and reader.player is None
            await pilot.press("j", "p")                    # her next sentence: from its share of the turn
            await pilot.pause()
            assert 4.0 < float(reader.player.args[reader.player.args.index("-ss") + 1]) < 7.0
            reader.stop_playing()
            await pilot.press("s")                         # a source without times says so
            await pilot.pause()
            await pilot.press(*"results", "enter")
            await pilot.pause()
            media.link_recording(study, source_id(study, "results"), audio)
            await pilot.press("p")
            assert "plain-text transcript without timestamps" in notices(app)[-1]
            ctrl_z = study.undo()
            assert ctrl_z and media.recording(study, source_id(study, "results")) is None

    run(body())


def test_the_codebook_cuts_a_highlight_reel(study, tmp_path):
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (`make test` installs the Debian package as root)")
    from research_tui.screens.codebook import CodebookScreen

    audio = tmp_path / "clinic.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=40", str(audio)],
                   check=True, timeout=60)
    clinic = source_id(study, "clinic_visit")
    media.link_recording(study, clinic, audio)
    text = study.source(clinic).text
    start = text.index("I waited three hours")
    code = find_code(study, "pain_point:Pain point")
    add_coding(study, clinic, start, start + len("I waited three hours in the waiting room."), code.id)
    folder = study.path.parent / f"{study.path.stem}-clips-pain-point"

    async def body():
        app = app_for(study)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("C")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CodebookScreen)
            node = next(n for n in _nodes(screen.tree.root) if n.data == code.id)
            screen.tree.move_cursor(node)
            await pilot.press("h")
            await pilot.pause()
            await pilot.press("enter")                     # the folder it proposes
            await pilot.pause()
            await app.workers.wait_for_complete([w for w in app.workers if w.group == "clips"])
            await pilot.pause()
            assert any("1 clips, clips.csv and a highlight reel" in n for n in notices(app)), notices(app)

    run(body())
    assert (folder / "clips.csv").is_file() and (folder / "highlight-reel.m4a").is_file()
    [clip] = folder.glob("01_*.m4a")
    assert clip.name.startswith("01_Aisha-Khan_clinic_visit_00-00-19")


def _nodes(node):
    for child in node.children:
        yield child
        yield from _nodes(child)
