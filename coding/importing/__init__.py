"""Putting imported transcripts into a study: one transaction for all files, or none.

Speakers become participants. A named speaker ("Aisha Khan") is one participant across every source;
a generic label ("Participant", "Respondent", "P1", "Speaker 2", "Unknown speaker") means a different
person in each file, so it is scoped to its source ("Respondent (interview_03)"). Pseudonyms are
P01, P02 … for participants, I01 … for interviewers and M01 … for moderators.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import PurePath

from ..models import ROLES, Transcript
from .report import ImportReport, survey_skips
from .survey import Seen, store_survey
from .transcript import (
    PROGRESS_EVERY,
    Batch,
    add_transcript,
    apply_attribute_rows,
    content_hash,
    nocase,
    search_index_after,
)


def import_transcripts(store, transcripts, *, interviewers: list[str] = (),
                       participant_rows: list[dict] | None = None,
                       participants_file: str = "participants sheet",
                       progress: Callable[[int, int], object] | None = None) -> ImportReport:
    """Add transcripts (and optionally a participants sheet) in one transaction.

    `transcripts` are `Transcript`s, or surveys (`importers.survey.Survey`: a file's respondents, stored
    in bulk as they are read, see `coding.importing.survey`). A transcript whose text is already in the
    study (same content hash) is skipped with a message. `progress(done, total)` is called every
    `PROGRESS_EVERY` transcripts (respondents) and at the end.
    """
    report = ImportReport()
    forced = {n.casefold(): "interviewer" for n in interviewers}
    for row in participant_rows or ():  # roles from the sheet win over the importer's guess
        role = str(row.get("role", "")).strip().lower()
        if role in ROLES:
            forced[str(row.get("name", "")).strip().casefold()] = role
    total = sum(len(t) if not isinstance(t, Transcript) else 1 for t in transcripts)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)

    with store.command("import", "", undoable=False) as rec, search_index_after(store.db):
        rec.snapshots = False  # imports are not undoable: no copy of each source's text in memory
        seen = Seen(dict(store.db.execute("SELECT content_hash, title FROM sources")),
                    # survey rows imported before rows were keyed by file and row
                    {(f, json.loads(m).get("row"), text) for f, m, text in store.db.execute(
                        "SELECT filename, metadata, text FROM sources WHERE format = 'csv'")}, set())
        survey_skipped: dict[str, int] = {}
        survey_totals: dict[str, int] = {}
        rows_now: set[bytes] = set()  # survey rows of this import: half their content hash
        store._batch = Batch({r[0] for r in store.db.execute("SELECT pseudonym FROM participants")},
                             position=store.db.execute("SELECT coalesce(max(position) + 1, 0) FROM sources")
                             .fetchone()[0],
                             people={nocase(name): [pid, role] for pid, name, role in store.db.execute(
                                 "SELECT id, name, role FROM participants")},
                             titles={nocase(r[0]) for r in store.db.execute("SELECT title FROM sources")})
        try:
            for t in transcripts:
                if not isinstance(t, Transcript):  # a survey file's respondents, in bulk
                    added, skipped = store_survey(store, t, forced=forced, seen=seen, notes=report.notes,
                                                  tick=tick)
                    survey_totals[t.name] = survey_totals.get(t.name, 0) + len(t)
                    if skipped:
                        survey_skipped[t.name] = survey_skipped.get(t.name, 0) + skipped
                    if added:
                        report.added.append(added)
                    continue
                tick()
                digest = content_hash(t)
                survey = t.format == "csv"
                if survey:
                    survey_totals[t.filename] = survey_totals.get(t.filename, 0) + 1
                if digest in seen.hashes or (survey and (bytes.fromhex(digest[:32]) in rows_now or (
                        t.filename, t.metadata.get("row"), t.text) in seen.old_rows)):
                    if t.format == "csv":
                        survey_skipped[t.filename] = survey_skipped.get(t.filename, 0) + 1
                    else:
                        report.skipped.append(f"{t.filename}: skipped, the same text is already in the "
                                              f"study as '{seen.hashes[digest]}'")
                    continue
                if survey:  # a respondent: kept small (a survey may have a million)
                    rows_now.add(bytes.fromhex(digest[:32]))
                    seen.files.add(PurePath(t.filename).name)
                else:
                    seen.hashes[digest] = t.title
                report.added.append(add_transcript(store, rec, t, digest, forced, report.notes))
                report.notes.extend(f"{t.filename}: {n}" for n in t.notes)
        finally:
            store._batch = None
        report.skipped.extend(survey_skips(survey_skipped, survey_totals))
        if participant_rows:
            report.notes.extend(apply_attribute_rows(store, participant_rows, participants_file))
        n = report.count
        rec.summary = f"imported {n} source{'s' if n != 1 else ''}"
    return report
