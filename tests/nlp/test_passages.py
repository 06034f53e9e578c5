"""Suggestions in the researcher's unit: passages of one answer, read with the question asked, never rituals."""

from __future__ import annotations

import pytest

from coding.codebook import add_code, new_study
from coding.codings import add_codings, list_codings
from coding.importing import import_transcripts
from coding.nlp import suggest as S
from coding.nlp.learn import Calibrator, parent_theme
from coding.nlp.passages import contexts
from coding.nlp.segments import candidates
from coding.study import Store
from tests.conftest import transcript_from_lines

IRB = [("The IRB made us rewrite the consent form twice before they approved the study.",
        "Getting ethics board approval to share the transcripts took months of back and forth."),
       ("Our IRB wanted the consent form to say exactly where the interview data would be archived.",
        "The review board kept asking whether participants had agreed to future reuse of the data."),
       ("Every IRB reads the consent rules for archiving a little differently, which slows everything down.",
        "We needed a second approval from the ethics board before the data could be deposited."),
       ("The IRB approval process for data sharing was the hardest part of the consent work.",
        "The ethics board asked for new consent language about depositing interviews in a repository."),
       ("The IRB insisted the consent form spell out how long the recordings would be kept.",
        "Approval from the review board for sharing the data took far longer than we planned.")]
ACCESS = [("Sensitive interviews go into restricted access, so users must apply and sign an agreement.",
           "Only approved researchers can download the restricted files after a data use agreement."),
          ("We put the sensitive transcripts behind restricted access with an application process.",
           "Anyone who wants the restricted data signs a use agreement and shows their approval."),
          ("Restricted access means people apply and sign an agreement before they see the sensitive files.",
           "The repository checks every application for the restricted transcripts by hand."),
          ("The most sensitive files are under restricted access and need a signed data use agreement.",
           "Researchers apply for access and we review each request to the restricted collection."),
          ("Sensitive data stays in restricted access where users sign an agreement to download it.",
           "The restricted collection is only opened to approved researchers who apply.")]
OTHER = ["Our budget for the project was cut in the second year, so we hired fewer assistants.",
         "I moved to the library from a teaching post about six years ago.",
         "The new office is across campus, next to the engineering building.",
         "Most of my week goes into meetings with the department and the archive staff.",
         "We also run a workshop series for graduate students every spring."]
RITUALS = ["Yeah, sure.", "A case study.", "Like, what is it?", "No, I don't.", "Thank you."]
CONSENT_Q = "Let's talk about informed consent. What challenges did you run into with consent?"
PRIVACY_Q = "Okay. Let's move on to privacy. How do you protect the participants' data?"


def interview(n: int) -> list[str]:
    who = f"DC0{n + 1}"
    return ["Interviewer: Shall we start?",
            f"{who}: {RITUALS[0]}",
            "Interviewer: Thanks for joining. Could you describe your role?",
            f"{who}: {OTHER[n]} {OTHER[(n + 1) % 5]}",
            f"Interviewer: {CONSENT_Q}",
            f"{who}: {IRB[n][0]} {IRB[n][1]} {OTHER[(n + 2) % 5]}",
            f"Interviewer: {PRIVACY_Q}",
            f"{who}: {ACCESS[n][0]} {ACCESS[n][1]} {RITUALS[1]}",
            "Interviewer: Is there anything you would like to ask me?",
            f"{who}: {RITUALS[2]} {RITUALS[3]} {RITUALS[4]}"]


def build(path, order) -> Store:
    store = new_study(path, template="blank", coder="sara")
    roles = {"Interviewer": "interviewer"}
    import_transcripts(store, [transcript_from_lines(f"interview_{n}", interview(n), roles=roles)
                              for n in order])
    irb, access = add_code(store, "consent - IRB", "theme"), add_code(store, "privacy - restricted access", "theme")
    plan = []
    for source in store.sources():
        n = int(source.title[-1])
        if n == 4:
            continue  # the interview the researcher has not coded yet
        for (a, b), code in ((IRB[n], irb), (ACCESS[n], access)):
            start = source.text.index(a)
            plan.append((source.id, start, source.text.index(b) + len(b), code.id))
    add_codings(store, plan)
    return store


@pytest.fixture
def study(tmp_path):
    store = build(tmp_path / "s.rtui", range(5))
    yield store
    store.close()


def test_contexts_read_a_quote_with_its_question_and_its_turn(study):
    cands = candidates(study)
    ctx = contexts(study, cands)
    by_text = {c.text: x for c, x in zip(cands, ctx)}
    irb = by_text[IRB[4][0]]
    assert irb.question == CONSENT_Q
    assert by_text[ACCESS[4][1]].question == PRIVACY_Q
    assert IRB[4][1] in irb.window and OTHER[1] in irb.window      # neighbours in the same turn
    assert CONSENT_Q not in irb.window and ACCESS[4][0] not in irb.window  # never another turn
    assert by_text[OTHER[4]].question == "Thanks for joining. Could you describe your role?"


