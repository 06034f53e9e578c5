"""Big inputs that once took minutes and gigabytes (issue 19 item 6), each run as a researcher runs it:
`research-tui import` (then `info`) in a process of its own, its wall time and peak resident memory
against the targets every row here shares: 60 s and 1 GB.

    python -m benchmarks.large_inputs                    # full sizes, prints the result as JSON
    python -m benchmarks.large_inputs --quick --only survey

- a REFI-QDA codebook (.qdc) of 100,000 codes, 10,002 of them named "Same" (before: 16,000 codes took
  44 s, 100,000 did not finish in 600 s; 10,002 of one name failed with StopIteration);
- a survey CSV of 1,000,000 rows, 49.7 MiB, under the 50 MB limit (before: 344 s and 4.96 GB, then
  `info` 169 s and 5.7 GB);
- one 50 MB line of words without a comma or a full stop, as automatic captions are (before: 21
  minutes);
- a folder of 20,000 short interviews (before: 18 minutes; every pair compared for twins).

The inputs are generated (deterministic), in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024
MAX_S, MAX_MB = 60.0, 1024.0

_WORDS = ("the scan letter waiting room nurse results phone app booking referral doctor appointment worried "
          "relieved confusing quick slow kind cold noise machine weeks days told nobody called back parking "
          "hospital clinic private queue form questions and but so then").split()


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def write_codebook(path: Path, codes: int, same: int) -> None:
    """A .qdc: `codes` codes (every tenth with three children), `same` more all named "Same"."""
    guid = iter(range(1, 10**9))

    def code(name: str, children: str = "") -> str:
        g = next(guid)
        return (f'<Code guid="{g:08x}-0000-4000-8000-{g:012x}" name="{name}" isCodable="true">'
                f"<Description>{name}, said about the visit</Description>{children}</Code>")

    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
                 'origin="a benchmark"><Codes>')
        n = 0
        while n < codes:
            kids = "".join(code(f"theme {n} part {k}") for k in range(3)) if n % 10 == 0 else ""
            fh.write(code(f"theme {n}", kids))
            n += 4 if kids else 1
        fh.writelines(code("Same") for _ in range(same))
        fh.write("</Codes></CodeBook>\n")


def write_survey(path: Path, rows: int) -> None:
    rng = random.Random(19)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("respondent,segment,What happened at your visit?\n")
        for i in range(rows):
            fh.write(f"r{i},{'NHS' if i % 3 else 'Private'},{_words(rng, 5)}\n")


def write_one_line(path: Path, mb: float) -> None:
    """Words and nothing else, no comma, no full stop, no line break: a caption track's text run together,
    the worst case for cutting it into quotes (no clause boundary to cut at, only spaces)."""
    rng = random.Random(6)
    plain = [w for w in _WORDS if w not in ("and", "but", "so", "then")]
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < mb * MiB:
            chunk = " ".join(rng.choice(plain) for _ in range(10_000)) + " "
            fh.write(chunk)
            written += len(chunk)


def write_folder(folder: Path, files: int) -> None:
    rng = random.Random(20)
    folder.mkdir()
    for i in range(files):
        turns = [f"{'Interviewer' if k % 2 == 0 else 'Participant'}: {_words(rng, rng.randint(6, 20))}."
                 for k in range(6)]
        (folder / f"interview_{i:05d}.txt").write_text("\n".join(turns) + "\n", encoding="utf-8")


def run_cli(*argv: str | Path) -> dict:
    """`research-tui ARGV` in a fresh interpreter: wall time, CPU time and peak resident memory, its own (on
    a busy machine the CPU time says more than the wall time)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "research_tui.cli", *map(str, argv)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode:
        raise RuntimeError(f"research-tui {argv[0]} failed: {err.strip().splitlines()[-1:]}")
    peak = usage.ru_maxrss / (MiB if sys.platform == "darwin" else 1024)
    return {"seconds": round(seconds, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(peak, 1)}


def _import(tmp: Path, name: str, source: Path, *extra: str) -> tuple[Path, dict]:
    study = tmp / f"{name}.rtui"
    run_cli("new", study)
    return study, run_cli("import", study, source, *extra)


def measure(only: list[str], *, quick: bool = False) -> dict[str, dict]:
    sizes = {"codebook": (1000, 102) if quick else (100_000, 10_002), "survey": 2000 if quick else 1_000_000,
             "line": 0.2 if quick else 50.0, "folder": 40 if quick else 20_000}
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if "codebook" in only:
            codes, same = sizes["codebook"]
            path = tmp / "codebook.qdc"
            write_codebook(path, codes, same)
            _, out["codebook"] = _import(tmp, "codebook", path)
            out["codebook"] |= {"codes": codes + same, "mb": round(path.stat().st_size / MiB, 1)}
        if "survey" in only:
            path = tmp / "survey.csv"
            write_survey(path, sizes["survey"])
            study, out["survey"] = _import(tmp, "survey", path)
            out["survey"] |= {"rows": sizes["survey"], "mb": round(path.stat().st_size / MiB, 1)}
            out["survey info"] = run_cli("info", study)
        if "line" in only:
            path = tmp / "one_line.txt"
            write_one_line(path, sizes["line"])
            _, out["line"] = _import(tmp, "line", path, "--max-mb", "60")
            out["line"] |= {"mb": round(path.stat().st_size / MiB, 1)}
        if "folder" in only:
            path = tmp / "interviews"
            write_folder(path, sizes["folder"])
            _, out["folder"] = _import(tmp, "folder", path)
            out["folder"] |= {"files": sizes["folder"]}
    return out


NAMES = ("codebook", "survey", "line", "folder")


def bench_large_inputs(only: tuple[str, ...] = NAMES, quick: bool = False) -> dict:
    """Rows for `python -m benchmarks`: time and peak memory of each big input against 60 s and 1 GB."""
    from .harness import row

    got = measure(list(only), quick=quick)
    what = {
        "codebook": lambda r: f"import a codebook of {r['codes']:,} codes ({r['mb']:g} MB .qdc)",
        "survey": lambda r: f"import a survey of {r['rows']:,} rows ({r['mb']:g} MB CSV)",
        "survey info": lambda r: "  then `info` on that study",
        "line": lambda r: f"import one {r['mb']:g} MB line (no full stop)",
        "folder": lambda r: f"import a folder of {r['files']:,} interviews",
    }
    rows = []
    for key, result in got.items():
        rows.append(row(what[key](result), result["seconds"], max_s=MAX_S,
                        note=f"research-tui in its own process; CPU {result['cpu_s']:.1f} s"))
        rows.append(row("  peak memory", result["peak_mb"], max_s=MAX_MB, unit="MB", note="resident"))
    return {"rows": rows, "info": got}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.large_inputs", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=NAMES, default=list(NAMES))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.only, quick=args.quick), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
