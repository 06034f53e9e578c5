"""`make bench`: every benchmark, a table, then one JSON object (also written to out/bench.json).

    python -m benchmarks                  # full sizes (a few minutes on a 2-core machine)
    python -m benchmarks --quick          # tiny sizes: checks that everything runs
    python -m benchmarks --only tui ...   # some of: text vtt store queries tui report spacy cluster
                                          #   backup bigfile personas large suggest
    python -m benchmarks --strict         # exit 1 when a target is missed

Speed targets live here, never in unit tests. Each number is measured against the bare library
doing the same work; see `harness.row` for what a row holds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from .big_import import bench_big_import
from .core_bench import bench_queries, bench_store_import, bench_text_import, bench_vtt_import
from .harness import row, table
from .large_inputs import bench_large_inputs
from .nlp_bench import bench_cluster, bench_spacy
from .personas_bench import bench_personas
from .safety_bench import bench_backup
from .suggest_bench import bench_suggest
from .tui_bench import bench_tui


def bench_report(n_codings: int = 5000) -> dict:
    """`exports.write_report` on a generated study vs bare python-docx (benchmarks/report_bench.py)."""
    from .report_bench import bench_report as run

    result = run(n_codings)
    same = f"same {result['paragraphs']} paragraphs, {result['tables']} tables, {result['pictures']} picture"
    return {"rows": [row(f"write_report, {result['codings']:,} codings", result["report_s"],
                         baseline=result["baseline_s"], max_ratio=1.5, note=f"vs python-docx: {same}"),
                     row("  of which synthesis", result["synthesis_s"], note="compute_journey (TF-IDF)")],
            "info": result}


# name -> (function, full-size arguments, tiny arguments); the study file is shared (see run_all)
BENCHMARKS = {
    "text": (bench_text_import, {"n_turns": 2000}, {"n_turns": 200}),
    "vtt": (bench_vtt_import, {"n_cues": 5000}, {"n_cues": 200}),
    "store": (bench_store_import, {"n_utterances": 50_000}, {"n_utterances": 400}),
    "queries": (bench_queries, {"n_utterances": 50_000, "n_codings": 5000},
                {"n_utterances": 400, "n_codings": 50}),
    "tui": (bench_tui, {"n_utterances": 50_000, "n_codings": 5000},
            {"n_utterances": 400, "n_codings": 50, "keys": 3}),
    "report": (bench_report, {"n_codings": 5000}, {"n_codings": 200}),
    "spacy": (bench_spacy, {"n_words": 1_000_000}, {"n_words": 3000}),
    "cluster": (bench_cluster, {"n_quotes": 20_000, "n_memory": 50_000}, {"n_quotes": 300, "n_memory": 0}),
    "backup": (bench_backup, {"n_utterances": 50_000, "n_codings": 5000}, {"n_utterances": 400, "n_codings": 50}),
    "bigfile": (bench_big_import, {"mb": 49.0, "smaller_mb": 12.0}, {"mb": 0.2, "smaller_mb": 0.05}),
    "personas": (bench_personas, {"n_participants": 1000}, {"n_participants": 12}),
    "large": (bench_large_inputs, {}, {"quick": True}),  # big inputs of issue 19: 60 s and 1 GB each
    "suggest": (bench_suggest, {"folds": None}, {"folds": 2}),
}


def run_all(names: list[str], *, quick: bool = False, log=print) -> dict[str, dict]:
    """Run benchmarks in order; one failure is recorded as an error and the rest still run.

    `store` leaves its imported study behind; `queries` adds the codings to it and `tui` opens it,
    so the 50k-utterance study is built once.
    """
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        study = Path(tmp) / "study.rtui"
        shared = {"store": {"keep": study}, "queries": {"study": study}, "tui": {"study": study},
                  "backup": {"study": study}}
        for name in names:
            fn, full, tiny = BENCHMARKS[name]
            log(f"running {name} ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                result = fn(**(tiny if quick else full), **shared.get(name, {}))
            except Exception as exc:  # noqa: BLE001  one failure must not hide the other results
                traceback.print_exc(file=sys.stderr)
                result = {"rows": [], "info": {}, "error": f"{type(exc).__name__}: {exc}"}
            result["seconds"] = round(time.perf_counter() - t0, 1)
            results[name] = result
    return results


def summary(results: dict[str, dict]) -> dict:
    rows = [r for res in results.values() for r in res.get("rows", [])]
    return {"rows": len(rows), "ok": sum(r["ok"] is True for r in rows),
            "missed": [r["name"] for r in rows if r["ok"] is False],
            "skipped": {k: v["skipped"] for k, v in results.items() if v.get("skipped")},
            "errors": {k: v["error"] for k, v in results.items() if v.get("error")}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check that everything runs")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), default=list(BENCHMARKS))
    parser.add_argument("--out", type=Path, default=Path("out") / "bench.json", help="where the JSON goes")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    started = datetime.now(UTC)
    t0 = time.perf_counter()
    results = run_all(args.only, quick=args.quick)
    report = {
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - t0, 1),
        "quick": args.quick,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "summary": summary(results),
        "benchmarks": results,
    }
    print(table(results))
    print(json.dumps(report, default=str))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    return 1 if args.strict and report["summary"]["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
