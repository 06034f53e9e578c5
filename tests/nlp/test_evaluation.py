"""The harness that keeps suggestions honest: folds by interview, the tool and a TF-IDF baseline on the same
folds, a suggestion right when the researcher's codings of its code cover half of it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coding.codings import list_codings, remove_codings
from coding.nlp import evaluation as E
from tests.nlp.test_passages import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def study(tmp_path):
    store = build(tmp_path / "s.rtui", range(5))
    yield store
    store.close()


def test_folds_by_interview_round_robin():
    assert E.make_folds([4, 5, 6, 7, 8], None) == [[4], [5], [6], [7], [8]]
    assert E.make_folds([4, 5, 6, 7, 8], 2) == [[4, 6, 8], [5, 7]]
    assert E.make_folds([4, 5], 9) == [[4], [5]]
    with pytest.raises(ValueError):
        E.make_folds([4, 5, 6], 1)


def test_right_when_the_codes_codings_cover_half_the_span():
    gold = {(1, 7): [(100, 200), (250, 260)]}
    assert E.is_right(1, 100, 200, 7, gold)
    assert E.is_right(1, 150, 250, 7, gold)          # 50 of 100 covered
    assert not E.is_right(1, 0, 199, 7, gold)        # 99 of 199: just under half
    assert E.is_right(1, 150, 260, 7, gold)          # 50 + 10 of 110: two codings together
    assert not E.is_right(1, 100, 200, 8, gold)      # another code
    assert not E.is_right(2, 100, 200, 7, gold)      # another source


def test_leave_one_interview_out_on_a_study(study):
    """Four coded interviews, each held out in turn: the two themes are found in the held-out interview by the
    tool and by the baseline, each measured on the same folds; calibration bins count every suggestion."""
    said = []
    result = E.evaluate(study, progress=said.append)
    assert result["sources"] == 4 and len(result["per_source"]) == 4 and len(said) == 4
    assert [p["codings"] for p in result["per_source"]] == [2, 2, 2, 2]
    for who in ("tool", "baseline"):
        assert 0.0 <= result[who]["top_precision"] <= 1.0
        assert set(result[who]) >= {"0.3", "0.5", "calibration"}
    # at 0.5 every passage the tool suggests is one the researcher coded, in every held-out interview
    for p in result["per_source"]:
        at = p["tool"]["0.5"]
        assert at["coded"] == 2 and 1 <= at["right"] == at["suggested"] == at["recovered"] <= 2
        assert p["tool"]["top"] >= 0.2 and p["baseline"]["top"] >= 0.2
    assert result["tool"]["0.5"]["precision"] == 1.0 and result["tool"]["0.5"]["recall"] >= 0.5
    assert sum(b["suggestions"] for b in result["tool"]["calibration"]) == sum(
        p["tool"]["suggested"] for p in result["per_source"])
    assert result["ratio"] == pytest.approx(result["tool"]["top_precision"] / result["baseline"]["top_precision"],
                                            abs=0.01)


def test_two_folds_and_a_study_with_one_coded_interview(study):
    result = E.evaluate(study, folds=2)
    assert result["sources"] == 4
    remove_codings(study, [c.id for c in list_codings(study) if c.source_id != study.sources()[0].id])
    with pytest.raises(ValueError, match="two coded sources"):
        E.evaluate(study)


def test_the_script_prints_tables_and_json(study, tmp_path):
    path = study.path
    study.close()
    script = ROOT / "scripts" / "eval_suggestions.py"
    out = subprocess.run([sys.executable, str(script), str(path), "--folds", "2", "--json"], capture_output=True,
                         text=True, check=True).stdout
    result = json.loads(out)
    assert result["sources"] == 4 and {"tool", "baseline", "ratio", "per_source"} <= set(result)
    table = subprocess.run([sys.executable, str(script), str(path), "--folds", "2", "--readme"], capture_output=True,
                           text=True, check=True).stdout
    assert "| held-out interview | codings | tool: precision of top 10 | baseline: precision of top 10 |" in table
    assert table.count("| interview_") == 4 and "Top-10 precision, tool / baseline:" in table
