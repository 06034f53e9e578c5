"""The journey screen and the export dialog, driven with Pilot on the small known study."""

from __future__ import annotations

import asyncio

import docx
from textual.app import App
from textual.widgets import Checkbox, Input, OptionList, RadioButton, Select, Static

from coding.codings import list_codings
from coding.nlp.experience import valence_of
from coding.synthesis import compute_journey, saturation
from research_tui.screens.export import ExportDialog, default_path
from research_tui.screens.journey import JourneyScreen, moment_label
from tests.exports.journey_study import build_study


class Host(App):
    """A bare app that shows one screen and keeps worker errors (the studio notifies them)."""

    def __init__(self, make_screen) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.worker_errors: list[BaseException] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())

    def report_worker_error(self, worker) -> None:
        self.worker_errors.append(worker.error)


async def settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _text(widget: Static) -> str:
    return str(widget.render())


def test_journey_screen_shows_the_ranked_moments_and_their_quotes(tmp_path):
    store, _ids = build_study(tmp_path / "scan.rtui")
    expected = compute_journey(store, valence_of=valence_of)  # the screen uses the emotion model too

    async def body():
        app = Host(lambda: JourneyScreen(store))
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, JourneyScreen)
            moments = screen.query_one("#journey-moments", OptionList)
            shown = [str(moments.get_option_at_index(i).prompt) for i in range(moments.option_count)]
            assert shown == [moment_label(i, m) for i, m in enumerate(expected.moments, 1)]
            assert shown[0].startswith(" 1. Support")
            grid = _text(screen.query_one("#journey-map", Static))
            assert "Onboarding" in grid and "Pain points" in grid and " n=3" in grid
            points = saturation(store)
            assert [p.title for p in points] == ["Interview 1", "Interview 2", "Interview 3"]
            new = [len(p.new_code_ids) for p in points]
            assert new[0] > 0 and sum(new) == points[-1].cumulative == len({c.code_id for c in list_codings(store)})
            counts = " · ".join(map(str, new))
            line = f"Saturation    new codes per coded source, in import order: {counts} ({sum(new)} codes used)"
            assert line in grid

            at = [m.title for m in expected.moments].index("Support · Phone call")
            await pilot.press(*["down"] * at, "enter")   # the moment Support · Phone call
            await pilot.pause()
            detail = _text(screen.query_one("#moment-detail", Static))
            assert detail.startswith("Support · Phone call — mixed")
            assert "“The follow-up call never came and I had to chase it.”" in detail
            assert "Chloe Davies · Interview 3 · 00:01:20" in detail
            assert not app.worker_errors

            await pilot.press("s", *"NHS", "enter")       # narrow to a segment
            await settle(app, pilot)
            assert screen.journey.segment == ("segment", "NHS")
            nhs = compute_journey(store, segment=("segment", "NHS"), valence_of=valence_of)
            assert moments.option_count == len(nhs.moments)
            assert "2 participants" in _text(screen.query_one("#journey-head", Static))

    asyncio.run(body())
    store.close()


def test_journey_screen_uses_pseudonyms_when_the_study_is_anonymized(tmp_path):
    store, _ids = build_study(tmp_path / "scan.rtui")
    store.set_anonymize(True)

    async def body():
        app = Host(lambda: JourneyScreen(store))
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(app, pilot)
            await pilot.press("enter")
            await pilot.pause()
            detail = _text(app.screen.query_one("#moment-detail", Static))
            grid = _text(app.screen.query_one("#journey-map", Static))
            assert "P01 · S01" in detail                # sources by neutral id: titles can carry names
            assert "Aisha" not in detail + grid and "Interview 1" not in detail

    asyncio.run(body())
    store.close()


def test_export_dialog_writes_markdown_then_docx(tmp_path):
    store, _ids = build_study(tmp_path / "scan.rtui")

    async def body():
        app = Host(lambda: ExportDialog(store))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            dialog = app.screen
            path_input = dialog.query_one("#export-path", Input)
            assert path_input.value == str(tmp_path / "scan-journey.docx")
            dialog.query_one("#format-markdown", RadioButton).value = True
            await pilot.pause()
            assert path_input.value == str(default_path(store.path, "markdown"))
            dialog.query_one("#export-anonymize", Checkbox).value = True
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            written = tmp_path / "scan-journey.md"
            assert written.exists()
            text = written.read_text(encoding="utf-8")
            assert "| Onboarding | 4 | 3 |" in text and "P03" in text and "Chloe" not in text
            assert any(f"Wrote {written}" in n.message for n in app._notifications)
            assert not isinstance(app.screen, ExportDialog)  # closed after writing

            app.push_screen(ExportDialog(store))
            await pilot.pause()
            await pilot.press("ctrl+s")                      # docx with the defaults
            await settle(app, pilot)
            report = docx.Document(str(tmp_path / "scan-journey.docx"))
            assert report.paragraphs[0].text == "Scan journey"

            app.push_screen(ExportDialog(store))              # the map page, for one segment
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#format-html", RadioButton).value = True
            await pilot.pause()
            assert dialog.query_one("#export-path", Input).value == str(tmp_path / "scan-journey.html")
            dialog.query_one("#export-segment", Select).value = ("segment", "NHS")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            page = (tmp_path / "scan-journey.html").read_text(encoding="utf-8")
            assert "participants with segment = NHS" in page and "default-src 'none'" in page
            assert not app.worker_errors

    asyncio.run(body())
    store.close()


