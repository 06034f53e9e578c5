"""What every benchmark shares: timing, memory, and the result rows `python -m benchmarks` prints.

A benchmark function returns `{"rows": [row(...), ...], "info": {...}}`, or `skipped(reason)` when
what it measures is not there yet. A row is one measured number in seconds (or in MB, `unit="MB"`, for
peak memory), optionally against a baseline (the bare library doing the same work) and a target:
`max_s` (seconds) or `max_ratio`.
"""

from __future__ import annotations

import math
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

ROW_KEYS = ("name", "measured", "baseline", "ratio", "target", "ok", "note", "unit")


def best_of(fn: Callable[..., Any], *, setup: Callable[[], tuple] | None = None, repeat: int = 3,
            budget_s: float = 6.0) -> tuple[float, Any]:
    """(best wall time, last result) of `fn(*setup())` over up to `repeat` runs.

    `setup` runs untimed before each run. A run slower than `budget_s` ends the repeats early, so the
    expensive benchmarks run once and `make bench` stays within its few minutes.
    """
    best, result = math.inf, None
    for _ in range(repeat):
        args = setup() if setup else ()
        t0 = time.perf_counter()
        result = fn(*args)
        elapsed = time.perf_counter() - t0
        best = min(best, elapsed)
        if elapsed > budget_s:
            break
    return best, result


def peak_alloc_mb(fn: Callable[[], Any]) -> float:
    """Peak Python heap allocated while `fn()` runs (tracemalloc; an untimed extra run)."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return round((peak - base) / 2**20, 1)


def max_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss: KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(rss / (2**20 if sys.platform == "darwin" else 2**10), 1)


def row(name: str, measured: float | None, *, baseline: float | None = None, max_s: float | None = None,
        max_ratio: float | None = None, min_ratio: float | None = None, note: str = "", unit: str = "s") -> dict:
    """One line of the table. `ok` is None when there is no target (or nothing was measured). `min_ratio` is
    for a quality (unit "share"): ours must be at least that many times the baseline's."""
    ratio = round(measured / baseline, 2) if measured is not None and baseline else None
    target, ok = "", None
    if max_s is not None:
        target = f"<= {fmt_mb(max_s) if unit == 'MB' else fmt_s(max_s)}"
        ok = None if measured is None else measured <= max_s
    elif max_ratio is not None:
        target = f"ratio <= {max_ratio:g}"
        ok = None if ratio is None else ratio <= max_ratio
    elif min_ratio is not None:
        target = f"ratio >= {min_ratio:g}"
        ok = None if ratio is None else ratio >= min_ratio
    return {"name": name, "measured": _round(measured), "baseline": _round(baseline), "ratio": ratio,
            "target": target, "ok": ok, "note": note, "unit": unit}


def skipped(reason: str) -> dict:
    return {"rows": [], "info": {}, "skipped": reason}


def _round(x: float | None) -> float | None:
    return None if x is None else float(f"{x:.4g}")


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_share(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def fmt_mb(mb: float | None) -> str:
    return "-" if mb is None else f"{mb:,.0f} MB"


def per_s(count: float, seconds: float) -> str:
    """'1.2M', '340k' ... per second."""
    rate = count / seconds if seconds else math.inf
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if rate >= size:
            return f"{rate / size:.1f}{unit}"
    return f"{rate:.0f}"


def table(results: dict[str, dict]) -> str:
    """The readable table: one line per row, a line per skipped or failed benchmark."""
    head = ("benchmark", "measured", "baseline", "ratio", "target", "ok?", "note")
    lines: list[tuple[str, ...]] = []
    for key, result in results.items():
        for r in result.get("rows", []):
            ok = {True: "ok", False: "MISSED", None: ""}[r["ok"]]
            ratio = f"{r['ratio']:g}x" if r["ratio"] is not None else "-"
            fmt = {"MB": fmt_mb, "share": fmt_share}.get(r.get("unit"), fmt_s)
            lines.append((r["name"], fmt(r["measured"]), fmt(r["baseline"]), ratio, r["target"], ok, r["note"]))
        if result.get("skipped"):
            lines.append((key, "-", "-", "-", "", "SKIPPED", result["skipped"]))
        if result.get("error"):
            lines.append((key, "-", "-", "-", "", "ERROR", result["error"]))
    widths = [max(len(line[i]) for line in [head, *lines]) for i in range(len(head) - 1)]
    out = []
    for line in [head, tuple("-" * w for w in widths) + ("-" * 4,), *lines]:
        cells = [c.ljust(w) if i in (0, 4) else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))]
        out.append("  ".join(cells + [line[-1]]).rstrip())
    return "\n".join(out)
