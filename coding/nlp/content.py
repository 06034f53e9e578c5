"""What a quote says, apart from the conversation around it: one content-word and dialogue-act test
that valence, suggestions, the journey's quote lanes and cluster labels all use.

    content_words(text) -> list[str]       words that carry content
    topic_words(text) -> list[str]         content words that say what it is about
    dialogue_act(text) -> str | None       what a content-free text does in the conversation
    content_part(text) -> str              the text without its conversational sentences and clauses
    says_little(text, *, min_words=1)      content-free: fewer than `min_words` content words
    is_question_back(text) -> bool         a question to the interviewer that says nothing itself
    common_words(top=150) -> frozenset     the most frequent English words (`data/common_words.txt`)

Words. A *content word* is a word of two letters or more that is not an English stop word
(scikit-learn's list), not a filler or discourse marker ("yeah", "um", "like", "okay", "honestly") and
not a word of the talk itself: thanking, apologising, greeting and closing ("thanks", "sorry", "bye",
"luck"), and talk about the interview ("question", "interrupt", "explanation", "comment", "mention").
Next to a thanks, an apology or a greeting, a capitalised word is a name said to someone ("Thanks,
Sara."): no content either. A *topic word* is a content word that is not a feeling or judgement word
(VADER's lexicon with the experience lexicon, |valence| ≥ 1) and not one of the 150 most frequent
English words ("people", "way", "thing", "lot", "time", "work"): it names something ("consent",
"waiting", "nurse", "licence"). "That's great." has a content word (great) and no topic word.

Dialogue acts (after the Switchboard DAMSL tags) of a text with no content word: `thanks`,
`apology`, `greeting` (openings and closings, "good luck"), `question back` ("Like, what is it?"),
`answer` (yes/no answers: "No, I don't.", "No, not too much."), `meta` (talk about the talk: "let me
know if you have any issues") and `backchannel` ("Yeah, exactly.", "Mm-hmm."). A text with a content
word is no ritual (None): "Thank you for fixing the booking." is about the booking.

`content_part` keeps the sentences with a content word, and in them cuts leading and trailing clauses
(between commas, dashes, semicolons) that have none: "Sorry to interrupt, the form was wrong." reads
"the form was wrong."
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

FILLERS = frozenset("""
yeah yes yep yup yah no nope nah ok okay right exactly sure absolutely definitely totally true indeed agree agreed
mm mmm mhm hmm uh um umm er erm ah ahh oh ooh well so like know mean think guess suppose really just course
fine good great cool alright awesome gosh wow huh hey anyway anyways basically actually honestly literally
kinda sorta kind sort stuff thing things lot lots bit pretty quite maybe probably perhaps gonna wanna gotta
got get gets getting go goes going went said say says saying let lets sounds
nice perfect wonderful excellent lovely interesting fantastic brilliant
don didn doesn isn wasn aren weren won wouldn couldn shouldn haven hasn hadn ain
""".split())

THANKS = frozenset("thank thanks thankyou cheers appreciate appreciated grateful".split())
APOLOGY = frozenset("sorry apologies apologise apologize apology pardon excuse".split())
GREETING = frozenset("hi hello hey bye goodbye byebye welcome luck pleasure".split())
WISHES = frozenset("hope hoping helpful enjoy enjoyed".split())  # "I hope it was helpful for you"
META = frozenset("""question questions ask asking asked answer answered answering interview interviews interviewing
repeat repeating interrupt interrupting interrupted sense comment comments commenting talk talking talked chat
explain explaining explained explanation mention mentioned mentioning rambling ramble rambled tangent hear
hearing heard clarify clarification""".split())
CONVERSATION = THANKS | APOLOGY | GREETING | META
# words that point back at something said before, or at the speakers themselves
POINTERS = frozenset("i me my we us our you your he him his she her it its they them their this that these those "
                     "which what there".split())

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE = re.compile(r"[^.!?…]*(?:[.!?…]+|$)")
_CLAUSE = re.compile(r"[^,;:—–]*(?:[,;:—–]+|$)|\s-\s")
EVALUATION = 1.0   # a lexicon word with |valence| at least this is a feeling or judgement word
TOPIC_COMMON = 150  # the most frequent English words say nothing about a topic


def _word_list(name: str) -> list[str]:
    text = resources.files("coding.nlp").joinpath("data", name).read_text("utf-8")
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (`data/stop_words.txt`: read without importing scikit-learn)."""
    return frozenset(_word_list("stop_words.txt"))


@lru_cache(maxsize=4)
def common_words(top: int = TOPIC_COMMON) -> frozenset[str]:
    """The `top` most frequent lower-case English words (at most 500), from `data/common_words.txt`."""
    return frozenset(_word_list("common_words.txt")[:top])


@lru_cache(maxsize=1)
def _evaluation_words() -> frozenset[str]:
    from .features import analyzer

    return frozenset(w for w, v in analyzer().lexicon.items() if abs(v) >= EVALUATION and w.isalpha())


