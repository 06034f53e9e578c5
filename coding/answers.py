"""Survey answers read with their questions: the questions of a study, every answer to one question,
and which answers say nothing.

A survey source is one respondent; each of its utterances answers one question (`utterances.question_id`
-> `questions`: a short `key` such as `q12` or the column's header when short, the full question `text`
and the survey file it came from). An answer that says nothing ("NA", "n/a", "-", "none", "no comment")
is kept as data but flagged (`utterances.empty_answer = 1`): the counts of `Store.totals()` and the
candidate quotes of `coding.nlp.segments` leave it out, and `answers(..., include_empty=False)` does too.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import StudyError


@dataclass(frozen=True)
class Question:
    id: int
    key: str
    text: str
    survey: str
    answers: int  # answers that say something
    empty: int    # empty-looking answers

    def label(self) -> str:
        return self.text if self.key == self.text else f"{self.key} · {self.text}"


@dataclass(frozen=True)
class Answer:
    utterance_id: int
    source_id: int
    source_title: str
    participant_id: int
    char_start: int
    char_end: int
    text: str
    empty: bool


def questions(store) -> list[Question]:
    """Every open question of the study's surveys (not the attribute columns), in import order, with
    its answer counts."""
    rows = store.db.execute(
        "SELECT q.id, q.key, q.text, q.survey, "
        "coalesce(sum(u.id IS NOT NULL AND u.empty_answer = 0), 0), coalesce(sum(u.empty_answer = 1), 0) "
        "FROM questions q LEFT JOIN utterances u ON u.question_id = q.id WHERE q.kind = 'answer' "
        "GROUP BY q.id ORDER BY q.position, q.id")
    return [Question(*r) for r in rows.fetchall()]


def question_labels(store) -> dict[int, str]:
    """Question id -> "q12 · the question" (or the question when its key is itself), for the reader."""
    return {qid: text if key == text else f"{key} · {text}"
            for qid, key, text in store.db.execute("SELECT id, key, text FROM questions")}


def attribute_questions(store) -> dict[str, str]:
    """Attribute key -> the full question, for the short keys (q12) a survey's long headers got."""
    return {key: text for key, text in store.db.execute("SELECT key, text FROM questions") if key != text}


def find_question(store, ref: str | int) -> Question:
    """A question by id, key (q12), its whole text, or words that only one question contains."""
    all_q = questions(store)
    if not all_q:
        raise StudyError("this study has no survey questions (import a survey CSV first)")
    if isinstance(ref, int):
        for q in all_q:
            if q.id == ref:
                return q
        raise StudyError(f"no question with id {ref}")
    want = " ".join(str(ref).split()).casefold()
    if want.isdigit():
        want = f"q{want}"  # "12" means q12
    for q in all_q:
        if want in (q.key.casefold(), q.text.casefold()):
            return q
    hits = [q for q in all_q if want and want in q.text.casefold()]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise StudyError(f"{len(hits)} questions contain {ref!r}: " + ", ".join(q.key for q in hits[:20]))
    raise StudyError(f"no question {ref!r}; see `research-tui answers STUDY` for the list")


def answers(store, question: Question | int, *, include_empty: bool = False) -> list[Answer]:
    """Every respondent's answer to one question, in import order."""
    qid = question.id if isinstance(question, Question) else question
    rows = store.db.execute(
        "SELECT u.id, u.source_id, s.title, u.participant_id, u.char_start, u.char_end, u.text, u.empty_answer "
        "FROM utterances u JOIN sources s ON s.id = u.source_id WHERE u.question_id = ? "
        + ("" if include_empty else "AND u.empty_answer = 0 ") + "ORDER BY s.position, u.position", [qid])
    return [Answer(*r[:7], bool(r[7])) for r in rows.fetchall()]


def store_questions(db, t, cache: dict, notes: list[str]) -> dict[str, tuple[int, str]]:
    """The study's question (id, key) for each of a survey transcript's question keys, adding questions
    the study does not have yet. The same question text (a second wave of a survey) gets its key again;
    a key another question already has gets a suffix (`q12.2`), said once in `notes`."""
    answered = {u.question for u in t.utterances if u.question}
    out: dict[str, tuple[int, str]] = {}
    for key, text in t.questions.items():
        hit = cache.get((t.filename, key))
        if hit is None:
            row = db.execute("SELECT id, key, kind FROM questions WHERE text = ?", [text]).fetchone()
            if row is None:
                study_key, n = key, 2
                while db.execute("SELECT 1 FROM questions WHERE key = ?", [study_key]).fetchone():
                    study_key, n = f"{key}.{n}", n + 1
                position = db.execute("SELECT coalesce(max(position) + 1, 0) FROM questions").fetchone()[0]
                cur = db.execute("INSERT INTO questions (key, text, survey, kind, position) VALUES (?, ?, ?, ?, ?)",
                                 [study_key, text, t.filename, "attribute", position])
                row = (cur.lastrowid, study_key, "attribute")
                if study_key != key:
                    notes.append(f"{t.filename}: another question of the study is already {key!r}; this "
                                 f"survey's {key!r} ({text[:60]}) is {study_key!r}")
            hit = cache[(t.filename, key)] = list(row)
        if key in answered and hit[2] != "answer":  # an open question: someone answered it
            db.execute("UPDATE questions SET kind = 'answer' WHERE id = ?", [hit[0]])
            hit[2] = "answer"
        out[key] = (hit[0], hit[1])
    return out
