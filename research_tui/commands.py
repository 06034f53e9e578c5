"""The body of each CLI command: parse arguments into core calls, print results."""

from __future__ import annotations

import sys
from pathlib import Path

from coding.models import CODE_KINDS, ImportFailed
from coding.store import Store

from .cli import CliError, print_json


def _open(args) -> Store:
    return Store.open(args.study, coder=args.coder)


def _say(line: str) -> None:
    print(line, file=sys.stderr)


def cmd_new(args) -> int:
    store = Store.create(args.study, template=args.template, name=args.name, coder=args.coder)
    n = len(store.codes())
    store.close()
    print(f"created {args.study} with the {args.template} codebook ({n} codes)")
    return 0


def read_files(paths: list[Path], *, max_mb: float = 50.0, interviewer: list[str] = (),
               survey_options: dict | None = None, keep_going: bool = False):
    """Parse every file in memory before anything touches the study. Returns (transcripts, notes, bad)."""
    import importers

    transcripts, notes, bad = [], [], []
    files = [f for path in paths for f in importers.transcript_files(path)]  # a folder: its transcript files
    for path in files:
        try:
            result = importers.load_with_report(
                path, max_bytes=int(max_mb * 1024 * 1024), survey_options=survey_options,
                interviewer=list(interviewer) or None,
            )
        except ImportFailed as exc:
            if not keep_going:
                raise
            bad.append(str(exc))
            continue
        transcripts.extend(result.transcripts)
        notes.extend(f"{path.name}: {n}" for n in result.file_notes)
    return transcripts, notes, bad


def read_participant_sheet(path: Path) -> list[dict]:
    from importers.encoding import decode
    from importers.participants import read_participants

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot read file ({exc.strerror})", path=str(path)) from exc
    return read_participants(decode(data, name=str(path)), name=str(path))


def cmd_import(args) -> int:
    if not args.files and not args.participants:
        raise CliError("nothing to import: name transcript files and/or --participants CSV")
    store = _open(args)  # fail early when the study is missing
    survey = {k: v for k, v in (("id_column", args.id_column), ("text_columns", args.text_column),
                                ("attribute_columns", args.attribute_column)) if v}
    transcripts, notes, bad = read_files(args.files, max_mb=args.max_mb, interviewer=args.interviewer,
                                         survey_options=survey or None, keep_going=args.keep_going)
    rows = read_participant_sheet(args.participants) if args.participants else None
    if bad and not transcripts and not rows:
        for line in bad:
            _say(f"research-tui: error: {line}")
        raise CliError(f"no file could be imported ({len(bad)} bad)")
    if transcripts or rows:
        sheet = str(args.participants) if args.participants else ""
        report = store.import_transcripts(transcripts, interviewers=args.interviewer,
                                          participant_rows=rows, participants_file=sheet)
    else:
        report = None
    for line in notes:
        print(line)
    if report:
        for line in report.lines():
            print(line)
    totals = store.totals()
    store.close()
    print(f"study now has {totals['sources']} sources, {totals['participants']} participants, "
          f"{totals['utterances']} utterances")
    for line in bad:
        _say(f"research-tui: skipped bad file: {line}")
    return 1 if bad else 0


def cmd_info(args) -> int:
    store = _open(args)
    info = {
        "study": str(args.study),
        "name": store.name,
        "schema_version": store.schema_version,
        "anonymize": store.anonymize,
        "totals": store.totals(),
        "sources": [
            {k: s[k] for k in ("title", "filename", "format", "speakers", "utterances", "words")}
            | {"coded_share": round(s["coded_share"], 3)}
            for s in store.source_summaries()
        ],
    }
    store.close()
    if args.json:
        print_json(info)
        return 0
    t = info["totals"]
    print(f"{info['name']}  ({args.study}, schema v{info['schema_version']}"
          f"{', anonymized' if info['anonymize'] else ''})")
    print(f"{t['sources']} sources · {t['participants']} participants · {t['utterances']} utterances · "
          f"{t['words']} words · {t['codes']} codes · {t['codings']} codings")
    for s in info["sources"]:
        print(f"  {s['title']:<28} {s['format']:<5} {s['utterances']:>5} utt {s['words']:>7} words "
              f"{s['coded_share'] * 100:>4.0f}% coded  {', '.join(s['speakers'])}")
    return 0


