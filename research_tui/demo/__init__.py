"""The bundled demo study: a fictional MRI patient journey (10 interviews, 1 focus group, mixed formats).

`build_demo(path)` creates the study with its own codebook (`codebook.json`: the patient's stages,
specific needs, emotions, touchpoints, pain points and opportunities), imports the files in `files/`,
joins `participants.csv`, and applies the worked codings in `codings.json` (each a verbatim quote that
occurs once in its source, with the codes it carries). A colleague's coding of two interviews
(`second_coder.json`, coder `demo-colleague`) puts codes on the same quotes but leaves some needs,
channels, feelings and pain points uncoded, so agreement and reconciling have real disagreements to show
while the journey (which counts a quote's code once, whoever coded it) is the researcher's.
Then, as a researcher would, it drafts personas from the coding and names them, and writes the to-be
plan of five stages (`plans.json`), so the Personas screen and every section of the report show on first
run.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from coding.codebook import find_code, new_study
from coding.codings import add_codings
from coding.importing import import_transcripts
from coding.models import StudyError
from coding.people import find_participant
from coding.study import Store

DEMO_NAME = "MRI patient journey (fictional demo study)"
DEMO_CODER = "demo-researcher"
SECOND_CODER = "demo-colleague"  # codes two interviews too, so agreement and reconciling show on first run
_SKIP = {"participants.csv", "README.txt"}


def demo_files() -> list[Path]:
    folder = resources.files("research_tui.demo").joinpath("files")
    files = [Path(str(f)) for f in folder.iterdir() if f.name not in _SKIP and not f.name.startswith(".")]
    return sorted(files, key=lambda f: (f.name.startswith("focus"), f.name))  # interviews first


def build_demo(path: str | Path, *, coder: str | None = None) -> Store:
    import importers
    from importers.encoding import decode
    from importers.participants import read_participants

    folder = resources.files("research_tui.demo")
    sheet = folder.joinpath("files", "participants.csv")
    rows = read_participants(decode(sheet.read_bytes(), name="participants.csv"), name="participants.csv")
    transcripts = [t for f in demo_files() for t in importers.load(f)]
    codebook = json.loads(folder.joinpath("codebook.json").read_text("utf-8"))["codes"]
    store = new_study(path, template="mri-demo", name=DEMO_NAME, coder=coder, codes=codebook)
    import_transcripts(store, transcripts, participant_rows=rows, participants_file="participants.csv")
    apply_codings(store, json.loads(folder.joinpath("second_coder.json").read_text("utf-8")), coder=SECOND_CODER)
    apply_codings(store, json.loads(folder.joinpath("codings.json").read_text("utf-8")))
    apply_plans(store, json.loads(folder.joinpath("plans.json").read_text("utf-8")))
    return store


def apply_plans(store: Store, plans: dict) -> None:
    """Draft personas and name them (each draft found by a participant it must include); write stage plans."""
    from coding import personas, stageplans

    saved = personas.save_drafts(store, personas.draft_personas(store))
    for spec in plans["personas"]:
        member = find_participant(store, spec["includes"]).id
        match = [p for p in saved if member in p.participant_ids]
        if len(match) != 1:
            raise StudyError(f"demo persona {spec['name']!r}: no draft holds {spec['includes']}")
        personas.rename_persona(store, match[0].id, spec["name"])
        personas.edit_persona(store, match[0].id, description=spec["description"], goals=spec["goals"])
    if len({p.id for p in personas.personas(store)}) != len(plans["personas"]):
        raise StudyError("demo personas: the drafts do not match plans.json")
    for spec in plans["stages"]:
        stageplans.update_stage_plan(
            store, spec["stage"], to_be=spec["to_be"], as_is=spec.get("as_is", ""),
            kpis=[stageplans.parse_kpi(k) for k in spec["kpis"]], attach=spec["opportunities"])


def apply_codings(store: Store, items: list[dict], *, coder: str = DEMO_CODER) -> int:
    """Apply {"source": filename, "quote": words, "codes": [names]} as one undoable command."""
    sources = {s.filename: s for s in store.sources()}
    planned = []
    for item in items:
        source = sources.get(item["source"])
        if source is None:
            raise StudyError(f"demo coding names an unknown source {item['source']!r}")
        start = source.text.find(item["quote"])
        if start < 0 or source.text.find(item["quote"], start + 1) >= 0:
            raise StudyError(f"demo quote must occur exactly once in {item['source']}: {item['quote'][:50]!r}")
        end = start + len(item["quote"])
        planned.extend((source.id, start, end, find_code(store, name).id) for name in item["codes"])
    what = "worked demo coding" if coder == DEMO_CODER else f"a second coder's demo coding by {coder}"
    return add_codings(store, planned, summary=f"{what} ({len(items)} quotes)", coder=coder)
