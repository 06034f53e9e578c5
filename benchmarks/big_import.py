"""Importing one big transcript file: wall time and peak memory, ours against the bare libraries.

    python -m benchmarks.big_import --mb 50     # prints the result as JSON

Each side runs in a process of its own, so its peak resident memory (ru_maxrss) is its own:

- ours: `importers.load_with_report(file)` (read, size check, decode, speaker labels, turns) then
  `new_study` + `import_transcripts` (participants, source, utterances, word counts, FTS5 index,
  action log) - what `research-tui import` does before it cuts the new turns into candidate quotes
  with spaCy (that step has its own row: the `spacy` benchmark);
- bare: read the bytes, decode UTF-8, split the lines at ": ", and insert the same turns into
  same-shaped tables with plain sqlite3 in one transaction, indexing them for FTS5 in one statement.

The file is generated (benchmarks.corpus: `Interviewer:`/`Participant:` turns of one to four sentences).
A second, smaller file shows how the cost grows with the size.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coding.codebook import new_study
from coding.importing import import_transcripts

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024

_BARE_SCHEMA = """
CREATE TABLE sources (id INTEGER PRIMARY KEY, title TEXT, filename TEXT, text TEXT);
CREATE TABLE participants (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE utterances (id INTEGER PRIMARY KEY, source_id INTEGER REFERENCES sources(id),
                         participant_id INTEGER REFERENCES participants(id), position INTEGER,
                         char_start INTEGER, char_end INTEGER, text TEXT, words INTEGER);
CREATE INDEX utterances_source ON utterances(source_id, char_start);
CREATE INDEX utterances_participant ON utterances(participant_id);
CREATE VIRTUAL TABLE utterances_fts USING fts5(text, content='utterances', content_rowid='id',
                                               tokenize='porter unicode61');
"""


def write_transcript(path: Path, mb: float) -> int:
    """A generated transcript of about `mb` MiB at `path`; returns its number of turns."""
    from .corpus import transcript_text

    sample = transcript_text(2000)
    turns = max(10, int(mb * MiB / (len(sample.encode()) / 2000)))
    path.write_text(transcript_text(turns), encoding="utf-8")
    return turns


def _rss_mb() -> float:
    """This process's peak resident memory. On Linux from VmHWM: ru_maxrss survives exec, so a child
    would report its parent's peak when that was higher."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(rss / (MiB if sys.platform == "darwin" else 1024), 1)


def ours(path: Path, study: Path) -> dict:
    import importers

    start_rss = _rss_mb()
    c0, t0 = time.process_time(), time.perf_counter()
    result = importers.load_with_report(path, max_bytes=path.stat().st_size + 1)
    t1 = time.perf_counter()
    store = new_study(study, coder="bench")
    import_transcripts(store, result.transcripts)
    store.close()
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "parse_s": t1 - t0, "store_s": t2 - t1, "cpu_s": time.process_time() - c0,
            "turns": len(result.transcripts[0].utterances), "start_rss_mb": start_rss, "peak_rss_mb": _rss_mb()}


def bare(path: Path, study: Path) -> dict:
    start_rss = _rss_mb()
    c0, t0 = time.process_time(), time.perf_counter()
    text = path.read_bytes().decode("utf-8")
    turns, pos = [], 0
    for line in text.split("\n"):
        label, sep, words = line.partition(": ")
        if sep and words:
            turns.append((label, pos + len(label) + 2, pos + len(line)))
        pos += len(line) + 1
    t1 = time.perf_counter()
    con = sqlite3.connect(study)
    con.execute("PRAGMA journal_mode = wal")
    con.executescript(_BARE_SCHEMA)
    with con:
        people = {name: con.execute("INSERT INTO participants (name) VALUES (?)", [name]).lastrowid
                  for name in dict.fromkeys(label for label, _, _ in turns)}
        sid = con.execute("INSERT INTO sources (title, filename, text) VALUES (?, ?, ?)",
                          [path.stem, path.name, text]).lastrowid
        con.executemany(
            "INSERT INTO utterances (source_id, participant_id, position, char_start, char_end, text, words) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((sid, people[label], i, a, b, words, len(words.split()))
             for i, (label, a, b) in enumerate(turns) for words in (text[a:b],)))
        con.execute("INSERT INTO utterances_fts(rowid, text) SELECT id, text FROM utterances")
    con.close()
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "parse_s": t1 - t0, "store_s": t2 - t1, "cpu_s": time.process_time() - c0,
            "turns": len(turns), "start_rss_mb": start_rss, "peak_rss_mb": _rss_mb()}


def run_child(side: str, path: Path, study: Path) -> dict:
    """One side in a fresh interpreter; its own timings and peak memory come back as JSON."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.big_import", "--child", side, str(path), str(study)],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{side} import failed: {out.stderr.strip().splitlines()[-1:]}")
    return json.loads(out.stdout)


def measure(mb: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long_interview.txt"
        turns = write_transcript(path, mb)
        size = path.stat().st_size
        result = {"mb": round(size / MiB, 1), "bytes": size, "turns": turns}
        for side in ("ours", "bare"):
            result[side] = run_child(side, path, Path(tmp) / f"{side}.rtui")
            for suffix in ("", "-wal", "-shm"):
                Path(tmp, f"{side}.rtui{suffix}").unlink(missing_ok=True)
    return result


def bench_big_import(mb: float = 49.0, smaller_mb: float = 12.0) -> dict:
    """Rows for `python -m benchmarks`: time and peak memory for a `mb` MiB file, time for a smaller one."""
    from .harness import row

    big = measure(mb)
    small = measure(smaller_mb)
    o, b = big["ours"], big["bare"]
    same = "" if o["turns"] == b["turns"] else f"; TURNS DIFFER: {o['turns']:,} vs bare {b['turns']:,}"
    name = f"import a {big['mb']:g} MB transcript ({big['turns']:,} turns)"
    note = (f"parse {o['parse_s']:.1f} s + store {o['store_s']:.1f} s (bare {b['parse_s']:.1f} + {b['store_s']:.1f}); "
            f"CPU {o['cpu_s']:.1f} s (bare {b['cpu_s']:.1f})")
    # proposed: the store's own rows may cost 3x bare sqlite (see bench_store_import); parsing speaker
    # labels costs more than splitting at ": ", so the whole import may cost 4x, and hold 3x the memory
    # (the text, its turns and sqlite's cache) that the bare import holds
    rows = [
        row(name, o["seconds"], baseline=b["seconds"], max_ratio=4.0, note=note + same),
        row("  peak memory of that import", o["peak_rss_mb"], baseline=b["peak_rss_mb"], max_ratio=3.0, unit="MB",
            note=f"resident; the interpreter and imports alone: {o['start_rss_mb']:.0f} MB "
                 f"(bare {b['start_rss_mb']:.0f} MB)"),
        row(f"import a {small['mb']:g} MB transcript", small["ours"]["seconds"], baseline=small["bare"]["seconds"],
            note=f"{small['ours']['seconds'] / small['bytes'] * MiB:.2f} s per MB here, "
                 f"{o['seconds'] / big['bytes'] * MiB:.2f} s per MB at {big['mb']:g} MB; "
                 f"peak {small['ours']['peak_rss_mb']:.0f} MB"),
    ]
    return {"rows": rows, "info": {"big": big, "small": small}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.big_import", description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=49.0)
    parser.add_argument("--child", nargs=3, metavar=("SIDE", "FILE", "STUDY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        side, path, study = args.child
        print(json.dumps((ours if side == "ours" else bare)(Path(path), Path(study))))
    else:
        print(json.dumps(measure(args.mb), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
