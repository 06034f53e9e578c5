"""`turns`: list a source's turns, or correct them: give turns to another speaker, mark them as not
speech (or as speech again), split a turn where given words start. Turns are numbered from 1 in
reading order, as `turns STUDY SOURCE` lists them."""

from __future__ import annotations

from pathlib import Path

from coding import turns as turn_ops
from coding.models import format_ms

from .common import CliError, anonymizer, find_source, number, open_store, print_json, whole_number

ACTIONS = ("list", "speaker", "not-speech", "speech", "split")


def register(sub) -> None:
    s = sub.add_parser("turns", help="list a source's turns, or give turns to another speaker, mark them as "
                                     "not speech, split one")
    s.add_argument("study", type=Path)
    s.add_argument("source", help="source title, file name or S01 …")
    s.add_argument("action", nargs="?", choices=ACTIONS, default="list")
    s.add_argument("args", nargs="*", help="speaker TURNS WHO | not-speech TURNS… | speech TURNS… | "
                                           "split TURN \"WORDS\" (TURNS: 3 or 3-5,8; WHO: a name, a pseudonym "
                                           "or unattributed)")
    s.add_argument("--to", dest="to", help="split: who says the second part (default: the same speaker)")
    s.add_argument("--occurrence", type=number(0, integer=True), default=0,
                   help="split: which occurrence of WORDS in the turn")
    s.add_argument("--json", action="store_true", help="list: one JSON array")
    s.set_defaults(run=cmd_turns)


def parse_numbers(spec: str, count: int) -> list[int]:
    """'3' or '3-5,8' -> [3, 4, 5, 8], each checked against the number of turns."""
    out: list[int] = []
    for part in spec.replace(" ", "").split(","):
        lo, _, hi = part.partition("-")
        a, b = whole_number(lo), whole_number(hi or lo)
        if a is None or b is None:  # ASCII digits only: not ٤٤, +4
            raise CliError(f"turn numbers look like 3 or 3-5,8, not {spec!r}")
        if not 1 <= a <= b <= count:
            raise CliError(f"turn {part} is not between 1 and {count}")
        out.extend(range(a, b + 1))
    return list(dict.fromkeys(out))


def cmd_turns(args) -> int:
    store = open_store(args, read_only=args.action == "list")
    source = find_source(store, args.source)
    rows = turn_ops.turns_of(store, source.id)
    action, rest = args.action, args.args
    shown = source.label(store.anonymize)

    def numbered(spec: str) -> list[int]:
        return [rows[n - 1].id for n in parse_numbers(spec, len(rows))]

    if action == "list":
        if rest:
            raise CliError("turns list takes no more arguments")
        _list(store, rows, as_json=args.json)
    elif action == "speaker":
        if len(rest) != 2:
            raise CliError("turns speaker takes TURNS WHO, e.g. `speaker 4-6 \"Sam Reid\"`")
        changed = turn_ops.set_speaker(store, numbered(rest[0]), rest[1])
        print(f"{store.history(1)[0].summary} in '{shown}'" if changed else "nothing to change")
    elif action in ("not-speech", "speech"):
        if not rest:
            raise CliError(f"turns {action} takes one or more TURNS, e.g. `{action} 1 3-4`")
        ids = [uid for spec in rest for uid in numbered(spec)]
        changed = turn_ops.set_not_speech(store, ids, action == "not-speech")
        print(f"marked {changed} turn{'s' * (changed != 1)} of '{shown}' as {action.replace('-', ' ')}")
    else:
        if len(rest) != 2 or whole_number(rest[0]) is None:
            raise CliError("turns split takes one TURN number and \"WORDS\": the words that start the second part")
        number = parse_numbers(rest[0], len(rows))[0]
        turn = rows[number - 1]
        at = turn_ops.find_in_turn(source.text, turn, rest[1], args.occurrence)
        _, second = turn_ops.split_turn(store, turn.id, at, args.to)
        who = store.participant(turn_ops.turn(store, second).participant_id).pseudonym
        print(f"split turn {number} of '{shown}': turn {number + 1} now starts at "
              f"{rest[1].strip()[:30]!r} ({who})")
    store.close()
    return 0


def _list(store, rows, *, as_json: bool) -> None:
    anonymize = store.anonymize
    anon = anonymizer(store)  # with anonymity on, names inside the turns become pseudonyms too
    people = {p.id: p for p in store.participants()}
    items = [{"number": n, "id": u.id, "speaker": None if anonymize else people[u.participant_id].name,
              "pseudonym": people[u.participant_id].pseudonym, "role": people[u.participant_id].role,
              "start_ms": u.start_ms, "char_start": u.char_start, "char_end": u.char_end,
              "not_speech": u.not_speech, "text": anon.anon(u.text)} for n, u in enumerate(rows, 1)]
    if as_json:
        print_json(items)
        return
    width = max([len(people[u.participant_id].label(anonymize)) for u in rows] + [7])
    for item, u in zip(items, rows):
        who = people[u.participant_id].label(anonymize)
        text = " ".join(anon.anon(u.text).split())
        mark = "(not speech) " if u.not_speech else ""
        print(f"{item['number']:>4}  {who:<{width}}  {format_ms(u.start_ms):<8}  "
              f"{mark}{text[:90]}{'…' if len(text) > 90 else ''}")
