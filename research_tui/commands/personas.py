"""`personas`: persona drafts (made on first use, kept in the study), their edits, and participant profiles;
`stage`: the to-be plan of a journey stage (to-be text, KPIs, opportunities attached)."""

from __future__ import annotations

from pathlib import Path

from coding.codebook import list_codes
from coding.people import find_participant

from .common import MODEL_VALENCE_HELP, CliError, open_store, open_to_read, print_json, say, valence_hook

QUOTE_CHARS = 300  # a listed quote longer than this is cut (`show --json` has it whole)
_ACTIONS = {  # action -> (usage, fewest arguments, most arguments)
    "list": ("", 0, 0), "show": ("PERSONA", 1, 1), "rename": ("PERSONA NEW_NAME", 2, 2),
    "edit": ("PERSONA --description/--goal/--attribute", 1, 1), "merge": ("PERSONA INTO", 2, 2),
    "delete": ("PERSONA", 1, 1), "move": ("WHO PERSONA|none", 2, 2), "add": ("NAME [WHO...]", 1, 999),
    "profiles": ("[WHO...]", 0, 999),
}


def register(sub) -> None:
    s = sub.add_parser("personas", help="persona drafts from the coding (made on first use), their edits, and "
                                         "participant profiles")
    s.add_argument("study", type=Path)
    s.add_argument("action", nargs="?", choices=tuple(_ACTIONS), default="list")
    s.add_argument("args", nargs="*", help="; ".join(f"{a} {u[0]}" for a, u in _ACTIONS.items() if u[0])
                   + " (PERSONA: name, number or the start of a name; WHO: participant name or pseudonym)")
    s.add_argument("--k", type=int, help="draft exactly this many personas (replaces the stored ones; undoable)")
    s.add_argument("--redraft", action="store_true", help="draft again from the coding (replaces the stored ones)")
    s.add_argument("--description", help="edit: the persona's description")
    s.add_argument("--goal", action="append", default=None, help="edit: a goal (repeat; replaces the goals)")
    s.add_argument("--attribute", action="append", default=[], metavar="ATTR=VALUE",
                   help="edit: set a shared attribute (empty VALUE removes it; repeat)")
    s.add_argument("--computed-attributes", action="store_true",
                   help="edit: drop edited attributes, compute them from the members again")
    s.add_argument("--no-model-valence", action="store_true", help=MODEL_VALENCE_HELP + ", as in `report`")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=cmd_personas)

    s = sub.add_parser("stage", help="a journey stage's to-be plan: to-be text, KPIs and opportunities")
    s.add_argument("study", type=Path)
    s.add_argument("stage", nargs="?", help="stage name, number or the start of its name (none: every stage)")
    s.add_argument("--to-be", help="what should happen instead")
    s.add_argument("--as-is", help="a summary of what happens now (the coded quotes are the evidence)")
    s.add_argument("--kpi", action="append", default=[], metavar="NAME=CURRENT->TARGET",
                   help='a KPI; "|how measured" may follow (repeat; a KPI of the same name is replaced)')
    s.add_argument("--measure", action="append", default=[], metavar="NAME=HOW", help="how a KPI is measured")
    s.add_argument("--remove-kpi", action="append", default=[], metavar="NAME")
    s.add_argument("--opportunity", action="append", default=[], metavar="CODE",
                   help="attach an opportunity code as evidence (repeat)")
    s.add_argument("--detach", action="append", default=[], metavar="CODE", help="detach an opportunity code")
    s.add_argument("--clear", action="store_true", help="empty the stage's plan first")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=cmd_stage)


