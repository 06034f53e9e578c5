"""Pictures for the report: the emotion curve (matplotlib, Agg canvas, imported lazily), and the
valence colours shared with the journey map (red for negative, grey for neutral, green for positive)."""

from __future__ import annotations

import io
import math
import textwrap

from coding.guards.text import strip_controls
from coding.synthesis import Journey

_NEG, _MID, _POS = (0xF1, 0xA9, 0xA0), (0xE4, 0xE4, 0xE4), (0xA9, 0xDF, 0xBF)


def valence_rgb(valence: float | None) -> tuple[int, int, int] | None:
    """A light fill from red (-2) through grey (0) to green (+2); None when there is no valence."""
    if valence is None:
        return None
    t = max(-1.0, min(1.0, valence / 2))
    end = _NEG if t < 0 else _POS
    t = abs(t)
    return tuple(round(m + (e - m) * t) for m, e in zip(_MID, end))


def valence_hex(valence: float | None) -> str | None:
    rgb = valence_rgb(valence)
    return None if rgb is None else "".join(f"{c:02X}" for c in rgb)


def emotion_curve_png(journey: Journey, *, top: int = 5, width_in: float = 9.5, height_in: float = 3.6,
                      dpi: int = 170) -> bytes | None:
    """The per-stage mean valence line, each participant's points jittered, top moments marked.

    Returns PNG bytes, or None when no stage has a valence (nothing to draw).
    """
    columns = journey.stages
    if not any(col.valence.n for col in columns):
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: ~0.3 s
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(columns)))
    ax.axhspan(0, 2.25, color="#eaf6ee", zorder=0)
    ax.axhspan(-2.3, 0, color="#fbecea", zorder=0)
    ax.axhline(0, color="#9a9a9a", linewidth=0.8, zorder=1)

    dots_x, dots_y, bars = [], [], []
    for x, col in zip(xs, columns):
        points = col.valence.by_participant
        for i, (_, value) in enumerate(points):
            dots_x.append(x + (0.0 if len(points) == 1 else (i / (len(points) - 1) - 0.5) * 0.36))
            dots_y.append(value)
        if col.valence.n > 1:
            bars.append((x, col.valence.min, col.valence.max))
    ax.scatter(dots_x, dots_y, s=16, color="#6d6d6d", alpha=0.55, linewidths=0, zorder=2)
    if bars:
        ax.vlines([b[0] for b in bars], [b[1] for b in bars], [b[2] for b in bars], color="#7a7a7a",
                  linewidth=1.0, zorder=2)

    means = [col.valence.mean if col.valence.mean is not None else float("nan") for col in columns]
    known = [(x, m) for x, m in zip(xs, means) if not math.isnan(m)]
    if len(known) > 1:  # across stages with no valence: dashed, so the gap stays visible
        ax.plot([x for x, _ in known], [m for _, m in known], color="#1f4e79", linewidth=1.2,
                linestyle=(0, (3, 3)), alpha=0.6, zorder=3)
    ax.plot(xs, means, color="#1f4e79", linewidth=2.2, marker="o", markersize=6, zorder=3)

    stage_x = {col.stage.id: x for x, col in zip(xs, columns)}
    per_stage: dict[int, list[tuple[int, str]]] = {}
    for rank, moment in enumerate(journey.top_moments(top), start=1):
        per_stage.setdefault(stage_x[moment.stage.id], []).append((rank, moment.sign))
    for x, marks in per_stage.items():  # moment ranks in a row above their stage
        for i, (rank, sign) in enumerate(marks):
            colour = {"pain": "#c0392b", "delight": "#1e8449"}.get(sign, "#b9770e")
            mx = x + (i - (len(marks) - 1) / 2) * 0.26
            ax.scatter(mx, 2.55, s=260, marker="*", color=colour, edgecolors="white", linewidths=0.5, zorder=4)
            ax.annotate(str(rank), (mx, 2.55), xytext=(0, -11), textcoords="offset points", ha="center",
                        fontsize=7, fontweight="bold", color=colour, zorder=5)

    labels = [f"{_wrap(col.stage.name)}\nn={col.valence.n}" for col in columns]
    ax.set_xticks(xs, labels, fontsize=8)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(-2.3, 2.85)
    ax.set_yticks([-2, -1, 0, 1, 2], ["−2", "−1", "0", "+1", "+2"], fontsize=8)
    ax.set_ylabel("valence", fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title("Emotion curve: mean per stage (line), each participant (dots), moments that matter (★ rank)",
                 fontsize=9, loc="left")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _wrap(name: str, width: int = 14) -> str:
    name = strip_controls(name)  # a stage name is drawn: no escape sequence or control character in it
    return textwrap.fill(name.replace("/", "/ "), width, break_long_words=False).replace("/ ", "/")