def test_export_dialog_reports_errors_and_stays_open(tmp_path):
    store, _ids = build_study(tmp_path / "scan.rtui")

    async def body():
        app = Host(lambda: ExportDialog(store))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#export-path", Input).value = str(tmp_path / "journey.pdf")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ExportDialog)
            assert "give the output a .docx name" in _text(dialog.query_one("#export-status", Static))
            assert any(n.severity == "error" for n in app._notifications)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ExportDialog)

    asyncio.run(body())
    store.close()


def test_export_dialog_writes_one_segment_as_csv_and_refuses_a_missing_folder(tmp_path):
    """Issue 19 item 5 (the segment reaches the CSV and the project too) and issue 16 item 5 (no folders made)."""
    import csv

    from textual.widgets import Select

    store, _ids = build_study(tmp_path / "scan.rtui")

    async def body():
        app = Host(lambda: ExportDialog(store))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            dialog = app.screen
            dialog.query_one("#format-csv", RadioButton).value = True
            await pilot.pause()
            segment = dialog.query_one("#export-segment", Select)
            assert not segment.disabled
            segment.value = ("segment", "Private")
            dialog.query_one("#export-path", Input).value = str(tmp_path / "no" / "such" / "private.csv")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ExportDialog) and not (tmp_path / "no").exists()
            assert "does not exist; create it first" in _text(dialog.query_one("#export-status", Static))
            dialog.query_one("#export-path", Input).value = str(tmp_path / "private.csv")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not isinstance(app.screen, ExportDialog)

    asyncio.run(body())
    with (tmp_path / "private.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["participant"] for r in rows} == {"Ben Carter"}
    assert {r["attr:segment"] for r in rows} == {"Private"}
    store.close()


def test_studio_keys_open_the_journey_and_the_export_dialog(tmp_path):
    from tests.tui.conftest import app_for

    store, _ids = build_study(tmp_path / "scan.rtui")

    async def body():
        app = app_for(store)
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            await pilot.press("J")
            await settle(app, pilot)
            assert isinstance(app.screen, JourneyScreen)
            assert app.screen.query_one("#journey-moments", OptionList).option_count == 9
            await pilot.press("E")
            await pilot.pause()
            assert isinstance(app.screen, ExportDialog)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, JourneyScreen)

    asyncio.run(body())
    store.close()


def test_map_scrolls_sideways_when_the_stages_do_not_fit(tmp_path):
    store, _ids = build_study(tmp_path / "scan.rtui")

    async def body():
        app = Host(lambda: JourneyScreen(store))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            scroll = app.screen.query_one("#journey-map-scroll")
            assert scroll.max_scroll_x > 0            # seven stages are wider than 80 columns
            assert "Renewal/Advocacy" in _text(app.screen.query_one("#journey-map", Static))
            await pilot.press("right")
            await pilot.pause()
            assert scroll.scroll_x > 0
            await pilot.press("left", "left")
            await pilot.pause()
            assert scroll.scroll_x == 0

    asyncio.run(body())
    store.close()


def test_the_journey_screen_says_when_no_stage_stands_out_in_feeling(tmp_path):
    from tests.unit.test_felt_moments import TYPICAL, calm_study

    store = calm_study(tmp_path / "calm.rtui")

    async def body():
        app = Host(lambda: JourneyScreen(store))
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(app, pilot)
            detail = _text(app.screen.query_one("#moment-detail", Static))
            assert "No stage stands out in feeling: people feel little either way everywhere (the most at " \
                   "Storage" in detail
            await pilot.press("enter")
            await pilot.pause()
            detail = _text(app.screen.query_one("#moment-detail", Static))
            assert detail.index(TYPICAL) < detail.index("wonderful")  # the typical words voice a calm moment

    asyncio.run(body())
    store.close()
