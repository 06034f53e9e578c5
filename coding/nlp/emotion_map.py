"""From the model's emotions (GoEmotions' 27 + neutral) to a study's own emotion codes, by name and meaning.

Each model emotion has the words that name it (`PRIMARY`) and nearby words (`RELATED`). A study's
emotion code takes the model emotions whose words occur in its name (primary: weight 1, related: 0.8);
a code whose name says nothing the map knows is matched on its description (weight 0.8). A code that
matches nothing is left out: the model never suggests it. "Anxious" ← nervousness (and fear, less);
"Scared" ← fear; "Frustrated" ← annoyance; "Reassured" ← relief and caring; "Delighted" ← joy ...

`suggest_emotion(prediction, mapping)` picks the study code with the highest weight × probability over
the emotions that agree with the predicted sentiment;
approval and disapproval (agreeing, disagreeing: stances, not feelings) map only onto a code that names
them ("Sceptical", "Satisfied"), never onto Angry or Pleased; ties go to the code with fewer emotions (the
more specific name). None when nothing maps or the best score is below `floor`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .emotion import Prediction, _agrees

PRIMARY: dict[str, tuple[str, ...]] = {
    "admiration": ("admiration", "admire", "impressed", "respect"),
    "amusement": ("amused", "amusement", "funny", "humour", "humor", "laugh"),
    "anger": ("angry", "anger", "furious", "outraged", "outrage", "rage", "unfair", "indignant", "cross"),
    "annoyance": ("annoyed", "annoyance", "frustrated", "frustration", "frustrating", "irritated",
                  "irritation", "exasperated", "fed up"),
    "approval": ("satisfied", "satisfaction", "approval", "approve", "content"),
    "caring": ("cared for", "caring", "supported", "looked after", "in good hands", "reassured", "reassurance"),
    "confusion": ("confused", "confusion", "confusing", "puzzled", "bewildered", "lost", "unsure", "uncertain",
                  "uncertainty", "unclear"),
    "curiosity": ("curious", "curiosity", "intrigued", "interested"),
    "desire": ("desire", "longing", "wanting", "keen"),
    "disappointment": ("disappointed", "disappointment", "let down", "dissatisfied", "unhappy"),
    "disapproval": ("disapproval", "disapprove", "critical", "sceptical", "skeptical"),
    "disgust": ("disgust", "disgusted", "repulsed"),
    "embarrassment": ("embarrassed", "embarrassment", "ashamed", "shame", "awkward", "self-conscious", "exposed",
                      "humiliated"),
    "excitement": ("excited", "excitement", "thrilled", "enthusiastic", "eager"),
    "fear": ("scared", "afraid", "fear", "frightened", "terrified", "panic", "panicked", "dread", "fearful"),
    "gratitude": ("grateful", "gratitude", "thankful", "appreciative", "appreciated"),
    "grief": ("grief", "grieving", "bereaved", "devastated", "heartbroken"),
    "joy": ("delighted", "happy", "joy", "joyful", "glad", "pleased", "cheerful", "pleasure"),
    "love": ("love", "loved", "adore"),
    "nervousness": ("anxious", "anxiety", "nervous", "nervousness", "worried", "worry", "apprehensive",
                    "uneasy", "stressed", "stress", "tense"),
    "optimism": ("hopeful", "hope", "optimistic", "optimism", "confident", "confidence", "positive"),
    "pride": ("proud", "pride", "accomplished", "empowered"),
    "realization": ("realisation", "realization", "realised", "realized", "insight"),
    "relief": ("relieved", "relief", "reassured", "at ease", "calm", "comforted", "safe"),
    "remorse": ("remorse", "regret", "guilty", "guilt", "sorry"),
    "sadness": ("sad", "sadness", "upset", "down", "lonely", "alone", "hopeless", "helpless", "depressed", "low"),
    "surprise": ("surprised", "surprise", "shocked", "astonished", "amazed"),
    "neutral": ("neutral", "indifferent", "matter-of-fact", "no clear feeling", "no emotion"),
}
RELATED: dict[str, tuple[str, ...]] = {
    "anger": ("frustrated", "annoyed"),
    "annoyance": ("angry", "blocked", "fed up", "impatient"),
    "caring": ("grateful", "cared", "valued", "respected"),
    "disappointment": ("frustrated", "sad", "upset"),
    "fear": ("anxious", "anxiety", "worried", "nervous", "stressed"),
    "gratitude": ("cared for", "reassured"),
    "joy": ("satisfied", "excited", "relieved", "grateful"),
    "nervousness": ("scared", "afraid", "fear", "frightened"),
    "optimism": ("reassured", "relieved"),
    "relief": ("confident", "grateful"),
    "sadness": ("disappointed", "let down"),
    "surprise": ("shocked", "confused"),
}
RELATED_WEIGHT = 0.8


@dataclass(frozen=True)
class EmotionCode:
    """A study emotion code and the model emotions it stands for, with their weights."""

    code_id: int
    name: str
    emotions: dict[str, float]


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


def emotions_of(name: str, description: str = "") -> dict[str, float]:
    """Model emotions a code stands for, by its name (else its description), with weights."""
    found: dict[str, float] = {}
    name = " ".join(name.casefold().replace("_", " ").replace("/", " ").split())
    for emotion, words in PRIMARY.items():
        if any(_has(name, w) for w in words):
            found[emotion] = 1.0
    for emotion, words in RELATED.items():
        if emotion not in found and any(_has(name, w) for w in words):
            found[emotion] = RELATED_WEIGHT
    if not found and description:
        text = description.casefold()
        for emotion, words in PRIMARY.items():
            if any(_has(text, w) for w in words):
                found[emotion] = RELATED_WEIGHT
    return found


def emotion_codes(codes) -> list[EmotionCode]:
    """The study's emotion codes the map knows (others are left out), in codebook order."""
    out = []
    for code in codes:
        if code.kind != "emotion":
            continue
        found = emotions_of(code.name, code.description)
        if found:
            out.append(EmotionCode(code.id, code.name, found))
    return out


def suggest_emotion(prediction: Prediction, mapping: list[EmotionCode], *,
                    floor: float = 0.0) -> tuple[EmotionCode, float] | None:
    """The study emotion code that best fits a prediction, with its score (weight × probability)."""
    probs = prediction.emotions or {prediction.emotion: prediction.confidence}
    best: tuple[float, int, str, EmotionCode] | None = None
    for ec in mapping:
        score = max((w * probs.get(e, 0.0) for e, w in ec.emotions.items()
                     if _agrees(e, prediction.sentiment)), default=0.0)
        key = (round(score, 6), -len(ec.emotions), ec.name)
        if score > 0 and (best is None or key > best[:3]):
            best = (*key, ec)
    if best is None or best[0] < floor or best[0] <= 0:
        return None
    return best[3], best[0]
