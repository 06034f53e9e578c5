"""Candidate quotes: turns cut into sentences with exact offsets, stored, and kept in step with the study."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

import importers
from coding.codebook import new_study
from coding.importing import import_transcripts
from coding.nlp.segments import Candidate, candidates, segment_study, split_turn, stale_turns, status
from coding.people import merge_participants, set_participant_role
from coding.study import Store
from coding.study.schema import migrations
from tests.conftest import INTERVIEW_A, transcript_from_lines

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
WORD = re.compile(r"\w")


def texts(text: str) -> list[str]:
    return [text[a:b] for a, b in split_turn(text)]


# -- one turn ------------------------------------------------------------------------------------
def test_sentences_and_short_ones_merged_with_a_neighbour():
    assert texts("I was nervous. Nobody told me how long it would take.") == [
        "I was nervous.", "Nobody told me how long it would take."]
    # "Yeah." joins the next sentence; a short last one joins the previous
    assert texts("Yeah. The waiting room was freezing. Exactly.") == ["Yeah. The waiting room was freezing. Exactly."]
    assert texts("It was slow. Really. Then the nurse came in and apologised.") == [
        "It was slow.", "Really. Then the nurse came in and apologised."]
    assert texts("Yeah.") == ["Yeah."]  # a turn that is only a short answer stays one candidate
    assert texts("...") == [] and texts("   ") == []


def test_abbreviations_numbers_and_unpunctuated_speech():
    assert texts("Dr. Patel said 3.5 weeks, maybe four. I believed her.") == [
        "Dr. Patel said 3.5 weeks, maybe four.", "I believed her."]
    assert texts("so I just kept ringing and ringing and nobody picked up") == [
        "so I just kept ringing and ringing and nobody picked up"]


def test_line_breaks_end_sentences_unless_the_line_is_wrapped():
    text = "We went to the\nclinic on Monday and waited.\n\nThe second visit was better\nThe nurse knew my name"
    assert texts(text) == ["We went to the\nclinic on Monday and waited.", "The second visit was better",
                           "The nurse knew my name"]


def test_long_unpunctuated_speech_is_cut_at_clause_boundaries():
    words = ("so I rang the surgery on the Monday and they said the letter had gone out but nothing came "
             "and then I rang again on the Wednesday because I was worried, the receptionist was lovely but "
             "she could not see anything on the system which was strange so she told me to wait another week "
             "and I waited and still nothing arrived")
    parts = texts(words)
    assert len(parts) >= 2 and all(len(p.split()) <= 60 for p in parts)
    assert " ".join(parts) == words  # nothing lost: the pieces are the words, cut only at spaces
    no_breaks = " ".join(f"w{i}" for i in range(130))
    assert [len(p.split()) for p in texts(no_breaks)] == [32, 33, 32, 33]
    glued = "-".join(f"w{i}" for i in range(100))
    assert texts(glued) == [glued]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Yeah.", "the scan was late", "Dr.", "3.5", "!", "?", " ", "\n", "\n\n",
                                 "It hurt.", "  ", "okay", "…", "\"Fine,\" she said.", "e.g.", "No"]),
                max_size=25))
def test_any_turn_cuts_into_ordered_stripped_spans_covering_every_word(parts):
    text = " ".join(parts)
    spans = split_turn(text)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip() and WORD.search(text[a:b])
        last = b
    covered = {i for a, b in spans for i in range(a, b)}
    assert all(i in covered for i, ch in enumerate(text) if WORD.match(ch))
    assert split_turn(text) == spans  # deterministic


# -- the study -----------------------------------------------------------------------------------
def assert_exact(store: Store, found: list[Candidate]) -> None:
    """Every candidate is its source's text at its offsets, inside one turn, and no word is lost."""
    turns = {}
    for u in store.utterances():
        turns.setdefault(u.source_id, []).append(u)
    for c in found:
        assert store.source_text(c.source_id)[c.start:c.end] == c.text
        assert c.text == c.text.strip() and c.text
        inside = [u for u in turns[c.source_id] if u.char_start <= c.start and c.end <= u.char_end]
        assert len(inside) == 1 and inside[0].participant_id == c.participant_id
    spans = {(c.source_id, i) for c in found for i in range(c.start, c.end)}
    for u in store.utterances():
        text = store.source_text(u.source_id)
        assert all((u.source_id, i) in spans for i in range(u.char_start, u.char_end) if WORD.match(text[i])), u