_TAG = re.compile(r"\\?[\[(]\s*[^\W\d_]+(?:\s+[^\W\d_]+)?\s*\\?[\])]")  # [laughs], (inaudible), \[crosstalk\]


def _tokens(text: str) -> list[str]:
    """Words, with transcription tags of one or two words left out: "[laughs]" is no one's words."""
    return [t.replace("’", "'") for t in _WORD.findall(_TAG.sub(" ", text))]


def _plain(word: str) -> str:
    """Lower case, with a possessive or contraction cut off ("Sara's" -> "sara", "don't" -> "don")."""
    low = word.casefold()
    return low.split("'", 1)[0] if "'" in low else low


def content_words(text: str) -> list[str]:
    """Words of `text` that carry content, lower case, in order (see the module docstring)."""
    tokens = _tokens(text)
    plain = [_plain(t) for t in tokens]
    addressing = any(p in THANKS or p in APOLOGY or p in GREETING for p in plain)
    stop = stop_words()
    out = []
    for tok, word in zip(tokens, plain):
        if len(word) < 2 or word in stop or word in FILLERS or word in CONVERSATION:
            continue
        if addressing and tok[:1].isupper():
            continue  # "Thanks, Sara." - a name said to someone
        out.append(word)
    return out


def topic_words(text: str) -> list[str]:
    """Content words that name what the text is about: not feeling words, not the most common words."""
    evaluation, common = _evaluation_words(), common_words()
    return [w for w in content_words(text) if w not in evaluation and w not in common]


def points_back(text: str) -> bool:
    """The text points at something said before or at the speakers ("That's great.", "I love it.", "I'm glad."),
    unlike a fragment that names a quality ("Easy to share", "powerful": a survey answer's subject is the
    question)."""
    return any(_plain(t) in POINTERS for t in _tokens(text))


def says_little(text: str, *, min_words: int = 1) -> bool:
    """Content-free: fewer than `min_words` content words ("Yeah, that's exactly right.", "Thank you.",
    "No, not too much."). A researcher would not code such a quote for a feeling or a theme."""
    return len(content_words(text)) < min_words


def dialogue_act(text: str) -> str | None:
    """What a text with no content word does in the conversation (see the module docstring), else None."""
    if content_words(text) and not all(_to_you(s, s) for s in sentences(text)):
        return None
    plain = [_plain(t) for t in _tokens(text)]
    words = set(plain)
    if words & THANKS:
        return "thanks"
    if words & APOLOGY:
        return "apology"
    if words & (GREETING | WISHES):
        return "greeting"
    if text.rstrip().endswith("?"):
        return "question back"
    if plain and plain[0] in {"yes", "no", "yeah", "yep", "nope", "nah", "not", "never", "maybe"} \
            and len(plain) > 1 and any(w in words for w in ("not", "don", "didn", "do", "did", "no", "much",
                                                             "really", "think", "never", "sure", "is", "was")):
        return "answer"
    if words & META:
        return "meta"
    return "backchannel"


def is_question_back(text: str) -> bool:
    """A question that names nothing itself ("Like, what is it?", "What do you mean?"): a turn back to the
    interviewer, not a participant's view. "Why hasn't my card arrived?" is a view."""
    said = sentences(text)
    if not said or not said[-1].endswith("?"):
        return False
    return not topic_words(" ".join(s for s in said if not s.endswith("?"))) \
        and len(topic_words(text)) < 2


def sentences(text: str) -> list[str]:
    """The sentences of a text (cut after . ! ? …), stripped, empty ones left out."""
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _to_you(part: str, sentence: str) -> bool:
    """Thanks, an apology, a greeting or a wish (in `part`, what is left of a sentence) said to the interviewer
    or about the talk (in the whole `sentence`), and about little else: "Good luck with the rest of your
    study.", "Well, thank you, and thanks for taking the time."."""
    cue = {_plain(t) for t in _tokens(part)} & (THANKS | APOLOGY | GREETING | WISHES)
    return bool(cue) and bool({_plain(t) for t in _tokens(sentence)} & ({"you", "your"} | META)) \
        and len(topic_words(part)) < 3


def content_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that carry content: sentences with a content word, minus their content-free
    leading and trailing clauses."""
    spans = []
    for m in _SENTENCE.finditer(text):
        a, b = m.span()
        if a == b or not content_words(text[a:b]):
            continue
        clauses = [(a + c.start(), a + c.end()) for c in _CLAUSE.finditer(text[a:b]) if c.end() > c.start()]
        keep = [i for i, (x, y) in enumerate(clauses) if content_words(text[x:y])]
        x, y = clauses[keep[0]][0], clauses[keep[-1]][1]
        while x < y and not (text[x].isalnum() or text[x] in "\"'“‘("):
            x += 1
        if not _to_you(text[x:y], text[a:b]):
            spans.append((x, y))
    return spans


def content_part(text: str) -> str:
    """The text without its conversational sentences and clauses ("" when nothing is left)."""
    return " ".join(text[a:b].strip() for a, b in content_spans(text)).strip()
