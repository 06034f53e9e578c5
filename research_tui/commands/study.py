"""Study-wide commands: new, info, open, demo, anonymize, undo, redo, history."""

from __future__ import annotations

from pathlib import Path

from coding.codebook import list_codes, new_study
from coding.people import headcount
from coding.sources import iter_source_summaries
from coding.study.studyfile import ReadOnlyStudy

from .common import CliError, anonymizer, number, open_store, print_json, say


def register(sub) -> None:
    s = sub.add_parser("new", help="create an empty study with a codebook template")
    s.add_argument("study", type=Path)
    s.add_argument("--template", default="journey", help="journey | inquiry | lifecycle | blank (default: journey)")
    s.add_argument("--name", help="study name shown in the TUI and report (default: file name)")
    s.set_defaults(run=cmd_new)

    s = sub.add_parser("info", help="sources, participants, utterances, words, codes, codings")
    s.add_argument("study", type=Path)
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(run=cmd_info)

    s = sub.add_parser("open", help="open a study in the coding studio (same as `research-tui STUDY`)")
    s.add_argument("study", type=Path)
    s.set_defaults(run=cmd_open)

    s = sub.add_parser("demo", help="create the bundled fictional MRI demo study and open it")
    s.add_argument("study", type=Path, nargs="?", default=Path("demo.rtui"))
    s.add_argument("--no-open", action="store_true", help="only create it")
    s.set_defaults(run=cmd_demo)

    s = sub.add_parser("anonymize", help="show pseudonyms instead of names everywhere (on|off)")
    s.add_argument("study", type=Path)
    s.add_argument("state", choices=("on", "off"))
    s.set_defaults(run=cmd_anonymize)

    for name, text, run in (("undo", "undo the last change to codes or codings", cmd_undo),
                            ("redo", "redo the last undone change", cmd_redo)):
        s = sub.add_parser(name, help=text)
        s.add_argument("study", type=Path)
        s.set_defaults(run=run)

    s = sub.add_parser("history", help="the action log: who changed what, when")
    s.add_argument("study", type=Path)
    s.add_argument("--limit", type=number(1, integer=True, saturate=True), default=30,
                   help="how many entries (default 30)")
    s.set_defaults(run=cmd_history)


def cmd_new(args) -> int:
    store = new_study(args.study, template=args.template, name=args.name, coder=args.coder)
    n = len(list_codes(store))
    store.close()
    print(f"created {args.study} with the {args.template} codebook ({n} codes)")
    return 0


def cmd_info(args) -> int:
    store = open_store(args, read_only=True)
    anon = anonymizer(store) if store.anonymize else None  # pseudonyms for names, titles and file names
    count = headcount(store.iter_participants())
    info = {
        "study": str(args.study),
        "name": anon.anon(store.name) if anon else store.name,
        "schema_version": store.schema_version,
        "anonymize": store.anonymize,
        "totals": store.totals(),  # participants: everyone in the study; "people" says who counts
        "people": {"participants": count.participants, "not_counted": count.not_counted},
        "empty_answers": store.db.execute("SELECT count(*) FROM utterances WHERE empty_answer = 1").fetchone()[0],
    }
    sources = iter_source_summaries(store)  # streamed: a survey's respondents are many sources
    if args.json:
        info["sources"], info["nlp"] = [], nlp_status(store)  # the sources are written as they come
        print_json(info, streamed=("sources", (_source_entry(s, anon) for s in sources)))
        store.close()
        return 0
    t = info["totals"]
    print(f"{info['name']}  ({args.study}, schema v{info['schema_version']}"
          f"{', anonymized' if info['anonymize'] else ''})")
    why = f" (not counted: {count.why()})" if count.not_counted else ""
    print(f"{t['sources']} sources · {count.participants} participants{why} · {t['utterances']} utterances · "
          f"{t['words']} words · {t['codes']} codes · {t['codings']} codings")
    if info["empty_answers"]:
        print(f"({info['empty_answers']} empty-looking survey answers, such as 'NA' or '-', are kept but not counted)")
    for line in _source_lines(sources, anon):
        print(line)
    nlp = nlp_status(store)
    store.close()
    waiting = f"; {nlp['turns_to_cut']:,} turns to cut on first use" if nlp["turns_to_cut"] else ""
    print(f"NLP: {nlp['pipeline']}; {nlp['candidates']:,} candidate quotes{waiting}")
    if nlp["segmented_with"] and nlp["segmented_with"] != nlp["pipeline"]:
        print(f"     (this study's quotes were cut by {nlp['segmented_with']})")
    return 0


