"""Recordings: `sources STUDY media …` (an action of `sources.py`) links a source to its audio or video file,
`clips` cuts a code's quotes into a highlight reel; `import … --media FOLDER` links by name (`link_folder`)."""

from __future__ import annotations

from pathlib import Path

from coding import media

from .common import CliError, anonymizer, file_path, find_source, number, open_store, say


def register(sub) -> None:
    s = sub.add_parser("clips", help="cut the quotes of a code from their recordings: a highlight reel")
    s.add_argument("study", type=Path)
    s.add_argument("--code", required=True, help="the code whose quotes to cut")
    s.add_argument("-o", "--output", type=file_path, required=True, metavar="FOLDER",
                   help="the folder for the clips and clips.csv (new, empty, or an earlier reel)")
    s.add_argument("--join", action="store_true", help="also join the clips into one file (highlight-reel.m4a/.mp4)")
    s.add_argument("--pad", type=number(0, 30), default=0.0, metavar="SECONDS",
                   help="seconds added before and after each quote (default 0)")
    s.add_argument("--anonymize", action="store_true", default=None,
                   help="pseudonyms in file names and the list (default: study setting)")
    s.add_argument("--force", action="store_true", help="write into a folder that holds other files")
    s.set_defaults(run=cmd_clips)


def cmd_sources_media(args) -> int:
    """`sources STUDY media`: every source's recording; `media S FILE` links one; `media S --remove` unlinks."""
    if len(args.args) > 2 or (args.remove and len(args.args) != 1):
        raise CliError("sources STUDY media [SOURCE [FILE]] (or media SOURCE --remove)")
    store = open_store(args, read_only=len(args.args) < 2 and not args.remove)
    try:
        if len(args.args) < 2 and not args.remove:
            chosen = [find_source(store, args.args[0])] if args.args else store.sources()
            found = media.recordings(store)
            for s in chosen:
                path = found.get(s.id)
                state = "—" if path is None else f"{path}{'' if path.is_file() else ' (missing)'}"
                print(f"{s.pseudonym}  {s.label(store.anonymize)}: {state}")
            return 0
        source = find_source(store, args.args[0])
        label = source.label(store.anonymize)
        if args.remove:
            if not media.unlink_recording(store, source.id):
                raise CliError(f"{label} has no recording linked")
            print(f"{label}: recording unlinked (the file stays where it is)")
        else:
            path = media.link_recording(store, source.id, Path(args.args[1]))
            print(f"{label}: recording {path}")
            if not any(u.start_ms is not None for u in store.utterances(source.id)):
                say(f"note: {label} is {media.no_times_reason(source)}: it can be listened to, not played "
                    "from a turn or clipped")
    finally:
        store.close()
    return 0


def link_folder(store, folder: Path, source_ids: list[int] | None) -> list[str]:
    """Link recordings in `folder` to sources by name: the given sources, or every source without one. Lines
    to print: what was linked, what found none, which files were left."""
    have = media.recordings(store)
    sources = [s for s in store.sources() if (s.id in source_ids if source_ids is not None else s.id not in have)]
    files = media.media_files(folder)
    paired, missing, left = media.match_recordings(sources, files)
    anon = anonymizer(store)
    media.link_recordings(store, paired)  # one undoable step
    lines = [anon.anon(f"recording {paired[s.id].name} linked to {s.label(store.anonymize)}")
             for s in sources if s.id in paired]
    if missing:
        lines.append(anon.anon("no recording found for: " + ", ".join(s.label(store.anonymize) for s in missing)))
    if left:
        lines.append(anon.anon("recordings not matched to a source: " + ", ".join(f.name for f in left)))
    return lines


def cmd_clips(args) -> int:
    from exports.clips import cut_clips, plan_clips

    store = open_store(args, read_only=True)
    try:
        plan = plan_clips(store, args.code, anonymize=args.anonymize, pad=args.pad)
    finally:
        store.close()
    for line in plan.skipped:
        say(f"skipped {line}")
    written = cut_clips(plan, args.output, join=args.join, force=args.force)
    seconds = sum(c.seconds for c in plan.clips)
    extra = [p.name for p in written[len(plan.clips):]]  # clips.csv, and the joined reel
    print(f"wrote {len(plan.clips)} clip{'s' if len(plan.clips) != 1 else ''} ({seconds:.1f} s), "
          f"{' and '.join(extra)} to {args.output}")
    return 0
