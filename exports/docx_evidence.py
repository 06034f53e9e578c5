"""The report's evidence appendix: one entry per figure the report links, with the quotes behind it.

Entries come in the order their figures first appear (E1 is the executive summary's first moment). Each
says what the figure counts, how many quotes and participants are behind it and where the report cites it
(links back to each place), then shows its strongest quotes (`evidence.shown`: at most 3) with participant,
source and time, each with a link back to the figure. The appendix stays printable; the full list of each
figure is in the CSV export, and the entry says which rows.
"""

from __future__ import annotations

from .anonymize import truncate
from .common import plural
from .docx_kit import DocWriter
from .evidence import people_of, shown

INTRO = ("Every figure in this report (a count, a moment, a cell of the journey map, a persona's need) links to "
         "its entry here: what it counts, how many quotes and participants are behind it, where the report "
         "shows it, and its strongest quotes with who said them, in which source and when; ↩ goes back to the "
         "figure. Entries are numbered in the order the figures appear. Every quote behind every figure is in "
         "the CSV export (research-tui export STUDY --format csv): filter its rows by the code and the stage an "
         "entry names (its stage column lists the stages each coding is in).")
BACK = "↩"
QUOTE_CHARS = 170  # a quote longer than this is cut (with …): one to two lines each keeps the appendix short


def add_evidence(w: DocWriter, attribution) -> int:
    """Write the appendix from the links the report made; returns the number of entries."""
    links = w.links
    w.para(INTRO, "Caption")
    entries = list(links.entries.values())
    if not entries:
        w.para("No figure links here yet: code quotes with a stage first.", italic=True)
    for entry in entries:
        cite = entry.cite
        n_quotes = len(set(cite.quote_ids))
        chosen = shown(cite, links.quotes)
        counted = f" — {plural(n_quotes, 'quote')}, {plural(people_of(cite, links.quotes), 'participant')}"
        if len(chosen) < n_quotes:
            counted += f" ({len(chosen)} shown)"
        head: list[tuple] = [(f"{entry.label}  ", "b"), (cite.title, "b"), (counted, "g")]
        for i, (mark, place) in enumerate(entry.places):
            head += [(" · " if i == 0 else ", ", "g"), (place, "g", mark)]
        w.bookmark(w.runs(head, "Evidence Entry"), entry.anchor)
        back = entry.places[0][0] if entry.places else None
        for q in chosen:
            w.runs([(f"“{truncate(q.text, QUOTE_CHARS)}”", "i"), (f" — {attribution(q)} ", "g"),
                    *([(BACK, "", back)] if back else [])], "Evidence Quote")
        if not chosen:
            w.runs([("No quote behind this figure.", "gi")], "Evidence Quote")
    return len(entries)
