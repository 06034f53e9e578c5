"""Evidence behind the figures of a journey: which quotes make each count, moment and map cell.

Every figure an export shows (a stage's people and quotes, a code's people in a cell, a stage's mean
valence, a moment's reach, a persona's need) is a `Cite`: a key that names what it counts, a title in the
researcher's words, the ids of every quote behind it, and the few to show first. The Word report links each
figure to an entry of its evidence appendix (`docx_evidence`), the HTML map shows a cell's quotes when it is
clicked (`html_map`); both build their cites here, so both show the same quotes for the same figure.

Which quotes are shown first follows the synthesis: a moment shows its own quotes (`Moment.quotes`: its sign,
strongest first, one per participant first), a stage its representative quotes, every other figure the
strongest by |valence| from different people (`pick_diverse`, as the stage sections pick pain points).
The full list of a figure is in the CSV export: the rows with the code and stage its title names.
"""

from __future__ import annotations

from dataclasses import dataclass

from coding.synthesis import CodeTally, Journey, Moment, Quote, StageColumn
from coding.synthesis.represent import pick_diverse

SHOWN = 3       # quotes shown per moment or stage (the synthesis' choice) in the report's appendix
SHOWN_CODE = 2  # … and per other figure: the appendix stays printable


@dataclass(frozen=True)
class Cite:
    """One figure's evidence: `key` names what is counted (two figures with one key share an entry)."""

    key: tuple
    title: str
    quote_ids: tuple[int, ...]
    shown_ids: tuple[int, ...] = ()   # chosen by synthesis; empty: the strongest, from different people

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other) -> bool:
        return isinstance(other, Cite) and other.key == self.key


KIND_WORDS = {"touchpoint": "Touchpoint", "emotion": "Emotion", "need": "Need", "pain_point": "Pain point",
              "opportunity": "Opportunity", "theme": "Theme"}


def stage_cite(col: StageColumn) -> Cite:
    return Cite(("stage", col.stage.id), f"{col.name}: every quote", tuple(q.id for q in col.quotes),
                tuple(q.id for q in col.representative))


def valence_cite(col: StageColumn) -> Cite:
    felt = tuple(q.id for q in col.quotes if q.valence is not None)
    return Cite(("valence", col.stage.id), f"{col.name}: how people feel (mean valence)", felt)


def _code_cite(col: StageColumn | None, code, quote_ids: tuple[int, ...]) -> Cite:
    kind = KIND_WORDS.get(code.kind, code.kind)
    if col is None:
        return Cite(("code", None, code.id), f"{kind}: {code.name}", quote_ids)
    return Cite(("code", col.stage.id, code.id), f"{col.name} · {kind.lower()}: {code.name}", quote_ids)


def tally_cite(col: StageColumn | None, t: CodeTally) -> Cite:
    """A code in a stage's cell, or (no stage) across the whole journey."""
    return _code_cite(col, t.code, t.quote_ids)


def code_cite(journey: Journey, col: StageColumn | None, code) -> Cite:
    """A code at a stage (its tally in the stage's lanes) or, without a stage, across the whole journey."""
    quotes = col.quotes if col is not None else journey.quotes
    return _code_cite(col, code, tuple(q.id for q in quotes if code.id in q.code_ids(code.kind)))


def moment_key(m: Moment) -> tuple:
    return ("moment", m.stage.id, m.touchpoint.id if m.touchpoint else None)


def moment_cite(m: Moment) -> Cite:
    return Cite(moment_key(m), f"Moment: {m.title}", m.quote_ids, tuple(q.id for q in m.quotes))


def moment_need_cite(m: Moment, t: CodeTally) -> Cite:
    if m.touchpoint is None:  # the stage's own cell: the same quotes as the map's need
        return Cite(("code", m.stage.id, t.code.id), f"{m.stage.name} · need: {t.code.name}", t.quote_ids)
    return Cite((*moment_key(m), "need", t.code.id), f"Moment {m.title} · need: {t.code.name}", t.quote_ids)


def peak_end_cite(m: Moment, quotes: dict[int, Quote]) -> Cite:
    """The moment's quotes by the participants for whom it is their peak or their felt end."""
    people = set(m.peak_end_ids)
    ids = tuple(i for i in m.quote_ids if i in quotes and people & set(quotes[i].participant_ids))
    return Cite((*moment_key(m), "peak-end"), f"Moment {m.title}: peak or end for {len(people)}", ids)


def persona_cite(persona: str, lift, kind: str) -> Cite:
    word = KIND_WORDS.get(kind, kind).lower()
    return Cite(("persona", persona, lift.code.id), f"Persona {persona} · {word}: {lift.code.name}",
                tuple(lift.quote_ids))


def shown(cite: Cite, quotes: dict[int, Quote], k: int | None = None) -> tuple[Quote, ...]:
    """The quotes to show first: the synthesis' choice, or the strongest felt from different people."""
    if cite.shown_ids:
        return tuple(quotes[i] for i in cite.shown_ids if i in quotes)[:k or SHOWN]
    pool = [quotes[i] for i in dict.fromkeys(cite.quote_ids) if i in quotes]
    return pick_diverse(pool, {q.id: abs(q.valence or 0.0) for q in pool}, k or SHOWN_CODE)


def people_of(cite: Cite, quotes: dict[int, Quote]) -> int:
    return len({p for i in cite.quote_ids if i in quotes for p in quotes[i].participant_ids})
