"""A survey study's report: attributes under short keys (q10) come with the full question."""

from __future__ import annotations

from pathlib import Path

import docx

from coding.codebook import list_stages, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from exports.docx_report import write_report
from importers import load

SURVEY = Path(__file__).resolve().parents[1] / "data" / "importers" / "surveys" / "surveymonkey_booking_app.csv"


def test_the_method_section_says_which_question_each_key_stands_for(tmp_path):
    store = new_study(tmp_path / "s.rtui", template="journey")
    import_transcripts(store, load(SURVEY))
    stage = list_stages(store)[0]
    for u in store.utterances():
        if u.question_id and not u.empty_answer:
            add_coding(store, u.source_id, u.char_start, u.char_end, stage.id)
    out = tmp_path / "report.docx"
    write_report(store, out)
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "q10: How often do you use the booking app?" in text
    assert "q16: How likely are you to recommend the app to a friend?" in text
    store.close()
