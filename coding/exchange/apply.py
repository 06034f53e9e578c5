"""A `QdaProject` into a study, in one transaction: `import_project` (a .qdpx, .qdc or another study).

Import adds the project's text sources (a source whose text is already in the study is matched, not
added twice), its codes (matched by name; our kinds, valences and order restored; a code from another
tool becomes a theme unless a code of that name exists), its codings at their exact positions with the
coder who made them, its cases as participants with their variables as attributes, and its notes as
memos; from a project research-tui wrote, also the stage plans (to-be, as-is, KPIs, opportunities) and
personas with their members. `merge=True` is for a colleague's copy of the same study: only sources
already in the study are used (matched by content hash), nothing is deleted, and the whole merge is one
undoable command.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from ..codebook import default_colour, list_codes
from ..importing.transcript import add_transcript, content_hash
from ..models import CODE_KINDS, ORIGINS, StudyError
from .model import QdaCode, QdaProject

SHOWN = 20  # names listed in one line of the report: a codebook of 150 codes is counted, not recited


def _some(names: list[str]) -> str:
    """'a, b, c', or the first SHOWN and 'and 132 more'."""
    if len(names) <= SHOWN:
        return ", ".join(names)
    return f"{', '.join(names[:SHOWN])} and {len(names) - SHOWN} more"


@dataclass
class ExchangeReport:
    sources_added: list[str] = field(default_factory=list)
    sources_matched: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    codes_matched: int = 0
    codings_added: int = 0
    codings_present: int = 0
    participants: int = 0
    memos: int = 0
    plans: int = 0
    personas: int = 0
    notes: list[str] = field(default_factory=list)      # skipped things and conflicts, one line each

    def lines(self) -> list[str]:
        out = []
        if self.sources_added:
            out.append(f"added {len(self.sources_added)} sources: {_some(self.sources_added)}")
        if self.sources_matched:
            out.append(f"{len(self.sources_matched)} sources already in the study (same text): "
                       f"{_some(self.sources_matched)}")
        out.append(f"codes: {len(self.codes_added)} new"
                   + (f" ({_some(self.codes_added)})" if self.codes_added else "")
                   + f", {self.codes_matched} matched by name")
        out.append(f"codings: {self.codings_added} added, {self.codings_present} already there")
        if self.participants:
            out.append(f"participants: {self.participants} with attributes from the project's cases")
        if self.memos:
            out.append(f"memos: {self.memos}")
        if self.plans:
            out.append(f"to-be plans (with their KPIs): {self.plans} stages")
        if self.personas:
            out.append(f"personas: {self.personas}")
        return out + self.notes


def import_project(store, project: QdaProject, *, merge: bool = False, filename: str = "") -> ExchangeReport:
    report = ExchangeReport()
    report.notes.extend(f"skipped: {line}" for line in project.skipped)
    report.notes.extend(f"note: {line}" for line in project.remarks)
    users = {u.guid: u.name for u in project.users}
    kind = "merge" if merge else "import"
    summary = f"{'merged' if merge else 'imported'} {filename or project.name}"
    if merge:  # issue 8: a merge is backed up first
        from ..study.backup import backup

        backup(store, "before merging codings")
    with store.command(kind, summary, undoable=merge) as rec:
        rec.snapshots = merge  # an import is not undone: no copy of each row it adds
        code_ids = _codes(store, rec, project, report)
        hashes, by_text = {}, {}
        for sid, text, title, key in store.db.execute("SELECT id, text, title, content_hash FROM sources"):
            hashes[key] = by_text[_digest(text)] = (sid, title)
        placed: dict[str, int] = {}  # source guid -> the study's source
        for s in project.sources:
            t = s.transcript
            digest = _digest(s.text)
            hit = _same_source(t, digest, hashes, by_text)
            if hit is not None:
                source_id, title = hit
                report.sources_matched.append(title)
                _append_memo(store, rec, source_id, s.memo, project)
            elif merge:
                report.notes.append(f"skipped: source '{s.name}' is not in this study (merge only adds codings "
                                    "to sources both studies share)")
                continue
            elif t is None or not t.utterances:
                report.notes.append(f"skipped: source '{s.name}' has no text to import")
                continue
            else:
                if project.ours:  # the notes of its first import, not of this one
                    t.notes = list(t.metadata.get("import_notes", []))
                added = add_transcript(store, rec, t, content_hash(t), {})
                source_id = added["source_id"]
                if project.ours and s.created:
                    store.db.execute("UPDATE sources SET imported_at = ? WHERE id = ?", [s.created, source_id])
                hashes[content_hash(t)] = by_text[digest] = (source_id, added["title"])
                report.sources_added.append(added["title"])
                if s.memo:
                    rec.update("sources", source_id, {"memo": s.memo})
                    report.memos += 1
            placed[s.guid] = source_id
            _codings(store, rec, source_id, s, code_ids, users, report)
        if not merge:
            who = case_participants(store, project, placed)
            report.participants = _cases(store, rec, project, who)
            report.plans = _plans(store, rec, project, code_ids, report)
            report.personas = _personas(store, rec, project, who, report)
            for n in project.notes:
                rec.insert("memos", {"source_id": placed.get(n.source_guid), "title": n.name, "text": n.text,
                                     "author": project.origin or store.coder, "created_at": _now(),
                                     "modified_at": _now()})
                report.memos += 1
        if merge and not report.sources_matched:
            raise StudyError("the two studies share no source (by content), so there is nothing to merge",
                             path=filename or None)
        rec.summary = (f"{summary}: {report.codings_added} codings, {len(report.codes_added)} new codes")
    store._turns.clear()
    return report


def _same_source(t, digest: str, hashes: dict, by_text: dict):
    """(id, title) of the study's source that is this one, or None: by the key an import gives it (a survey
    respondent is its file, row and answers: two respondents who answered alike are two sources), else, for
    a transcript, by its text."""
    if t is not None:
        hit = hashes.get(content_hash(t))
        if hit is not None or (t.format == "csv" and "row" in t.metadata):
            return hit
    return by_text.get(digest)


def _digest(text: str) -> str:
    """Sources are the same when their texts are: compared on the text itself, whatever else a study keys
    its sources by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    from ..study.actionlog import now

    return now()


