"""The one object that owns a study file (SQLite, via sqlite-utils).

The CLI and the TUI open a `Store` and call its methods; nothing else opens the database. Reads
return the dataclasses of `coding.models`. Every change to codes and codings goes through the action
log (see `actionlog`; the write lock, commands and undo are in `transactions`), so it is saved at
once and can be undone, also after a restart.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from bisect import bisect_left
from pathlib import Path

from sqlite_utils import Database

from . import actionlog, studyfile, walfiles
from .codebook import CodebookMixin
from .codingops import CodingMixin
from .importing import ImportMixin
from .models import UNATTRIBUTED, Code, Coding, Participant, Source, StudyError, UtteranceRow
from .people import PeopleMixin
from .schema import SCHEMA_VERSION, migrations
from .studyfile import APP_ID  # noqa: F401  (re-exported: where a study is recognised)
from .transactions import TransactionsMixin


def default_coder() -> str:
    try:
        return os.environ.get("RESEARCH_TUI_CODER") or getpass.getuser() or "researcher"
    except Exception:  # getpass fails without a login name (some containers)
        return "researcher"


class Store(TransactionsMixin, ImportMixin, CodebookMixin, CodingMixin, PeopleMixin):
    """An open study file.

    `Store.open(path)` opens an existing study for changes (it must be a study of this program, not
    from a newer version, and writable); `Store.open(path, read_only=True)` for reading commands (a
    read-only file or folder works; an old schema is upgraded in memory, the file is not touched);
    `Store.create(path)` makes a new one. Every write runs in `writing()` (`BEGIN IMMEDIATE`).
    """

    def __init__(self, path: str | Path, *, coder: str | None = None, read_only: bool = False,
                 _create: bool = False):
        self.path = Path(path)
        self.coder = coder or default_coder()
        self.read_only = read_only
        # A source's text and turns are cached per Store; what changes them (a replaced file, undo, another
        # program's change) forgets them.
        self._texts: dict[int, str] = {}
        self._turns: dict[int, tuple[list[int], list[int], list[int]]] = {}
        if not _create:
            studyfile.check(self.path)  # reads the header only: a foreign file is never touched
        conn = studyfile.connect(self.path, read_only=read_only)
        try:
            self.db = Database(conn)
            studyfile.prepare(self, create=_create)  # version check, upgrade (backed up first)
            self._data_version = self._read_data_version()
            self._mark = self._changes_mark()
            # the files this connection writes through; checked before every write (`check_files`)
            self._files = None if read_only else walfiles.current(self.path)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error | UnicodeDecodeError):
                raise studyfile.explain(exc, self.path) from exc
            raise

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, template: str = "journey", name: str | None = None,
               coder: str | None = None, codes: list[dict] | None = None) -> Store:
        """A new study with the codebook of `template`, or with `codes` (template-style dicts) when given."""
        from .codebook import load_template

        path = Path(path)
        codes = load_template(template) if codes is None else codes  # fail before creating the file
        studyfile.create_private(path)   # 0600; refuses an existing file
        try:
            store = cls(path, coder=coder, _create=True)
            with store.writing():
                store.set_setting("name", name or path.stem)
                store.set_setting("anonymize", "0")
                store.set_setting("template", template)
                store.set_setting("created_at", actionlog.now())
                store._insert_template_codes(codes)
        except BaseException:
            studyfile.remove_files(path)  # this process made the file: leave nothing half-made
            raise
        return store

    @classmethod
    def open(cls, path: str | Path, *, coder: str | None = None, read_only: bool = False) -> Store:
        return cls(path, coder=coder, read_only=read_only)

    def reconnect(self) -> None:
        """Close and open the file again (after a restore replaced its content)."""
        self.close()
        self.__init__(self.path, coder=self.coder, read_only=self.read_only)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return len(migrations.applied(self.db))

    # -- settings ------------------------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    @property
    def name(self) -> str:
        return self.setting("name", self.path.stem)

    @property
    def anonymize(self) -> bool:
        return self.setting("anonymize", "0") == "1"

    def set_anonymize(self, on: bool) -> None:
        with self.writing():
            self.set_setting("anonymize", "1" if on else "0")
        self._mark = self._changes_mark()

    # -- reads ---------------------------------------------------------------------------------
    def sources(self, *, with_text: bool = True, surveys: bool = True) -> list[Source]:
        """The study's sources in import order; `with_text=False` leaves each `text` empty (a survey of a
        million respondents is a million texts: labels and names need none of them); `surveys=False`
        leaves out survey respondents."""
        cols = _SOURCE_COLS if with_text else _SOURCE_COLS.replace(" text,", " '',")
        where = "" if surveys else "WHERE format != 'csv' "
        rows = self.db.execute(f"SELECT {cols} FROM sources {where}ORDER BY position").fetchall()
        return [_source(r) for r in rows]

    def source(self, source_id: int) -> Source:
        row = self.db.execute(f"SELECT {_SOURCE_COLS} FROM sources WHERE id = ?", [source_id]).fetchone()
        if row is None:
            raise StudyError(f"no source with id {source_id}")
        return _source(row)

    def source_text(self, source_id: int) -> str:
        text = self._texts.get(source_id)
        if text is None:
            row = self.db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()
            if row is None:
                raise StudyError(f"no source with id {source_id}")
            text = self._texts[source_id] = row[0]
        return text

    def _turn_index(self, source_id: int) -> tuple[list[int], list[int], list[int]]:
        """(char_starts, char_ends, participant_ids) of a source's spoken turns (not those marked as not
        speech: nobody said a header), in text order."""
        index = self._turns.get(source_id)
        if index is None:
            rows = self.db.execute("SELECT char_start, char_end, participant_id FROM utterances "
                                   "WHERE source_id = ? AND NOT not_speech ORDER BY char_start",
                                   [source_id]).fetchall()
            index = self._turns[source_id] = ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        return index

    def forget_cached_turns(self) -> None:
        """After a change of who speaks where (a merge, a split, a turn given to another speaker)."""
        self._turns.clear()

    def source_memo(self, source_id: int) -> str:
        row = self.db.execute("SELECT memo FROM sources WHERE id = ?", [source_id]).fetchone()
        return row[0] if row else ""

    def participants(self, *, role: str | None = None) -> list[Participant]:
        sql = "SELECT id, name, pseudonym, role, attributes FROM participants"
        args: list = []
        if role:
            sql += " WHERE role = ?"
            args.append(role)
        return [_participant(r) for r in self.db.execute(sql + " ORDER BY id", args).fetchall()]

    def iter_participants(self):
        """Every participant, streamed, without attributes (empty): for counting a big study."""
        for pid, name, pseudonym, role in self.db.execute(
                "SELECT id, name, pseudonym, role FROM participants ORDER BY id"):
            yield Participant(pid, name, pseudonym, role, {})

    def participant(self, participant_id: int) -> Participant:
        row = self.db.execute(
            "SELECT id, name, pseudonym, role, attributes FROM participants WHERE id = ?", [participant_id]
        ).fetchone()
        if row is None:
            raise StudyError(f"no participant with id {participant_id}")
        return _participant(row)

    def utterances(self, source_id: int | None = None) -> list[UtteranceRow]:
        sql = f"SELECT {_UTT_COLS} FROM utterances"
        args: list = []
        if source_id is not None:
            sql += " WHERE source_id = ?"
            args.append(source_id)
        rows = self.db.execute(sql + " ORDER BY source_id, position", args).fetchall()
        return [_utterance(r) for r in rows]

    def speakers_of(self, source_id: int, *, spoken: bool = False) -> list[Participant]:
        """Everyone with a turn in a source (`spoken`: a turn that is speech, not a header)."""
        rows = self.db.execute(
            "SELECT DISTINCT p.id, p.name, p.pseudonym, p.role, p.attributes FROM participants p "
            "JOIN utterances u ON u.participant_id = p.id WHERE u.source_id = ? "
            + ("AND NOT u.not_speech " if spoken else "") + "ORDER BY p.id",
            [source_id],
        ).fetchall()
        return [_participant(r) for r in rows]

    def participants_of_span(self, source_id: int, start: int, end: int) -> list[int]:
        """Participant ids whose utterances overlap text[start:end] of a source, in speaking order."""
        starts, ends, pids = self._turn_index(source_id)
        found: list[int] = []
        i = bisect_left(starts, end) - 1  # the last turn that starts before the span ends
        while i >= 0 and ends[i] > start:  # turns do not overlap, so the walk back stops early
            found.append(pids[i])
            i -= 1
        return list(dict.fromkeys(reversed(found)))

    def search(self, query: str, *, limit: int = 200) -> list[UtteranceRow]:
        """Full-text search over utterances (FTS5, stemmed). Plain words are ANDed."""
        match = _fts_query(query)
        if not match:
            return []
        rows = self.db.execute(
            f"SELECT {_U_UTT_COLS} FROM utterances_fts f "
            "JOIN utterances u ON u.id = f.rowid WHERE utterances_fts MATCH ? ORDER BY rank LIMIT ?",
            [match, limit],
        ).fetchall()
        return [_utterance(r) for r in rows]

    def search_spans(self, query: str) -> list[tuple[int, int, int]]:
        """(source id, char start, char end) of every utterance matching, unranked: for filtering."""
        match = _fts_query(query)
        if not match:
            return []
        return self.db.execute(
            "SELECT u.source_id, u.char_start, u.char_end FROM utterances_fts f "
            "JOIN utterances u ON u.id = f.rowid WHERE utterances_fts MATCH ?", [match]).fetchall()

    def totals(self) -> dict[str, int]:
        """Counts of the study. Turns marked as not speech and the unattributed stand-in (not a person)
        are not counted."""
        q = self.db.execute
        words = q("SELECT coalesce(sum(words), 0) FROM utterances WHERE empty_answer = 0 AND NOT not_speech"
                  ).fetchone()[0]
        return {
            "sources": q("SELECT count(*) FROM sources").fetchone()[0],
            "participants": q("SELECT count(*) FROM participants WHERE role != ?", [UNATTRIBUTED]).fetchone()[0],
            "utterances": q("SELECT count(*) FROM utterances WHERE empty_answer = 0 AND NOT not_speech").fetchone()[0],
            "words": words,
            "codes": q("SELECT count(*) FROM codes").fetchone()[0],
            "codings": q("SELECT count(*) FROM codings").fetchone()[0],
        }

    def source_summaries(self) -> list[dict]:
        """Per source: speakers (names as imported), utterances, words, share of text coded."""
        return list(self.iter_source_summaries())

    def iter_source_summaries(self):
        """`source_summaries` one source at a time, streamed from one query (a survey of a million
        respondents is a million sources: four queries each, all held in memory, took minutes and GBs)."""
        coded = {sid for (sid,) in self.db.execute("SELECT DISTINCT source_id FROM codings")}
        names: dict[int, str] = {}
        for sid, title, filename, fmt, metadata, pids, n, words in self.db.execute(_SUMMARIES):
            pids = [int(p) for p in pids.split(",")] if pids else []
            labels = json.loads(metadata).get("speaker_labels", {}) if pids else {}
            if any(str(pid) not in labels for pid in pids) and not names:
                names = dict(self.db.execute("SELECT id, name FROM participants"))
            yield {"id": sid, "title": title, "filename": filename, "format": fmt,
                   "speakers": [labels[str(pid)] if str(pid) in labels else names[pid] for pid in pids],
                   "participants": pids,
                   "utterances": n, "words": words, "coded_share": self.coded_share(sid) if sid in coded else 0.0}

    def coded_share(self, source_id: int, utts: list[UtteranceRow] | None = None) -> float:
        """Share (0..1) of the source's spoken characters covered by at least one coding."""
        utts = utts if utts is not None else [u for u in self.utterances(source_id) if not u.not_speech]
        total = sum(u.char_end - u.char_start for u in utts)
        if not total:
            return 0.0
        spans = self.db.execute("SELECT char_start, char_end FROM codings WHERE source_id = ?",
                                [source_id]).fetchall()
        covered = overlap_length(_merge([(u.char_start, u.char_end) for u in utts]), _merge(spans))
        return min(1.0, covered / total)

    def coding_text(self, coding: Coding) -> str:
        return self.source_text(coding.source_id)[coding.char_start:coding.char_end]


