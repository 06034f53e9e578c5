"""REFI-QDA files (NVivo, ATLAS.ti, MAXQDA, QualCoder ...) -> `coding.exchange.model.QdaProject`.

    read_qdpx(data, *, name, max_bytes=None) -> QdaProject     a project: zip with project.qde and sources/
    read_qdc(data, *, name, max_bytes=None) -> QdaProject      a codebook alone

Pure: no database. What can be imported is (text sources, the text of PDF representations and of
audio/video transcripts, codes with their hierarchy, codings of text, cases and their variables, users,
notes); everything else is listed in `QdaProject.skipped` with the reason. Safe: the package is opened
and its XML parsed through `coding.guards.archive` (member count, sizes and names checked before anything is
read, and what members really unpack to while they are read: at most `max_bytes`, the import's
`--max-mb`; XML stream-parsed with defusedxml within an element limit, no DTD or entities); member
names are only looked up, never extracted to disk.
"""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath

from coding.exchange.model import (
    SET_KINDS,
    TURN,
    QdaCase,
    QdaCode,
    QdaCoding,
    QdaNote,
    QdaPersona,
    QdaPlan,
    QdaProject,
    QdaSource,
    QdaUser,
    split_line,
)
from coding.guards.archive import DEFAULT_LIMITS, ArchiveError, ZipLimits, open_zip, parse_xml
from coding.models import ImportFailed, Transcript, Utterance

from .encoding import decode, normalize_newlines
from .qdpx_text import SourceText
from .text import read_text

_TEXT_SOURCES = ("TextSource",)
_MEDIA = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video", "PDFSource": "PDF"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kids(e, name: str) -> list:
    return [c for c in e if _local(c.tag) == name]


def _kid(e, name: str):
    return next((c for c in e if _local(c.tag) == name), None)


def _text_of(e, name: str) -> str:
    k = _kid(e, name)
    return (k.text or "") if k is not None else ""


def _limits(max_bytes: int | None) -> ZipLimits:
    return ZipLimits.unpacking_to(max_bytes) if max_bytes else DEFAULT_LIMITS


class _Zip:
    """A .qdpx opened through `coding.guards.archive`: member count, sizes and names checked before anything is
    read; member names are only looked up, never extracted."""

    def __init__(self, data: bytes, name: str, limits: ZipLimits):
        self.name = name
        try:
            self.z = open_zip(data, name=name, what=".qdpx", limits=limits)
        except ArchiveError as exc:
            raise ImportFailed(exc.detail, path=name) from None
        self.members = {PurePosixPath(i.filename).as_posix().casefold(): i.filename
                        for i in self.z.infolist() if not i.is_dir()}

    def read(self, member: str) -> bytes:
        try:
            return self.z.read(self.members[member.casefold()])
        except ArchiveError as exc:
            raise ImportFailed(exc.detail, path=self.name) from None

    def parse(self, member: str):
        try:
            return self.z.parse(self.members[member.casefold()])
        except ArchiveError as exc:
            raise ImportFailed(exc.detail, path=self.name) from None

    def find_project(self) -> str:
        roots = [m for m in self.members if m.endswith(".qde") and "/" not in m]
        if not roots:
            raise ImportFailed("not a REFI-QDA project: no project.qde in the archive", path=self.name)
        return "project.qde" if "project.qde" in roots else roots[0]

    def source(self, path: str) -> bytes | None:
        """The bytes behind `internal://x.txt` (in sources/, any case), or None when missing."""
        if not path.startswith("internal://"):
            return None
        file = path[len("internal://"):].lstrip("/")
        for candidate in (f"sources/{file}", file):
            if candidate.casefold() in self.members:
                return self.read(candidate)
        return None


def read_qdpx(data: bytes, *, name: str, max_bytes: int | None = None) -> QdaProject:
    archive = _Zip(data, name, _limits(max_bytes))
    root = archive.parse(archive.find_project())
    if _local(root.tag) != "Project":
        raise ImportFailed(f"not a REFI-QDA project: the root element is <{_local(root.tag)}>", path=name)
    return _Reader(root, name, archive).project()