def test_suggestions_are_passages_of_one_answer(study):
    found = [q for q in S.suggest(study, min_confidence=0.0) if q.codes]
    held = study.sources()[4]
    coded = [(c.source_id, c.char_start, c.char_end) for c in list_codings(study)]
    for q in found:                                                     # only uncoded words get suggestions
        assert not any(sid == q.candidate.source_id and a < q.candidate.end and q.candidate.start < b
                       for sid, a, b in coded)
    found = [q for q in found if q.candidate.source_id == held.id]
    text = held.text
    by_code = {}
    for q in found:
        assert q.candidate.text == text[q.candidate.start:q.candidate.end]  # exact offsets
        for s in q.codes:
            by_code.setdefault(s.code, []).append((s.confidence, q))
    best_irb = max(by_code["consent - IRB"], key=lambda x: x[0])[1]
    start = text.index(IRB[4][0])
    assert (best_irb.candidate.start, best_irb.candidate.end) == (start, text.index(IRB[4][1]) + len(IRB[4][1]))
    assert len(best_irb.quotes) == 2 and best_irb.question == CONSENT_Q    # two quotes merged, with the question
    best_access = max(by_code["privacy - restricted access"], key=lambda x: x[0])[1]
    assert best_access.candidate.text == f"{ACCESS[4][0]} {ACCESS[4][1]}"
    for q in found:                                                      # never across turns
        assert "\n" not in q.candidate.text


def test_rituals_and_fragments_are_never_suggested(study):
    found = S.suggest(study, min_confidence=0.0)
    said = {q.candidate.text for q in found if any(s.by == "learned" for s in q.codes)}
    for ritual in RITUALS:
        assert ritual not in said
        assert not any(q.candidate.text.startswith(ritual) and len(q.quotes) == 1 for q in found if q.codes)
    assert not S.has_substance(2, 3)           # "A case study."
    assert S.has_substance(2, 10) and S.has_substance(3, 3)


def test_confidence_is_calibrated_on_held_out_sources(study):
    suggester = S.Suggester(study)
    assert suggester.calibrator.model is not None                         # fitted, not the fallback
    cal = suggester.calibrator
    low, middle, high = cal([0.05, 0.3, 0.9])
    assert 0.0 <= low < middle < high <= 1.0                              # monotone: never reorders
    assert Calibrator()([0.8]) == [0.4]        # without held-out evidence: never more than half the raw score
    fitted = Calibrator.fit([0.1, 0.2, 0.3, 0.6, 0.7, 0.8], [True, True, True, False, False, False])
    assert fitted.model is None                # higher is not surer on this evidence: no pretending


def test_same_study_in_another_import_order_gives_the_same_suggestions(study, tmp_path):
    """No feature depends on which quote comes first (the old emotion features took the first quote's emotions)."""
    other = build(tmp_path / "reversed.rtui", reversed(range(5)))

    def seen(store):
        return sorted((q.candidate.text, s.code, s.confidence) for q in S.suggest(store, min_confidence=0.0)
                      for s in q.codes)

    assert seen(study) == seen(other)
    other.close()


def test_top_and_source(study):
    held = study.sources()[4]
    top = S.suggest(study, min_confidence=0.0, top=2)
    assert len(top) == 2
    best = [max(s.confidence for s in q.codes) for q in top]
    assert best == sorted(best, reverse=True)
    first = study.sources()[0].id
    assert {q.candidate.source_id for q in S.suggest(study, min_confidence=0.0, source_id=first)} <= {first}
    assert {q.candidate.source_id for q in S.suggest(study, min_confidence=0.0, source_id=held.id)} == {held.id}


@pytest.mark.parametrize(("name", "parent", "theme"), [("consent - IRB", None, "consent"), ("Coke::diet", None, "Coke"),
                                                       ("Waiting", "Pain points", "Pain points"),
                                                       ("Waiting", None, "")])
def test_parent_theme(name, parent, theme):
    assert parent_theme(name, parent) == theme


def test_the_reader_sees_a_sources_best_few_when_none_is_sure(study):
    """On a codebook where nothing reaches the minimum, the studio still shows a source's best few, each with its
    (low) confidence; the CLI shows them only when asked (--top, or a lower --min-confidence)."""
    suggester = S.Suggester(study)
    held = study.sources()[4].id
    rows = [i for i, c in enumerate(suggester.cands) if c.source_id == held]
    assert not [q for q in suggester.suggest(rows, min_confidence=0.99) if q.codes]
    few = [(q, s) for q in suggester.suggest(rows, min_confidence=0.99, at_least=2) for s in q.codes]
    assert len(few) == 2
    every = sorted((s.confidence for q in suggester.suggest(rows, min_confidence=0.0) for s in q.codes),
                   reverse=True)
    assert max(s.confidence for _, s in few) == every[0]
