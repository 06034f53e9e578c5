"""The result objects of synthesis: plain frozen dataclasses that keep the coding ids behind every number."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Code, Participant, format_ms, source_pseudonym

LOW_INTENSITY = 0.25  # a cell where people feel less than this (mean |valence|, 0..2) is calm


@dataclass(frozen=True)
class Attached:
    """A non-stage coding that overlaps a quote's stage span."""

    coding_id: int
    code_id: int
    kind: str
    text: str = ""   # the coding's own words (may differ from the quote's span)
    memo: str = ""


@dataclass(frozen=True)
class Quote:
    """One stage coding (its span is the quote) with the codings that overlap it in the same source."""

    id: int                          # the stage coding's id
    stage_id: int
    source_id: int
    source_title: str
    source_position: int
    start: int
    end: int
    text: str                        # source.text[start:end], verbatim
    participant_ids: tuple[int, ...]  # speakers of the span, interviewers and moderators excluded
    start_ms: int | None             # start of the utterance that contains the quote's first character
    attached: tuple[Attached, ...] = ()
    valence: float | None = None
    valence_from: str = "none"       # "codes" | "nlp" | "none"
    valence_coding_ids: tuple[int, ...] = ()  # the emotion codings the valence is the mean of

    @property
    def timestamp(self) -> str:
        return format_ms(self.start_ms)

    def source_label(self, anonymize: bool) -> str:
        """The source as shown: S01 … when anonymized, else its title."""
        return source_pseudonym(self.source_position) if anonymize else self.source_title

    @property
    def coding_ids(self) -> tuple[int, ...]:
        return (self.id, *(a.coding_id for a in self.attached))

    def code_ids(self, kind: str) -> tuple[int, ...]:
        seen: dict[int, None] = {}
        for a in self.attached:
            if a.kind == kind:
                seen.setdefault(a.code_id, None)
        return tuple(seen)

    def coding_ids_of(self, code_id: int) -> tuple[int, ...]:
        return tuple(a.coding_id for a in self.attached if a.code_id == code_id)

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.source_position, self.start, self.id)


@dataclass(frozen=True)
class CodeTally:
    """How often one code occurs among a set of quotes: quotes, distinct participants, the codings."""

    code: Code
    quote_ids: tuple[int, ...]
    participant_ids: tuple[int, ...]
    coding_ids: tuple[int, ...]

    @property
    def quotes(self) -> int:
        return len(self.quote_ids)

    @property
    def participants(self) -> int:
        return len(self.participant_ids)


@dataclass(frozen=True)
class StageValence:
    """The emotion curve at one stage: each participant counts once (the mean of their quotes)."""

    mean: float | None
    std: float | None                # population standard deviation over participants
    min: float | None
    max: float | None
    n: int                           # participants with a valence at this stage
    by_participant: tuple[tuple[int, float], ...] = ()
    coding_ids: tuple[int, ...] = ()  # emotion codings (and NLP-scored stage codings) behind the mean


@dataclass(frozen=True)
class StageColumn:
    """One column of the journey map: a stage with its lanes."""

    stage: Code
    quotes: tuple[Quote, ...]
    participant_ids: tuple[int, ...]
    touchpoints: tuple[CodeTally, ...]       # Doing
    representative: tuple[Quote, ...]        # Thinking
    emotions: tuple[CodeTally, ...]          # Feeling
    valence: StageValence                    # Feeling: the curve
    needs: tuple[CodeTally, ...]
    pain_points: tuple[CodeTally, ...]
    opportunities: tuple[CodeTally, ...]
    themes: tuple[CodeTally, ...] = ()

    @property
    def name(self) -> str:
        return self.stage.name

    @property
    def needs_functional(self) -> tuple[CodeTally, ...]:
        return tuple(t for t in self.needs if t.code.attributes.get("need_type") == "functional")

    @property
    def needs_emotional(self) -> tuple[CodeTally, ...]:
        return tuple(t for t in self.needs if t.code.attributes.get("need_type") == "emotional")

    @property
    def needs_other(self) -> tuple[CodeTally, ...]:
        return tuple(t for t in self.needs
                     if t.code.attributes.get("need_type") not in ("functional", "emotional"))

    @property
    def coding_ids(self) -> tuple[int, ...]:
        return tuple(cid for q in self.quotes for cid in q.coding_ids)