def cmd_personas(args) -> int:
    from coding import personas as P

    usage, fewest, most = _ACTIONS[args.action]
    if not fewest <= len(args.args) <= most:
        raise CliError(f"personas {args.action} takes {usage}" if usage else "personas (list) takes no arguments")
    reading = args.action in ("list", "show", "profiles") and args.k is None and not args.redraft
    store = open_to_read(args) if reading else open_store(args)  # a read-only study can still be looked at
    try:
        if args.action == "list":
            return _list(store, args)
        if args.action == "profiles":
            return _profiles(store, args)
        a = args.args
        if args.action == "show":
            return _show(store, args, [P.find_persona(store, a[0])])
        if args.action == "rename":
            p = P.rename_persona(store, a[0], a[1])
            print(f"renamed to {p.name!r}")
        elif args.action == "edit":
            attributes = dict(_pair(x, "--attribute") for x in args.attribute)
            if args.description is None and args.goal is None and not attributes and not args.computed_attributes:
                raise CliError("personas edit needs --description, --goal, --attribute or --computed-attributes")
            p = P.edit_persona(store, a[0], description=args.description, goals=args.goal,
                               attributes=attributes or None, computed_attributes=args.computed_attributes)
            print(f"edited {p.name!r}")
        elif args.action == "merge":
            p = P.merge_personas(store, a[0], a[1])
            print(f"merged into {p.name!r}: {len(p.participant_ids)} participants")
        elif args.action == "delete":
            freed = P.delete_persona(store, a[0])
            print(f"deleted {a[0]!r}: {freed} participants in no persona now")
        elif args.action == "move":
            target = None if a[1].strip().casefold() in ("none", "-") else a[1]
            p = P.move_participant(store, a[0], target)
            print(f"moved {a[0]!r} to {p.name!r}" if p else f"{a[0]!r} is in no persona now")
        elif args.action == "add":
            people = [find_participant(store, w).id for w in a[1:]]
            p = P.add_persona(store, a[0], people)
            print(f"added {p.name!r} with {len(p.participant_ids)} participants")
        return 0
    finally:
        store.close()


