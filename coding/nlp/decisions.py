"""The researcher's decisions on suggestions: accept codes a passage (origin "suggestion", the researcher as
coder), reject remembers the (passage, code) so it is not suggested again. Each is one undoable command;
a rejection is keyed on the span, not the candidate id, so it outlives a re-cut of the turn."""

from __future__ import annotations

from collections.abc import Iterable

from ..codebook import get_code
from ..codings import add_codings
from ..study.actionlog import now
from .segments import Candidate


def rejected_pairs(store) -> set[tuple[int, int, int, int]]:
    """(source id, start, end, code id) of every rejected suggestion."""
    rows = store.db.execute("SELECT source_id, char_start, char_end, code_id FROM suggestion_rejections")
    return {tuple(r) for r in rows.fetchall()}


def accept(store, picks: Iterable[tuple[Candidate, int]]) -> int:
    """Code each (passage, code id) as one undoable command: origin "suggestion", the researcher as coder."""
    picks = list(picks)
    if not picks:
        return 0
    names = sorted({get_code(store, cid).name for _, cid in picks})
    what = names[0] if len(names) == 1 else f"{len(names)} codes"
    return add_codings(store, [(c.source_id, c.start, c.end, cid) for c, cid in picks], origin="suggestion",
                             summary=f"accepted {len(picks)} suggestion{'s' if len(picks) != 1 else ''} ({what})")


def reject(store, picks: Iterable[tuple[Candidate, int]]) -> int:
    """Remember that the researcher rejected each (passage, code id); one undoable command."""
    picks = list(picks)
    known = rejected_pairs(store)
    todo = []
    for cand, cid in picks:
        key = (cand.source_id, cand.start, cand.end, cid)
        if key not in known:
            known.add(key)
            todo.append(key)
    if not todo:
        return 0
    names = sorted({get_code(store, cid).name for *_, cid in todo})
    what = names[0] if len(names) == 1 else f"{len(names)} codes"
    stamp = now()
    with store.command("reject_suggestions",
                       f"rejected {len(todo)} suggestion{'s' if len(todo) != 1 else ''} ({what})") as rec:
        for source_id, start, end, cid in todo:
            rec.insert("suggestion_rejections", {"source_id": source_id, "char_start": start, "char_end": end,
                                                 "code_id": cid, "coder": store.coder, "rejected_at": stamp})
    return len(todo)
