"""Learned suggestions against a plain TF-IDF baseline, k folds by interview, on a study a researcher coded.

    python scripts/eval_suggestions.py [STUDY.rtui | PROJECT.qdpx] [--folds K] [--top 10]
                                       [--min-confidence 0.3 0.5 0.7] [--coder NAME] [--json] [--readme]

Default input: the real coded interview project `mannheimer_dc_interviews.qdpx` (10 interviews, 230 codes,
321 codings; `$RESEARCH_TUI_SHARED_DATA/coded`, else `../shared/data/coded`, else the copy in
`tests/data/public/coded`). A .qdpx is imported into a temporary study first; a study is read, never
written. Folds: one interview each by default (leave-one-interview-out), or K folds round robin.
See `coding/nlp/evaluation.py` for what is measured and how a suggestion is judged right.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coding.codebook import new_study  # noqa: E402
from coding.nlp.evaluation import evaluate  # noqa: E402
from coding.study import Store  # noqa: E402

PROJECT = "mannheimer_dc_interviews.qdpx"


def default_project() -> Path:
    places = [Path(os.environ["RESEARCH_TUI_SHARED_DATA"]) / "coded"] if os.environ.get("RESEARCH_TUI_SHARED_DATA") \
        else []
    places += [ROOT.parent / "shared" / "data" / "coded", ROOT / "tests" / "data" / "public" / "coded"]
    for place in places:
        if (place / PROJECT).exists():
            return place / PROJECT
    raise SystemExit(f"{PROJECT} not found in {', '.join(map(str, places))}")


def open_study(path: Path, folder: Path) -> Store:
    """A study to read: the file itself, or a .qdpx/.qdc imported into a new study in `folder`."""
    if path.suffix.lower() not in (".qdpx", ".qdc"):
        return Store.open(path, read_only=True)
    from coding.exchange.apply import import_project
    from importers.qdpx import read_project_file

    store = new_study(folder / "evaluated.rtui", template="blank")
    import_project(store, read_project_file(path, max_bytes=500 * 1024 * 1024), filename=path.name)
    return store


def table(result: dict, thresholds: list[float]) -> str:
    top = result["top"]
    lines = [f"| held-out interview | codings | tool: precision of top {top} | baseline: precision of top {top} |",
             "|---|---|---|---|"]
    for p in result["per_source"]:
        lines.append(f"| {p['source']} | {p['codings']} | {p['tool']['top']:.2f} | {p['baseline']['top']:.2f} |")
    tool, base = result["tool"], result["baseline"]
    lines.append(f"| **mean** | | **{tool['top_precision']:.2f}** | **{base['top_precision']:.2f}** |")
    lines += ["", "| at confidence | tool precision | tool recall | tool suggestions | baseline precision | "
              "baseline recall | baseline suggestions |", "|---|---|---|---|---|---|---|"]
    for t in thresholds:
        a, b = tool[str(t)], base[str(t)]
        lines.append(f"| ≥ {t} | {_f(a['precision'])} | {_f(a['recall'])} | {a['suggested']} | "
                     f"{_f(b['precision'])} | {_f(b['recall'])} | {b['suggested']} |")
    lines += ["", "| tool confidence | suggestions | right |", "|---|---|---|"]
    for b in tool["calibration"]:
        lines.append(f"| {b['from']:.1f}–{b['to']:.1f} | {b['suggestions']} | {b['right']:.2f} |")
    ratio = "–" if result["ratio"] is None else f"{result['ratio']:.2f}×"
    lines += ["", f"Top-{top} precision, tool / baseline: {ratio} ({result['sources']} held-out interviews)."]
    return "\n".join(lines)


def _f(x) -> str:
    return "–" if x is None else f"{x:.2f}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("study", type=Path, nargs="?", help="a study (.rtui) or a REFI-QDA project (.qdpx)")
    p.add_argument("--folds", type=int, help="K folds by interview (default: one interview per fold)")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--min-confidence", type=float, nargs="+", default=[0.3, 0.5, 0.7])
    p.add_argument("--coder", help="only this coder's codings are the researcher's")
    p.add_argument("--json", action="store_true")
    p.add_argument("--readme", action="store_true", help="print the Markdown tables only (as in docs/nlp.md)")
    args = p.parse_args(argv)
    path = args.study or default_project()
    with tempfile.TemporaryDirectory() as folder:
        store = open_study(path, Path(folder))
        say = None if args.json or args.readme else (lambda line: print(line, file=sys.stderr, flush=True))
        result = evaluate(store, folds=args.folds, top=args.top, thresholds=args.min_confidence,
                          coder=args.coder, progress=say)
        store.close()
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(table(result, args.min_confidence))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
