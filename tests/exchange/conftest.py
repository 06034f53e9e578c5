"""A small study that exercises everything a REFI-QDA file must carry."""

from __future__ import annotations

import json

import pytest

from coding.codebook import add_code, find_code, list_codes, new_study
from coding.codings import add_coding, list_codings
from coding.importing import import_transcripts
from coding.sources import set_source_memo
from coding.study import Store
from tests.conftest import INTERVIEW_A, INTERVIEW_B, transcript_from_lines

EMOJI = [
    "Interviewer: How was the booking? 🙂",
    "Aisha Khan: Awful 😤 at first. Then the nurse called and I felt safe.",
]


@pytest.fixture
def rich_study(tmp_path) -> Store:
    """Two interviews, one with emoji (beyond U+FFFF), attributes, two coders, memos, an accepted suggestion."""
    store = new_study(tmp_path / "rich.rtui", coder="sam")
    import_transcripts(store, [transcript_from_lines("interview_a", INTERVIEW_A, roles={"Interviewer": "interviewer"}),
         transcript_from_lines("interview_b", INTERVIEW_B, roles={"Interviewer": "interviewer"}),
         transcript_from_lines("booking_call", EMOJI, roles={"Interviewer": "interviewer"})],
        participant_rows=[{"name": "Aisha Khan", "segment": "NHS", "age_band": "35-54"},
                          {"name": "George Wilson", "segment": "Private", "age_band": "75+"}])
    anxious = find_code(store, "Anxious")
    theme = add_code(store, "Waiting", "theme", description="Time spent waiting", attributes={"owned": "no"})
    add_code(store, "Waiting for results", "theme", parent_id=theme.id)
    for title, words, codes in (("interview_a", "I waited three weeks for the results.", ["Waiting", "Anxious"]),
                                ("interview_b", "The results letter was full of jargon.", ["Confused"]),
                                ("booking_call", "Awful 😤 at first.", ["Frustrated"]),
                                ("booking_call", "I felt safe.", ["Reassured"])):
        source = next(s for s in store.sources() if s.title == title)
        start = source.text.index(words)
        for name in codes:
            add_coding(store, source.id, start, start + len(words), find_code(store, name).id)
    a = next(s for s in store.sources() if s.title == "interview_a")
    start = a.text.index("I was nervous.")
    add_coding(store, a.id, start, start + len("I was nervous."), anxious.id, coder="priya", origin="suggestion",
                     memo="second coder, from a suggestion")
    set_source_memo(store, a.id, "Aisha Khan was late to the call.")
    store.db.execute("INSERT INTO memos (source_id, title, text, author, created_at, modified_at) "
                     "VALUES (NULL, 'Plan', 'Study plan memo', 'sam', '2026-01-01', '2026-01-01')")
    yield store
    store.close()


def signature(store: Store) -> dict:
    """Everything a round trip must keep, by value (ids differ between studies)."""
    titles = {s.id: s.title for s in store.sources()}
    codes = {c.id: c for c in list_codes(store)}
    names = {p.id: p.name for p in store.participants()}
    return {
        "sources": [(s.title, s.format, s.filename, s.text, store.source_memo(s.id)) for s in store.sources()],
        "people": sorted((p.name, p.pseudonym, p.role, json.dumps(p.attributes, sort_keys=True))
                         for p in store.participants()),
        "codes": sorted((c.kind, c.name, c.valence, c.position, c.colour, c.description,
                         codes[c.parent_id].name if c.parent_id else None, json.dumps(c.attributes, sort_keys=True))
                        for c in codes.values()),
        "codings": sorted((titles[c.source_id], c.char_start, c.char_end, codes[c.code_id].kind,
                           codes[c.code_id].name, c.coder, c.origin, c.memo) for c in list_codings(store)),
        "turns": sorted((titles[u.source_id], names[u.participant_id], u.char_start, u.char_end, u.start_ms, u.end_ms)
                        for u in store.utterances()),
        "memos": sorted(tuple(r) for r in store.db.execute("SELECT source_id, title, text FROM memos")),
    }
