"""The packaged emotion model: its score on GoEmotions dev, valence and emotion on experience language,
the map onto a study's emotion codes, and the synthesis hook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coding.codebook import find_code, list_codes, list_stages
from coding.codings import add_coding
from coding.models import Code
from coding.nlp import emotion as E
from coding.nlp import experience
from coding.nlp.emotion_map import emotion_codes, emotions_of, suggest_emotion

DATA = Path(__file__).resolve().parents[1] / "data" / "public" / "emotions"  # copy of GoEmotions dev, CC BY 4.0


def _dev_rows():
    labels = (DATA / "goemotions_labels.txt").read_text("utf-8").split()
    for line in (DATA / "goemotions_dev.tsv").read_text("utf-8").splitlines():
        text, ids, _ = line.split("\t")
        names = {labels[int(i)] for i in ids.split(",")}
        if names <= E.POSITIVE:
            yield text, "positive"
        elif names <= E.NEGATIVE:
            yield text, "negative"
        elif names == {"neutral"}:
            yield text, "neutral"


def _macro_f1(gold, pred) -> float:
    scores = []
    for label in E.SENTIMENTS:
        tp = sum(1 for g, p in zip(gold, pred) if g == p == label)
        n_pred, n_gold = pred.count(label), gold.count(label)
        prec, rec = tp / n_pred if n_pred else 0, tp / n_gold if n_gold else 0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0)
    return sum(scores) / len(scores)


def test_scores_on_goemotions_dev_above_a_floor():
    rows = list(_dev_rows())
    assert len(rows) == 4547  # the paper's grouping: mixed and ambiguous rows left out
    predictions = E.predict([t for t, _ in rows])
    score = _macro_f1([g for _, g in rows], [p.sentiment for p in predictions])
    published = E.model_info()["scores"]["sentiment_macro_f1"]
    assert score == pytest.approx(published, abs=0.002)  # docs/nlp.md's figure is this model's
    assert score >= 0.70   # plain TF-IDF + logistic regression scores 0.69 here, plain VADER 0.61


def test_experience_language():
    texts = ["Honestly the onboarding was a nightmare.",
             "My manager never listens and I'm thinking of quitting.",
             "The radiographer was lovely, she talked me through everything and I felt so relieved.",
             "I was so worried about what the scan might show.",
             "The letter arrived on a Tuesday."]
    p = E.predict(texts)
    assert p[0].valence < -0.5 and p[0].sentiment == "negative"
    assert p[1].valence < 0
    assert p[2].valence > 0.8 and p[2].sentiment == "positive"
    assert p[3].valence < 0 and p[3].emotion in ("nervousness", "fear")
    assert abs(p[4].valence) < 0.8
    for pred in p:
        assert -2 <= pred.valence <= 2 and 0 <= pred.confidence <= 1
        assert pred.emotion in pred.emotions and len(pred.emotions) == E.TOP_EMOTIONS


def test_emotion_agrees_with_the_sentiment():
    for pred in E.predict(["I love this, thank you so much!", "This is awful and I hate it.", "Why is that?"]):
        if pred.sentiment == "positive":
            assert pred.emotion in E.POSITIVE | E.AMBIGUOUS
        elif pred.sentiment == "negative":
            assert pred.emotion in E.NEGATIVE | E.AMBIGUOUS


def test_deterministic_and_in_order():
    texts = ["It was fine.", "I was furious.", "What a relief!"]
    assert E.predict(texts) == E.predict(texts)
    assert E.predict(texts[::-1]) == E.predict(texts)[::-1]
    assert E.predict([]) == []
    with pytest.raises(TypeError):
        E.predict("one string")


def _code(i, name, description="", kind="emotion", valence=None):
    return Code(i, name, kind, None, "#fff", description, i, valence, {})


def test_map_onto_study_codes_by_name_and_meaning():
    assert emotions_of("Anxious") == {"nervousness": 1.0, "fear": 0.8}
    assert "fear" in emotions_of("Scared") and "annoyance" in emotions_of("Frustrated")
    assert {"relief", "caring"} <= set(emotions_of("Reassured"))
    assert "joy" in emotions_of("Delighted") and "confusion" in emotions_of("Confused")
    assert emotions_of("Let down") and "disappointment" in emotions_of("Let down")
    # a name the map does not know is matched on its description, else left out
    assert "joy" in emotions_of("Chuffed", "Pleased and proud of it")
    codes = [_code(1, "Anxious"), _code(2, "Reassured"), _code(3, "Zorbly"), _code(4, "Waiting", kind="stage")]
    assert [c.name for c in emotion_codes(codes)] == ["Anxious", "Reassured"]


def test_suggested_study_code_follows_the_prediction():
    mapping = emotion_codes([_code(1, "Anxious"), _code(2, "Scared"), _code(3, "Relieved"), _code(4, "Reassured"),
                             _code(5, "Frustrated")])
    worried = E.Prediction(-1.2, "nervousness", 0.6, "negative", {"nervousness": 0.6, "fear": 0.3})
    assert suggest_emotion(worried, mapping)[0].name == "Anxious"
    scared = E.Prediction(-1.5, "fear", 0.7, "negative", {"fear": 0.7, "nervousness": 0.1})
    assert suggest_emotion(scared, mapping)[0].name == "Scared"
    relief = E.Prediction(1.5, "relief", 0.5, "positive", {"relief": 0.5})
    assert suggest_emotion(relief, mapping)[0].name == "Relieved"  # the more specific code wins the tie
    # an emotion of the other polarity never maps: a negative reading picks a negative code
    odd = E.Prediction(-1.0, "annoyance", 0.3, "negative", {"joy": 0.6, "annoyance": 0.3})
    assert suggest_emotion(odd, mapping)[0].name == "Frustrated"
    assert suggest_emotion(E.Prediction(0.0, "neutral", 0.9, "neutral", {"neutral": 0.9}), mapping) is None


def test_synthesis_uses_the_model_for_quotes_without_an_emotion_code(study):
    from coding.synthesis import compute_journey
    from tests.conftest import span_of

    stage = (find_code(study, "Awareness") if any(c.name == "Awareness" for c in list_codes(study))
             else list_stages(study)[0])
    words = "I waited three weeks for the results. Nobody called me back. It was awful."
    sid, a, b = span_of(study, "interview_a", words)
    add_coding(study, sid, a, b, stage.id)
    plain = compute_journey(study)
    assert plain.valence_sources["nlp"] == 0
    journey = compute_journey(study, valence_of=experience.valence_of)
    assert journey.valence_sources["nlp"] == 1
    assert journey.quotes[0].valence < 0 and journey.quotes[0].valence_from == "nlp"


def test_importing_the_model_module_loads_nothing_heavy():
    code = ("import coding.nlp.emotion, coding.nlp.suggest, coding.nlp.autocode, sys; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'spacy', 'vaderSentiment', 'scipy'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"
