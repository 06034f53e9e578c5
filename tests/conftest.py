"""Shared fixtures: a small study built from in-memory transcripts with exact offsets."""

from __future__ import annotations

import re
import shutil

import pytest

from coding.codebook import new_study
from coding.importing import import_transcripts
from coding.models import Transcript, Utterance
from coding.study import Store


def transcript_from_lines(title: str, lines: list[str], **kw) -> Transcript:
    """Build a Transcript from `Speaker: words` lines; offsets point at the words."""
    text = "\n".join(lines) + "\n"
    utterances, pos = [], 0
    for line in lines:
        m = re.match(r"([^:]+):\s*", line)
        utterances.append(Utterance(m.group(1), pos + m.end(), pos + len(line)))
        pos += len(line) + 1
    return Transcript(title=title, filename=f"{title}.txt", format="text", text=text,
                      utterances=utterances, **kw)


INTERVIEW_A = [
    "Interviewer: How did you first hear about the scan?",
    "Aisha Khan: My GP, Dr Patel, referred me. I was nervous. Nobody told me how long it would take.",
    "Interviewer: And the results?",
    "Aisha Khan: I waited three weeks for the results. Nobody called me back. It was awful.",
]
INTERVIEW_B = [
    "Interviewer: Tell me about the day of the scan.",
    "George Wilson: The radiographer was lovely, she talked me through everything. I felt safe.",
    "Interviewer: And afterwards?",
    "George Wilson: The results letter was full of jargon. I was confused.",
]


@pytest.fixture
def study(tmp_path) -> Store:
    store = new_study(tmp_path / "study.rtui", coder="tester")
    import_transcripts(store, [
            transcript_from_lines("interview_a", INTERVIEW_A, roles={"Interviewer": "interviewer"}),
            transcript_from_lines("interview_b", INTERVIEW_B, roles={"Interviewer": "interviewer"}),
        ],
        participant_rows=[
            {"name": "Aisha Khan", "segment": "NHS", "age_band": "35-54"},
            {"name": "George Wilson", "segment": "Private", "age_band": "75+"},
        ],
    )
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """The demo study, built once per test run (about 2 s); `demo` hands each test its own copy."""
    from research_tui.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.rtui"
    build_demo(path).close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path) -> Store:
    path = tmp_path / "demo.rtui"
    shutil.copy(demo_file, path)
    store = Store.open(path, coder="tester")
    yield store
    store.close()


def span_of(store: Store, title: str, words: str) -> tuple[int, int, int]:
    """(source_id, start, end) of the only occurrence of `words` in a source."""
    source = next(s for s in store.sources() if s.title == title)
    start = source.text.index(words)
    assert source.text.find(words, start + 1) == -1
    return source.id, start, start + len(words)
