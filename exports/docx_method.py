"""Report sections that explain and document: segment comparison, method, codebook appendix."""

from __future__ import annotations

from collections import Counter
from statistics import median

from coding.answers import attribute_questions
from coding.codebook import KIND_LABELS, list_codes
from coding.codings import code_counts, list_codings
from coding.synthesis import FORMULA, Journey, SegmentComparison, saturation
from coding.synthesis.moments import FELT, LOW_INTENSITY, NEUTRAL, SPLIT_SHARE
from coding.synthesis.quotes import is_person

from .common import code_path, fmt_valence, plural
from .docx_fit import CELL_MARGIN_IN, Measure
from .docx_kit import DocWriter

MAX_LISTED = 30    # beyond this many participants, sources or coded sources, the method section counts them
VALUES_SHOWN = 8   # the most common values of an attribute (or files) in those counts
CSV_EXPORT = "the CSV export (`research-tui export STUDY --format csv`)"


def add_comparison(w: DocWriter, comparison: SegmentComparison) -> None:
    a, b = comparison.value_a, comparison.value_b
    w.para(f"Mean valence per stage for participants with {comparison.key} = {a} "
           f"({comparison.journey_a.n} participants) and {comparison.key} = {b} "
           f"({comparison.journey_b.n}). n is the number of participants with a valence at that stage; "
           "the difference is the first minus the second.")
    rows = []
    for r in comparison.rows:
        diff = r.difference
        rows.append((r.stage.name, fmt_valence(r.mean_a), r.n_a, fmt_valence(r.mean_b), r.n_b,
                     "n/a" if diff is None else fmt_valence(diff)))
    w.table(("Stage", f"{a}: mean", f"{a}: n", f"{b}: mean", f"{b}: n", "Difference"), rows,
            widths=(1.5, 0.95, 0.75, 0.95, 0.75, 1.1))
    for label, journey in ((a, comparison.journey_a), (b, comparison.journey_b)):
        top = journey.top_moments(3)
        if top:
            w.heading(f"Top moments for {comparison.key} = {label}", 3)
            for m in top:
                w.bullet(f"{m.title} ({m.sign}, score {m.score:.2f}): {m.why}")


def add_method(w: DocWriter, store, journey: Journey, anonymize: bool) -> None:
    w.heading("How quotes, attribution and valence work", 2)
    w.para("A quote is the span of one stage coding. Every other coding (emotion, need, touchpoint, pain "
           "point, opportunity, theme) in the same source that overlaps that span belongs to the quote. "
           "A quote is attributed to the participants who speak in its span; interviewers and moderators "
           "are left out.")
    vs = journey.valence_sources
    w.para(f"A quote's valence is the mean valence (−2 to +2) of its emotion codes ({vs.get('codes', 0)} "
           f"quotes); without one, an automatic (NLP) suggestion when available ({vs.get('nlp', 0)} quotes); "
           f"otherwise it has none ({vs.get('none', 0)} quotes). Each participant's valence at a stage is "
           "the mean of their quotes there; the stage mean is the mean over participants, so everyone "
           "counts once however much they said.")
    if journey.unstaged_coding_ids:
        w.para(f"{len(journey.unstaged_coding_ids)} codings overlap no stage coding and are not in the map.")
    w.heading("How moments that matter are ranked", 2)
    w.para("Each stage, and each stage with one touchpoint, is a candidate. With N the participants in the "
           f"journey (here {journey.n}):")
    w.bullet("reach = participants with a quote there ÷ N")
    w.bullet("intensity = mean over those participants of |their mean valence there| (0 to 2)")
    w.bullet("peak-end = participants whose most intense quote is there, or whose last coded stage it is, ÷ N; "
             "a peak or an end counts only where it is felt (|valence| at least 0.5), so a calm ending "
             "carries no end weight")
    w.para(FORMULA, "Intense Quote")
    w.para(f"Minimum reach: a moment needs at least {journey.min_participants} of the {journey.n} participants "
           "(3, or 10% of them when that is more, and never more than a majority). A moment voiced by fewer "
           "people is ranked after every moment that reaches the minimum and is marked with a caution "
           "(\"only 1 of 10 participants\"), so one vivid interview cannot lead the report.")
    w.para(feeling_rule())
    _participants(w, store, journey, anonymize)
    _sources(w, store)
    _coders(w, store)
    _saturation(w, store)


