"""`make bench` still runs: every benchmark at a tiny size returns rows of the expected shape.

No timing is asserted here: speed targets live in benchmarks/, never in unit tests.
"""

from __future__ import annotations

import json

import pytest

import benchmarks.__main__ as bench
from benchmarks.harness import ROW_KEYS, row, table


@pytest.mark.parametrize("name", list(bench.BENCHMARKS))
def test_benchmark_runs_at_a_tiny_size(name, tmp_path, monkeypatch):
    monkeypatch.setenv("RESEARCH_TUI_SETTINGS", str(tmp_path / "no-settings.toml"))
    fn, _full, tiny = bench.BENCHMARKS[name]
    result = fn(**tiny)
    assert "error" not in result
    assert isinstance(result["rows"], list) and isinstance(result["info"], dict)
    assert not result.get("skipped") and result["rows"]
    for r in result["rows"]:
        assert tuple(r) == ROW_KEYS
        assert r["measured"] is None or r["measured"] >= 0
        assert r["ok"] in (True, False, None)


def test_the_table_and_the_json_report(tmp_path, monkeypatch, capsys):
    fake = {"text": lambda n_turns: {"rows": [row("parse", 0.02, baseline=0.01, max_ratio=1.5)], "info": {}},
            "vtt": lambda n_cues: {"rows": [row("vtt", 0.5, max_s=1.0, note="fine")], "info": {}}}
    monkeypatch.setattr(bench, "BENCHMARKS", {k: (fn, {}, {"n_turns" if k == "text" else "n_cues": 1})
                                              for k, fn in fake.items()})
    out = tmp_path / "out" / "bench.json"
    assert bench.main(["--quick", "--only", "text", "vtt", "--out", str(out)]) == 0
    assert bench.main(["--quick", "--only", "text", "--strict", "--out", str(out)]) == 1  # ratio 2 > 1.5
    printed = capsys.readouterr().out
    assert "MISSED" in printed and "parse" in printed
    report = json.loads(out.read_text())
    assert report["summary"]["missed"] == ["parse"]
    assert report["benchmarks"]["text"]["rows"][0]["ratio"] == 2.0
    assert json.loads(printed.strip().splitlines()[-1])["summary"] == report["summary"]


def test_table_shows_skipped_and_failed_benchmarks():
    text = table({"tui": {"rows": [], "skipped": "no app yet"}, "store": {"rows": [], "error": "boom"}})
    assert "SKIPPED" in text and "no app yet" in text and "ERROR" in text and "boom" in text
