"""Valence of the experience, not of the conversation: what synthesis takes from the emotion model.

    reading(text, prediction=None) -> Reading     one quote
    readings(texts, predictions) -> list[Reading]  many (predictions of the whole texts, e.g. the cache)

The emotion model reads tone into talk that is no experience: "Thank you." (+2.0), "Sorry." (−1.9),
"No, I don't." (−1.8). So, in order:
  1. Conversation is left out (`content.content_part`): thanks, apologies, greetings, yes/no answers,
     backchannels and talk about the interview, as whole sentences or as clauses at either end of one.
     The model reads what is left; nothing left: no valence ("thanks", "answer" ... as the reason).
  2. What is left must name something: at least `MIN_TOPIC_WORDS` topic word (`content.topic_words`),
     or be a fragment that names a quality with no pronoun (a survey answer "Easy to share": the question
     is its subject). "That's great.", "I love it.", "Which is not ideal." react to the last thing said
     and say nothing about what: no valence ("no topic").
  3. Weighted by the model's confidence that a feeling is there: valence × the probability of the
     emotions of the valence's side (`felt`). Approval and disapproval are stances (agreeing,
     disagreeing), not feelings, and are left out of it: "No license fee, no, nothing." (disapproval
     0.44, annoyance 0.05) keeps a tenth of its −1.5; "It's a really fantastic paper." (admiration 0.69
     and joy ...) keeps most of its +1.8. A guess weighs little next to a researcher's code.
The model itself is untouched (its GoEmotions scores stand): this is how synthesis uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..codebook import list_codes
from ..codings import list_codings
from . import content
from .emotion import NEGATIVE, POSITIVE, Prediction, predict

MIN_TOPIC_WORDS = 1
STANCES = frozenset({"approval", "disapproval"})


@dataclass(frozen=True)
class Reading:
    """The model's reading of a quote, and the valence synthesis takes from it."""

    valence: float | None     # the experience valence (-2..2), None when left out
    model_valence: float      # the model's valence of what it read
    emotion: str              # the model's emotion of what it read
    confidence: float         # its probability
    left_out: str = ""        # why there is no valence: "thanks", "apology", ..., "no topic"
    read: str = ""            # the words the model read (the quote minus its conversation)


def felt(prediction: Prediction, positive: bool) -> float:
    """The model's probability that a feeling of this sign is there: its emotions of that side, the stances
    (approval, disapproval) left out."""
    side = POSITIVE if positive else NEGATIVE
    return sum(p for e, p in prediction.emotions.items() if e in side and e not in STANCES)


def _experience(prediction: Prediction) -> float:
    weight = min(1.0, felt(prediction, prediction.valence > 0))
    return round(max(-2.0, min(2.0, prediction.valence * weight)), 3)


def _left_out(text: str, part: str) -> str:
    if not part:
        return content.dialogue_act(text) or "no content"
    if len(content.topic_words(part)) < MIN_TOPIC_WORDS and content.points_back(text):
        return "no topic"
    return ""


def readings(texts: Sequence[str], predictions: Sequence[Prediction] | None = None) -> list[Reading]:
    """One Reading per text. `predictions` (of the whole texts) are reused where nothing is cut."""
    parts = [content.content_part(t) for t in texts]
    reasons = [_left_out(t, p) for t, p in zip(texts, parts)]
    whole = list(predictions) if predictions is not None else [None] * len(texts)
    reads = [p or t for t, p in zip(texts, parts)]  # a text with no content: the model's reading of all of it
    todo = [i for i, r in enumerate(reads) if whole[i] is None or r.strip() != texts[i].strip()]
    found = dict(zip(todo, predict([reads[i] for i in todo]))) if todo else {}
    out = []
    for i, pred in enumerate(whole):
        pred = found.get(i, pred)
        value = None if reasons[i] else _experience(pred)
        out.append(Reading(value, pred.valence, pred.emotion, pred.confidence, reasons[i], parts[i]))
    return out


@lru_cache(maxsize=20000)
def reading(text: str) -> Reading:
    """The reading of a quote. A passage of several sentences is read sentence by sentence (a long text read
    at once dilutes the one sentence that is felt): its valence is the mean of its sentences' valences,
    each weighted by its own strength (Σ v·|v| / Σ |v|), its emotion that of the most felt sentence."""
    sentences = content.sentences(text)
    if len(sentences) < 2:
        return readings([text])[0]
    parts = [r for r in readings(sentences) if r.valence is not None]
    if not parts:
        return readings([text])[0]
    strength = sum(abs(r.valence) for r in parts)
    value = sum(r.valence * abs(r.valence) for r in parts) / strength if strength else 0.0
    top = max(parts, key=lambda r: abs(r.valence))
    model = sum(r.model_valence for r in parts) / len(parts)
    return Reading(round(value, 3), round(model, 3), top.emotion, top.confidence, "",
                   " ".join(r.read for r in parts))


def valence_of(text: str) -> float | None:
    """The experience valence of a text (-2..2), or None: the hook synthesis calls for quotes with no emotion code."""
    return reading(text).valence


@dataclass(frozen=True)
class QuoteReading:
    """A candidate quote, the codes on it, and the emotion model's reading of it (coded or not)."""

    candidate: object               # segments.Candidate
    reading: Reading
    codes: tuple[str, ...]          # names of the codes whose codings overlap it
    coded_valence: float | None     # mean valence of its emotion codes (what synthesis uses first)

    @property
    def valence_used(self) -> float | None:
        """What the journey takes for this quote: its emotion codes' valence, else the model's."""
        return self.coded_valence if self.coded_valence is not None else self.reading.valence


def quote_readings(store, *, source_id: int | None = None) -> list[QuoteReading]:
    """Every candidate quote of the study (or of one source), in reading order, with its reading."""
    from . import emotion_cache
    from .segments import candidates

    cands = [c for c in candidates(store) if source_id is None or c.source_id == source_id]
    found = readings([c.text for c in cands], emotion_cache.predictions(store, cands))
    codes = {c.id: c for c in list_codes(store)}
    by_source: dict[int, list] = {}
    for coding in list_codings(store):
        by_source.setdefault(coding.source_id, []).append(coding)
    out = []
    for cand, r in zip(cands, found):
        on = [codes[k.code_id] for k in by_source.get(cand.source_id, ())
              if k.char_start < cand.end and k.char_end > cand.start]
        names = tuple(dict.fromkeys(c.name for c in on))
        felt = [c.valence for c in on if c.kind == "emotion" and c.valence is not None]
        out.append(QuoteReading(cand, r, names, sum(felt) / len(felt) if felt else None))
    return out
