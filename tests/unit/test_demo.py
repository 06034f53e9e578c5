"""The bundled demo study builds from its files and carries the worked codings."""

from __future__ import annotations

from collections import Counter

from research_tui.demo import build_demo


def test_demo_study_is_complete(tmp_path):
    store = build_demo(tmp_path / "demo.rtui")
    sources = store.sources()
    assert [s.format for s in sources] == ["text", "docx", "vtt", "srt", "text", "text", "vtt"]
    assert sources[-1].title == "focus_group_01"
    roles = Counter(p.role for p in store.participants())
    assert roles == {"participant": 11, "interviewer": 1, "moderator": 1}
    assert {p.pseudonym for p in store.participants() if p.role != "participant"} == {"I01", "M01"}
    focus = store.speakers_of(sources[-1].id)
    assert len(focus) == 6  # moderator + five participants
    # every worked quote is patient speech, exact, and has exactly one stage
    stage_ids = {c.id for c in store.stages()}
    by_span = {}
    for c in store.codings():
        assert store.source(c.source_id).text[c.char_start:c.char_end] == c.text
        by_span.setdefault((c.source_id, c.char_start, c.char_end), []).append(c.code_id)
        people = [store.participant(p) for p in store.participants_of_span(c.source_id, c.char_start, c.char_end)]
        assert [p.role for p in people] == ["participant"]
    assert len(by_span) >= 200
    assert all(sum(code in stage_ids for code in codes) == 1 for codes in by_span.values())
    assert all(p.attributes.get("segment") in ("NHS", "Private")
               for p in store.participants() if p.role == "participant")
    # the worked coding is one undoable command
    assert store.history(1)[0].summary.startswith("worked demo coding")
    store.close()
