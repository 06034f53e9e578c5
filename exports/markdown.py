"""A Markdown journey summary: stages table, moments that matter with quotes, emotion curve as text."""

from __future__ import annotations

from pathlib import Path

from coding.guards.text import strip_controls, xml_safe
from coding.synthesis import FORMULA, Journey, Quote, compute_journey

from .anonymize import Anonymizer, truncate
from .common import fmt_valence, write_atomically

TOP_MOMENTS = 5
_BAR_WIDTH = 10  # characters for a valence of 2


def _cell(text: object) -> str:
    """Safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(xml_safe(text).split()).replace("|", "\\|")


def _bar(value: float | None) -> str:
    if value is None:
        return " " * _BAR_WIDTH + "·" + " " * _BAR_WIDTH
    n = round(abs(value) / 2 * _BAR_WIDTH)
    return ("█" * n).rjust(_BAR_WIDTH) + "|" + " " * _BAR_WIDTH if value < 0 else \
        " " * _BAR_WIDTH + "|" + ("█" * n).ljust(_BAR_WIDTH)


def render(store, journey: Journey, anon: Anonymizer) -> str:
    lines: list[str] = []
    add = lines.append
    add(f"# {anon.clean(journey.name)}: customer journey")
    add("")
    facts = f"{journey.n} participants, {len(journey.quotes)} quotes"
    if journey.segment:
        facts += f", participants with {journey.segment[0]} = {journey.segment[1]}"
    add(f"_{anon.clean(facts)}. Names are {'pseudonyms' if anon.enabled else 'as imported'}._")
    add("")
    add("## Stages")
    add("")
    add("| Stage | Quotes | Participants | Mean valence (n) | Touchpoints | Emotions | Needs | Pain points |")
    add("|---|---:|---:|---|---|---|---|---|")
    for col in journey.stages:
        v = col.valence
        add("| " + " | ".join(_cell(x) for x in (
            col.name, len(col.quotes), len(col.participant_ids), f"{fmt_valence(v.mean)} ({v.n})",
            ", ".join(f"{t.code.name} ({t.quotes})" for t in col.touchpoints[:3]) or "—",
            ", ".join(f"{t.code.name} ({t.quotes})" for t in col.emotions[:3]) or "—",
            ", ".join(f"{t.code.name} ({t.participants})" for t in col.needs[:3]) or "—",
            ", ".join(f"{t.code.name} ({t.quotes})" for t in col.pain_points[:3]) or "—",
        )) + " |")
    add("")
    add("## Emotion curve")
    add("")
    add("```")
    width = max((len(col.name) for col in journey.stages), default=5)
    for col in journey.stages:
        v = col.valence
        add(f"{col.name.ljust(width)}  {_bar(v.mean)}  {fmt_valence(v.mean):>5}  n={v.n}")
    add("```")
    add("")
    add("## Moments that matter")
    add("")
    add(f"_{FORMULA}; reach and peak-end are shares of the {journey.n} participants, intensity is the mean "
        "|valence| (0 to 2). A peak or an end counts only where it is felt (|valence| ≥ 0.5). A moment voiced "
        f"by fewer than {journey.min_participants} participants is ranked after the others, with a caution._")
    add("")
    for note in (journey.calm_note, journey.model_note):
        if note:
            add(f"_{note}_")
            add("")
    if not journey.moments:
        add("No moments yet: code quotes with a stage and an emotion.")
    for rank, m in enumerate(journey.top_moments(TOP_MOMENTS), start=1):
        caution = f" — caution: {m.caution}" if m.caution else ""
        add(f"### {rank}. {m.title} ({m.sign}, score {m.score:.2f}){caution}")
        add("")
        add(f"Why: {m.why}. Mean valence {fmt_valence(m.mean_valence)}; {m.sign_note}. Evidence: {m.basis}.")
        if m.needs:
            add("Needs: " + ", ".join(f"{t.code.name} ({t.participants})" for t in m.needs) + ".")
        add("")
        for q in m.quotes:
            add(_quote(q, journey, anon))
            add("")
    add("## Representative quotes by stage")
    add("")
    for col in journey.stages:
        if not col.representative:
            continue
        add(f"### {col.name}")
        add("")
        for q in col.representative:
            add(_quote(q, journey, anon))
            add("")
    return strip_controls("\n".join(lines).rstrip() + "\n")  # no escape sequence from any name or quote


def _quote(q: Quote, journey: Journey, anon: Anonymizer) -> str:
    who = anon.labels(q.participant_ids)
    where = " · ".join(x for x in (anon.clean(anon.source_label(q.source_id)), q.timestamp) if x)
    text = truncate(anon.clean(q.text), 600)
    return f"> “{text}”\n> — {who} · {where}"


def write_markdown(store, path: str | Path, *, anonymize: bool | None = None,
                   segment: tuple[str, str] | None = None, valence_of=None, force: bool = False) -> Journey:
    """Write the summary ("-": standard output); returns the journey it was made from. An existing file is
    replaced only if it is such a summary (`force`: any file but a study; see `write_atomically`)."""
    anonymize = store.anonymize if anonymize is None else bool(anonymize)
    journey = compute_journey(store, segment=segment, valence_of=valence_of)
    text = render(store, journey, Anonymizer.from_store(store, enabled=anonymize))
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), "Markdown summary", force=force,
                     replaces=_is_summary)
    return journey


def _is_summary(path: Path) -> bool:
    """Is this file a summary `render` wrote (its first line is the title it writes)?"""
    with path.open("rb") as fh:
        first = fh.read(4096).decode("utf-8", errors="replace").split("\n", 1)[0]
    return first.startswith("# ") and first.rstrip().endswith(": customer journey")