def _merge(spans) -> list[tuple[int, int]]:
    """Union of (start, end) spans as sorted, disjoint spans."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def overlap_length(xs: list[tuple[int, int]], ys: list[tuple[int, int]]) -> int:
    """Characters covered by both of two sorted, disjoint span lists (a linear sweep)."""
    i = j = total = 0
    while i < len(xs) and j < len(ys):
        a, b = xs[i]
        c, d = ys[j]
        total += max(0, min(b, d) - max(a, c))
        if b < d:
            i += 1
        else:
            j += 1
    return total


def _fts_query(query: str) -> str:
    """Turn user words into a safe FTS5 query: quoted terms, prefix match on the last, OR kept."""
    parts = []
    for word in query.split():
        if word.upper() in ("OR", "AND", "NOT"):
            parts.append(word.upper())
            continue
        clean = word.replace('"', "")
        if clean:
            parts.append(f'"{clean}"')
    while parts and parts[-1] in ("OR", "AND", "NOT"):
        parts.pop()
    while parts and parts[0] in ("OR", "AND", "NOT"):
        parts.pop(0)
    if parts and not parts[-1].endswith('*'):
        parts[-1] = parts[-1] + "*"
    return " ".join(parts)


# per source, in import order: who speaks (ids, ascending), spoken turns and their words (empty answers
# left out); each a lookup in the utterances' (source_id, ...) index
_SUMMARIES = """
    SELECT s.id, s.title, s.filename, s.format, s.metadata,
        (SELECT group_concat(pid) FROM (SELECT DISTINCT participant_id AS pid FROM utterances
                                        WHERE source_id = s.id AND NOT not_speech ORDER BY 1)),
        (SELECT count(*) FROM utterances WHERE source_id = s.id AND NOT not_speech AND empty_answer = 0),
        (SELECT coalesce(sum(words), 0) FROM utterances WHERE source_id = s.id AND NOT not_speech
                                                              AND empty_answer = 0)
    FROM sources s ORDER BY s.position
"""
_SOURCE_COLS = "id, title, filename, format, content_hash, imported_at, text, metadata, position"
_UTT_COLS = ("id, source_id, participant_id, position, start_ms, end_ms, char_start, char_end, text, question_id, "
             "empty_answer, not_speech")
_U_UTT_COLS = ", ".join(f"u.{c.strip()}" for c in _UTT_COLS.split(","))


def _source(r) -> Source:
    return Source(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]), r[8])


def _utterance(r) -> UtteranceRow:
    return UtteranceRow(*r[:10], bool(r[10]), bool(r[11]))


def _participant(r) -> Participant:
    return Participant(r[0], r[1], r[2], r[3], json.loads(r[4]))


def _code(r) -> Code:
    return Code(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]))


__all__ = ["Store", "StudyError", "SCHEMA_VERSION", "Code", "Coding"]