def feeling_rule() -> str:
    """How a moment's feeling is named and what that does to its rank: `coding.synthesis.moments.sign_of`."""
    felt, neutral, low = f"{FELT:g}", f"{NEUTRAL:g}", f"{LOW_INTENSITY:g}"
    return ("A moment's feeling is named from each participant's mean valence there. It is mixed feelings only "
            f"when participants really split: at least {SPLIT_SHARE:.0%} of them (one at least) strongly "
            f"negative (−{felt} or below) and as many strongly positive (+{felt} or above), while the mean is "
            f"itself not strong (between −{felt} and +{felt}); the moment says so with the counts (\"3 of 10 "
            f"strongly negative, 2 of 10 strongly positive\"). Otherwise it is little feeling (calm) when the "
            f"intensity is below {low} of 2, or when no quote there has a valence; pain when the mean valence "
            f"is −{neutral} or below; delight when it is +{neutral} or above; and little feeling when it lies "
            "between (mild feelings both ways, no real split). Moments people feel (intensity "
            f"{low} or more) rank before calm ones whatever their reach, among the moments that reach the "
            "minimum and again among those that do not. A moment's quotes share its sign (no delighted quote "
            "under a pain moment; a mixed moment shows both), the strongest first, one per participant until "
            "everyone has one.")


def _participants(w: DocWriter, store, journey: Journey, anonymize: bool) -> None:
    """People (role participant), one row each; a name never breaks inside a word. Beyond `MAX_LISTED`,
    counts by attribute value instead (a survey's 975 respondents filled 90 pages)."""
    w.heading("Participants", 2)
    everyone = store.participants()
    people = [p for p in everyone if is_person(p)]
    keys = sorted({k for p in people for k, v in p.attributes.items() if str(v).strip()})
    quotes = Counter(pid for q in journey.quotes for pid in q.participant_ids)
    if len(people) > MAX_LISTED:
        _participant_counts(w, people, keys, quotes)
    else:
        _participant_table(w, people, keys, quotes, anonymize)
    questions = attribute_questions(store)  # survey questions stored under short keys (q12)
    for k in keys:
        if k in questions:
            w.bullet(f"{k}: {questions[k]}")
    others = [p for p in everyone if p.role != "participant"]
    if len(others) > MAX_LISTED:
        roles = Counter(p.role for p in others)
        w.para("Not counted as participants: " + ", ".join(f"{n} {role}" for role, n in sorted(roles.items()))
               + ".")
    elif others:
        w.para("Not counted as participants (interviewers, the research team, observers): "
               + ", ".join(f"{p.label(anonymize)} ({p.role})" for p in others) + ".")
    unknown = [p for p in everyone if p.role == "participant" and not is_person(p)]
    if unknown:
        w.para(f"Turns without a speaker label ({plural(len(unknown), 'source')} with an \"Unknown speaker\") "
               "are not listed as people.", italic=True)


def _participant_counts(w: DocWriter, people, keys: list[str], quotes: Counter) -> None:
    """How many participants have each attribute value (the most common values of each attribute)."""
    quoted = [quotes.get(p.id, 0) for p in people if quotes.get(p.id, 0)]
    line = f"{len(people)} participants, {len(quoted)} of them with quotes in this journey"
    if quoted:
        line += f" (median {median(quoted):g} quotes each, at most {max(quoted)})"
    w.para(line + f". Beyond {MAX_LISTED} they are counted here, not listed: `research-tui participants STUDY` "
           f"lists every one, and {CSV_EXPORT} has every coding with its participant and their attributes.")
    rows = []
    for k in keys:
        values = Counter(str(p.attributes.get(k, "")).strip() for p in people)
        with_quotes = Counter(str(p.attributes.get(k, "")).strip() for p in people if quotes.get(p.id))
        named = [(v, n) for v, n in values.most_common() if v][:VALUES_SHOWN]
        for i, (v, n) in enumerate(named):
            rows.append((k if i == 0 else "", v, n, with_quotes[v]))
        rest = [v for v, _ in values.most_common() if v and v not in dict(named)]
        if rest:
            rows.append(("", f"{len(rest)} other values", sum(values[v] for v in rest),
                         sum(with_quotes[v] for v in rest)))
        if values[""]:
            rows.append(("", "(none)", values[""], with_quotes[""]))
    if rows:
        w.table(("Attribute", "Value", "Participants", "With quotes"), rows, widths=(1.3, 3.0, 1.0, 1.0))


def _participant_table(w: DocWriter, people, keys: list[str], quotes: Counter, anonymize: bool) -> None:
    names = [p.label(anonymize) for p in people]
    if len(keys) <= 4:
        header = ("Pseudonym" if anonymize else "Participant", "Quotes", *keys)
        rows = [(name, quotes.get(p.id, 0), *(p.attributes.get(k, "") for k in keys)) for name, p in zip(names, people)]
    else:  # many attributes: one column of "key: value" lines keeps the table on the page
        header = ("Pseudonym" if anonymize else "Participant", "Quotes", "Attributes")
        rows = [(name, quotes.get(p.id, 0), "\n".join(f"{k}: {p.attributes[k]}" for k in keys
                                                      if str(p.attributes.get(k, "")).strip()))
                for name, p in zip(names, people)]
    first = min(words_width([w.text(n) for n in names] + [header[0]], 9), w.usable_width() / 2)
    rest = (w.usable_width() - first - 0.7) / max(len(header) - 2, 1)
    w.table(header, rows, widths=(first, 0.7, *([rest] * (len(header) - 2))))


