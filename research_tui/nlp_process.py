"""The studio's heavy NLP in a process of its own, so the screens never wait for it.

A thread worker keeps the studio responsive only while it waits. Training the reader's suggestions on a
large study (cutting 50,000 turns into sentences, reading 60,000 quotes' emotions, fitting a model per
code: about a minute of Python) held the interpreter's lock so long that every screen slowed down while it
ran: the quotes screen took seconds to show its quotes (issue 16). The reader's suggestion worker hands
that work to one child process and only waits for the answer there.

`shared().call(fn, *args)` runs `fn` (importable, with picklable arguments and result) in the child, one
call at a time, and returns its result or raises its error (a `StudyError` stays one). The child is
started on first use and kept for the session (it keeps the last trained models); `stop()` ends it, also
in the middle of a call (the waiting caller then gets a `StudyError`).
"""

from __future__ import annotations

import atexit
import os
import pickle
import signal
import subprocess
import sys
import threading
from pathlib import Path

from coding.models import StudyError


def _portable(exc: BaseException) -> BaseException:
    """The error to send back: itself when it survives pickling, else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001  any error type may be unpicklable
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def serve() -> None:
    """The child (`python -c "...; serve()"`): read pickled (fn, args, kwargs) from standard input, run each,
    write back pickled (True, result) or (False, error). Its own output goes nowhere: nothing a library
    prints may reach the studio's screen or the answers."""
    answers = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c in the terminal is for the studio
    if hasattr(os, "nice"):
        os.nice(10)  # background work: what the researcher is doing on screen gets the processor first
    requests = os.fdopen(os.dup(0), "rb")
    while True:
        try:
            fn, args, kwargs = pickle.load(requests)
        except (EOFError, OSError):
            return  # the studio has gone
        try:
            answer = (True, fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001  every failure goes back to the caller
            answer = (False, _portable(exc))
        try:
            data = pickle.dumps(answer)
        except Exception as exc:  # noqa: BLE001  a result that does not pickle
            data = pickle.dumps((False, _portable(exc)))
        answers.write(data)
        answers.flush()


class NlpProcess:
    """One child process that runs functions for the studio, one call at a time. A plain subprocess with
    pickles over its standard input and output (multiprocessing's spawn needs a real `sys.stderr`, which
    Textual replaces while the studio runs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()   # one call at a time
        self._proc: subprocess.Popen | None = None

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    def call(self, fn, *args, **kwargs):
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            proc = self._proc
            try:
                proc.stdin.write(pickle.dumps((fn, args, kwargs)))
                proc.stdin.flush()
                ok, value = pickle.load(proc.stdout)
            except (EOFError, OSError, ValueError, pickle.UnpicklingError) as exc:
                self.stop()
                raise StudyError("the background process that computes suggestions ended; "
                                 "they are computed again when the study changes") from exc
        if ok:
            return value
        raise value

    def _start(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "from research_tui.nlp_process import serve; serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True)

    def stop(self) -> None:
        """End the child (a call in progress then fails in its caller)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        for pipe in (proc.stdin, proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass


_shared: NlpProcess | None = None
_shared_lock = threading.Lock()


def shared() -> NlpProcess:
    """The studio's one NLP process (started on first call, ended when Python exits)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = NlpProcess()
            atexit.register(_shared.stop)
        return _shared


# -- what runs in the child ------------------------------------------------------------------------------
_trained: dict[tuple, object] = {}  # (study, version) -> the Suggester trained for it (the last one only)


def source_suggestions(path: str | Path, source_id: int, version: tuple, *, read_only: bool = False) -> list:
    """The suggestions for one source's uncoded candidate quotes. The models are trained once per version
    of the study (`coding.queries.study_version`), so moving to another source is quick."""
    from coding.nlp.decisions import rejected_pairs
    from coding.nlp.suggest import SHOWN_AT_LEAST, Suggester
    from coding.study import Store

    key = (str(Path(path).resolve()), version)
    with Store.open(path, read_only=read_only) as store:
        suggester = _trained.get(key)
        if suggester is None:
            _trained.clear()
            suggester = _trained[key] = Suggester(store)
        suggester.store = store  # the models stay; reads (the semantic backend's cache) go to this connection
        rows = [i for i, c in enumerate(suggester.cands) if c.source_id == source_id]
        return suggester.suggest(rows, rejected=rejected_pairs(store), at_least=SHOWN_AT_LEAST)
