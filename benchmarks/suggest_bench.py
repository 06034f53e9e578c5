"""Learned suggestions against a plain TF-IDF + logistic regression baseline, on a real coded project.

The row is a quality ratio, not a time: the mean precision of each held-out interview's 10 most confident
suggestions, the tool's over the baseline's, on the same folds (`coding.nlp.evaluation`, the same measure
as `scripts/eval_suggestions.py`). Full size: leave-one-interview-out on the real human-coded Mannheimer
project (10 interviews, in `tests/data/public/coded`); quick: 2 folds. The time of the whole run is a
second row, for the record.
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
from pathlib import Path

from .harness import row

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "eval_suggestions.py"


def _script():
    spec = importlib.util.spec_from_file_location("eval_suggestions", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_suggest(folds: int | None = None) -> dict:
    from coding.nlp.evaluation import evaluate

    script = _script()
    with tempfile.TemporaryDirectory() as folder:
        store = script.open_study(script.default_project(), Path(folder))
        t0 = time.perf_counter()
        result = evaluate(store, folds=folds)
        took = time.perf_counter() - t0
        store.close()
    tool, base = result["tool"], result["baseline"]
    how = "leave one interview out" if folds is None else f"{folds} folds by interview"
    at = tool["0.3"]
    return {"rows": [
        row("suggestions vs TF-IDF LR: top-10 precision", tool["top_precision"], baseline=base["top_precision"],
            min_ratio=1.5, unit="share",
            note=f"{result['sources']} real interviews, {how}; at confidence 0.3: precision "
                 f"{_f(at['precision'])}, recall {_f(at['recall'])}"),
        row("  the whole evaluation (both methods, every fold)", took, note="time, for the record"),
    ], "info": {"folds": folds or result["sources"], "tool": tool, "baseline": base, "ratio": result["ratio"],
                "per_source": [{"source": p["source"], "tool": p["tool"]["top"], "baseline": p["baseline"]["top"]}
                               for p in result["per_source"]]}}


def _f(x) -> str:
    return "-" if x is None else f"{x:.2f}"
