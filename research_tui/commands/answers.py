"""`answers`: a survey's questions, or every respondent's answer to one question (to code a column top to
bottom, or to read it)."""

from __future__ import annotations

from pathlib import Path

from coding.codebook import list_codes

from .common import open_store, print_json


def register(sub) -> None:
    s = sub.add_parser("answers", help="list a survey's questions, or every answer to one question")
    s.add_argument("study", type=Path)
    s.add_argument("question", nargs="?", help="a question's key (q12), number (12) or words only it contains")
    s.add_argument("--empty", action="store_true", help="also list empty-looking answers (NA, none, -)")
    s.add_argument("--anonymize", action="store_true", default=None, help="pseudonyms only (default: study setting)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=cmd_answers)


def cmd_answers(args) -> int:
    from coding import answers as A
    from exports.anonymize import Anonymizer

    store = open_store(args)
    try:
        if not args.question:
            questions = A.questions(store)
            if args.json:
                print_json([{"key": q.key, "text": q.text, "survey": q.survey, "answers": q.answers,
                             "empty": q.empty} for q in questions])
                return 0
            if not questions:
                print("no survey questions in this study (import a survey CSV first)")
            for q in questions:
                print(f"{q.key:<8} {q.answers:>5} answers {q.empty:>4} empty  {q.text}")
            return 0
        question = A.find_question(store, args.question)
        found = A.answers(store, question, include_empty=args.empty)
        anon = Anonymizer.from_store(store, enabled=store.anonymize if args.anonymize is None else args.anonymize)
        codes = {c.id: c.name for c in list_codes(store)}
        rows = []
        for a in found:
            coded = store.db.execute("SELECT code_id FROM codings WHERE source_id = ? AND char_start < ? AND "
                                     "char_end > ? ORDER BY char_start", [a.source_id, a.char_end, a.char_start])
            rows.append({"respondent": anon.label(a.participant_id), "source": anon.anon(a.source_title),
                         "text": anon.anon(a.text), "empty": a.empty,
                         "codes": list(dict.fromkeys(codes[r[0]] for r in coded))})
    finally:
        store.close()
    if args.json:
        print_json({"question": {"key": question.key, "text": question.text, "survey": question.survey,
                                 "answers": question.answers, "empty": question.empty}, "answers": rows})
        return 0
    left = "" if args.empty or not question.empty else f"; {question.empty} empty-looking left out (--empty lists them)"
    print(f"{question.key} · {question.text}")
    print(f"{len(rows)} answers from {question.survey}{left}")
    width = max((len(r["respondent"]) for r in rows), default=0)
    for r in rows:
        codes = f"  [{', '.join(r['codes'])}]" if r["codes"] else ""
        empty = "  (empty-looking)" if r["empty"] else ""
        print(f"{r['respondent']:<{width}}  {' '.join(r['text'].split())}{codes}{empty}")
    return 0
