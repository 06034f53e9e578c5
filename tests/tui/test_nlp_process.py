"""The studio's NLP process: heavy work runs in a child process of its own, so the studio's interpreter
stays free for the screens (issue 16 item 6); its answers and errors come back as if called here."""

from __future__ import annotations

import os
import threading
import time

import pytest

from coding.models import StudyError
from coding.nlp import suggest as S
from research_tui.nlp_process import NlpProcess, source_suggestions
from tests.nlp.test_suggest import coded  # noqa: F401  (the fixture)


def test_calls_run_in_another_process_and_errors_come_back():
    nlp = NlpProcess()
    try:
        assert nlp.call(os.getpid) != os.getpid()
        assert nlp.call(sum, [1, 2, 3]) == 6
        with pytest.raises(ValueError, match="invalid literal"):
            nlp.call(int, "x")
        with pytest.raises(StudyError, match="no such study file"):
            nlp.call(source_suggestions, "/nonexistent/s.rtui", 1, ())
        assert nlp.call(os.getpid) == nlp.call(os.getpid)      # one process, kept between calls
    finally:
        nlp.stop()


def test_stopping_ends_a_call_in_progress_at_once():
    nlp = NlpProcess()
    failed: list[BaseException] = []

    def wait_long() -> None:
        try:
            nlp.call(time.sleep, 60)
        except BaseException as exc:  # noqa: BLE001
            failed.append(exc)

    caller = threading.Thread(target=wait_long)
    caller.start()
    for _ in range(200):
        if nlp.busy and nlp._proc is not None:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    started = time.perf_counter()
    nlp.stop()
    caller.join(10)
    assert not caller.is_alive() and time.perf_counter() - started < 10
    assert isinstance(failed[0], StudyError) and "ended" in str(failed[0])
    assert nlp.call(os.getpid) != os.getpid()                  # a later call starts a new process


def test_source_suggestions_are_the_suggesters_own(coded):  # noqa: F811
    source = next(s for s in coded.sources() if s.title == "interview_3")
    expected = [(q.candidate.id, [c.code for c in q.codes])  # as the reader shows them: the source's best few at least
                for q in S.suggest(coded, source_id=source.id, include_empty=True, at_least=S.SHOWN_AT_LEAST)]
    nlp = NlpProcess()
    try:
        found = nlp.call(source_suggestions, str(coded.path), source.id, ("v1",))
    finally:
        nlp.stop()
    assert [(q.candidate.id, [c.code for c in q.codes]) for q in found] == expected
    assert any(q.codes for q in found)