def words_width(texts: list[str], size: float, bold: bool = True) -> float:
    """Inches a table column needs so that none of `texts` breaks inside a word (cell padding included);
    bold by default: table styles such as "Light Grid" set the first column in bold."""
    m = Measure()
    widest = max((m.widest([(t, bold)], size) for t in texts), default=0.0)
    return widest / 72 + 2 * CELL_MARGIN_IN + 0.05


def _sources(w: DocWriter, store) -> None:
    """Sources by neutral id when anonymized: titles and file names often carry a participant's name.
    Beyond `MAX_LISTED`, counts by format (and by file, when one file held many) instead."""
    w.heading("Sources", 2)
    sources = store.sources()
    if len(sources) > MAX_LISTED:
        _source_counts(w, store, sources)
        return
    rows = []
    anonymized = w.anon.enabled
    for s in sources:
        when = s.metadata.get("date") or s.imported_at[:10]
        label = w.anon.source_label(s.id)
        rows.append((label, s.format, when) if anonymized else (label, s.filename, s.format, when))
    if anonymized:
        w.table(("Source", "Format", "Date"), rows, widths=(1.2, 1.0, 1.4))
        w.para("Sources are shown by a neutral id (S01 … in import order): their titles and file names "
               "are left out because they often carry a participant's name.", italic=True)
    else:
        w.table(("Title", "File", "Format", "Date"), rows, widths=(2.2, 2.2, 0.7, 1.2))


def _source_counts(w: DocWriter, store, sources) -> None:
    coded = {c.source_id for c in list_codings(store, spoken_only=True)}
    dates = sorted(str(s.metadata.get("date") or s.imported_at[:10]) for s in sources)
    when = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
    w.para(f"{len(sources)} sources, {len(coded & {s.id for s in sources})} of them coded, dated {when}. Beyond "
           f"{MAX_LISTED} they are counted here, not listed: `research-tui info STUDY` lists every one, and "
           f"{CSV_EXPORT} has every coding with its source.")
    formats = Counter(s.format for s in sources)
    coded_by = Counter(s.format for s in sources if s.id in coded)
    w.table(("Format", "Sources", "Coded"), [(f, n, coded_by[f]) for f, n in formats.most_common()],
            widths=(2.0, 1.2, 1.2))
    files = Counter(s.filename for s in sources)
    shared = [(f, n) for f, n in files.most_common() if n > 1]
    if shared and not w.anon.enabled:  # a survey file holds one source per respondent
        w.table(("File", "Sources"), shared[:VALUES_SHOWN], widths=(4.0, 1.2))


def _coders(w: DocWriter, store) -> None:
    w.heading("Coders", 2)
    counts = Counter(c.coder for c in list_codings(store, spoken_only=True))
    if not counts:
        w.para("No codings yet.", italic=True)
    for coder, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        w.bullet(f"{w.anon.coder(coder)}: {n} codings")
    if len(counts) > 1:
        from .docx_agreement import add_agreement

        add_agreement(w, store)


def _saturation(w: DocWriter, store) -> None:
    points = saturation(store)
    if not points:
        return
    w.heading("Saturation", 2)
    w.para("Codes used for the first time in each coded source, in import order. When new sources add few "
           "new codes, the codebook is close to saturation.")
    if len(points) > MAX_LISTED:  # in ten steps of consecutive sources: the curve, not a list
        size = -(-len(points) // 10)
        rows = []
        for start in range(0, len(points), size):
            step = points[start:start + size]
            first, last = w.anon.source_label(step[0].source_id), w.anon.source_label(step[-1].source_id)
            rows.append((f"{start + 1}–{start + len(step)}: {first} … {last}", sum(p.new for p in step),
                         step[-1].cumulative))
        w.table((f"Coded sources ({len(points)}, in steps of {size})", "New codes", "Total so far"), rows,
                widths=(4.0, 1.0, 1.0))
    else:
        w.table(("Source", "Codes used", "New codes", "Total so far"),
                [(w.anon.source_label(p.source_id), p.codes_used, p.new, p.cumulative) for p in points],
                widths=(3.0, 1.0, 1.0, 1.0))
    uncoded = len(store.sources()) - len(points)
    if uncoded:
        w.para(f"{plural(uncoded, 'source')} with no coding yet {'is' if uncoded == 1 else 'are'} left out: an "
               "interview not yet coded would show as \"0 new codes\".", italic=True)


def add_appendix(w: DocWriter, store) -> None:
    codes = list_codes(store)
    by_id = {c.id: c for c in codes}
    counts = code_counts(store, spoken_only=True)
    rows = []
    for c in codes:
        definition = c.description
        if c.valence is not None:
            definition = f"{definition} (valence {fmt_valence(c.valence)})".strip()
        n, people = counts.get(c.id, (0, 0))
        rows.append((code_path(c, by_id), KIND_LABELS.get(c.kind, c.kind), definition, n, people))
    w.table(("Code", "Kind", "Definition", "Codings", "People"), rows, widths=(1.4, 0.95, 2.3, 0.7, 0.65))