def _codes(store, rec, project: QdaProject, report: ExchangeReport) -> dict[str, int]:
    """guid -> code id, creating what the study lacks (parents first). Linear in the codebook: positions
    and the numbers that tell codes of one name apart are counted here, not asked of the study per code
    (16,000 codes took 44 s; 10,002 codes of one name ran out of numbers)."""
    existing = list_codes(store)
    by_kind_name = {(c.kind, c.name.casefold()): c.id for c in existing}
    by_name: dict[str, list[int]] = {}
    for c in existing:
        by_name.setdefault(c.name.casefold(), []).append(c.id)
    ids: dict[str, int] = {}
    names_taken = {(c.kind, c.name.casefold()) for c in existing}
    next_position = {kind: pos + 1 for kind, pos in store.db.execute(
        "SELECT kind, coalesce(max(position), -1) FROM codes GROUP BY kind")}
    next_number: dict[tuple[str, str], int] = {}  # (kind, base name) -> the next "(n)" to try

    def free_name(kind: str, base: str) -> str:
        n = next_number.get((kind, base.casefold()), 2)
        while (kind, f"{base} ({n})".casefold()) in names_taken:
            n += 1
        next_number[(kind, base.casefold())] = n + 1
        return f"{base} ({n})"

    def place(code: QdaCode, parent: QdaCode | None) -> None:
        kind = code.kind if code.kind in CODE_KINDS else None
        name = " ".join(code.name.split()) or "unnamed"
        match = by_kind_name.get((kind, name.casefold())) if kind else (
            by_name[name.casefold()][0] if len(by_name.get(name.casefold(), [])) == 1 else None)
        if match is not None:
            ids[code.guid] = match
            report.codes_matched += 1
        else:
            kind = kind or "theme"
            if (kind, name.casefold()) in names_taken:  # NVivo allows "Other" under two parents
                base = f"{name} ({parent.name})" if parent is not None else name
                name = base if (kind, base.casefold()) not in names_taken else free_name(kind, base)
            names_taken.add((kind, name.casefold()))
            valence = code.extra.get("valence")
            if valence is not None and not (isinstance(valence, int | float) and -2 <= valence <= 2):
                valence = None
            pos = next_position.get(kind, 0)
            next_position[kind] = pos + 1
            colour = code.color if code.color and code.color.startswith("#") else default_colour(kind, pos, valence)
            ids[code.guid] = rec.insert("codes", {
                "name": name, "kind": kind, "parent_id": ids.get(parent.guid) if parent is not None else None,
                "colour": colour, "description": code.description, "position": pos, "valence": valence,
                "attributes": json.dumps(code.extra.get("attributes") or {}),
            })
            report.codes_added.append(name)
        for child in code.children:
            place(child, code)

    for code in project.codes:
        place(code, None)
    return ids


