"""The emotion curve as inline SVG for the HTML map page: the same picture as the report's (mean valence per
stage, each participant's mean as a dot, the moments that matter as numbered stars), drawn without a library
so the page needs nothing but itself."""

from __future__ import annotations

from html import escape

from coding.synthesis import Journey

from .charts import valence_hex
from .common import fmt_valence

W, H = 960, 250
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 34, 46
SIGN_COLOUR = {"pain": "#c0392b", "delight": "#1e8449", "mixed": "#b9770e", "calm": "#7f8c8d"}


def _y(v: float) -> float:
    return TOP + (2.0 - v) / 4.0 * (H - TOP - BOTTOM)


def _lines(name: str, width: int = 16) -> list[str]:
    """A stage name in at most two short lines under its point."""
    words, lines = name.replace("/", "/ ").split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            if len(lines) == 2:
                lines[-1] += "…"
                break
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    return [line.replace("/ ", "/") for line in lines]


def curve_svg(journey: Journey, clean, anonymize: bool, *, top: int = 5) -> str:
    """The curve, or "" when no stage has a valence. `clean` makes study text safe to show (and anonymous)."""
    columns = journey.stages
    if not any(col.valence.n for col in columns):
        return ""
    step = (W - LEFT - RIGHT) / len(columns)
    xs = [LEFT + (i + 0.5) * step for i in range(len(columns))]
    out = [f'<svg id="curve" viewBox="0 0 {W} {H}" role="img" aria-labelledby="curve-title">',
           '<title id="curve-title">Emotion curve: mean valence per stage (line), each participant (dots), '
           "moments that matter (numbered stars)</title>",
           f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" height="{_y(0) - TOP:.1f}" fill="#eaf6ee"/>',
           f'<rect x="{LEFT}" y="{_y(0):.1f}" width="{W - LEFT - RIGHT}" height="{_y(-2) - _y(0):.1f}" '
           'fill="#fbecea"/>']
    for v in (-2, -1, 0, 1, 2):
        dash = "" if v == 0 else ' stroke-dasharray="2 3"'
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{_y(v):.1f}" y2="{_y(v):.1f}" stroke="#9a9a9a"'
                   f' stroke-width="{1 if v == 0 else 0.5}"{dash}/>')
        out.append(f'<text x="{LEFT - 6}" y="{_y(v) + 4:.1f}" text-anchor="end" class="axis">'
                   f'{fmt_valence(float(v)) if v else "0"}</text>')
    for x, col in zip(xs, columns):
        points = col.valence.by_participant
        for i, (pid, value) in enumerate(points):
            dx = 0.0 if len(points) == 1 else (i / (len(points) - 1) - 0.5) * step * 0.36
            out.append(f'<circle cx="{x + dx:.1f}" cy="{_y(value):.1f}" r="3" fill="#6d6d6d" fill-opacity="0.55">'
                       f"<title>{escape(clean(journey.label(pid, anonymize)))}: "
                       f"{fmt_valence(value)}</title></circle>")
    known = [(x, col.valence.mean) for x, col in zip(xs, columns) if col.valence.mean is not None]
    if len(known) > 1:
        path = " ".join(f"{x:.1f},{_y(m):.1f}" for x, m in known)
        out.append(f'<polyline points="{path}" fill="none" stroke="#1f4e79" stroke-width="2.4"/>')
    for x, col in zip(xs, columns):
        v = col.valence
        if v.mean is not None:
            out.append(f'<circle cx="{x:.1f}" cy="{_y(v.mean):.1f}" r="5.5" fill="#{valence_hex(v.mean)}" '
                       f'stroke="#1f4e79" stroke-width="2"><title>{escape(clean(col.name))}: mean '
                       f"{fmt_valence(v.mean)} (n={v.n})</title></circle>")
        for j, line in enumerate(_lines(clean(col.name))):
            out.append(f'<text x="{x:.1f}" y="{H - BOTTOM + 16 + 12 * j}" text-anchor="middle" class="stage">'
                       f"{escape(line)}</text>")
    marks: dict[int, list] = {}
    for rank, m in enumerate(journey.top_moments(top), start=1):
        marks.setdefault(m.stage.id, []).append((rank, m))
    at = {col.stage.id: x for x, col in zip(xs, columns)}
    for stage_id, ranked in marks.items():
        for i, (rank, m) in enumerate(ranked):
            mx = at[stage_id] + (i - (len(ranked) - 1) / 2) * 22
            colour = SIGN_COLOUR.get(m.sign, "#b9770e")
            out.append(f'<g class="star"><title>{rank}. {escape(clean(m.title))} ({m.sign})</title>'
                       f'<text x="{mx:.1f}" y="{TOP - 10}" text-anchor="middle" fill="{colour}" '
                       f'font-size="20">★</text><text x="{mx:.1f}" y="{TOP - 12}" text-anchor="middle" '
                       f'fill="white" font-size="8" font-weight="bold">{rank}</text></g>')
    out.append("</svg>")
    return "\n".join(out)
