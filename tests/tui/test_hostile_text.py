"""The studio draws study text, never obeys it: escape sequences in names and titles reach no terminal."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from coding.codebook import new_study
from coding.importing import import_transcripts
from research_tui.terminal import disarm_textual
from tests.tui.conftest import app_for, run, transcript

RETITLE, CLEAR, CSI8 = "\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m"


def test_a_drawn_line_keeps_its_styles_but_no_control_character_of_its_text():
    disarm_textual()
    console = Console(color_system="truecolor")
    strip = Strip([Segment(f"{RETITLE}title", None), Segment(f"{CLEAR}name{CSI8}", Style(bold=True))])
    out = strip.render(console)
    assert out == "]0;pwnedtitle\x1b[1m[2Jname31m\x1b[0m"
    assert strip.cell_length == len("]0;pwnedtitle[2Jname31m")
    plain = Strip([Segment("plain", Style(italic=True))])
    assert plain.render(console) == "\x1b[3mplain\x1b[0m"
    bidi = Strip([Segment("Invoice\u202etxt.exe \u2067x\u2069 \u200fmark", None)])  # issue 19: overrides go
    assert bidi.render(console) == "Invoicetxt.exe x \u200fmark"


def test_the_home_screen_of_a_hostile_study_draws_nothing_the_terminal_would_obey(tmp_path):
    """Before: a file named ESC]0;pwned BEL ESC[2J... retitled the terminal and cleared the screen."""
    store = new_study(tmp_path / "s.rtui", coder="tester", name=f"{RETITLE}Study")
    t = transcript(f"{RETITLE}{CLEAR}interview", [("Interviewer", 0, "How was it?"), (f"Eve{CSI8}", 1000, "Fine.")])
    import_transcripts(store, [t])

    async def body():
        app = app_for(store)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            frame = app.screen._compositor.render_full_update().render_segments(Console(color_system="truecolor"))
            assert "interview" in frame and "pwned" in frame and "Eve" in frame
            for raw in (RETITLE, "\x1b]", CLEAR, "\x07", "\x9b"):
                assert raw not in frame, raw

    run(body())
    store.close()
