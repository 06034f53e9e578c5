"""The persona-workshop kit from the studio's export dialog: the same kit as `research-tui workshop`, with its
number of cards (48 by default), a stage and a code."""

from __future__ import annotations

import asyncio

import docx
from textual.widgets import Checkbox, Input, RadioButton, Select, Static

from exports.workshop_cards import DEFAULT_LIMIT
from research_tui.screens.export import CARDS, ExportDialog
from tests.exports.test_workshop import cards_of
from tests.tui.test_journey import Host, _text, settle


async def workshop_dialog(app, pilot, demo, path: str) -> ExportDialog:
    """The export dialog opened again, the workshop kit chosen, written to `path`."""
    app.push_screen(ExportDialog(demo))
    await pilot.pause()
    dialog = app.screen
    dialog.query_one("#format-workshop", RadioButton).value = True
    await pilot.pause()
    dialog.query_one("#export-path", Input).value = path
    return dialog


def test_export_dialog_writes_the_workshop_kit(demo, tmp_path):
    assert CARDS == DEFAULT_LIMIT == 48

    async def body():
        app = Host(lambda: ExportDialog(demo))
        async with app.run_test(size=(120, 45)) as pilot:
            await pilot.pause()
            dialog = app.screen
            options = dialog.query_one("#export-workshop")
            assert not options.display                              # only for the kit
            dialog.query_one("#format-workshop", RadioButton).value = True
            await pilot.pause()
            assert options.display
            assert dialog.query_one("#export-path", Input).value == str(tmp_path / "demo-workshop.docx")
            assert dialog.query_one("#export-limit", Input).value == "48"
            assert dialog.query_one("#export-anonymize", Checkbox).value  # pseudonyms on cards, as the CLI
            await pilot.press("ctrl+s")                               # the defaults: the 48 strongest
            await settle(app, pilot)
            kit = tmp_path / "demo-workshop.docx"
            assert len(cards_of(docx.Document(str(kit)))) == 48
            assert any(f"Wrote {kit}: 48 quote cards (the strongest of 403)" in n.message for n in app._notifications)
            assert not isinstance(app.screen, ExportDialog) and not app.worker_errors

            dialog = await workshop_dialog(app, pilot, demo, "booking.docx")  # a subset: one stage, one code, 8 cards
            dialog.query_one("#export-limit", Input).value = "8"
            dialog.query_one("#export-stage", Select).value = "Booking"
            dialog.query_one("#export-code", Input).value = "Frustrated"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            document = docx.Document(str(tmp_path / "booking.docx"))
            cards = cards_of(document)
            assert len(cards) == 8 and all("Booking" in c.text and "Frustrated" in c.text for c in cards)
            cover = "\n".join(p.text for p in document.paragraphs)
            assert "8 quote cards: the strongest of 17 coded quotes of stage Booking with code Frustrated" in cover

            dialog = await workshop_dialog(app, pilot, demo, "none.docx")  # bad choices: said, nothing written
            dialog.query_one("#export-code", Input).value = "No such code"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ExportDialog) and not (tmp_path / "none.docx").exists()
            assert "No such code" in _text(dialog.query_one("#export-status", Static))
            dialog.query_one("#export-limit", Input).value = "-"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "whole number" in _text(dialog.query_one("#export-status", Static))

    asyncio.run(body())