def _source_entry(s: dict, anon) -> dict:
    return ({k: anon.source_label(s["id"]) if anon else s[k] for k in ("title", "filename")}
            | {"format": s["format"]}
            | {"speakers": [anon.label(pid) for pid in s["participants"]] if anon else s["speakers"]}
            | {k: s[k] for k in ("utterances", "words")} | {"coded_share": round(s["coded_share"], 3)})


def _source_lines(sources, anon) -> list[str]:
    """One line per source; the respondents of one survey file as one line, where the first of them is
    (a survey of 100,000 rows is 100,000 sources)."""
    lines: list[str | list] = []
    surveys: dict[str, list] = {}  # file -> [file as shown, respondents, answers, words, coded share summed]
    for s in sources:
        if s["format"] == "csv":
            group = surveys.get(s["filename"])
            if group is None:
                shown = f"survey {len(surveys) + 1}" if anon else s["filename"]  # file names may hold names
                group = surveys[s["filename"]] = [shown, 0, 0, 0, 0.0]
                lines.append(group)
            group[1:] = [group[1] + 1, group[2] + s["utterances"], group[3] + s["words"], group[4] + s["coded_share"]]
            continue
        e = _source_entry(s, anon)
        lines.append(f"  {e['title']:<28} {e['format']:<5} {e['utterances']:>5} utt {e['words']:>7} words "
                     f"{e['coded_share'] * 100:>4.0f}% coded  {', '.join(e['speakers'])}")
    return [line if isinstance(line, str) else
            f"  {line[0]:<28} {'csv':<5} {line[2]:>5} utt {line[3]:>7} words {line[4] / line[1] * 100:>4.0f}% coded  "
            f"{line[1]:,} respondent{'s' * (line[1] != 1)}" for line in lines]


def nlp_status(store) -> dict:
    """Which spaCy pipeline cuts quotes here, and the study's candidate quotes (spaCy is not loaded)."""
    from coding.nlp.segments import status

    return status(store)


def _open_for_studio(args):
    try:
        return open_store(args)
    except ReadOnlyStudy as exc:  # look, but not change: the studio says so and refuses changes
        say(f"research-tui: {exc}; opening it read-only")
        return open_store(args, read_only=True)


def _on_a_terminal() -> bool:
    """The studio draws on the terminal and reads keys from it: without one it would wait forever."""
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def cmd_open(args) -> int:
    store = _open_for_studio(args)
    if not _on_a_terminal():
        store.close()
        raise CliError(f"{args.study}: the studio needs a terminal (standard input or output is redirected); "
                       "run `research-tui open` in one, or use the commands for scripts (`research-tui --help`)")
    from ..app import run_tui

    code = run_tui(store)
    store.close()
    return code


def cmd_demo(args) -> int:
    from ..demo import build_demo

    if args.study.exists():
        say(f"{args.study} exists; opening it")
        store = _open_for_studio(args)
    else:
        store = build_demo(args.study, coder=args.coder)
        t = store.totals()
        print(f"created the fictional MRI demo study {args.study}: {t['sources']} sources, "
              f"{t['participants']} participants, {t['codings']} codings")
    if not args.no_open and not _on_a_terminal():
        say(f"not opening the studio: standard input or output is not a terminal (open it with "
            f"`research-tui open {args.study}` in one)")
    elif not args.no_open:
        from ..app import run_tui

        code = run_tui(store)
        store.close()
        return code
    store.close()
    return 0


def cmd_anonymize(args) -> int:
    store = open_store(args)
    store.set_anonymize(args.state == "on")
    store.close()
    print(f"anonymize is {args.state}: "
          + ("pseudonyms replace names in the TUI and every export" if args.state == "on" else "names are shown"))
    return 0


def _undo_redo(args, which: str) -> int:
    store = open_store(args)
    action = store.undo() if which == "undo" else store.redo()
    anon = anonymizer(store)
    store.close()
    if action is None:
        raise CliError(f"nothing to {which}")
    print(f"{which}: {anon.anon(action.summary)}")
    return 0


def cmd_undo(args) -> int:
    return _undo_redo(args, "undo")


def cmd_redo(args) -> int:
    return _undo_redo(args, "redo")


def cmd_history(args) -> int:
    store = open_store(args, read_only=True)
    anon = anonymizer(store)
    for a in store.history(args.limit):
        mark = {"done": " ", "undone": "u", "dropped": "x"}[a.state]
        print(f"{a.id:>5} {mark} {a.at}  {a.coder:<12} {anon.anon(a.summary)}")
    store.close()
    return 0
