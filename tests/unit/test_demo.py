"""The bundled demo study builds from its files, with its own codebook and the worked codings."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

from coding.codebook import list_codes, list_stages
from coding.codings import code_counts, list_codings
from research_tui.demo import build_demo

PATIENT_STAGES = ["Symptoms and GP", "Referral", "Booking", "Preparing", "Scan day", "Waiting for results",
                  "Results and next steps"]


def test_demo_study_is_complete(tmp_path):
    store = build_demo(tmp_path / "demo.rtui")
    sources = store.sources()
    assert [s.format for s in sources] == ["text", "docx", "vtt", "srt", "text", "text", "docx", "text", "vtt",
                                           "text", "vtt"]
    assert sources[-1].title == "focus_group_01"
    roles = Counter(p.role for p in store.participants())
    assert roles == {"participant": 15, "interviewer": 1, "moderator": 1}
    assert {p.pseudonym for p in store.participants() if p.role != "participant"} == {"I01", "M01"}
    focus = store.speakers_of(sources[-1].id)
    assert len(focus) == 6  # moderator + five participants
    # every worked quote is patient speech, exact, and has exactly one stage
    stage_ids = {c.id for c in list_stages(store)}
    by_span = {}
    for c in list_codings(store):
        assert store.source(c.source_id).text[c.char_start:c.char_end] == c.text
        by_span.setdefault((c.source_id, c.char_start, c.char_end), set()).add(c.code_id)  # any coder
        people = [store.participant(p) for p in store.participants_of_span(c.source_id, c.char_start, c.char_end)]
        assert [p.role for p in people] == ["participant"]
    items = json.loads(resources.files("research_tui.demo").joinpath("codings.json").read_text("utf-8"))
    assert len(by_span) == len(items) >= 400
    assert all(sum(code in stage_ids for code in codes) == 1 for codes in by_span.values())
    # each quote carries one emotion at most (its valence is that emotion's, not an average of opposites)
    emotions = {c.id for c in list_codes(store, "emotion")}
    assert all(sum(code in emotions for code in codes) <= 1 for codes in by_span.values())
    participants = store.participants(role="participant")
    assert all(p.attributes.get("segment") in ("NHS", "Private") for p in participants)
    assert all(set(p.attributes) >= {"age_band", "first_scan", "region", "employment", "digital_confidence"}
               for p in participants)
    # the worked coding is one undoable command; then personas are drafted and named, five stages planned
    summaries = [a.summary for a in reversed(store.history(50))]
    worked = summaries.index(f"worked demo coding ({len(items)} quotes)")
    assert summaries[worked + 1] == "drafted 3 personas (k = 3)"
    # a colleague coded two interviews too: the same quotes, fewer codes (agreement has something to show)
    second = [c for c in list_codings(store) if c.coder == "demo-colleague"]
    assert {store.source(c.source_id).title for c in second} == {"interview_01_aisha", "interview_03_mei"}
    mine = {(c.source_id, c.char_start, c.char_end, c.code_id) for c in list_codings(store)
            if c.coder != "demo-colleague"}
    assert {(c.source_id, c.char_start, c.char_end, c.code_id) for c in second} < mine
    store.close()


def test_demo_personas_and_to_be_are_filled_in(tmp_path):
    from coding import personas, stageplans

    store = build_demo(tmp_path / "demo.rtui")
    found = personas.personas(store)
    assert [p.name for p in found] == ["Short on time", "Needs a person", "Frightened first-timer"]
    assert all(p.description and len(p.goals) == 3 and len(p.participant_ids) >= 4 for p in found)
    planned = [p for p in stageplans.stage_plans(store) if not p.empty]
    assert [p.stage.name for p in planned] == [s for s in PATIENT_STAGES if s not in ("Symptoms and GP", "Scan day")]
    assert all(p.to_be and p.as_is and p.kpis and p.opportunities for p in planned)
    assert all(k.current and k.target and k.measure for p in planned for k in p.kpis)
    store.close()


def test_demo_codebook_is_the_patient_journey(tmp_path):
    store = build_demo(tmp_path / "demo.rtui")
    assert [c.name for c in list_stages(store)] == PATIENT_STAGES
    pains = list_codes(store, "pain_point")
    assert len(pains) >= 12 and "Pain point" not in {c.name for c in pains}
    assert len(list_codes(store, "opportunity")) >= 8
    assert all(c.attributes.get("need_type") in ("functional", "emotional") for c in list_codes(store, "need"))
    # every code of the demo codebook is used, and every participant speaks about most of the journey
    counts = code_counts(store)
    assert [c.name for c in list_codes(store) if counts[c.id][0] == 0] == []
    stage_ids = {s.id for s in list_stages(store)}
    spoken: dict[int, set[int]] = {}
    for c in list_codings(store):
        if c.code_id in stage_ids:
            for pid in store.participants_of_span(c.source_id, c.char_start, c.char_end):
                spoken.setdefault(pid, set()).add(c.code_id)
    assert all(len(spoken[p.id]) >= 5 for p in store.participants(role="participant"))
    store.close()
