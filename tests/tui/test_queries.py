"""coding.queries: the read-only questions behind the quotes view and the study home (no UI)."""

from __future__ import annotations

import pytest

from coding.codebook import find_code, get_code
from coding.codings import add_coding
from coding.models import StudyError
from coding.queries import (
    attribute_pairs,
    cooccurrence,
    filter_quotes,
    one_per_span,
    recent_code_ids,
    source_table,
    study_version,
    text_matches,
)
from coding.sources import source_summaries
from tests.tui.conftest import code_quotes, source_id, span


@pytest.fixture
def coded(study):
    return code_quotes(study, [("follow_up", "I felt in control.", "Feeling in control")])


def texts(quotes):
    return [q.text for q in quotes]


def test_every_quote_in_reading_order_with_speakers(coded):
    quotes = filter_quotes(coded)
    assert len(quotes) == 6
    assert quotes[0].text == "I was nervous about it." and quotes[0].speakers == ("Aisha Khan",)
    assert quotes[0].source_title == "clinic_visit" and quotes[0].code_kind == "emotion"
    coded.set_anonymize(True)
    assert filter_quotes(coded)[0].speakers == ("P01",)


def test_codes_any_or_all(coded):
    assert len(filter_quotes(coded, codes=["Frustrated", "Pain point"])) == 3
    both = filter_quotes(coded, codes=["Frustrated", "Pain point"], mode="and")
    assert texts(both) == ["It was awful."] and both[0].with_codes == ("Pain point",)
    assert texts(filter_quotes(coded, codes=["Anxious", "Pain point"], mode="and")) == []
    with pytest.raises(StudyError, match="unknown filter mode"):
        filter_quotes(coded, mode="xor")
    with pytest.raises(StudyError, match="no code named"):
        filter_quotes(coded, codes=["Nope"])


def test_cooccurrence_of_two_codes(coded):
    assert texts(cooccurrence(coded, "Pain point", "Frustrated")) == [
        "I waited three hours in the waiting room. It was awful."]
    assert texts(cooccurrence(coded, "Frustrated", "Pain point")) == ["It was awful."]
    assert cooccurrence(coded, "Anxious", "Confused") == []


def test_kind_participant_attribute_and_source(coded):
    assert texts(filter_quotes(coded, kind="pain_point")) == [
        "I waited three hours in the waiting room. It was awful.", "The results letter was full of jargon."]
    george = next(p.id for p in coded.participants() if p.name == "George Wilson")
    assert texts(filter_quotes(coded, participant_id=george)) == [
        "The results letter was full of jargon.", "I was confused."]
    assert len(filter_quotes(coded, attribute=("segment", "NHS"))) == 4
    assert texts(filter_quotes(coded, attribute=("age_band", "18-34"))) == ["I felt in control."]
    assert len(filter_quotes(coded, source_id=source_id(coded, "results"))) == 2
    assert filter_quotes(coded, kind="pain_point", attribute=("segment", "Private"))[0].text.startswith("The results")
    with pytest.raises(StudyError, match="unknown code kind"):
        filter_quotes(coded, kind="feeling")


def test_full_text_search_narrows_to_quotes_with_the_words(coded):
    assert texts(filter_quotes(coded, text="jargon")) == ["The results letter was full of jargon."]
    assert texts(filter_quotes(coded, text="waiting")) == ["I waited three hours in the waiting room. It was awful."]
    assert len(filter_quotes(coded, text="awful")) == 2
    assert len(filter_quotes(coded, text="jargon OR nervous")) == 2
    assert filter_quotes(coded, text="helicopter") == []
    assert len(filter_quotes(coded, text="   ")) == 6


def test_text_matches():
    assert text_matches("I waited three hours", "waiting")
    assert not text_matches("I waited three hours", "waiting nurse")
    assert text_matches("I waited three hours", "nurse OR waiting")
    assert text_matches("anything", "OR")


def test_recent_codes_attribute_pairs_and_version(coded):
    names = [get_code(coded, c).name for c in recent_code_ids(coded, limit=3)]
    assert names == ["Feeling in control", "Confused", "Pain point"]
    assert ("segment", "NHS") in attribute_pairs(coded) and ("age_band", "75+") in attribute_pairs(coded)
    before = study_version(coded)
    coded.undo()
    assert study_version(coded) != before
    coded.redo()
    assert study_version(coded) == before
    coded.set_anonymize(True)
    assert study_version(coded) != before


def test_source_table_agrees_with_the_store(coded):
    fast = source_table(coded)
    slow = source_summaries(coded)
    for f, s in zip(fast, slow):
        assert (f["id"], f["title"], f["utterances"], f["words"], f["participants"]) == (
            s["id"], s["title"], s["utterances"], s["words"], s["participants"])
        assert f["coded_share"] == pytest.approx(s["coded_share"])
    assert fast[0]["speakers"] == ["Aisha Khan"]            # the interviewer is not listed


def test_one_entry_per_coded_span(coded):
    sid, a, b = span(coded, "results", "The results letter was full of jargon.")
    add_coding(coded, sid, a, b, find_code(coded, "Frustrated").id)
    add_coding(coded, sid, a, b, find_code(coded, "Frustrated").id, coder="someone else")  # same code twice
    quotes = filter_quotes(coded)
    grouped = one_per_span(quotes)
    assert len(quotes) == 8 and len(grouped) == 6
    jargon = next(q for q in grouped if q.text == "The results letter was full of jargon.")
    assert (jargon.code_name, jargon.also) == ("Pain point", ("Frustrated",))
    assert sorted(jargon.coding_ids) == sorted(q.coding_id for q in quotes if q.text == jargon.text)
    assert [q.text for q in grouped] == list(dict.fromkeys(q.text for q in quotes))  # reading order kept
    assert one_per_span([]) == []