def read_qdc(data: bytes, *, name: str, max_bytes: int | None = None) -> QdaProject:
    try:
        root = parse_xml(data, member="codebook", name=name, what="REFI-QDA file", limits=_limits(max_bytes))
    except ArchiveError as exc:
        raise ImportFailed(exc.detail, path=name) from None
    if _local(root.tag) != "CodeBook":
        raise ImportFailed(f"not a REFI-QDA codebook: the root element is <{_local(root.tag)}>", path=name)
    reader = _Reader(root, name, None)
    project = QdaProject(name=PurePosixPath(name).stem, origin=root.get("origin", ""))
    reader.p = project
    project.codes = reader.codes(root)
    project.remarks = reader.said()
    return project


class _Reader:
    def __init__(self, root, name: str, archive: _Zip | None):
        self.root, self.name, self.archive = root, name, archive
        self.p = QdaProject(name=root.get("name") or PurePosixPath(name).stem, origin=root.get("origin", ""))
        self.skips: Counter[str] = Counter()
        self.remarks: Counter[str] = Counter()

    def skip(self, reason: str) -> None:
        self.skips[reason] += 1

    def remark(self, what: str) -> None:
        """Something read in a way the researcher should know about, with nothing left out."""
        self.remarks[what] += 1

    def project(self) -> QdaProject:
        r = self.root
        users = _kid(r, "Users")
        self.p.users = [QdaUser(u.get("guid", ""), u.get("name") or u.get("id") or "unknown")
                        for u in (_kids(users, "User") if users is not None else [])]
        self.p.codes = self.codes(r)
        self.notes = self._notes()
        self.p.cases = self._cases()
        sources = _kid(r, "Sources")
        for e in (list(sources) if sources is not None else []):
            self._source(e)
        used = {g for s in self.p.sources for g in s.extra.pop("_notes", [])}
        for guid, (title, text, extra) in self.notes.items():
            if guid in used or extra.get("note") in ("source memo", "coding memo"):
                continue
            if self.p.ours and self._ours(guid, extra):
                continue
            target = extra.get("source") if extra.get("note") == "free" else None
            self.p.notes.append(QdaNote(guid, title, text, target))
        self._link_cases()
        self.p.skipped = [f"{reason} ({n})" if n > 1 else reason for reason, n in self.skips.items()]
        self.p.remarks = self.said()
        return self.p

    def said(self) -> list[str]:
        return [f"{what} ({n})" if n > 1 else what for what, n in self.remarks.items()]

    # -- codebook ---------------------------------------------------------------------------------
    def codes(self, root) -> list[QdaCode]:
        kinds: dict[str, str] = {}
        sets = _kid(root, "Sets")
        for s in (_kids(sets, "Set") if sets is not None else []):
            kind = SET_KINDS.get(s.get("name", ""))
            if kind:
                for m in _kids(s, "MemberCode"):
                    kinds[m.get("targetGUID", "")] = kind
            else:
                self.skip(f"set '{s.get('name')}': sets (code and document groups) are not imported")
        book = _kid(root, "CodeBook")
        codes_el = _kid(book, "Codes") if book is not None else _kid(root, "Codes")

        def build(e) -> QdaCode:
            description, extra = split_line(_text_of(e, "Description"))
            code = QdaCode(e.get("guid", ""), (e.get("name") or "unnamed").strip(), e.get("color"),
                           description.strip(), kinds.get(e.get("guid", "")), extra,
                           e.get("isCodable", "true").lower() != "false")
            code.children = [build(c) for c in _kids(e, "Code")]
            return code

        roots = _nest_by_separator([build(c) for c in (_kids(codes_el, "Code") if codes_el is not None else [])])
        self._shared_guids(roots)
        return roots

    def _shared_guids(self, roots: list[QdaCode]) -> None:
        """Two codes with one GUID: a coding cannot say which it meant; it goes to the last one (said so)."""
        named: dict[str, list[str]] = {}
        for c in QdaProject(name="", codes=roots).all_codes():
            named.setdefault(c.guid, []).append(c.name)
        for guid, names in named.items():
            if len(names) > 1:
                shown = ", ".join(repr(n) for n in names[:5])
                shown += f" and {len(names) - 5} more" if len(names) > 5 else ""
                self.remark(f"{len(names)} codes share the GUID {guid[:40]} ({shown}): their codings "
                            f"all go to the last, {names[-1]!r}")

    # -- notes, cases -----------------------------------------------------------------------------
    def _notes(self) -> dict[str, tuple[str, str, dict]]:
        out = {}
        notes = _kid(self.root, "Notes")
        for n in (_kids(notes, "Note") if notes is not None else []):
            text = _text_of(n, "PlainTextContent")
            if not text and n.get("plainTextPath") and self.archive is not None:
                raw = self.archive.source(n.get("plainTextPath"))
                text = decode(raw, name=self.name) if raw else ""
            _, extra = split_line(_text_of(n, "Description"))
            out[n.get("guid", "")] = (n.get("name") or "Note", normalize_newlines(text).strip(), extra)
        return out

    def _ours(self, guid: str, extra: dict) -> bool:
        """A note that holds one of our stage plans or personas becomes that again; True when it did."""
        plan, persona, questions = extra.get("stage_plan"), extra.get("persona"), extra.get("questions")
        if isinstance(questions, list):
            self.p.questions = [q for q in questions if isinstance(q, dict) and q.get("key") and q.get("text")]
            return True
        if isinstance(plan, dict) and plan.get("stage"):
            kpis = [k for k in plan.get("kpis") or [] if isinstance(k, dict) and k.get("name")]
            self.p.plans.append(QdaPlan(str(plan["stage"]), str(plan.get("to_be") or ""),
                                        str(plan.get("as_is") or ""), kpis,
                                        [str(g) for g in plan.get("opportunities") or []]))
            return True
        if isinstance(persona, dict) and str(persona.get("name") or "").strip():
            attributes = persona.get("attributes")
            self.p.personas.append(QdaPersona(
                guid, str(persona["name"]).strip(), str(persona.get("description") or ""),
                [str(g) for g in persona.get("goals") or []],
                {str(k): str(v) for k, v in attributes.items()} if isinstance(attributes, dict) else None,
                persona.get("method") if isinstance(persona.get("method"), dict) else {},
                [str(g) for g in persona.get("cases") or []]))
            return True
        return False

    def _cases(self) -> list[QdaCase]:
        variables = {}
        vs = _kid(self.root, "Variables")
        for v in (_kids(vs, "Variable") if vs is not None else []):
            variables[v.get("guid", "")] = v.get("name", "")
        cases = []
        cs = _kid(self.root, "Cases")
        for c in (_kids(cs, "Case") if cs is not None else []):
            case = QdaCase(c.get("guid", ""), (c.get("name") or "").strip() or "Unnamed case")
            for vv in _kids(c, "VariableValue"):
                ref = _kid(vv, "VariableRef")
                key = variables.get(ref.get("targetGUID", "")) if ref is not None else None
                value = next((x.text for x in vv if _local(x.tag).endswith("Value") and x.text), None)
                if key and value is not None:
                    case.attributes[key] = value.strip()
            case.role = case.attributes.pop("role", None) if self.p.ours else None
            case.pseudonym = case.attributes.pop("pseudonym", None) if self.p.ours else None
            if self.p.ours:
                case.attributes.pop("persona", None)  # membership comes back with the persona's note
            case.source_guids = [r.get("targetGUID", "") for r in _kids(c, "SourceRef")]
            case.selections = {r.get("targetGUID", "") for r in _kids(c, "SelectionRef")}  # type: ignore[attr-defined]
            cases.append(case)
        return cases

    # -- sources ----------------------------------------------------------------------------------
    def _source(self, e) -> None:
        kind = _local(e.tag)
        label = e.get("name") or e.get("guid", "")
        if kind in _MEDIA:
            texts = _kids(e, "Representation") + _kids(e, "Transcript") + _kids(e, "TextDescription")
            if not texts:
                self.skip(f"{_MEDIA[kind]} sources are not imported (no text in them): '{label}'")
                return
            for t in texts:
                self._text_source(t, fallback_name=label)
            self.skip(f"codings of {_MEDIA[kind]} regions (not text positions) are not imported")
            return
        if kind in _TEXT_SOURCES:
            self._text_source(e)

    def _text_source(self, e, *, fallback_name: str = "") -> None:
        label = e.get("name") or fallback_name or e.get("guid", "")
        inline = _kid(e, "PlainTextContent")
        if inline is not None and inline.text:
            loaded = SourceText.from_str(inline.text)
        else:
            raw = self.archive.source(e.get("plainTextPath", "")) if self.archive else None
            if raw is None:
                self.skip(f"source '{label}': its text is referenced ({e.get('plainTextPath') or 'no path'}) "
                          "but not in the archive")
                return
            loaded = SourceText.from_bytes(raw, self.name)
        if not loaded.text.strip():
            self.skip(f"source '{label}': empty text")
            return
        description, extra = split_line(_text_of(e, "Description"))
        source = QdaSource(e.get("guid", ""), label, loaded.text, extra=extra if self.p.ours else {},
                           created=e.get("creationDateTime"))
        if description.strip() and not self.p.ours:
            self.p.notes.append(QdaNote(f"{source.guid}-description", f"Description of {label}",
                                        description.strip(), source.guid))
        units = self._units(loaded, e)
        turns: list[tuple[int, int, str, dict]] = []
        for sel in _kids(e, "PlainTextSelection"):
            span = loaded.span(sel.get("startPosition"), sel.get("endPosition"), units)
            if span is None:
                self.skip("codings whose positions are not whole numbers (digits 0-9) or fall outside their "
                          "source's text")
                continue
            _, sel_extra = split_line(_text_of(sel, "Description"))
            if self.p.ours and sel.get("name") == TURN and sel_extra.get("turn"):
                turns.append((*span, sel.get("guid", ""), sel_extra))
                continue
            notes = [self.notes[r.get("targetGUID")][1] for r in _kids(sel, "NoteRef")
                     if r.get("targetGUID") in self.notes]
            for coding in _kids(sel, "Coding"):
                ref = _kid(coding, "CodeRef")
                if ref is None:
                    continue
                memo = [self.notes[r.get("targetGUID")][1] for r in _kids(coding, "NoteRef")
                        if r.get("targetGUID") in self.notes]
                source.codings.append(QdaCoding(
                    ref.get("targetGUID", ""), span[0], span[1], coding.get("creatingUser") or sel.get("creatingUser"),
                    coding.get("creationDateTime") or sel.get("creationDateTime"),
                    sel_extra.get("origin", "human") if self.p.ours else "import", "\n\n".join(memo + notes)))
        for c in _kids(e, "Coding"):  # a code on the whole source
            ref = _kid(c, "CodeRef")
            if ref is not None:
                source.codings.append(QdaCoding(ref.get("targetGUID", ""), 0, len(loaded.text),
                                                c.get("creatingUser"), c.get("creationDateTime"), "import"))
        refs = [r.get("targetGUID", "") for r in _kids(e, "NoteRef")]
        memos = [self.notes[g][1] for g in refs if g in self.notes and self.notes[g][2].get("note") != "free"]
        source.memo = "\n\n".join(m for m in memos if m)
        source.extra["_notes"] = [g for g in refs if g in self.notes and self.notes[g][2].get("note") != "free"]
        for g in refs:
            if g in self.notes and not self.p.ours:
                title, text, _ = self.notes[g]
                source.extra["_notes"].append(g)
                source.memo = "\n\n".join(x for x in (source.memo, f"{title}: {text}" if title else text) if x)
        source.turn_spans = turns  # type: ignore[attr-defined]
        self.p.sources.append(source)

    def _units(self, loaded: SourceText, e) -> str:
        """'utf16' or 'chars': how this source's positions count (only matters past U+FFFF)."""
        if self.p.ours or not loaded.astral:
            return "utf16"
        sels = [(s.get("startPosition"), s.get("endPosition")) for s in _kids(e, "PlainTextSelection")]
        scores = {u: loaded.boundary_score(sels, u) for u in ("utf16", "chars")}
        best = max(scores, key=lambda u: (scores[u], u == "utf16"))
        self.remark(f"positions read as {'UTF-16 code units' if best == 'utf16' else 'characters'} in sources "
                    "with emoji or other characters beyond U+FFFF (the tools differ; chosen by word boundaries)")
        return best

    # -- people -----------------------------------------------------------------------------------
    def _link_cases(self) -> None:
        """Each source's transcript: our turns, or the speaker labels in the text, or one case's monologue."""
        cases = {c.guid: c for c in self.p.cases}
        by_selection = {g: c for c in self.p.cases for g in getattr(c, "selections", ())}
        for s in self.p.sources:
            spans = getattr(s, "turn_spans", [])
            if spans:
                utts = [Utterance(by_selection[g].name if g in by_selection else
                                  cases[x["case"]].name if x.get("case") in cases else "Unknown speaker", a, b,
                                  x.get("start_ms"), x.get("end_ms"), x.get("question"), bool(x.get("empty")),
                                  bool(x.get("not_speech")))
                        for a, b, g, x in sorted(spans)]
                t = Transcript(s.name, s.extra.get("filename", s.name), s.extra.get("format", "qdpx"), s.text,
                               utts, metadata=dict(s.extra.get("metadata", {})))
                if t.format == "csv":  # a survey respondent: the questions of its survey (all, when unnamed)
                    t.questions = {q["key"]: q["text"] for q in self.p.questions
                                   if q.get("survey") in ("", t.filename)}
                t.roles = {c.name: c.role for c in self.p.cases if c.role and c.role != "participant"}
            else:
                t = self._parsed(s, [cases[g] for g in cases if s.guid in cases[g].source_guids])
            t.check()
            s.transcript = t
        for c in self.p.cases:
            c.__dict__.pop("selections", None)

    def _parsed(self, s: QdaSource, owners: list[QdaCase]) -> Transcript:
        t = read_text(s.text, name=s.name)
        t.format, t.title = "qdpx", s.name
        t.notes = [n for n in t.notes if "monologue" not in n]
        if t.speakers == ["Unknown speaker"] and len(owners) == 1:
            t.utterances = [Utterance(owners[0].name, u.start, u.end, u.start_ms, u.end_ms) for u in t.utterances]
            t.roles = {}
        return t


