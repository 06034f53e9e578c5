"""A workshop kit a person can use: the strongest N cards (48 by default) spread over stages, personas and
participants; `--stage` and `--code` pick a subset; a study coded without stages still has cards."""

from __future__ import annotations

import csv
from collections import Counter

import docx
import pytest

from coding import personas as P
from coding.codebook import find_code
from coding.models import StudyError
from coding.synthesis import compute_journey
from exports.workshop import write_kit
from exports.workshop_cards import DEFAULT_LIMIT, even_shares, strength, strongest
from research_tui.cli import main
from tests.exports.test_workshop import cards_of


def read_cards(path) -> list[dict]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_default_is_the_strongest_48_spread_over_stages_personas_and_people(demo, tmp_path):
    out, table = tmp_path / "kit.docx", tmp_path / "cards.csv"
    kit = write_kit(demo, out, csv_path=table)
    journey = compute_journey(demo)
    assert DEFAULT_LIMIT == 48 and kit.cards == 48 and kit.quotes == 403 and kit.card_pages == 6
    rows = read_cards(table)
    assert len(rows) == 48 and len(cards_of(docx.Document(str(out)))) == 48
    by_stage = Counter(r["stage"] for r in rows)
    assert set(by_stage) == {c.name for c in journey.stages if c.quotes}            # every stage
    assert max(by_stage.values()) - min(by_stage.values()) <= 1                       # evenly
    people = Counter(r["participant"] for r in rows)
    assert len(people) == journey.n == 15 and max(people.values()) <= 4               # everyone, nobody thrice more
    persona_of = {demo.participant(pid).pseudonym: p.name for p in P.personas(demo) for pid in p.participant_ids}
    per_persona = Counter(persona_of[r["participant"]] for r in rows)
    for p in P.personas(demo):                                                        # each near its fair share
        fair = 48 * len(p.participant_ids) / 15
        assert abs(per_persona[p.name] - fair) <= 0.35 * fair
    order = {c.stage.name: i for i, c in enumerate(journey.stages)}
    by_id = {q.id: q for q in journey.quotes}
    printed = [(order[r["stage"]], by_id[int(r["coding_id"])].order) for r in rows]
    assert printed == sorted(printed) and [int(r["card"]) for r in rows] == list(range(1, 49))
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "48 quote cards: the strongest of 403 coded quotes" in text and "15 participants" in text


def test_the_chosen_cards_are_stronger_than_the_rest(demo):
    from coding.synthesis.represent import centrality

    journey = compute_journey(demo)
    chosen = strongest(journey.quotes, 48, stage_order=[c.stage.id for c in journey.stages])
    score = {}
    for col in journey.stages:
        central = centrality(col.quotes)
        score.update({q.id: strength(q, central[q.id]) for q in col.quotes})
    picked = {q.id for q in chosen}
    mean_in = sum(score[i] for i in picked) / len(picked)
    mean_out = sum(v for i, v in score.items() if i not in picked) / (len(score) - len(picked))
    assert mean_in > mean_out + 0.1
    assert strongest(journey.quotes, 1000, stage_order=[]) == sorted(journey.quotes, key=lambda q: q.order)


def test_content_free_quotes_lose_to_quotes_with_content(tmp_path):
    from tests.unit.test_personas import small_study

    people = {f"Person {chr(65 + i)}": [("Yeah, okay.", ["Use"]), ("Thank you so much, sorry.", ["Use", "Reassured"]),
                                         ("Like, what do you mean by that?", ["Use", "Confused"]),
                                         (f"The booking site kept logging me out before I could pick a slot, "
                                          f"so I phoned instead, visit {i}.", ["Use", "Frustrated"])]
              for i in range(6)}
    store = small_study(tmp_path / "talk.rtui", people, {n: {"segment": "A"} for n in people})
    kit = write_kit(store, tmp_path / "kit.docx", csv_path=tmp_path / "cards.csv", limit=6)
    rows = read_cards(tmp_path / "cards.csv")
    assert kit.quotes == 24 and len(rows) == 6
    assert all("booking site" in r["quote"] for r in rows) and len({r["participant"] for r in rows}) == 6