def cmd_open(args) -> int:
    store = _open(args)
    from .app import run_tui

    run_tui(store)
    store.close()
    return 0


def cmd_demo(args) -> int:
    from .demo import build_demo

    if args.study.exists():
        _say(f"{args.study} exists; opening it")
        store = _open(args)
    else:
        store = build_demo(args.study, coder=args.coder)
        t = store.totals()
        print(f"created the fictional MRI demo study {args.study}: {t['sources']} sources, "
              f"{t['participants']} participants, {t['codings']} codings")
    if not args.no_open:
        from .app import run_tui

        run_tui(store)
    store.close()
    return 0


def cmd_codes(args) -> int:
    store = _open(args)
    action, names = args.action, args.names
    need = {"list": 0, "add": 1, "rename": 2, "merge": 2, "delete": 1}[action]
    if len(names) != need:
        raise CliError(f"codes {action} takes {need} name{'s' if need != 1 else ''}, got {len(names)}")
    if action == "add":
        if args.kind not in CODE_KINDS:
            raise CliError(f"codes add needs --kind, one of: {', '.join(CODE_KINDS)}")
        code = store.add_code(names[0], args.kind, valence=args.valence, description=args.description)
        print(f"added {code.kind} code '{code.name}'")
    elif action == "rename":
        code = store.update_code(store.find_code(names[0], args.kind).id, name=names[1])
        print(f"renamed '{names[0]}' to '{code.name}'")
    elif action == "merge":
        src, dst = store.find_code(names[0], args.kind), store.find_code(names[1], args.kind)
        moved = store.merge_codes(src.id, dst.id)
        print(f"merged '{src.name}' into '{dst.name}' ({moved} codings moved)")
    elif action == "delete":
        code = store.find_code(names[0], args.kind)
        gone = store.delete_code(code.id)
        print(f"deleted '{code.name}' and its {gone} codings")
    else:
        counts = store.code_counts()
        rows = [{"name": c.name, "kind": c.kind, "codings": counts[c.id][0], "participants": counts[c.id][1],
                 "valence": c.valence, "description": c.description} for c in store.codes(args.kind)]
        if args.json:
            print_json(rows)
        else:
            width = max([len(r["name"]) for r in rows] + [4])
            print(f"{'kind':<12} {'code':<{width}} {'codings':>7} {'people':>6} {'valence':>7}")
            for r in rows:
                val = f"{r['valence']:+g}" if r["valence"] is not None else ""
                line = f"{r['kind']:<12} {r['name']:<{width}} {r['codings']:>7} {r['participants']:>6} {val:>7}"
                print(line.rstrip())
    store.close()
    return 0


def cmd_code(args) -> int:
    store = _open(args)
    matches = [s for s in store.sources() if s.title.casefold() == args.source.casefold()]
    if not matches:
        raise CliError(f"no source titled {args.source!r}; see `research-tui info {args.study}`")
    source = matches[0]
    quote = args.quote.strip()
    starts, i = [], source.text.find(quote)
    while quote and i >= 0:
        starts.append(i)
        i = source.text.find(quote, i + 1)
    if not starts:
        raise CliError(f"those words do not occur in '{source.title}'")
    if len(starts) > 1 and not args.occurrence:
        raise CliError(f"those words occur {len(starts)} times in '{source.title}'; add --occurrence N")
    if args.occurrence and not 1 <= args.occurrence <= len(starts):
        raise CliError(f"--occurrence must be 1 to {len(starts)}")
    start = starts[(args.occurrence or 1) - 1]
    codes = [store.find_code(name) for name in args.codes]
    for code in codes:
        store.add_coding(source.id, start, start + len(quote), code.id, memo=args.memo)
    print(f"coded {start}..{start + len(quote)} of '{source.title}' as {', '.join(c.name for c in codes)}")
    store.close()
    return 0