def _pair(text: str, option: str) -> tuple[str, str]:
    if "=" not in text:
        raise CliError(f"{option} takes NAME=VALUE, not {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def _list(store, args) -> int:
    from coding import personas as P

    drafted = None
    if args.k is not None or args.redraft or not P.personas(store):
        drafted = P.draft_personas(store, k=args.k, valence_of=valence_hook(args))
        if not drafted.sketches:
            if args.json:
                print_json({"personas": [], "participants": drafted.participants, "reason": drafted.reason})
            else:
                print(drafted.reason)
            return 0
        if store.read_only:  # drafted to look at, not kept
            say(f"drafted {len(drafted.sketches)} personas from {drafted.participants} participants; "
                f"{drafted.reason}; not kept: the study is read-only")
            return _show(store, args, None, drafted)
        before = {p.id for p in P.personas(store)}
        saved = P.save_drafts(store, drafted)
        kept = [f"{i}. {p.name}" for i, p in enumerate(saved, 1) if p.id in before]
        note = f"; kept {len(kept)} whose members mostly stay ({', '.join(kept)})" if kept else ""
        if len(before) > len(kept):
            note += f"; replaced {len(before) - len(kept)}"
        say(f"drafted {len(drafted.sketches)} personas from {drafted.participants} participants; {drafted.reason}"
            + (f"{note} (undo with `research-tui undo`)" if before else ""))
    return _show(store, args, None, drafted)


def _show(store, args, chosen, drafted=None) -> int:
    from coding import personas as P
    from coding.personas.profiles import APART, MIN_SAYING
    from exports.anonymize import Anonymizer, truncate
    from exports.persona_data import sketch_dict

    unkept = drafted is not None and store.read_only  # drafts a read-only study could not keep
    sketches = list(drafted.sketches) if unkept else P.describe(store, chosen, valence_of=valence_hook(args))
    anon = Anonymizer.from_store(store, enabled=store.anonymize)
    codes = {c.id: c for c in list_codes(store)}
    if args.json:
        out = {"personas": [sketch_dict(s, anon, codes) for s in sketches]}
        stored = P.personas(store)
        method = stored[0].method if stored else {}
        if unkept:
            method = {"k": drafted.k, "chosen": drafted.reason,
                      "silhouettes": {str(k): v for k, v in drafted.silhouettes.items()}}
        out.update({"k": method.get("k"), "reason": method.get("chosen", ""),
                    "silhouettes": method.get("silhouettes", {})})
        print_json(out)
        return 0
    for i, s in enumerate(sketches, 1):
        people = [anon.label(p) for p in s.participant_ids]
        shown = ", ".join(people[:12]) + (f" and {len(people) - 12} more" if len(people) > 12 else "")
        print(f"{i}. {anon.anon(s.name)} — {s.size} participant{'' if s.size == 1 else 's'}: {shown}")
        if s.attributes:
            print(f"   shared: {anon.anon(s.summary())}" + (" (edited)" if s.attributes_edited else ""))
        if s.goals:
            print(f"   goals: {'; '.join(anon.anon(g) for g in s.goals)}")
        for label, items, top in (("needs", s.needs, s.top_needs), ("pains", s.pains, s.top_pains),
                                  ("themes", s.themes, ())):
            if items:
                print(f"   {label} that set them apart: " + ", ".join(_lift(x, s.size) for x in items[:5]))
            elif top:
                print(f"   {label}: none sets them apart (lift above {APART}, said by {MIN_SAYING} or more); "
                      "most said: " + ", ".join(_lift(x, s.size) for x in top[:3]))
        if s.emotions:
            print("   emotions: " + ", ".join(f"{x.code.name} ({x.members}/{s.size})" for x in s.emotions))
        for q in s.quotes[:3]:
            print(f"   “{truncate(anon.anon(q.text), QUOTE_CHARS)}” — "
                  f"{anon.labels(q.participant_ids)}, {anon.source_label(q.source_id)}"
                  + (f" {q.timestamp}" if q.timestamp else ""))
        print()
    return 0


def _lift(x, size: int) -> str:
    return f"{x.code.name} ({x.members}/{size}, lift {x.lift:.1f})"


def _profiles(store, args) -> int:
    from coding import personas as P
    from exports.anonymize import Anonymizer
    from exports.persona_data import profile_dict

    profiles = P.profiles(store, valence_of=valence_hook(args))
    if args.args:
        wanted = {find_participant(store, w).id for w in args.args}
        profiles = [p for p in profiles if p.id in wanted]
        if not profiles:
            raise CliError("no coded quotes for " + ", ".join(args.args))
    anon = Anonymizer.from_store(store, enabled=store.anonymize)
    codes = {c.id: c for c in list_codes(store)}
    if args.json:
        print_json({"profiles": [profile_dict(p, anon, codes) for p in profiles]})
        return 0
    for p in profiles:
        attrs = ", ".join(f"{k}={v}" for k, v in p.participant.attributes.items())
        print(f"{anon.label(p.id)} — {len(p.quotes)} quotes" + (f"; {attrs}" if attrs else ""))
        print("   stages: " + ", ".join(f"{c.code.name} ({c.quotes})" for c in p.stages))
        for label, items in (("needs", p.needs), ("pains", p.pains), ("emotions", p.emotions)):
            if items:
                print(f"   {label}: " + ", ".join(f"{c.code.name} ({c.quotes})" for c in items[:4]))
        curve = "  ".join(f"{c.stage.name} {c.valence:+.1f}" for c in p.curve if c.valence is not None)
        print(f"   curve: {curve}")
        for q in p.strongest[:2]:
            print(f"   “{anon.anon(q.text)}”")
        print()
    return 0


def cmd_stage(args) -> int:
    from coding import stageplans as S

    store = open_store(args)
    try:
        changes = any((args.to_be is not None, args.as_is is not None, args.kpi, args.measure, args.remove_kpi,
                       args.opportunity, args.detach, args.clear))
        if changes:
            if not args.stage:
                raise CliError("say which stage to change: research-tui stage STUDY STAGE --to-be TEXT")
            S.update_stage_plan(store, args.stage, to_be=args.to_be, as_is=args.as_is,
                                kpis=[S.parse_kpi(k) for k in args.kpi], remove_kpis=args.remove_kpi,
                                measures=dict(_pair(m, "--measure") for m in args.measure),
                                attach=args.opportunity, detach=args.detach, clear=args.clear)
        plans = [S.stage_plan(store, args.stage)] if args.stage else S.stage_plans(store)
        if args.json:
            print_json({"stages": [_plan_dict(p) for p in plans]})
            return 0
        for p in plans:
            print(p.stage.name + ("" if not p.empty else "  (no to-be yet)"))
            if p.as_is:
                print(f"   as-is: {p.as_is}")
            if p.to_be:
                print(f"   to-be: {p.to_be}")
            for k in p.kpis:
                print(f"   KPI {k.line()}")
            if p.opportunities:
                print("   opportunities: " + ", ".join(c.name for c in p.opportunities))
        return 0
    finally:
        store.close()


def _plan_dict(p) -> dict:
    from dataclasses import asdict

    return {"stage": p.stage.name, "as_is": p.as_is, "to_be": p.to_be, "kpis": [asdict(k) for k in p.kpis],
            "opportunities": [c.name for c in p.opportunities]}