def test_candidates_leave_out_interviewers_and_are_stored(study):
    found = candidates(study)
    assert [c.text for c in found[:3]] == ["My GP, Dr Patel, referred me.", "I was nervous.",
                                           "Nobody told me how long it would take."]
    people = {p.id: p for p in study.participants()}
    assert {people[c.participant_id].role for c in found} == {"participant"}
    everyone = candidates(study, include_interviewers=True)
    assert everyone[0].text == "How did you first hear about the scan?"
    assert_exact(study, everyone)
    rows = study.db.execute("SELECT count(*) FROM candidates").fetchone()[0]
    assert rows == len(everyone) and stale_turns(study) == 0
    assert candidates(study) == found  # read back, not cut again: same ids
    only_b = candidates(study, source_id=found[-1].source_id)
    assert only_b and all(c.source_id == found[-1].source_id for c in only_b)


def test_roles_merges_and_undo_need_no_recutting(study):
    before = {c.id for c in candidates(study, include_interviewers=True)}
    set_participant_role(study, "Aisha Khan", "interviewer")
    assert all(study.participant(c.participant_id).name != "Aisha Khan" for c in candidates(study))
    study.undo()
    assert any(study.participant(c.participant_id).name == "Aisha Khan" for c in candidates(study))
    merge_participants(study, "George Wilson", "Aisha Khan")
    assert {study.participant(c.participant_id).name for c in candidates(study)} == {"Aisha Khan"}
    study.undo()
    assert {c.id for c in candidates(study, include_interviewers=True)} == before


def test_changed_turns_are_cut_again_and_deleted_ones_leave(study):
    first = candidates(study)
    sid = first[0].source_id
    turn = next(u for u in study.utterances(sid) if u.text.startswith("My GP"))
    cut = turn.char_start + turn.text.index(" I was")  # split the turn after its first sentence
    with study.command("split", "split a turn") as rec:
        rec.update("utterances", turn.id, {"char_end": cut, "text": study.source_text(sid)[turn.char_start:cut]})
        rec.insert("utterances", {"source_id": sid, "participant_id": turn.participant_id, "position": turn.position,
                                  "char_start": cut + 1, "char_end": turn.char_end,
                                  "text": study.source_text(sid)[cut + 1:turn.char_end]})
    assert stale_turns(study) == 2
    after = candidates(study)
    assert [c.text for c in after] == [c.text for c in first]  # the same sentences, now from two turns
    assert_exact(study, candidates(study, include_interviewers=True))
    study.undo()
    assert [c.text for c in candidates(study)] == [c.text for c in first]
    study.db.execute("DELETE FROM sources WHERE id = ?", [sid])
    assert all(c.source_id != sid for c in candidates(study))
    assert not study.db.execute("SELECT count(*) FROM candidates WHERE source_id = ?", [sid]).fetchone()[0]


def test_flagged_turns_are_skipped_when_the_study_has_the_flag(study):
    # the studio's flag (schema 12, `coding/turns.py`): every study has the column now
    n = len(candidates(study))
    study.db.execute("UPDATE utterances SET not_speech = 1 WHERE text LIKE 'My GP%'")
    assert len(candidates(study)) == n - 3


def test_progress_and_cancel(tmp_path):
    store = new_study(tmp_path / "s.rtui")
    lines = [f"P{i % 3}: Sentence number {i} is here. And another one follows it." for i in range(50)]
    import_transcripts(store, [transcript_from_lines("t", lines)])
    seen = []
    assert segment_study(store, progress=lambda d, t: seen.append((d, t)), cancelled=lambda: True) == 0
    assert stale_turns(store) == 50
    assert segment_study(store, progress=lambda d, t: seen.append((d, t))) == 50
    assert seen == [(50, 50)] and len(candidates(store)) == 100


def test_an_older_study_gets_candidates_on_first_use(tmp_path):
    path = tmp_path / "old.rtui"
    store = new_study(path)
    import_transcripts(store, [transcript_from_lines("a", INTERVIEW_A, roles={"Interviewer": "interviewer"})])
    store.close()
    db = Database(path)  # make it a study written before candidates existed
    db.execute("DROP TABLE candidates")
    db.execute("DROP TABLE segmented")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_candidates'")
    db.close()
    store = Store.open(path)
    assert "m005_candidates" in [m.name for m in migrations.applied(store.db)]
    assert status(store)["turns_to_cut"] == 4
    assert [c.text for c in candidates(store)][-1] == "It was awful."


