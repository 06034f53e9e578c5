"""Searching all text (coded or not) and finding words in one transcript: exact offsets, any case,
stemmed study-wide search, reading order, labels that honour anonymity."""

from __future__ import annotations

import pytest

from coding import turns
from coding.people import delete_participant
from coding.queries import filter_quotes
from coding.search import Found, search_text, snippet, word_pattern
from research_tui.widgets.transcript_layout import TranscriptDoc, Turn, find_spans
from tests.tui.conftest import code_quotes, make_study, source_id


@pytest.fixture
def study(tmp_path):
    store = make_study(tmp_path / "s.rtui")
    yield store
    store.close()


def test_uncoded_words_are_found_where_the_quotes_search_finds_nothing(study):
    code_quotes(study)
    assert filter_quotes(study, text="helpline") == []            # not inside a coded quote
    found = search_text(study, "helpline")
    hits, total = found.hits, found.turns
    assert total == 1 and found.sources == 1 and [h.source_title for h in hits] == ["results"]
    [hit] = hits
    text = study.source_text(hit.source_id)
    assert text[hit.match_start:hit.match_end] == "helpline"
    assert text[hit.char_start:hit.char_end] == hit.text and hit.speaker == "George Wilson"
    assert not hit.coded


def test_stems_find_other_forms_in_reading_order_and_say_what_is_coded(study):
    code_quotes(study)
    found = search_text(study, "waiting")
    hits, total = found.hits, found.turns
    assert total == 2
    found = [study.source_text(h.source_id)[h.match_start:h.match_end] for h in hits]
    assert found == ["waiting", "waited"]                          # question first, then the answer
    assert [h.coded for h in hits] == [False, True]
    assert [h.speaker for h in hits] == ["Interviewer", "Aisha Khan"]


def test_labels_honour_anonymity_unattributed_turns_and_not_speech(study):
    study.set_anonymize(True)
    delete_participant(study, "George Wilson")
    first = turns.turns_of(study, source_id(study, "results"))[0]
    turns.set_not_speech(study, [first.id])
    hits = search_text(study, "results").hits
    assert [(h.speaker, h.not_speech) for h in hits] == [("I01", True), ("(unattributed)", False)]
    assert {h.source_title for h in hits} == {"S02"}                # titles are often names: a neutral id
    assert all("George" not in h.speaker and "Interviewer" not in h.speaker for h in hits)


def test_limit_total_and_empty_queries(study):
    found = search_text(study, "the", limit=2)
    assert len(found.hits) == 2 and found.turns == 6 and found.sources == 3   # counted over every turn
    assert {h.source_title for h in found.hits} == {"clinic_visit"}
    assert search_text(study, "   ") == Found()
    assert search_text(study, 'OR "') == Found()
    assert word_pattern("OR") is None


def test_snippet_shows_the_words_found_even_far_into_a_long_turn(study):
    [hit] = search_text(study, "helpline").hits
    assert "helpline" in snippet(hit, 40) and len(snippet(hit, 40)) <= 40
    assert snippet(hit, 200).endswith("twice.")


def doc_of(text: str, spans: list[tuple[int, int]]) -> TranscriptDoc:
    turns_ = [Turn(i, 1, "A", "participant", "", a, b) for i, (a, b) in enumerate(spans)]
    return TranscriptDoc(1, "t", text, turns_, [])


def test_find_spans_any_case_across_line_breaks_only_in_shown_turns():
    text = "Title: Consent form\nA: I signed the consent\nform. CONSENT matters.\nB: consent"
    a1 = text.index("I signed")
    b1 = text.index("matters.") + len("matters.")
    a2 = text.index("consent", b1)
    doc = doc_of(text, [(a1, b1), (a2, len(text))])
    spans = find_spans(doc, "consent  FORM")
    assert [text[a:b] for a, b in spans] == ["consent\nform"]           # not the title: outside every turn
    assert [text[a:b] for a, b in find_spans(doc, "consent")] == ["consent", "CONSENT", "consent"]
    inside = text.index("consent", a1)
    assert find_spans(doc_of(text, [(a1, b1)]), "consent") == [(inside, inside + 7),
                                                               (text.index("CONSENT"), text.index("CONSENT") + 7)]
    assert find_spans(doc, "  ") == [] and find_spans(doc, "a.b") == []


def test_locate_takes_any_dash_for_any_dash():
    """Issue 16 item 5: `code … "complex--these"` missed the source's "complex—these"."""
    from coding.search import locate

    text = "It was complex—these forms, a well–known mess -- and a co-payment – again."
    for typed, expected in [
        ("complex--these", "complex—these"), ("complex - these", "complex—these"), ("complex – these", "complex—these"),
        ("well-known", "well–known"), ("well---known", "well–known"),
        ("mess — and", "mess -- and"), ("mess—and", "mess -- and"),
        ("co—payment", "co-payment"), ("payment - again", "payment – again"),
    ]:
        spans = locate(text, typed)
        assert [text[a:b] for a, b in spans] == [expected], typed
    assert locate(text, "complex these") == []        # a dash is still needed
    assert [text[a:b] for a, b in locate(text, "— again")] == ["– again"]  # no space taken in at the edge
