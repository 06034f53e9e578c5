"""Deterministic generated transcripts for benchmarks (no network, no data files)."""

from __future__ import annotations

import random

from coding.models import Transcript, Utterance

_WORDS = (  # noqa: SIM905  one readable line of words
    "the scan letter waiting room nurse results phone app booking referral doctor appointment "
    "worried relieved confusing quick slow kind cold noise tube machine weeks days told nobody "
    "called back explained clearly parking hospital clinic private queue form questions"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 22))]
    return " ".join(words).capitalize() + rng.choice(".!?.")


def transcript_text(n_turns: int, seed: int = 1, speakers=("Interviewer", "Participant")) -> str:
    rng = random.Random(seed)
    lines = []
    for i in range(n_turns):
        who = speakers[i % len(speakers)]
        lines.append(f"{who}: " + " ".join(sentence(rng) for _ in range(rng.randint(1, 4))))
    return "\n".join(lines) + "\n"


def transcripts(n_utterances: int, per_source: int = 2000, seed: int = 1) -> list[Transcript]:
    """Build Transcript objects directly (no importer) with `per_source` turns each."""
    out = []
    for k in range(0, n_utterances, per_source):
        n = min(per_source, n_utterances - k)
        who = ("Interviewer", f"Person {k // per_source + 1}")
        text = transcript_text(n, seed + k, who)
        utts, pos = [], 0
        for line in text.splitlines(keepends=True):
            label = line.partition(": ")[0]
            start = pos + len(label) + 2
            utts.append(Utterance(label, start, pos + len(line.rstrip("\n")), start_ms=len(utts) * 4000))
            pos += len(line)
        out.append(Transcript(f"generated_{k // per_source + 1:03d}", f"generated_{k // per_source + 1:03d}.txt",
                              "text", text, utts, roles={"Interviewer": "interviewer"}))
    return out


def _vtt_time(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def vtt_text(n_cues: int, seed: int = 1, speakers=("Interviewer", "Participant")) -> str:
    """A Teams-style WebVTT file: numbered cues with `<v Name>` voice tags; a speaker keeps the floor
    for one to three cues, as captioning splits long turns."""
    rng = random.Random(seed)
    lines, ms, who = ["WEBVTT", ""], 0, 0
    for i in range(n_cues):
        if i and rng.random() < 0.5:
            who = (who + 1) % len(speakers)
        duration = rng.randint(1_500, 9_000)
        lines += [f"{i + 1}", f"{_vtt_time(ms)} --> {_vtt_time(ms + duration)}",
                  f"<v {speakers[who]}>{sentence(rng)}</v>", ""]
        ms += duration + rng.randint(0, 800)
    return "\n".join(lines)
