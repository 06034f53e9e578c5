"""The report's evidence appendix: one entry per figure the report links, with the quotes behind it.

Entries are grouped the way a reader looks for them on paper: by stage in journey order (its moments, its
quotes and mean valence, then its lanes' codes in the order the report first shows them), then the figures
across the whole journey, then each persona; they are numbered E1, E2 … in that order, in two columns. Figures
that rest on the same quotes share an entry (`docx_links`). Each entry says what the figure counts, how many
quotes and participants are behind it and where the report cites it (links back to each place), then its
strongest quotes (`evidence.shown`: 3 for a moment or a stage, 2 for any other figure) with participant,
source and time, each with a link back to the figure. A quote is printed in full once, under the first entry
that shows it; later entries give its first words and a link to it. So the appendix prints short; the full
list of each figure is in the CSV export, and the entry says how many more it holds.
"""

from __future__ import annotations

from .anonymize import truncate
from .common import plural
from .docx_kit import DocWriter
from .evidence import SHOWN, SHOWN_CODE, people_of, shown

INTRO = ("Every figure in this report (a count, a moment, a cell of the journey map, a persona's need) links to "
         "its entry here: what it counts, how many quotes and participants are behind it, where the report "
         "shows it, and its strongest quotes with who said them, in which source and when; ↩ goes back to the "
         "figure. Entries are grouped by stage, then the figures across the journey, then personas. A quote is "
         "printed in full once; where another figure rests on it too, its first words link to it. Every quote "
         "behind every figure is in the CSV export (research-tui export STUDY --format csv): filter its rows by "
         "the code and the stage an entry names (its stage column lists the stages each coding is in).")
BACK = "↩"
QUOTE_CHARS = 160  # a quote longer than this is cut (with …): a few lines of a column each
AGAIN_CHARS = 50   # a quote printed in full under an earlier entry: its first words and a link there
ACROSS = "Across the journey"


def add_evidence(w: DocWriter, attribution, stages=()) -> int:
    """Write the appendix from the links the report made; returns the number of entries. `stages`: the
    journey's stage columns, in order (the groups)."""
    links = w.links
    w.para(INTRO, "Caption")
    entries = list(links.entries.values())
    if not entries:
        w.para("No figure links here yet: code quotes with a stage first.", italic=True)
        return 0
    names = {col.stage.id: col.name for col in stages}
    groups: dict[tuple, list] = {}
    for entry in sorted(entries, key=lambda e: _group_order(_group(e.cite.key, names), list(names))):
        groups.setdefault(_group(entry.cite.key, names), []).append(entry)
    w.columns(2)
    printed: dict[int, str] = {}  # quote id -> the label of the entry that prints it in full
    number = 0
    for group, members in groups.items():
        heading, prefixes = _heading(group, names)
        w.para(heading, "Evidence Group")
        for entry in members:
            number += 1
            _entry(w, entry, f"E{number}", prefixes, attribution, printed)
    w.columns(1)
    return len(entries)


def _entry(w: DocWriter, entry, label: str, prefixes: tuple[str, ...], attribution, printed: dict[int, str]) -> None:
    links = w.links
    cite = entry.cite
    n_quotes = len(set(cite.quote_ids))
    k = _how_many(entry)
    pool = shown(cite, links.quotes, k + 1)
    chosen = list(pool[:k])
    if (k < SHOWN and len(pool) > k and pool[k].id not in printed
            and all(q.id in printed and len(q.text) > AGAIN_CHARS for q in chosen)):
        chosen.append(pool[k])  # every entry prints at least one quote in full when it has one not printed yet
    counted = f" — {plural(n_quotes, 'quote')}, {plural(people_of(cite, links.quotes), 'participant')}"
    if len(chosen) < n_quotes:
        counted += f" (+{n_quotes - len(chosen)} in the CSV)"
    head: list[tuple] = [(f"{label}  ", "b")]
    titles = list(dict.fromkeys(_short(t, prefixes) for t in entry.titles))
    for i, title in enumerate(titles):
        head += [*([("; ", "b")] if i else []), (title, "b")]
    head.append((counted, "g"))
    for i, (mark, place) in enumerate(entry.places):
        head += [(" · " if i == 0 else ", ", "g"), (place, "g", mark)]
    w.bookmark(w.runs(head, "Evidence Entry"), entry.anchor)
    back = [(BACK, "", entry.places[0][0])] if entry.places else []
    for q in chosen:
        again = printed.get(q.id)
        if again is None or len(q.text) <= AGAIN_CHARS:
            p = w.runs([(f"“{truncate(q.text, QUOTE_CHARS)}”", "i"), (f" — {attribution(q)} ", "g"), *back],
                       "Evidence Quote")
            if again is None:
                printed[q.id] = label
                w.bookmark(p, quote_anchor(q.id))
        else:  # printed in full under an earlier entry: its first words, and a link there
            w.runs([(f"“{truncate(q.text, AGAIN_CHARS)}”", "i"), (f" — {attribution(q, short=True)} ", "g"),
                    *back, (" · in full: ", "g"), (again, "g", quote_anchor(q.id))], "Evidence Quote")
    if not chosen:
        w.runs([("No quote behind this figure.", "gi")], "Evidence Quote")


def _how_many(entry) -> int:
    """Quotes an entry shows: 3 for a moment or a stage (the synthesis' choice), 2 for a figure the executive
    summary or a moment's section shows, 1 (the strongest) for every other figure."""
    if any(c.key[0] == "stage" or (c.key[0] == "moment" and len(c.key) == 3) for c in (entry.cite, *entry.also)):
        return SHOWN
    if any(place == "Summary" or place.startswith("Moment ") for _, place in entry.places):
        return SHOWN_CODE
    return 1


def quote_anchor(quote_id: int) -> str:
    return f"quote_{quote_id}"


def _group(key: tuple, stages: dict[int, str]) -> tuple:
    """("stage", id) | ("across",) | ("persona", name), from a cite's key (`evidence`)."""
    if key[0] == "persona":
        return ("persona", key[1])
    if key[0] in ("stage", "valence", "moment", "code") and key[1] in stages:
        return ("stage", key[1])
    return ("across",)


def _group_order(group: tuple, stage_ids: list[int]) -> tuple:
    if group[0] == "stage":
        return (0, stage_ids.index(group[1]))
    return (1,) if group[0] == "across" else (2,)


def _heading(group: tuple, names: dict[int, str]) -> tuple[str, tuple[str, ...]]:
    """The group's heading, and the prefixes its entries' titles drop (the heading says them)."""
    if group[0] == "stage":
        name = names[group[1]]
        return name, (f"{name} · ", f"{name}: ")
    if group[0] == "persona":
        return f"Persona {group[1]}", (f"Persona {group[1]} · ",)
    return ACROSS, ()


def _short(title: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if prefix and title.startswith(prefix) and len(title) > len(prefix):
            rest = title[len(prefix):]
            return rest[:1].upper() + rest[1:]
    return title