def _nest_by_separator(roots: list[QdaCode]) -> list[QdaCode]:
    """ATLAS.ti writes hierarchy into names ('Coke::diet Coke'): such a code goes under 'Coke', named
    'diet Coke'; a code nested under its parent in the file loses the parent's path from its name too."""
    by_name = {c.name: c for c in roots}
    out = []
    for c in roots:
        parent_name, sep, _ = c.name.rpartition("::")
        parent = by_name.get(parent_name) if sep else None
        if parent is not None and parent is not c:
            parent.children.append(c)
        else:
            out.append(c)
    for c in out:
        _strip_parent_path(c, "")
    return out


def _strip_parent_path(code: QdaCode, parent_name: str) -> None:
    full = code.name
    if parent_name and full.startswith(parent_name + "::") and full[len(parent_name) + 2:].strip():
        code.name = full[len(parent_name) + 2:].strip()
    for child in code.children:
        _strip_parent_path(child, full)


def read_project_file(path, *, max_bytes: int) -> QdaProject:
    """A .qdpx or .qdc file from disk, size-checked, every failure one `ImportFailed` naming the file."""
    from pathlib import Path

    from . import read_bytes

    path = Path(path)
    data = read_bytes(path, max_bytes=max_bytes)
    try:
        if path.suffix.lower() == ".qdc":
            return read_qdc(data, name=path.name, max_bytes=max_bytes)
        return read_qdpx(data, name=path.name, max_bytes=max_bytes)
    except ImportFailed:
        raise
    except Exception as exc:  # a file nobody foresaw still gets one clear line
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ImportFailed(f"could not read the REFI-QDA file ({detail})", path=path.name) from exc