def _codings(store, rec, source_id: int, s, code_ids: dict[str, int], users: dict[str, str],
             report: ExchangeReport) -> None:
    length = len(store.source_text(source_id))
    present = {tuple(r) for r in store.db.execute(
        "SELECT char_start, char_end, code_id, coder FROM codings WHERE source_id = ?", [source_id])}
    theirs = Counter()
    unknown = 0
    for c in s.codings:
        code_id = code_ids.get(c.code_guid)
        if code_id is None:
            unknown += 1
            continue
        if not (0 <= c.start < c.end <= length):
            continue
        coder = users.get(c.user_guid or "", "") or "unknown coder"
        key = (c.start, c.end, code_id, coder)
        if key in present:
            report.codings_present += 1
            continue
        present.add(key)
        stamp = c.created or _now()
        rec.insert("codings", {"source_id": source_id, "char_start": c.start, "char_end": c.end, "code_id": code_id,
                               "coder": coder, "origin": c.origin if c.origin in ORIGINS else "import",
                               "created_at": stamp, "modified_at": stamp, "memo": c.memo})
        report.codings_added += 1
        theirs[coder] += 1
    if unknown:
        report.notes.append(f"skipped: {unknown} codings in '{s.name}' refer to codes the project does not define")


def _append_memo(store, rec, source_id: int, memo: str, project: QdaProject) -> None:
    if not memo:
        return
    current = store.source_memo(source_id)
    if memo in current:
        return
    joined = f"{current}\n\n— from {project.name}:\n{memo}" if current else memo
    rec.update("sources", source_id, {"memo": joined})


def case_participants(store, project: QdaProject, placed: dict[str, int]) -> dict[str, int]:
    """case guid -> the participant it is: the one of the same name, else the speaker imported under the case's
    name in a source the case refers to (a generic label such as "P01", in an anonymized project, became
    "P01 (S01)")."""
    out: dict[str, int] = {}
    for case in project.cases:
        row = store.db.execute("SELECT id FROM participants WHERE name = ? COLLATE NOCASE", [case.name]).fetchone()
        if row is None:
            for source_guid in case.source_guids:
                if source_guid not in placed:
                    continue
                labels = json.loads(store.db.execute("SELECT metadata FROM sources WHERE id = ?",
                                                     [placed[source_guid]]).fetchone()[0]).get("speaker_labels", {})
                pid = next((int(p) for p, label in labels.items() if label == case.name), None)
                if pid is not None and store.db.execute("SELECT 1 FROM participants WHERE id = ?", [pid]).fetchone():
                    row = (pid,)
                    break
        if row is not None:
            out[case.guid] = row[0]
    return out


