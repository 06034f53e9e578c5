"""`import`: transcripts, folders, surveys and participants sheets, all in one transaction."""

from __future__ import annotations

from pathlib import Path

from coding.importing import import_transcripts
from coding.importing.transcript import source_transcripts
from coding.models import ImportFailed

from ..progress import Progress
from .common import CliError, anonymizer, file_path, number, open_store, say

EXCHANGE_SUFFIXES = (".qdpx", ".qdc")


def register(sub) -> None:
    s = sub.add_parser("import", help="import transcripts (all files in one transaction)")
    s.add_argument("study", type=Path)
    s.add_argument("files", type=file_path, nargs="*",
                   help=".txt .md .docx .vtt .srt .csv files, or one REFI-QDA .qdpx project / .qdc codebook")
    s.add_argument("--participants", type=file_path, help="CSV of participant attributes, joined on name or pseudonym")
    s.add_argument("--interviewer", action="append", default=[], metavar="NAME",
                   help="treat this speaker as the interviewer (repeatable)")
    s.add_argument("--id-column", help="CSV surveys: the respondent id column")
    s.add_argument("--text-column", action="append", metavar="COL", help="CSV surveys: a free-text column (repeatable)")
    s.add_argument("--attribute-column", action="append", metavar="COL",
                   help="CSV surveys: an attribute column (repeatable)")
    s.add_argument("--keep-going", action="store_true", help="import the good files and list the bad ones")
    s.add_argument("--max-mb", type=number(0, 100_000, above=True), default=50.0, metavar="MB",
                   help="refuse files larger than this (default 50)")
    s.add_argument("--media", type=file_path, metavar="FOLDER",
                   help="link each transcript to its recording in FOLDER, matched by name (alone: every source "
                        "without a recording)")
    s.set_defaults(run=cmd_import)


def read_files(paths: list[Path], *, max_mb: float = 50.0, interviewer: list[str] = (),
               survey_options: dict | None = None, keep_going: bool = False, existing=(), progress=None):
    """Parse every file in memory before anything touches the study, and settle the import as a whole
    (twins, files that are not interviews, interviewers across files). Returns (transcripts, notes, bad)."""
    from importers.batch import read_all

    result = read_all(paths, max_bytes=int(max_mb * 1024 * 1024), survey_options=survey_options,
                      interviewer=list(interviewer), keep_going=keep_going, existing=list(existing),
                      progress=progress)
    return result.transcripts, result.notes, result.bad


def read_participant_sheet(path: Path) -> list[dict]:
    from importers.encoding import decode
    from importers.participants import read_participants

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot read file ({exc.strerror})", path=str(path)) from exc
    return read_participants(decode(data, name=str(path)), name=str(path))


def segment_new_turns(store, progress=None) -> None:
    """Cut the imported turns into candidate quotes once, now, rather than on their first use."""
    from coding.nlp.segments import segment_study

    segment_study(store, progress=progress)


def cmd_import(args) -> int:
    if not args.files and not args.participants and not args.media:
        raise CliError("nothing to import: name transcript files and/or --participants CSV (or --media FOLDER)")
    if args.media is not None and not args.media.is_dir():
        raise CliError("--media takes a folder of recordings", path=str(args.media))
    exchange = [f for f in args.files if f.suffix.lower() in EXCHANGE_SUFFIXES]
    if exchange:
        return _import_exchange(args, exchange)
    store = open_store(args)  # fail early when the study is missing
    survey = {k: v for k, v in (("id_column", args.id_column), ("text_columns", args.text_column),
                                ("attribute_columns", args.attribute_column)) if v}
    report = new = None
    with Progress() as progress:  # on standard error, when it is a terminal and the import takes a while
        transcripts, notes, bad = read_files(args.files, max_mb=args.max_mb, interviewer=args.interviewer,
                                             survey_options=survey or None, keep_going=args.keep_going,
                                             existing=source_transcripts(store),
                                             progress=progress.step("reading files"))
        rows = read_participant_sheet(args.participants) if args.participants else None
        if transcripts or rows:
            sheet = str(args.participants) if args.participants else ""
            report = import_transcripts(store, transcripts, interviewers=args.interviewer, participant_rows=rows,
                                              participants_file=sheet, progress=progress.step("storing sources"))
            segment_new_turns(store, progress=progress.step("cutting turns into candidate quotes"))
            new = report.source_ids()
    if bad and not transcripts and not rows:
        for line in bad:
            say(f"research-tui: error: {line}")
        raise CliError(f"no file could be imported ({len(bad)} bad)")
    anon = anonymizer(store) if store.anonymize else None  # names in the report become pseudonyms
    for line in notes + (report.lines() if report else []):
        print(anon.anon(line) if anon else line)
    if args.media is not None:
        from .media import link_folder

        for line in link_folder(store, args.media, new if args.files else None):
            print(line)
    totals, people = store.totals(), _people(store)
    store.close()
    print(f"study now has {totals['sources']} sources, {people}, {totals['utterances']} utterances")
    for line in bad:
        say(f"research-tui: skipped bad file: {line}")
    return 1 if bad else 0


def _import_exchange(args, files: list[Path]) -> int:
    """A REFI-QDA project or codebook (NVivo, ATLAS.ti, MAXQDA, QualCoder): on its own, one transaction."""
    from coding.exchange.apply import import_project
    from importers.qdpx import read_project_file

    if len(args.files) != 1 or args.participants:
        raise CliError("import a .qdpx or .qdc file on its own (one per command, without other files)")
    path = files[0]
    store = open_store(args)
    with Progress() as progress:
        progress.step(f"reading {path.suffix.lower()} file")
        project = read_project_file(path, max_bytes=_max_bytes(args.max_mb))
        progress.step("storing its codes, sources and codings")
        report = import_project(store, project, filename=path.name)
        if report.sources_added:
            segment_new_turns(store, progress=progress.step("cutting turns into candidate quotes"))
    for line in report.lines():
        print(line)
    totals, people = store.totals(), _people(store)
    store.close()
    print(f"study now has {totals['sources']} sources, {people}, {totals['codings']} codings")
    return 0


def _max_bytes(max_mb: float) -> int:
    return int(max_mb * 1024 * 1024)


def _people(store) -> str:
    """'10 participants (not counted: 2 interviewers, 1 team member)': who counts, as `info` says it."""
    from coding.people import headcount

    count = headcount(store.iter_participants())  # streamed: a survey may be a million respondents
    return f"{count.participants} participants" + (f" (not counted: {count.why()})" if count.not_counted else "")