@dataclass(frozen=True)
class Moment:
    """A cell of the journey (a stage, or a stage with one touchpoint) ranked by `score`."""

    stage: Code
    touchpoint: Code | None
    score: float
    reach: float           # cell participants / participants in the journey
    intensity: float       # mean |valence| over the cell's participants (0..2)
    peak_end: float        # participants whose peak or end is here / participants in the journey
    participant_ids: tuple[int, ...]
    peak_end_ids: tuple[int, ...]
    n_journey: int         # participants in the journey (the denominator of reach and peak_end)
    mean_valence: float | None
    sign: str              # "pain" | "delight" | "mixed" (participants split) | "calm" (little feeling)
    needs: tuple[CodeTally, ...]
    quotes: tuple[Quote, ...]
    quote_ids: tuple[int, ...]   # every quote in the cell
    coding_ids: tuple[int, ...]  # every coding in the cell
    min_participants: int = 0    # the minimum reach (see moments.min_participants)
    n_valenced: int = 0          # participants with a valence here
    n_negative: int = 0          # ... whose mean valence here is strongly negative (<= -0.5)
    n_positive: int = 0          # ... strongly positive (>= +0.5)
    valence_from: tuple[tuple[str, int], ...] = ()  # quotes here by where their valence comes from

    @property
    def felt(self) -> bool:
        """People feel something here (intensity at least `LOW_INTENSITY`): ranked before calm cells."""
        return self.intensity >= LOW_INTENSITY

    @property
    def split(self) -> str:
        """Who feels what, with the counts: "3 of 10 strongly negative, 2 of 10 strongly positive"."""
        n = self.n_valenced
        return f"{self.n_negative} of {n} strongly negative, {self.n_positive} of {n} strongly positive"

    @property
    def sign_note(self) -> str:
        """The sign in words, with the numbers behind it."""
        if self.sign == "mixed":
            return f"mixed: participants split ({self.split})"
        if self.sign == "calm":
            return (f"little feeling: intensity {self.intensity:.2f} of 2" if self.n_valenced
                    else "no valence: no quote here has an emotion code or a model reading")
        return f"{self.sign}: mean valence {self.mean_valence:+.1f} ({self.split})"

    @property
    def basis(self) -> str:
        """How much of the moment's valence rests on the researcher's emotion codes, how much on the model."""
        counts = dict(self.valence_from)
        total = sum(counts.values())
        return (f"valence of its {total} quote{'s' if total != 1 else ''}: {counts.get('codes', 0)} from the "
                f"researcher's emotion codes, {counts.get('nlp', 0)} from the emotion model, "
                f"{counts.get('none', 0)} none")

    @property
    def limited_reach(self) -> bool:
        """Voiced by fewer participants than the minimum: ranked after the others, shown with a caution."""
        return len(self.participant_ids) < self.min_participants

    @property
    def caution(self) -> str:
        """"only 2 of 10 participants" for a moment below the minimum reach, else ""."""
        if not self.limited_reach:
            return ""
        return f"only {len(self.participant_ids)} of {self.n_journey} participants"

    @property
    def title(self) -> str:
        if self.touchpoint is None:
            return self.stage.name
        return f"{self.stage.name} · {self.touchpoint.name}"

    @property
    def why(self) -> str:
        n, pe = len(self.participant_ids), len(self.peak_end_ids)
        return (f"reach {self.reach:.2f} ({n} of {self.n_journey} participants), "
                f"intensity {self.intensity:.2f} of 2, peak-end {self.peak_end:.2f} "
                f"({pe} participant{'' if pe == 1 else 's'})")