def _cases(store, rec, project: QdaProject, who: dict[str, int]) -> int:
    """Attributes, pseudonyms and roles from the project's cases onto their participants (`who`)."""
    joined = 0
    wanted: dict[int, str] = {}
    for case in project.cases:
        if case.guid not in who:
            continue
        row = store.db.execute("SELECT id, attributes, pseudonym FROM participants WHERE id = ?",
                               [who[case.guid]]).fetchone()
        attributes = json.loads(row[1])
        merged = {**attributes, **{k: v for k, v in case.attributes.items() if v != ""}}
        if merged != attributes:
            rec.update("participants", row[0], {"attributes": json.dumps(merged)})
        if case.pseudonym and case.pseudonym != row[2]:
            wanted[row[0]] = case.pseudonym
        joined += 1
    # pseudonyms move in two steps, so P01 and P02 can swap; one another participant holds is left alone
    others = {p for (p,) in store.db.execute(
        f"SELECT pseudonym FROM participants WHERE id NOT IN ({','.join('?' * len(wanted)) or 'NULL'})",
        list(wanted))}
    wanted = {pid: p for pid, p in wanted.items() if p not in others}
    if len(set(wanted.values())) == len(wanted):
        for pid in wanted:
            rec.update("participants", pid, {"pseudonym": f"~{pid}"})
        for pid, pseudonym in wanted.items():
            rec.update("participants", pid, {"pseudonym": pseudonym})
    return joined


def _plans(store, rec, project: QdaProject, code_ids: dict[str, int], report: ExchangeReport) -> int:
    """Our stage plans back onto their stages; a stage that has a plan in the study keeps it."""
    done = 0
    for plan in project.plans:
        stage_id = code_ids.get(plan.stage_guid)
        if stage_id is None:
            continue
        row = store.db.execute("SELECT id, as_is, to_be, kpis, opportunity_ids FROM stage_plans WHERE stage_id = ?",
                               [stage_id]).fetchone()
        if row is not None and (row[1] or row[2] or row[3] != "[]" or row[4] != "[]"):
            name = store.db.execute("SELECT name FROM codes WHERE id = ?", [stage_id]).fetchone()[0]
            report.notes.append(f"kept the study's own to-be plan of stage '{name}' (the project's is not used)")
            continue
        values = {"as_is": plan.as_is, "to_be": plan.to_be, "kpis": json.dumps(plan.kpis),
                  "opportunity_ids": json.dumps([code_ids[g] for g in plan.opportunity_guids if g in code_ids]),
                  "modified_at": _now()}
        if row is None:
            rec.insert("stage_plans", {"stage_id": stage_id, **values})
        else:
            rec.update("stage_plans", row[0], values)
        done += 1
    return done


def _personas(store, rec, project: QdaProject, who: dict[str, int], report: ExchangeReport) -> int:
    """Our personas back, with their members (`who`: case guid -> participant); a persona whose name the
    study has, or a member already in another persona, is left as the study has it, and said."""
    case_names = {c.guid: c.name for c in project.cases}
    position = store.db.execute("SELECT coalesce(max(position) + 1, 0) FROM personas").fetchone()[0]
    done = 0
    for p in project.personas:
        if store.db.execute("SELECT 1 FROM personas WHERE name = ? COLLATE NOCASE", [p.name]).fetchone():
            report.notes.append(f"kept the study's own persona '{p.name}' (the project's is not used)")
            continue
        persona_id = rec.insert("personas", {
            "name": p.name, "description": p.description, "goals": json.dumps(p.goals),
            "attributes": json.dumps(p.attributes) if p.attributes is not None else None, "position": position,
            "method": json.dumps(p.method), "created_at": _now(), "modified_at": _now()})
        position += 1
        done += 1
        for case in p.case_guids:
            if case not in who:
                continue
            if store.db.execute("SELECT 1 FROM persona_members WHERE participant_id = ?", [who[case]]).fetchone():
                report.notes.append(f"persona '{p.name}': '{case_names[case]}' is in another persona already")
                continue
            rec.insert("persona_members", {"persona_id": persona_id, "participant_id": who[case]})
    return done
