"""The core never loads the UI, and importing it loads no NLP library (they load lazily)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(code: str) -> set[str]:
    script = code + "\nimport sys, json\nprint(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_core_imports_no_ui_and_no_nlp():
    loaded = _loaded_after(
        "import coding.study, coding.codebook, coding.codings, coding.importing, coding.people, coding.guards\n"
        "import importers, exports\n"
        "import coding.synthesis"
    )
    for heavy in ("textual", "rich", "research_tui", "spacy", "sklearn", "matplotlib"):
        assert heavy not in loaded, f"importing the core loaded {heavy}"


def test_cli_start_loads_no_nlp():
    loaded = _loaded_after("import research_tui.cli, research_tui.commands")
    for heavy in ("spacy", "sklearn", "matplotlib", "textual"):
        assert heavy not in loaded


def test_import_linter_contracts_are_declared():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'forbidden_modules = ["research_tui", "textual", "rich"]' in text


def test_the_journey_needs_no_nlp_library(tmp_path):
    """The journey screen's first open used to wait 2-4 s for scikit-learn (representative quotes)."""
    loaded = _loaded_after(
        "from coding.codebook import find_code, new_study\n"
        "from coding.codings import add_coding\n"
        "from coding.importing import import_transcripts\n"
        "from coding.synthesis import compute_journey\n"
        "from tests.conftest import INTERVIEW_A, INTERVIEW_B, transcript_from_lines\n"
        f"s = new_study({str(tmp_path / 'j.rtui')!r})\n"
        "import_transcripts(s, [transcript_from_lines('a', INTERVIEW_A), transcript_from_lines('b', INTERVIEW_B)])\n"
        "src = s.sources()[0]\n"
        "i = src.text.index('I was nervous.')\n"
        "add_coding(s, src.id, i, i + 14, find_code(s, 'Awareness').id)\n"
        "add_coding(s, src.id, i, i + 14, find_code(s, 'Anxious').id)\n"
        "assert compute_journey(s).stages[0].representative"
    )
    for heavy in ("sklearn", "spacy", "scipy"):
        assert heavy not in loaded, f"computing the journey loaded {heavy}"


def test_the_study_package_is_forbidden_every_capability():
    """The contract that keeps `coding.study` free of capabilities names every other room of the core, so a
    new capability module cannot slip past it: only the shared vocabulary (`coding.models`), the study
    itself and the data folders may be left out."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    contract = next(c for c in config if c.get("source_modules") == ["coding.study"])
    rooms = {f"coding.{p.stem if p.suffix == '.py' else p.name}" for p in (ROOT / "coding").iterdir()
             if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()}
    assert rooms - set(contract["forbidden_modules"]) == {"coding.models", "coding.study"}
    assert set(contract["forbidden_modules"]) <= rooms
    assert any(c["type"] == "acyclic_siblings" and c["ancestors"] == ["coding"] for c in config)
