"""`participants`: list people, or rename, merge, delete, set a role or an attribute."""

from __future__ import annotations

import re
from pathlib import Path

from coding.people import (
    delete_participant,
    find_participant,
    merge_participants,
    rename_participant,
    set_participant_attribute,
    set_participant_role,
)

from .common import CliError, open_store, print_json

_PEOPLE_ARGS = {"rename": "WHO NEW_NAME", "merge": "WHO INTO", "role": "WHO ROLE", "set": "WHO ATTR=VALUE",
                "delete": "WHO"}


def register(sub) -> None:
    s = sub.add_parser("participants", help="list participants, or rename, merge, delete, set a role or an attribute")
    s.add_argument("study", type=Path)
    s.add_argument("action", nargs="?", choices=("list", "rename", "merge", "delete", "role", "set"), default="list")
    s.add_argument("args", nargs="*", help="rename WHO NEW | merge WHO INTO | delete WHO | role WHO ROLE | "
                                           "set WHO ATTR=VALUE (WHO: name or pseudonym)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=cmd_participants)


def cmd_participants(args) -> int:
    store = open_store(args, read_only=args.action == "list")
    if args.action == "delete":
        if len(args.args) != 1:
            raise CliError("participants delete takes WHO")
        person = find_participant(store, args.args[0])
        moved = delete_participant(store, person.id)
        label = person.pseudonym if store.anonymize else f"{person.name!r} ({person.pseudonym})"
        print(f"deleted {label}: {moved} turn{'s' * (moved != 1)} now unattributed (kept, not counted as "
              "anyone's; `research-tui undo` brings them back)")
        store.close()
        return 0
    if args.action != "list":
        if len(args.args) != 2:
            raise CliError(f"participants {args.action} takes {_PEOPLE_ARGS[args.action]}")
        who, what = args.args
        if args.action == "rename":
            p = rename_participant(store, who, what)
            print(f"{p.pseudonym} is now {p.name!r}")
        elif args.action == "merge":
            moved = merge_participants(store, who, what)
            print(f"merged {who!r} into {what!r}: {moved} turns moved")
        elif args.action == "role":
            p = set_participant_role(store, who, what)
            print(f"{p.name!r} is now {p.role} ({p.pseudonym})")
        else:
            if "=" not in what:
                raise CliError(f"participants set takes WHO ATTR=VALUE, not {what!r}")
            key, value = what.split("=", 1)
            p = set_participant_attribute(store, who, key, value)
            print(f"{p.pseudonym}: " + (", ".join(f"{k}={v}" for k, v in p.attributes.items()) or "no attributes"))
        store.close()
        return 0
    from coding.answers import attribute_questions

    people = store.participants()
    anon = store.anonymize
    questions = attribute_questions(store)  # q12 -> the survey question it stands for
    store.close()
    if args.json:
        print_json([{"pseudonym": p.pseudonym, "name": None if anon else p.name, "role": p.role,
                     "attributes": p.attributes}
                    | ({"questions": {k: questions[k] for k in p.attributes if k in questions}}
                       if any(k in questions for k in p.attributes) else {}) for p in people])
        return 0
    from coding.synthesis.quotes import is_person

    for p in people:
        attrs = ", ".join(f"{k}={v}" for k, v in p.attributes.items())
        print(f"{p.pseudonym:<5} {'' if anon else p.name:<32} {p.role:<12} {attrs}")
    unnamed = [p for p in people if p.role == "participant" and not is_person(p)]
    if unnamed:
        print(f"\nnot counted as people until named (their turns had no speaker label; if one person speaks "
              f"them: `research-tui participants STUDY rename WHO NAME`): {', '.join(p.pseudonym for p in unnamed)}")
    used = sorted({k for p in people for k in p.attributes if k in questions}, key=_natural)
    if used:
        print("\nattribute questions:")
        for k in used:
            print(f"  {k:<8} {questions[k]}")
    return 0


def _natural(key: str) -> tuple:
    """q2 before q10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key.casefold()))
