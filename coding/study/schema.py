"""The study file's schema, as forward migrations (one function per change, applied on open)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("research_tui")



@migrations()
def m001_core_tables(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            filename TEXT NOT NULL,
            format TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            imported_at TEXT NOT NULL,
            text TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            position INTEGER NOT NULL,
            memo TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            pseudonym TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL DEFAULT 'participant'
                CHECK (role IN ('participant', 'interviewer', 'moderator')),
            attributes TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE utterances (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL REFERENCES participants(id),
            position INTEGER NOT NULL,
            start_ms INTEGER,
            end_ms INTEGER,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            CHECK (char_start <= char_end)
        );
        CREATE INDEX utterances_source ON utterances(source_id, char_start);
        CREATE INDEX utterances_participant ON utterances(participant_id);
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN
                ('stage', 'need', 'emotion', 'touchpoint', 'pain_point', 'opportunity', 'theme')),
            parent_id INTEGER REFERENCES codes(id),
            colour TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0,
            valence REAL CHECK (valence IS NULL OR (valence BETWEEN -2 AND 2)),
            attributes TEXT NOT NULL DEFAULT '{}',
            UNIQUE (kind, name)
        );
        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            code_id INTEGER NOT NULL REFERENCES codes(id),
            coder TEXT NOT NULL,
            created_at TEXT NOT NULL,
            modified_at TEXT NOT NULL,
            memo TEXT NOT NULL DEFAULT '',
            CHECK (char_start < char_end)
        );
        CREATE INDEX codings_source ON codings(source_id, char_start);
        CREATE INDEX codings_code ON codings(code_id);
        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            modified_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m002_coding_origin_and_search(db: Database) -> None:
    """Codings say where they came from (human, accepted suggestion, import); utterances get FTS5."""
    db.execute(
        "ALTER TABLE codings ADD COLUMN origin TEXT NOT NULL DEFAULT 'human' "
        "CHECK (origin IN ('human', 'suggestion', 'import'))"
    )
    db.executescript(
        """
        CREATE VIRTUAL TABLE utterances_fts USING fts5(
            text, content='utterances', content_rowid='id', tokenize='porter unicode61'
        );
        CREATE TRIGGER utterances_ai AFTER INSERT ON utterances BEGIN
            INSERT INTO utterances_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER utterances_ad AFTER DELETE ON utterances BEGIN
            INSERT INTO utterances_fts(utterances_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER utterances_au AFTER UPDATE ON utterances BEGIN
            INSERT INTO utterances_fts(utterances_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO utterances_fts(rowid, text) VALUES (new.id, new.text);
        END;
        INSERT INTO utterances_fts(utterances_fts) VALUES ('rebuild');
        """
    )


@migrations()
def m003_action_log(db: Database) -> None:
    """Append-only log of every change to codes and codings: the audit trail and undo/redo."""
    db.executescript(
        """
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            coder TEXT NOT NULL,
            kind TEXT NOT NULL,
            summary TEXT NOT NULL,
            changes TEXT NOT NULL,
            undoable INTEGER NOT NULL DEFAULT 1,
            state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'dropped'))
        );
        CREATE INDEX actions_state ON actions(undoable, state, id);
        """
    )


@migrations()
def m004_utterance_words(db: Database) -> None:
    """Each utterance keeps its word count (whitespace-separated, as imported), so study totals and
    the home screen sum a column instead of splitting every text of a large study on each paint."""
    db.execute("ALTER TABLE utterances ADD COLUMN words INTEGER NOT NULL DEFAULT 0")
    rows = db.execute("SELECT id, text FROM utterances").fetchall()
    db.conn.executemany("UPDATE utterances SET words = ? WHERE id = ?",
                        [(len(text.split()), uid) for uid, text in rows])


@migrations()
def m005_candidates(db: Database) -> None:
    """Candidate quotes: each turn cut into sentences once (coding/nlp/segments.py). `segmented` keeps
    the span a turn had when it was cut, so a turn split or changed since is cut again on next use."""
    db.executescript(
        """
        CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            utterance_id INTEGER NOT NULL REFERENCES utterances(id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            CHECK (char_start < char_end)
        );
        CREATE INDEX candidates_utterance ON candidates(utterance_id);
        CREATE INDEX candidates_source ON candidates(source_id, char_start);
        CREATE TABLE segmented (
            utterance_id INTEGER PRIMARY KEY REFERENCES utterances(id) ON DELETE CASCADE,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL
        );
        """
    )


@migrations()
def m006_clusters(db: Database) -> None:
    """The studio's current clustering of candidate quotes (renamed clusters stay named), and sentence
    vectors of the semantic backend cached by model and text hash (coding/nlp/cluster.py, backends.py)."""
    db.executescript(
        """
        CREATE TABLE cluster_runs (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            scope TEXT NOT NULL,
            backend TEXT NOT NULL,
            model TEXT NOT NULL,
            k INTEGER NOT NULL,
            k_chosen INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE clusters (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES cluster_runs(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            label TEXT NOT NULL,
            terms TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX clusters_run ON clusters(run_id, number);
        CREATE TABLE cluster_quotes (
            cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
            rank INTEGER NOT NULL,
            PRIMARY KEY (cluster_id, candidate_id)
        );
        CREATE INDEX cluster_quotes_candidate ON cluster_quotes(candidate_id);
        CREATE TABLE embeddings (
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, text_hash)
        ) WITHOUT ROWID;
        """
    )


@migrations()
def m007_survey_questions(db: Database) -> None:
    """Survey answers keep their question: `questions` (a short key such as q12, the full question, the
    survey file, answer or attribute column) and `utterances.question_id`; `utterances.empty_answer`
    flags answers that say nothing ("NA", "-", "none"), kept as data but left out of counts and
    suggestions. Surveys imported before get both from their text (the question is the line above).
    Source titles get an index: an import checks each new title is free (a survey adds a thousand)."""
    from ..models import is_empty_answer

    db.executescript(
        """
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE COLLATE NOCASE,
            text TEXT NOT NULL,
            survey TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT 'answer' CHECK (kind IN ('answer', 'attribute')),
            position INTEGER NOT NULL DEFAULT 0
        );
        ALTER TABLE utterances ADD COLUMN question_id INTEGER REFERENCES questions(id);
        ALTER TABLE utterances ADD COLUMN empty_answer INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX utterances_question ON utterances(question_id);
        CREATE INDEX sources_title ON sources(title COLLATE NOCASE);
        """
    )
    keys: dict[tuple[str, str], int] = {}
    rows = db.execute("SELECT u.id, u.char_start, u.text, s.text, s.filename FROM utterances u "
                      "JOIN sources s ON s.id = u.source_id WHERE s.format = 'csv' ORDER BY s.position, u.position")
    for uid, start, words, source_text, survey in rows.fetchall():
        question = source_text[:max(0, start - 1)].rsplit("\n", 1)[-1].strip()
        qid = None
        if question:
            qid = keys.get((survey, question))
            if qid is None:
                cur = db.execute("INSERT INTO questions (key, text, survey, position) VALUES (?, ?, ?, ?)",
                                 [f"q{len(keys) + 1}", question, survey, len(keys)])
                qid = keys[(survey, question)] = cur.lastrowid
        db.execute("UPDATE utterances SET question_id = ?, empty_answer = ? WHERE id = ?",
                   [qid, int(is_empty_answer(words)), uid])


@migrations()
def m008_unique_codings(db: Database) -> None:
    """One coder gives one span one code once: a UNIQUE index makes it so, also when two programs
    code at the same moment. Older files may hold such duplicates (two processes raced past the
    check): the oldest coding stays, the memos of the others are appended to it, the others go, and
    the action log says how many (the file is backed up before any migration)."""
    groups = db.execute(
        "SELECT min(id), group_concat(id) FROM codings GROUP BY source_id, char_start, char_end, code_id, coder "
        "HAVING count(*) > 1").fetchall()
    removed = 0
    for keep, ids in groups:
        others = sorted(int(i) for i in ids.split(",") if int(i) != keep)
        memos = [m for (m,) in db.execute(
            f"SELECT memo FROM codings WHERE id IN ({keep}, {', '.join(map(str, others))}) ORDER BY id")
            if m.strip()]
        db.execute("UPDATE codings SET memo = ? WHERE id = ?", ["\n\n".join(dict.fromkeys(memos)), keep])
        db.execute(f"DELETE FROM codings WHERE id IN ({', '.join(map(str, others))})")
        removed += len(others)
    db.execute("CREATE UNIQUE INDEX codings_unique ON codings(source_id, char_start, char_end, code_id, coder)")
    if removed:
        db.execute("INSERT INTO actions (at, coder, kind, summary, changes, undoable) "
                   "VALUES (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), 'research-tui', 'upgrade', ?, '[]', 0)",
                   [f"schema upgrade: removed {removed} duplicate coding{'s' if removed != 1 else ''} "
                    "(same coder, span and code)"])


@migrations()
def m009_personas(db: Database) -> None:
    """Persona drafts (coding/personas): a name, description, goals and attributes the researcher edits
    (attributes NULL: computed from the members), and which participants belong to each. A participant
    is in one persona at most; removing a participant (a merge) removes their membership."""
    db.executescript(
        """
        CREATE TABLE personas (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            description TEXT NOT NULL DEFAULT '',
            goals TEXT NOT NULL DEFAULT '[]',
            attributes TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            method TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            modified_at TEXT NOT NULL
        );
        CREATE TABLE persona_members (
            id INTEGER PRIMARY KEY,
            persona_id INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL UNIQUE REFERENCES participants(id) ON DELETE CASCADE
        );
        CREATE INDEX persona_members_persona ON persona_members(persona_id);
        """
    )


@migrations()
def m010_stage_plans(db: Database) -> None:
    """As-is and to-be per journey stage (coding/stageplans): the to-be text, KPIs (name, how measured,
    current, target) and the opportunity codes attached as evidence. One row per stage, no foreign key:
    a deleted stage leaves its plan unused, and undoing the delete finds it again."""
    db.executescript(
        """
        CREATE TABLE stage_plans (
            id INTEGER PRIMARY KEY,
            stage_id INTEGER NOT NULL UNIQUE,
            as_is TEXT NOT NULL DEFAULT '',
            to_be TEXT NOT NULL DEFAULT '',
            kpis TEXT NOT NULL DEFAULT '[]',
            opportunity_ids TEXT NOT NULL DEFAULT '[]',
            modified_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m011_unattributed_role(db: Database) -> None:
    """Participants may have the role 'unattributed': the stand-in that keeps the turns of a deleted
    participant (see `coding/people.py`).

    SQLite cannot change a CHECK constraint with ALTER TABLE, and rebuilding the table would run its
    foreign-key actions: dropping `participants` deletes every row first, and a table that references it
    ON DELETE CASCADE (persona members) would lose its rows. So the table's stored definition is widened
    in place, the way SQLite documents for changing a CHECK constraint (writable_schema, then a new
    schema_version so every connection reads it again): no row moves, and every existing row satisfies
    the wider constraint. Runs inside the migration's transaction."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'participants'").fetchone()[0]
    if "'unattributed'" in sql:
        return
    widened = sql.replace("'moderator')", "'moderator', 'unattributed')", 1)
    if widened == sql:
        raise RuntimeError("m011: the participants table has an unexpected role constraint")
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'participants'", [widened])
        db.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


@migrations()
def m012_turns_not_speech(db: Database) -> None:
    """A turn can be marked as not speech (a header, a note, a title read out): it stays in the source and
    is shown, but it is left out of counts, synthesis and NLP candidate quotes (`utterances.not_speech`)."""
    db.execute("ALTER TABLE utterances ADD COLUMN not_speech INTEGER NOT NULL DEFAULT 0 "
               "CHECK (not_speech IN (0, 1))")


@migrations()
def m013_suggestions(db: Database) -> None:
    """Suggestions the researcher rejected (never offered again; undoable), and the emotion model's
    reading of each candidate quote, cached per model version (dropped with its candidate)."""
    db.executescript(
        """
        CREATE TABLE suggestion_rejections (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            coder TEXT NOT NULL,
            rejected_at TEXT NOT NULL
        );
        CREATE INDEX suggestion_rejections_span ON suggestion_rejections(source_id, char_start);
        CREATE TABLE candidate_emotions (
            candidate_id INTEGER PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            valence REAL NOT NULL,
            emotion TEXT NOT NULL,
            confidence REAL NOT NULL,
            sentiment TEXT NOT NULL,
            emotions TEXT NOT NULL DEFAULT '{}'
        );
        """
    )


@migrations()
def m014_team_roles(db: Database) -> None:
    """Participants may have the role 'team' (a co-interviewer, a note-taker: one person across files) or
    'observer'. The CHECK constraint is widened in place, as in m011 (no row moves)."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'participants'").fetchone()[0]
    if "'team'" in sql:
        return
    widened = sql.replace("'unattributed')", "'unattributed', 'team', 'observer')", 1)
    if widened == sql:
        raise RuntimeError("m014: the participants table has an unexpected role constraint")
    _rewrite_table_sql(db, "participants", widened)


def _rewrite_table_sql(db: Database, table: str, sql: str) -> None:
    """Replace a table's stored definition (a wider CHECK constraint) and make every connection read it
    again; inside the migration's transaction."""
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", [sql, table])
        db.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


@migrations()
def m015_source_media(db: Database) -> None:
    """A source's recording (coding/media.py): the audio or video file its transcript was made from, at most
    one per source; the path is relative to the study's folder when the file is inside it. And the caption
    cues of WebVTT and SRT turns (their words' offsets and times), so a quote inside a long turn has its own
    time; captions imported before have none, and their quotes take their share of the turn's time."""
    db.executescript(
        """
        CREATE TABLE source_media (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL UNIQUE REFERENCES sources(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            linked_at TEXT NOT NULL
        );
        CREATE TABLE cues (
            id INTEGER PRIMARY KEY,
            utterance_id INTEGER NOT NULL REFERENCES utterances(id) ON DELETE CASCADE,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            start_ms INTEGER NOT NULL,
            end_ms INTEGER NOT NULL
        );
        CREATE INDEX cues_utterance ON cues(utterance_id, char_start);
        """
    )


# The number a study file reports as its schema version: the count of migrations applied. Keep this
# line last: every migration above counts. A new migration goes just above it.
SCHEMA_VERSION = len(migrations.pending(Database(memory=True)))