def _undo_redo(args, which: str) -> int:
    store = _open(args)
    action = store.undo() if which == "undo" else store.redo()
    store.close()
    if action is None:
        raise CliError(f"nothing to {which}")
    print(f"{which}: {action.summary}")
    return 0


def cmd_undo(args) -> int:
    return _undo_redo(args, "undo")


def cmd_redo(args) -> int:
    return _undo_redo(args, "redo")


def cmd_history(args) -> int:
    store = _open(args)
    for a in store.history(args.limit):
        mark = {"done": " ", "undone": "u", "dropped": "x"}[a.state]
        print(f"{a.id:>5} {mark} {a.at}  {a.coder:<12} {a.summary}")
    store.close()
    return 0


_PEOPLE_ARGS = {"rename": "WHO NEW_NAME", "merge": "WHO INTO", "role": "WHO ROLE", "set": "WHO ATTR=VALUE"}


def cmd_participants(args) -> int:
    store = _open(args)
    if args.action != "list":
        if len(args.args) != 2:
            raise CliError(f"participants {args.action} takes {_PEOPLE_ARGS[args.action]}")
        who, what = args.args
        if args.action == "rename":
            p = store.rename_participant(who, what)
            print(f"{p.pseudonym} is now {p.name!r}")
        elif args.action == "merge":
            moved = store.merge_participants(who, what)
            print(f"merged {who!r} into {what!r}: {moved} turns moved")
        elif args.action == "role":
            p = store.set_participant_role(who, what)
            print(f"{p.name!r} is now {p.role} ({p.pseudonym})")
        else:
            if "=" not in what:
                raise CliError(f"participants set takes WHO ATTR=VALUE, not {what!r}")
            key, value = what.split("=", 1)
            p = store.set_participant_attribute(who, key, value)
            print(f"{p.pseudonym}: " + (", ".join(f"{k}={v}" for k, v in p.attributes.items()) or "no attributes"))
        store.close()
        return 0
    people = store.participants()
    anon = store.anonymize
    store.close()
    if args.json:
        print_json([{"pseudonym": p.pseudonym, "name": None if anon else p.name, "role": p.role,
                     "attributes": p.attributes} for p in people])
        return 0
    for p in people:
        attrs = ", ".join(f"{k}={v}" for k, v in p.attributes.items())
        print(f"{p.pseudonym:<5} {'' if anon else p.name:<32} {p.role:<12} {attrs}")
    return 0


def cmd_anonymize(args) -> int:
    store = _open(args)
    store.set_anonymize(args.state == "on")
    store.close()
    print(f"anonymize is {args.state}: "
          + ("pseudonyms replace names in the TUI and every export" if args.state == "on" else "names are shown"))
    return 0


def parse_segment(text: str | None) -> tuple[str, str] | None:
    if not text:
        return None
    if "=" not in text:
        raise CliError(f"--segment takes ATTR=VALUE, not {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def parse_compare(text: str | None) -> tuple[str, str, str] | None:
    if not text:
        return None
    key, _, values = text.partition("=")
    parts = [v.strip() for v in values.split(",")]
    if not key or len(parts) != 2 or not all(parts):
        raise CliError(f"--compare takes ATTR=A,B, not {text!r}")
    return key.strip(), parts[0], parts[1]


def cmd_report(args) -> int:
    from exports.docx_report import write_report

    store = _open(args)
    if args.template and not args.template.exists():
        raise CliError("template file not found", path=str(args.template))
    write_report(store, args.output, segment=parse_segment(args.segment), template=args.template,
                 anonymize=args.anonymize, compare=parse_compare(args.compare))
    store.close()
    print(f"wrote {args.output}")
    return 0


def cmd_export(args) -> int:
    store = _open(args)
    if args.format == "csv":
        from exports.csv_export import write_csv

        write_csv(store, args.output, anonymize=args.anonymize)
    else:
        from exports.markdown import write_markdown

        write_markdown(store, args.output, anonymize=args.anonymize, segment=parse_segment(args.segment))
    store.close()
    print(f"wrote {args.output}")
    return 0
