"""The result objects of personas: plain frozen dataclasses that keep the quote ids behind every number."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Code, Participant
from ..synthesis.model import Quote


@dataclass(frozen=True)
class CodeCount:
    """One code in one participant's quotes: how many quotes carry it, and which."""

    code: Code
    quote_ids: tuple[int, ...]

    @property
    def quotes(self) -> int:
        return len(self.quote_ids)


@dataclass(frozen=True)
class CurvePoint:
    """The emotion curve at one stage: a participant's mean valence there, or a group's (each member once)."""

    stage: Code
    valence: float | None
    quotes: int
    participants: int = 1


@dataclass(frozen=True)
class Profile:
    """One participant: attributes, the stages they spoke about, top codes, their own curve, strongest quotes."""

    participant: Participant
    quotes: tuple[Quote, ...]
    stages: tuple[CodeCount, ...]      # journey order
    needs: tuple[CodeCount, ...]       # most quotes first
    pains: tuple[CodeCount, ...]
    emotions: tuple[CodeCount, ...]
    opportunities: tuple[CodeCount, ...]
    curve: tuple[CurvePoint, ...]      # every stage, journey order; valence None where they said nothing felt
    strongest: tuple[Quote, ...]       # most intense first, one per stage before a second

    @property
    def id(self) -> int:
        return self.participant.id


@dataclass(frozen=True)
class Lift:
    """A code among a group's members against the other participants, each participant weighted equally.

    members / share: how many members mention it, and their share of the group; others: the share of the
    other participants who mention it. weight: the mean over members of the share of each member's quotes
    that carry it (how much of what they said); others_weight: the same over everyone else.
    lift = (weight + 0.01) / (others_weight + 0.01): 2.0 means twice as present in what members say."""

    code: Code
    members: int
    share: float
    others: float
    lift: float
    quote_ids: tuple[int, ...]
    weight: float = 0.0
    others_weight: float = 0.0


@dataclass(frozen=True)
class Sketch:
    """A group of participants described: a persona draft before it is stored, or a stored persona now."""

    name: str
    participant_ids: tuple[int, ...]
    attributes: dict[str, str]          # attribute -> phrase ("mostly 55+", "NHS"); edited or computed
    shared: dict[str, str]              # the phrases computed from the members, whatever was edited
    needs: tuple[Lift, ...]             # the needs that set the group apart (`profiles.sets_apart`), by lift;
    pains: tuple[Lift, ...]             # empty when none does
    emotions: tuple[Lift, ...]          # most shared first
    opportunities: tuple[Lift, ...]     # what members asked for
    goals: tuple[str, ...]
    description: str
    quotes: tuple[Quote, ...]           # representative: carry the distinctive codes, one per member first
    curve: tuple[CurvePoint, ...]
    persona_id: int | None = None
    attributes_edited: bool = False
    themes: tuple[Lift, ...] = ()       # the themes that set the group apart, like needs
    top_needs: tuple[Lift, ...] = ()    # the needs most present in what members say, whatever their lift
    top_pains: tuple[Lift, ...] = ()

    def apart(self) -> tuple[Lift, ...]:
        """Every code that sets the group apart (needs, pains, themes), highest lift first."""
        return tuple(sorted((*self.needs, *self.pains, *self.themes), key=lambda x: (-x.lift, x.code.name)))

    @property
    def size(self) -> int:
        return len(self.participant_ids)

    def summary(self) -> str:
        """The shared attributes in one line: "mostly 55+, NHS, first scan"."""
        return ", ".join(v for v in self.attributes.values() if v)


@dataclass(frozen=True)
class Drafting:
    """Persona drafts from clustering, or the reason there are none."""

    sketches: tuple[Sketch, ...]
    k: int | None
    participants: int                   # participants with coded quotes (the ones clustered)
    silhouettes: dict[int, float] = field(default_factory=dict)
    reason: str = ""                    # how k was chosen, or why no drafts were made
    features: tuple[str, ...] = ()      # the blocks clustered on


@dataclass(frozen=True)
class Persona:
    """A stored persona: what the researcher edits, and who belongs to it."""

    id: int
    name: str
    description: str
    goals: tuple[str, ...]
    attributes: dict[str, str] | None   # None: computed from the members on every read
    position: int
    participant_ids: tuple[int, ...]
    method: dict