@dataclass(frozen=True)
class Journey:
    """The journey of a study (or of one segment): stages × lanes, moments that matter, provenance."""

    name: str
    segment: tuple[str, str] | None
    stages: tuple[StageColumn, ...]
    moments: tuple[Moment, ...]
    participants: tuple[Participant, ...]     # participants with at least one quote, by id
    valence_sources: dict[str, int]           # quotes whose valence came from "codes", "nlp", "none"
    quotes: tuple[Quote, ...]
    people: dict[int, Participant] = field(default_factory=dict)  # everyone in the study, by id
    codes: dict[int, Code] = field(default_factory=dict)
    unstaged_coding_ids: tuple[int, ...] = ()  # codings that overlap no stage coding (not in the map)
    min_participants: int = 0                  # a moment with fewer participants ranks after the others

    @property
    def n(self) -> int:
        return len(self.participants)

    @property
    def model_share(self) -> float:
        """The share of quotes with a valence whose valence is the emotion model's (0 when none has one)."""
        rated = self.valence_sources.get("codes", 0) + self.valence_sources.get("nlp", 0)
        return self.valence_sources.get("nlp", 0) / rated if rated else 0.0

    @property
    def model_note(self) -> str:
        """One line when most valence comes from the emotion model, else ""."""
        vs = self.valence_sources
        rated = vs.get("codes", 0) + vs.get("nlp", 0)
        if not rated or self.model_share <= 0.5:
            return ""
        return (f"Most feeling here is the emotion model's reading, not the researcher's: {vs.get('nlp', 0)} of "
                f"{rated} quotes with a valence take it from the model (code emotions to confirm).")

    @property
    def calm_note(self) -> str:
        """One line when no moment is felt (every cell's intensity below `LOW_INTENSITY`), else "": then the
        moments are where most people speak, not where they feel, and a stakeholder should read them so."""
        if not self.moments or any(m.felt for m in self.moments):
            return ""
        most = max(self.moments, key=lambda m: (m.intensity, m.touchpoint is None))
        return (f"No stage stands out in feeling: people feel little either way everywhere (the most at "
                f"{most.title}, intensity {most.intensity:.2f} of 2). The moments below are where most people "
                "speak, not where they feel most.")

    def label(self, participant_id: int, anonymize: bool) -> str:
        p = self.people.get(participant_id)
        return p.label(anonymize) if p else f"#{participant_id}"

    def quote_label(self, quote: Quote, anonymize: bool) -> str:
        return ", ".join(self.label(pid, anonymize) for pid in quote.participant_ids) or "unattributed"

    def stage(self, name: str) -> StageColumn:
        for col in self.stages:
            if col.stage.name.casefold() == name.casefold():
                return col
        raise KeyError(name)

    def quote(self, quote_id: int) -> Quote:
        for q in self.quotes:
            if q.id == quote_id:
                return q
        raise KeyError(quote_id)

    def top_moments(self, k: int = 5, *, distinct: bool = True) -> tuple[Moment, ...]:
        """The first k moments. `distinct` skips a stage × touchpoint cell whose participants are
        exactly those of its stage's cell: it would repeat the stage's story (same people, same rank)."""
        stage_people = {m.stage.id: m.participant_ids for m in self.moments if m.touchpoint is None}
        out = []
        for m in self.moments:
            if len(out) >= k:
                break
            if distinct and m.touchpoint is not None and stage_people.get(m.stage.id) == m.participant_ids:
                continue
            out.append(m)
        return tuple(out)


@dataclass(frozen=True)
class ComparisonRow:
    stage: Code
    mean_a: float | None
    n_a: int
    mean_b: float | None
    n_b: int

    @property
    def difference(self) -> float | None:
        if self.mean_a is None or self.mean_b is None:
            return None
        return self.mean_a - self.mean_b


@dataclass(frozen=True)
class SegmentComparison:
    key: str
    value_a: str
    value_b: str
    journey_a: Journey
    journey_b: Journey
    rows: tuple[ComparisonRow, ...]


@dataclass(frozen=True)
class SaturationPoint:
    """One source in import order: the codes it used for the first time, and the running total."""

    source_id: int
    title: str
    position: int
    codes_used: int
    new_code_ids: tuple[int, ...]
    cumulative: int
    first_coding_ids: tuple[int, ...]  # the coding that first used each new code

    @property
    def new(self) -> int:
        return len(self.new_code_ids)
