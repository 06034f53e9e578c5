"""The Personas section of the report: one page per persona (who they are, goals, the needs and pains that set
them apart, feelings, their words, their emotion curve beside everyone's)."""

from __future__ import annotations

import io
import textwrap

from docx.shared import Inches

from coding.personas import Lift, Sketch
from coding.personas.profiles import APART, MIN_SAYING
from coding.synthesis import Journey

from .docx_kit import DocWriter
from .evidence import persona_cite


def lift_text(x: Lift, size: int) -> str:
    return f"{x.code.name} ({x.members} of {size}; {x.lift:.1f}× the others)"


def add_personas(w: DocWriter, sketches: list[Sketch], journey: Journey, attribution, *, drafted: str = "") -> int:
    """One page per persona; returns the number of pictures added."""
    w.para("Personas are groups of participants who say similar things (coded needs, pain points, emotions, "
           "stages) and share attributes. A need, pain point or theme sets a persona apart when it is more than "
           f"{APART:g} times as present in what its members say as in the other participants' words (lift) and "
           f"at least {MIN_SAYING} members say it; those said by half the group come first, highest lift first."
           + (f" {drafted}" if drafted else ""), "Caption")
    pictures = 0
    for i, s in enumerate(sketches):
        if i:
            w.page_break()
        w.heading(s.name, 2)
        who = ", ".join(w.anon.label(p) for p in s.participant_ids)
        w.runs([(f"{s.size} participant{'' if s.size == 1 else 's'}: ", "b"), (who, "")])
        if s.attributes:
            w.runs([("Who they are: ", "b"), (s.summary(), "")])
        if s.description:
            w.para(s.description, italic=True)
        if s.goals:
            w.heading("Goals", 3)
            for g in s.goals:
                w.bullet(g)
        for what, items, top, kind in (("Needs", s.needs, s.top_needs, "need"),
                                       ("Pain points", s.pains, s.top_pains, "pain_point"),
                                       ("Themes", s.themes, (), "theme")):
            if items:
                w.heading(f"{what} that set them apart", 3)
                for x in items[:3]:
                    w.runs([(lift_text(x, s.size), "", persona_cite(s.name, x, kind))], "List Bullet")
            elif top:
                w.heading(f"{what} they mention most", 3)
                w.para(f"None sets them apart (lift above {APART:g}, said by {MIN_SAYING} or more).", italic=True)
                for x in top[:3]:
                    w.runs([(lift_text(x, s.size), "", persona_cite(s.name, x, kind))], "List Bullet")
        if s.emotions:
            w.runs([("Feelings: ", "b"), *_listed([(f"{x.code.name} ({x.members} of {s.size})",
                                                    persona_cite(s.name, x, "emotion")) for x in s.emotions[:4]])])
        if s.opportunities:
            w.runs([("They ask for: ", "b"), *_listed([(x.code.name, persona_cite(s.name, x, "opportunity"))
                                                       for x in s.opportunities[:3]])])
        if s.quotes:
            w.heading("In their words", 3)
            for q in s.quotes[:2]:
                w.quote(q.text, attribution(q))
        png = persona_curve_png(s, journey)
        if png is not None:
            w.doc.add_picture(io.BytesIO(png), width=Inches(min(6.3, w.usable_width())))
            w.para("Their emotion curve: mean valence per stage, each member counting once (line), beside "
                   "everyone in the journey (grey).", "Caption")
            pictures += 1
    return pictures


def _listed(items: list[tuple[str, object]]) -> list[tuple]:
    """"a, b, c" as runs, each item linked to its evidence."""
    runs: list[tuple] = []
    for i, (text, cite) in enumerate(items):
        if i:
            runs.append((", ", ""))
        runs.append((text, "", cite))
    return runs


def persona_curve_png(s: Sketch, journey: Journey, *, width_in: float = 6.3, height_in: float = 1.9,
                      dpi: int = 160) -> bytes | None:
    if not any(c.valence is not None for c in s.curve):
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(s.curve)))
    everyone = {col.stage.id: col.valence.mean for col in journey.stages}
    ax.axhline(0, color="#9a9a9a", linewidth=0.8)
    nan = float("nan")
    ax.plot(xs, [everyone.get(c.stage.id) if everyone.get(c.stage.id) is not None else nan for c in s.curve],
            color="#a0a0a0", linewidth=1.4, linestyle=(0, (3, 2)), marker="o", markersize=3, label="everyone")
    ax.plot(xs, [c.valence if c.valence is not None else nan for c in s.curve], color="#1f4e79", linewidth=2.2,
            marker="o", markersize=5, label="this persona")
    ax.set_xticks(xs, [textwrap.fill(c.stage.name, 12) + f"\nn={c.participants}" for c in s.curve], fontsize=7)
    ax.set_ylim(-2.2, 2.2)
    ax.set_yticks([-2, -1, 0, 1, 2], ["−2", "−1", "0", "+1", "+2"], fontsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper left", ncol=2)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