def test_stage_and_code_filters(demo, tmp_path):
    table = tmp_path / "cards.csv"
    booking = find_code(demo, "Booking")
    frustrated = find_code(demo, "Frustrated")
    journey = compute_journey(demo)
    at_booking = [q for q in journey.quotes if q.stage_id == booking.id]
    kit = write_kit(demo, tmp_path / "a.docx", csv_path=table, stages=["booking"], limit=None)
    assert kit.cards == len(at_booking) and {r["stage"] for r in read_cards(table)} == {"Booking"}
    both = [q for q in at_booking if frustrated.id in {a.code_id for a in q.attached}]
    kit = write_kit(demo, tmp_path / "b.docx", csv_path=table, stages=["Booking"], codes=["frustrated"], limit=5,
                    force=True)
    rows = read_cards(table)
    assert kit.quotes == len(both) > 5 and len(rows) == 5
    assert all("Frustrated" in r["codes"].split("; ") and r["stage"] == "Booking" for r in rows)
    either = write_kit(demo, tmp_path / "c.docx", codes=["Scared", "Anxious"], limit=None)
    scared_or_anxious = {find_code(demo, "Scared").id, find_code(demo, "Anxious").id}
    assert either.cards == sum(1 for q in journey.quotes if scared_or_anxious & {a.code_id for a in q.attached})
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "b.docx")).paragraphs)
    assert f"the strongest of {len(both)} coded quotes of stage Booking with code Frustrated" in text
    with pytest.raises(StudyError, match="no journey stage 'Nowhere'"):
        write_kit(demo, tmp_path / "d.docx", stages=["Nowhere"])
    with pytest.raises(StudyError, match="no journey stage .Frustrated.; stages: Symptoms and GP"):
        write_kit(demo, tmp_path / "d.docx", stages=["Frustrated"])
    with pytest.raises(StudyError, match="no code named 'Nothing'"):
        write_kit(demo, tmp_path / "d.docx", codes=["Nothing"])
    with pytest.raises(StudyError, match="no coded quote of stage Symptoms and GP with code Delighted"):
        write_kit(demo, tmp_path / "d.docx", stages=["1"], codes=["Delighted"])
    assert not (tmp_path / "d.docx").exists()


def test_even_shares():
    assert even_shares({1: 30, 2: 30, 3: 30}, 48) == {1: 16, 2: 16, 3: 16}
    assert even_shares({1: 3, 2: 30, 3: 30}, 48) == {1: 3, 2: 23, 3: 22}             # a small stage gives way
    assert even_shares({1: 3, 2: 2}, 48) == {1: 3, 2: 2}
    assert sum(even_shares({i: 10 for i in range(7)}, 48).values()) == 48


def test_a_study_coded_without_stages_has_cards(tmp_path):
    from tests.unit.test_personas import small_study

    people = {f"Curator {i}": [(f"We ask every depositor for a licence before anything is shared, case {i}.",
                                ["Licensing"]), (f"Consent forms rarely mention reuse, case {i}.", ["Consent"])]
              for i in range(4)}
    store = small_study(tmp_path / "themes.rtui", people, {n: {} for n in people}, themes=("Licensing", "Consent"))
    kit = write_kit(store, tmp_path / "kit.docx", csv_path=tmp_path / "cards.csv")
    rows = read_cards(tmp_path / "cards.csv")
    assert kit.cards == kit.quotes == 8 and {r["stage"] for r in rows} == {""}
    assert {r["codes"] for r in rows} == {"Licensing", "Consent"}
    small = [c.paragraphs[1].text for c in cards_of(docx.Document(str(tmp_path / "kit.docx")))]
    assert all(s.count(" · ") == 2 for s in small)                                    # number · who · codes


def test_cli_limit_stage_code(demo, tmp_path, capsys):
    path, kit, table = str(demo.path), tmp_path / "kit.docx", tmp_path / "cards.csv"
    demo.close()
    assert main(["workshop", path, "-o", str(kit), "--limit", "16", "--stage", "Booking", "--code",
                 "Frustrated", "--csv", str(table)]) == 0
    out = capsys.readouterr().out
    assert "wrote " + str(kit) + ": 16 quote cards (the strongest of" in out and "on 2 pages" in out
    assert len(read_cards(table)) == 16
    assert main(["workshop", path, "-o", str(kit), "--limit", "0"]) == 0
    assert ": 403 quote cards on 51 pages" in capsys.readouterr().out
    assert main(["workshop", path, "-o", str(kit), "--limit", "-2"]) != 0
    assert "--limit" in capsys.readouterr().err
    assert main(["workshop", path, "-o", str(kit), "--stage", "Nowhere"]) != 0
    err = capsys.readouterr().err
    assert "no journey stage 'Nowhere'" in err and len(err.strip().splitlines()) == 1