# -- every importer's output ---------------------------------------------------------------------
IMPORTED = sorted(p for p in (DATA / "importers").iterdir() if p.suffix in importers.SUPPORTED_SUFFIXES
                  and not p.name.startswith("participants"))
PUBLIC = sorted(p for p in (DATA / "public" / "transcripts").rglob("*") if p.suffix in importers.SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("path", IMPORTED + PUBLIC, ids=lambda p: p.name)
def test_offsets_exact_on_every_importers_output(tmp_path, path):
    store = new_study(tmp_path / "s.rtui")
    import_transcripts(store, importers.load_with_report(path).transcripts)
    found = candidates(store, include_interviewers=True)
    assert found
    assert_exact(store, found)
    assert {c.participant_id for c in candidates(store)} <= {p.id for p in store.participants(role="participant")}


def test_docx_output_too(tmp_path):
    from tests.importers.importer_testkit import make_docx

    path = tmp_path / "w.docx"
    path.write_bytes(make_docx("Interviewer: How was it?", "Ann: Slow. Really slow. The letter never came!",
                               [("Speaker", "Text"), ("Ann", "Yeah. I rang twice, e.g. on Monday.")]))
    store = new_study(tmp_path / "s.rtui")
    import_transcripts(store, importers.load_with_report(path).transcripts)
    found = candidates(store, include_interviewers=True)
    assert_exact(store, found)
    assert "The letter never came!" in " ".join(c.text for c in found)


# -- wiring ----------------------------------------------------------------------------------------
def test_importing_the_module_loads_no_spacy():
    code = "import coding.nlp.segments, coding.nlp.pipeline, coding.nlp, sys; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_import_cuts_quotes_and_info_says_how(tmp_path):
    from research_tui.cli import main

    study = tmp_path / "s.rtui"
    assert main(["new", str(study)]) == 0
    assert main(["import", str(study), str(DATA / "importers" / "rev_interview.txt")]) == 0
    with Store.open(study) as store:
        assert stale_turns(store) == 0 and store.db.execute("SELECT count(*) FROM candidates").fetchone()[0]
        n = len(candidates(store))
    out = subprocess.run([sys.executable, "-m", "research_tui.cli", "info", str(study), "--json"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    nlp = json.loads(out)["nlp"]
    assert nlp["pipeline"].startswith("spaCy") and nlp["turns_to_cut"] == 0 and nlp["candidates"] >= n


# -- the shortcuts around spaCy give what the plain definitions give ------------------------------------
_PUNCT = frozenset(".!?…。")
_TRAIL = "\"')]}»”’"


def _one_sentence_by_definition(text: str, a: int, b: int) -> bool:
    """No sentence punctuation before the block's trailing run of punctuation, closing quotes and spaces."""
    end = b
    while end > a and (text[end - 1] in _PUNCT or text[end - 1] in _TRAIL or text[end - 1].isspace()):
        end -= 1
    return not any(ch in _PUNCT for ch in text[a:end])


@settings(max_examples=400)
@given(st.text(alphabet="ab .!?…。\"')» \n\u00a0", max_size=40), st.integers(0, 5))
def test_one_block_one_sentence_as_defined(text, a):
    from coding.nlp.segments import _one_sentence

    a = min(a, len(text))
    assert _one_sentence(text, a, len(text), _PUNCT) == _one_sentence_by_definition(text, a, len(text))


@settings(max_examples=400)
@given(st.lists(st.text(alphabet="ab1é _.,!-", max_size=12), max_size=8), st.integers(0, 4))
def test_short_sentences_merge_as_when_every_word_was_counted(pieces, min_words):
    from coding.nlp.segments import _WORD, merge_short

    text = "|".join(pieces)
    spans, pos = [], 0
    for piece in pieces:
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    expected: list[list[int]] = []  # the rule, counting every word
    for a, b in spans:
        words = len(_WORD.findall(text, a, b))
        if expected and expected[-1][2] < min_words:
            expected[-1][1:] = [b, expected[-1][2] + words]
        else:
            expected.append([a, b, words])
    if len(expected) > 1 and expected[-1][2] < min_words:
        last = expected.pop()
        expected[-1][1:] = [last[1], expected[-1][2] + last[2]]
    assert merge_short(text, spans, min_words) == [(a, b) for a, b, n in expected if n > 0]
