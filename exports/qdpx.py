"""REFI-QDA exchange files for NVivo, ATLAS.ti, MAXQDA and QualCoder users.

    write_qdpx(store, path, *, anonymize=None, segment=None) -> QdaProject   a zip: project.qde + sources/<GUID>.txt
    write_qdc(store, path) -> int                              the codebook alone (codes written)

The project validates against the REFI-QDA Project.xsd (QDA-XML 1.0). Positions are UTF-16 code units,
as NVivo, ATLAS.ti and MAXQDA count them (the same as characters for text without emoji). Our code
kinds, valences, participants' roles and pseudonyms, the turns of each participant (and which are not
speech), stage plans and personas travel inside the standard (see `coding.exchange.model`), so
`research-tui import` of the file restores them; docs/exchange.md says exactly what a .qdpx keeps.

With anonymity on, cases are named by pseudonym, sources by a neutral id (S01 ...), names inside the
text and memos become pseudonyms (positions are recomputed for the shorter or longer text), and the
file names and import metadata are left out.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

from coding.exchange.model import (
    KIND_SETS,
    MARK,
    TURN,
    QdaProject,
    QdaSource,
    to_utf16,
    with_line,
)
from coding.exchange.snapshot import guid, project_from_store

from .anonymize import Anonymizer, xml_safe
from .common import write_atomically, zip_member_matching

_OURS = rb'origin="research-tui'  # what project.qde and a .qdc written here say about themselves

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


def write_qdpx(store, path: Path, *, anonymize: bool | None = None, segment: tuple[str, str] | None = None,
               force: bool = False) -> QdaProject:
    """The study as a REFI-QDA project ("-": standard output); with `segment` (attribute, value), only the
    sources where such a participant speaks (see `project_from_store`). An existing file is replaced only
    if it is a project research-tui wrote (`force`: any file but a study; see `write_atomically`)."""
    anonymize = store.anonymize if anonymize is None else bool(anonymize)
    project = project_from_store(store, segment=segment)
    if anonymize:
        study = store.setting("created_at") or store.name
        anon = Anonymizer.from_store(store, enabled=True)
        project = anonymized(project, anon, {guid(study, "source", x.id): anon.source_label(x.id)
                                             for x in store.sources()})
    data = qdpx_bytes(project)
    write_atomically(path, lambda tmp: tmp.write_bytes(data), "REFI-QDA project", force=force,
                     replaces=zip_member_matching("project.qde", _OURS))
    return project


def write_qdc(store, path: Path, *, anonymize: bool | None = None, force: bool = False) -> int:
    """The codebook holds no names, so `anonymize` changes nothing; it is accepted like every exporter's.
    An existing file is replaced only if it is a codebook research-tui wrote (`force`: any file but a study)."""
    project = project_from_store(store)
    data = qdc_bytes(project)
    write_atomically(path, lambda tmp: tmp.write_bytes(data), "REFI-QDA codebook", force=force,
                     replaces=lambda p: re.search(_OURS, p.read_bytes()[:4096]) is not None)
    return len(project.all_codes())


def qdpx_bytes(project: QdaProject) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", project_xml(project))
        for s in project.sources:
            z.writestr(f"sources/{s.guid}.txt", xml_safe(s.text).encode("utf-8"))
    return buffer.getvalue()


def _el(parent: ET.Element, tag: str, attrs: dict | None = None, text: str | None = None) -> ET.Element:
    e = ET.SubElement(parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in (attrs or {}).items() if v is not None})
    if text is not None:
        e.text = xml_safe(text)
    return e


def project_xml(project: QdaProject) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}Project", {"name": xml_safe(project.name) or "study", "origin": project.origin})
    if project.users:
        users = _el(root, "Users")
        for u in project.users:
            _el(users, "User", {"guid": u.guid, "name": xml_safe(u.name)})
    _codebook(_el(root, "CodeBook"), project)
    keys = _variables(root, project)
    notes: list[tuple[str, str, str, dict]] = []  # guid, name, text, our line
    selections = _cases(root, project, keys)
    sources = _el(root, "Sources") if project.sources else None
    free: dict[str, list[str]] = {}
    for n in project.notes:
        if n.source_guid is not None:
            free.setdefault(n.source_guid, []).append(n.guid)
    for s in project.sources:
        _source(sources, s, selections, notes, free.get(s.guid, []))
    for n in project.notes:
        notes.append((n.guid, n.name, n.text, {"note": "free", "source": n.source_guid}))
    ours = _plan_and_persona_notes(project)
    notes += ours
    if notes:
        notes_el = _el(root, "Notes")
        for note_guid, name, text, extra in notes:
            note = _el(notes_el, "Note", {"guid": note_guid, "name": xml_safe(name)})
            _el(note, "Description", text=with_line("", extra))
            _el(note, "PlainTextContent", text=text)
    _sets(root, project)
    for n in project.notes:
        if n.source_guid is None:
            _el(root, "NoteRef", {"targetGUID": n.guid})
    for note_guid, *_ in ours:
        _el(root, "NoteRef", {"targetGUID": note_guid})
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _code(parent: ET.Element, code) -> None:
    attrs = {"guid": code.guid, "name": xml_safe(code.name), "isCodable": "true" if code.codable else "false",
             "color": code.color if code.color and _is_rgb(code.color) else None}
    e = _el(parent, "Code", attrs)
    description = with_line(code.description, code.extra)
    if description:
        _el(e, "Description", text=description)
    for child in code.children:
        _code(e, child)


def _is_rgb(colour: str) -> bool:
    body = colour[1:] if colour.startswith("#") else ""
    return len(body) in (3, 6) and all(ch in "0123456789abcdefABCDEF" for ch in body)


def _codebook(book: ET.Element, project: QdaProject) -> None:
    codes = _el(book, "Codes")
    for code in project.codes:
        _code(codes, code)
    if not project.codes:  # the schema wants at least one code; an empty codebook gets none at all
        book.remove(codes)


def _persona_of(project: QdaProject) -> dict[str, str]:
    """case guid -> the name of the persona it belongs to."""
    return {case: p.name for p in project.personas for case in p.case_guids}


def _variables(root: ET.Element, project: QdaProject) -> dict[str, str]:
    keys: dict[str, str] = {}
    personas = _persona_of(project)
    for case in project.cases:
        for key in [*case.attributes, "role", "pseudonym", *(["persona"] if case.guid in personas else [])]:
            keys.setdefault(key, guid(project.name, "variable", key))
    if keys:
        variables = _el(root, "Variables")
        for key, var_guid in keys.items():
            _el(variables, "Variable", {"guid": var_guid, "name": xml_safe(key), "typeOfVariable": "Text"})
    return keys


def _cases(root: ET.Element, project: QdaProject, keys: dict[str, str]) -> dict[tuple[str, int, int], str]:
    """The cases, and the GUID of each turn selection they refer to (source guid, start, end) -> guid."""
    turn_guids: dict[tuple[str, int, int], str] = {}
    by_case: dict[str, list[str]] = {}
    for s in project.sources:
        for t in s.turns:
            g = guid(s.guid, "turn", t.start, t.end)
            turn_guids[(s.guid, t.start, t.end)] = g
            if not t.not_speech:  # nobody's words: no case refers to them
                by_case.setdefault(t.case_guid, []).append(g)
    if not project.cases:
        return turn_guids
    cases = _el(root, "Cases")
    personas = _persona_of(project)
    for case in project.cases:
        e = _el(cases, "Case", {"guid": case.guid, "name": xml_safe(case.name)})
        values = dict(case.attributes)
        values.update({k: v for k, v in (("role", case.role), ("pseudonym", case.pseudonym),
                                         ("persona", personas.get(case.guid))) if v})
        for key, value in values.items():
            vv = _el(e, "VariableValue")
            _el(vv, "VariableRef", {"targetGUID": keys[key]})
            _el(vv, "TextValue", text=str(value))
        for source_guid in case.source_guids:
            _el(e, "SourceRef", {"targetGUID": source_guid})
        for selection in by_case.get(case.guid, []):
            _el(e, "SelectionRef", {"targetGUID": selection})
    return turn_guids


def _source(parent: ET.Element, s: QdaSource, turn_guids: dict, notes: list, free_notes: list[str]) -> None:
    e = _el(parent, "TextSource", {"guid": s.guid, "name": xml_safe(s.name),
                                   "plainTextPath": f"internal://{s.guid}.txt", "creationDateTime": s.created})
    description = with_line("", s.extra)
    if description:
        _el(e, "Description", text=description)
    for n, c in enumerate(s.codings):
        sel_guid = guid(s.guid, "coding", n, c.code_guid, c.start, c.end, c.user_guid)
        sel = _el(e, "PlainTextSelection", {
            "guid": sel_guid, "name": _excerpt(s.text[c.start:c.end]),
            "startPosition": to_utf16(s.text, c.start), "endPosition": to_utf16(s.text, c.end),
            "creatingUser": c.user_guid, "creationDateTime": c.created})
        if c.origin != "human":
            _el(sel, "Description", text=with_line("", {"origin": c.origin}))
        coding = _el(sel, "Coding", {"guid": guid(sel_guid, "c"), "creatingUser": c.user_guid,
                                     "creationDateTime": c.created})
        _el(coding, "CodeRef", {"targetGUID": c.code_guid})
        if c.memo:
            note_guid = guid(sel_guid, "memo")
            _el(coding, "NoteRef", {"targetGUID": note_guid})
            notes.append((note_guid, "Coding memo", c.memo, {"note": "coding memo"}))
    for t in s.turns:
        sel = _el(e, "PlainTextSelection", {
            "guid": turn_guids[(s.guid, t.start, t.end)], "name": TURN,
            "startPosition": to_utf16(s.text, t.start), "endPosition": to_utf16(s.text, t.end)})
        times = {k: v for k, v in (("start_ms", t.start_ms), ("end_ms", t.end_ms)) if v is not None}
        nobody = {"not_speech": True, "case": t.case_guid} if t.not_speech else {}
        answer = {k: v for k, v in (("question", t.question), ("empty", t.empty)) if v}
        _el(sel, "Description", text=with_line("", {"turn": True, **times, **nobody, **answer}))
    if s.memo:
        note_guid = guid(s.guid, "memo")
        _el(e, "NoteRef", {"targetGUID": note_guid})
        notes.append((note_guid, "Source memo", s.memo, {"note": "source memo"}))
    for note_guid in free_notes:  # free notes on a source are referenced from the source too
        _el(e, "NoteRef", {"targetGUID": note_guid})


def _plan_and_persona_notes(project: QdaProject) -> list[tuple[str, str, str, dict]]:
    """Stage plans and personas as project notes: readable text for any tool, and our line to restore them."""
    codes = {c.guid: c.name for c in project.all_codes()}
    cases = {c.guid: c.name for c in project.cases}
    out = []
    for plan in project.plans:
        stage = codes.get(plan.stage_guid, "stage")
        lines = [f"To be: {plan.to_be}" if plan.to_be else "", f"As is: {plan.as_is}" if plan.as_is else ""]
        lines += [f"KPI: {k.get('name', '')}: {k.get('current') or '?'} -> {k.get('target') or '?'}"
                  + (f" ({k['measure']})" if k.get("measure") else "") for k in plan.kpis]
        if plan.opportunity_guids:
            lines.append("Opportunities: " + ", ".join(codes.get(g, "?") for g in plan.opportunity_guids))
        extra = {"stage": plan.stage_guid, "to_be": plan.to_be, "as_is": plan.as_is, "kpis": plan.kpis,
                 "opportunities": plan.opportunity_guids}
        out.append((guid(plan.stage_guid, "plan"), f"To be: {stage}", "\n".join(x for x in lines if x),
                    {"note": "stage plan", "stage_plan": extra}))
    if project.questions:
        out.append((guid(project.name, "questions"), "Survey questions",
                    "\n".join(f"{q['key']}: {q['text']}" for q in project.questions),
                    {"note": "survey questions", "questions": project.questions}))
    for p in project.personas:
        lines = [p.description, *(f"Goal: {g}" for g in p.goals)]
        lines += [f"{k}: {v}" for k, v in (p.attributes or {}).items()]
        lines.append("Members: " + (", ".join(cases.get(g, "?") for g in p.case_guids) or "none"))
        extra = {"name": p.name, "description": p.description, "goals": p.goals, "attributes": p.attributes,
                 "method": p.method, "cases": p.case_guids}
        out.append((p.guid, f"Persona: {p.name}", "\n".join(x for x in lines if x),
                    {"note": "persona", "persona": extra}))
    return out


def _excerpt(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sets(root: ET.Element, project: QdaProject) -> None:
    by_kind: dict[str, list[str]] = {}
    for code in project.all_codes():
        if code.kind:
            by_kind.setdefault(code.kind, []).append(code.guid)
    if not by_kind:
        return
    sets = _el(root, "Sets")
    for kind, label in KIND_SETS.items():
        if kind in by_kind:
            e = _el(sets, "Set", {"guid": guid(project.name, "set", kind), "name": f"{MARK} {label}"})
            _el(e, "Description", text=f"research-tui code kind '{kind}'")
            for code_guid in by_kind[kind]:
                _el(e, "MemberCode", {"targetGUID": code_guid})


def qdc_bytes(project: QdaProject) -> bytes:
    """A codebook file: the same codes and code groups, in the codebook namespace."""
    xml = project_xml(QdaProject(project.name, project.origin, codes=project.codes))
    root = ET.fromstring(xml)
    ET.register_namespace("", CODEBOOK_NS)
    book = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": project.origin})
    for child in root:
        local = child.tag.split("}")[1]
        if local == "CodeBook":
            for codes in child:
                book.append(_renamespace(codes))
        elif local == "Sets":
            book.append(_renamespace(child))
    ET.indent(book, space=" ")
    return ET.tostring(book, encoding="utf-8", xml_declaration=True)


def _renamespace(e: ET.Element) -> ET.Element:
    out = ET.Element(f"{{{CODEBOOK_NS}}}{e.tag.split('}')[1]}", dict(e.attrib))
    out.text = e.text
    for child in e:
        out.append(_renamespace(child))
    return out


# -- anonymity -------------------------------------------------------------------------------------
def anonymized(project: QdaProject, anon: Anonymizer, source_ids: dict[str, str]) -> QdaProject:
    """Pseudonyms for names everywhere, sources by their S-id (`source_ids`: guid -> S01 ...), coders through
    `anon.coder`; positions follow the rewritten text."""
    names = {s.guid: source_ids.get(s.guid) or f"S{n:02d}" for n, s in enumerate(project.sources, start=1)}
    sources = []
    for s in project.sources:
        text, shift = _rewrite(s.text, anon)
        sources.append(replace(
            s, name=names[s.guid], text=text, memo=anon.anon(s.memo),
            extra={"format": s.extra.get("format")} | ({"metadata": {"row": s.extra["metadata"]["row"]}}
                                                        if "row" in s.extra.get("metadata", {}) else {}),
            codings=[replace(c, start=shift(c.start, True), end=shift(c.end, False), memo=anon.anon(c.memo))
                     for c in s.codings],
            turns=[replace(t, start=shift(t.start, True), end=shift(t.end, False)) for t in s.turns],
        ))
    cases = [replace(c, name=c.pseudonym or c.name,
                     attributes={k: anon.anon(v) for k, v in c.attributes.items()}) for c in project.cases]
    notes = [replace(n, name=anon.anon(n.name), text=anon.anon(n.text)) for n in project.notes]
    users = [replace(u, name=anon.coder(u.name)) for u in project.users]
    plans = [replace(p, to_be=anon.anon(p.to_be), as_is=anon.anon(p.as_is), kpis=_anon_all(p.kpis, anon))
             for p in project.plans]
    personas = [replace(p, name=anon.anon(p.name), description=anon.anon(p.description),
                        goals=[anon.anon(g) for g in p.goals], attributes=_anon_all(p.attributes, anon),
                        method=_anon_all(p.method, anon)) for p in project.personas]
    questions = [{**q, "survey": ""} for q in project.questions]  # a file name may name someone
    return replace(project, name=anon.anon(project.name), sources=sources, cases=cases, notes=notes, users=users,
                   plans=plans, personas=personas, questions=questions)


def _anon_all(value, anon: Anonymizer):
    """Every string inside a JSON-like value, anonymized."""
    if isinstance(value, str):
        return anon.anon(value)
    if isinstance(value, list):
        return [_anon_all(v, anon) for v in value]
    if isinstance(value, dict):
        return {k: _anon_all(v, anon) for k, v in value.items()}
    return value


def _rewrite(text: str, anon: Anonymizer):
    """The anonymized text and a function mapping an old offset to the new one."""
    pieces: list[str] = []
    edits: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
    pos = new = 0
    for start, end, repl in anon.replacements(text):
        pieces.append(text[pos:start])
        new += start - pos
        pieces.append(repl)
        edits.append((start, end, new, new + len(repl)))
        new += len(repl)
        pos = end
    pieces.append(text[pos:])

    def shift(offset: int, is_start: bool) -> int:
        delta = 0
        for old_start, old_end, new_start, new_end in edits:
            if offset >= old_end:
                delta = new_end - old_end
                continue
            if offset > old_start:  # inside a replaced name: snap to the replacement's edge
                return new_start if is_start else new_end
            break
        return offset + delta

    return "".join(pieces), shift
