"""Valence of the experience, not of the conversation: the content test (`content`), the valence synthesis
takes from the emotion model (`experience`), and the `quotes` command that shows every quote's reading.
The sentences are real interview talk (the shapes of Otter transcripts of expert interviews)."""

from __future__ import annotations

import csv
import json

import pytest

from coding.codebook import new_study
from coding.importing import import_transcripts
from coding.nlp import content, experience
from coding.nlp.emotion import Prediction
from coding.nlp.emotion_map import emotion_codes, emotions_of, suggest_emotion
from coding.nlp.experience import valence_of
from research_tui.cli import main
from tests.conftest import transcript_from_lines

RITUALS = {
    "Thank you.": "thanks", "Thanks. Okay. Thanks, Sara.": "thanks", "Thank you. Bye.": "thanks",
    "Sorry.": "apology", "Bye.": "greeting", "Good luck on this.": "greeting", "You're welcome.": "greeting",
    "No, I don't.": "answer", "No, not too much.": "answer", "Yeah, I do.": "answer",
    "Like, what is it?": "question back", "Um, what was that?": "question back",
    "Yeah, yep.": "backchannel", "Got it.": "backchannel", "Mm-hmm, sure.": "backchannel",
    "That's a good question.": "meta", "But let me explain why.": "meta",
}
EXPERIENCES = [
    "And so I observed this, and I finally stopped curating it, and just completely destroyed the data, because it "
    "was so upsetting.",
    "I waited three weeks for the results and nobody called me back.",
    "Thank you for fixing the booking so quickly.",  # thanks for something: an experience
    "git integration is horrible and dangerous",
    "Easy to share",  # a survey answer: the question is its subject
]


@pytest.mark.parametrize("text, act", RITUALS.items())
def test_rituals_are_named_and_get_no_model_valence(text, act):
    assert content.dialogue_act(text) == act
    assert content.says_little(text)
    assert valence_of(text) is None
    assert experience.reading(text).left_out == act


@pytest.mark.parametrize("text", EXPERIENCES)
def test_experiences_keep_a_valence(text):
    assert content.dialogue_act(text) is None and not content.says_little(text)
    assert valence_of(text) is not None


def test_reactions_without_a_topic_get_none():
    for text in ("That's great.", "I love it.", "Which is not ideal.", "I'm glad.", "That is very good."):
        assert valence_of(text) is None, text
        assert experience.reading(text).left_out in ("no topic", "backchannel"), text
    assert content.topic_words("That's not cool.") == []
    assert content.topic_words("The IRB is kind of reluctant") == ["irb"]  # reluctant: a judgement


def test_conversation_is_cut_and_the_rest_is_read():
    assert content.content_part("Sorry to interrupt, the consent form was wrong.") == "the consent form was wrong."
    assert content.content_part("Sorry. The upload failed twice.") == "The upload failed twice."
    assert content.content_part("Thank you. Bye.") == ""
    plain = experience.reading("The upload failed twice.")
    assert experience.reading("Sorry. The upload failed twice.").valence == plain.valence
    # thanks and wishes said to the interviewer about little else are talk, not experience
    assert content.content_part("Good luck with the rest of your study.") == ""
    assert valence_of("Cool. Pam, thanks so much for talking to us about the serverless revolution.") is None


def test_names_next_to_thanks_are_no_content():
    assert content.content_words("Thanks, Sara.") == []
    assert content.content_words("Sara said the archive was closed.") == ["sara", "archive", "closed"]


def test_valence_is_weighted_by_the_models_confidence_in_a_feeling():
    sure = Prediction(-1.6, "anger", 0.8, "negative", {"anger": 0.8, "annoyance": 0.1, "neutral": 0.1})
    unsure = Prediction(-1.6, "anger", 0.2, "negative", {"anger": 0.2, "neutral": 0.7, "annoyance": 0.05})
    text = "The portal logged me out in the middle of the deposit."
    a, b = experience.readings([text, text], [sure, unsure])
    assert a.valence == pytest.approx(-1.6 * 0.9) and b.valence == pytest.approx(-1.6 * 0.25)
    # disapproval is a stance, not a feeling: alone it keeps little valence
    stance = Prediction(-1.5, "disapproval", 0.44, "negative", {"disapproval": 0.44, "annoyance": 0.05})
    (c,) = experience.readings(["The archive charged a license fee for the data."], [stance])
    assert c.valence == pytest.approx(-1.5 * 0.05) and abs(c.valence) < 0.1


def test_a_passage_is_read_sentence_by_sentence():
    passage = ("We keep everything on the shared drive. The metadata is in a spreadsheet. And so I finally "
               "stopped curating it and destroyed the data, because it was so upsetting. Thank you.")
    whole = experience.reading(passage)
    felt = experience.reading("And so I finally stopped curating it and destroyed the data, because it was so "
                              "upsetting.")
    assert whole.valence < 0 and abs(whole.valence) >= 0.6 * abs(felt.valence)  # not diluted by the calm lines
    assert "Thank you" not in whole.read


def test_disapproval_and_approval_alone_are_not_angry_or_pleased():
    assert "disapproval" not in emotions_of("Angry") and "disapproval" not in emotions_of("Frustrated")
    assert "approval" not in emotions_of("Pleased") and "approval" not in emotions_of("Confident")
    mapping = emotion_codes([_code(1, "Angry"), _code(2, "Pleased"), _code(3, "Sceptical")])
    no = Prediction(-1.4, "disapproval", 0.6, "negative", {"disapproval": 0.6, "neutral": 0.3})
    assert suggest_emotion(no, mapping)[0].name == "Sceptical"
    assert suggest_emotion(no, mapping[:2]) is None


def _code(i, name):
    from coding.models import Code

    return Code(i, name, "emotion", None, "#fff", "", i, None, {})


@pytest.fixture
def talk(tmp_path):

    path = tmp_path / "talk.rtui"
    store = new_study(path, coder="tester")
    lines = ["Sara Mannheimer: How do you handle consent?",
             "DC04: Sorry. No, I don't.",
             "Sara Mannheimer: Okay.",
             "DC04: The IRB review took eleven months and we nearly lost the grant because of it.",
             "Sara Mannheimer: That sounds hard.",
             "DC04: Thank you. Bye."]
    import_transcripts(store, [transcript_from_lines("DC04", lines, roles={"Sara Mannheimer": "interviewer"})])
    store.close()
    return path


def test_quotes_command_lists_every_quote_with_its_reading(talk, tmp_path, capsys):
    assert main(["quotes", str(talk), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["quotes"]
    assert [r["text"] for r in rows] == ["Sorry. No, I don't.", "The IRB review took eleven months and we nearly "
                                         "lost the grant because of it.", "Thank you. Bye."]
    assert [r["left_out"] for r in rows] == ["apology", None, "thanks"]
    assert rows[0]["valence"] is None and rows[0]["model_valence"] < -1  # the model's tone, shown, not used
    assert rows[1]["valence"] < 0 and rows[1]["valence_used"] == rows[1]["valence"]
    assert main(["quotes", str(talk), "--sort", "positive", "--json"]) == 0
    assert [r["text"][:7] for r in json.loads(capsys.readouterr().out)["quotes"]] == ["The IRB"]
    out = tmp_path / "q.csv"
    assert main(["quotes", str(talk), "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == 3 and table[2]["left_out"] == "thanks" and table[2]["valence"] == ""
    assert float(table[2]["model_valence"]) > 1  # "Thank you" reads as joy to the model
    assert main(["quotes", str(talk), "-o", str(out)]) == 0  # its own earlier output: replaced
