"""The emotion model's reading of each candidate quote, kept in the study (table `candidate_emotions`).

Computed on first use and reused: suggestions, the reader and persona curves read it instead of
running the model over every quote again. A row belongs to one model version (`emotion.model_id()`);
a new model recomputes. A re-cut turn drops its candidates and with them their rows (foreign key).
The table is a cache, not a decision: writing it is not an undoable command.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .emotion import Prediction, model_id, predict
from .segments import Candidate

_CHUNK = 2000


def predictions(store, cands: Sequence[Candidate]) -> list[Prediction]:
    """One Prediction per candidate, in order: read from the study, or computed and stored (unless the
    study is open for reading only)."""
    version = model_id()
    known: dict[int, Prediction] = {}
    ids = [c.id for c in cands]
    for k in range(0, len(ids), 900):
        part = ids[k:k + 900]
        rows = store.db.execute(
            "SELECT candidate_id, valence, emotion, confidence, sentiment, emotions FROM candidate_emotions "
            f"WHERE model = ? AND candidate_id IN ({', '.join('?' for _ in part)})", [version, *part]).fetchall()
        for cid, valence, emotion, confidence, sentiment, emotions in rows:
            known[cid] = Prediction(valence, emotion, confidence, sentiment, json.loads(emotions))
    missing = [c for c in cands if c.id not in known]
    for k in range(0, len(missing), _CHUNK):
        part = missing[k:k + _CHUNK]
        found = predict([c.text for c in part])
        if not store.read_only:  # a study open for reading only is never written, not even a cache
            with store.db.atomic():
                store.db.conn.executemany(
                    "INSERT OR REPLACE INTO candidate_emotions (candidate_id, model, valence, emotion, confidence, "
                    "sentiment, emotions) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(c.id, version, p.valence, p.emotion, p.confidence, p.sentiment, json.dumps(p.emotions))
                     for c, p in zip(part, found)])
        known.update((c.id, p) for c, p in zip(part, found))
    return [known[c.id] for c in cands]
