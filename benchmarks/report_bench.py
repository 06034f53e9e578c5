"""Report benchmark: `write_report` on a generated study of ~5,000 codings vs bare python-docx.

    python -m benchmarks.report_bench            # prints {"report_s", "baseline_s", "ratio", ...}

The baseline is bare python-docx writing the same document: every paragraph of the finished report
with its text and style name, every table with its cell texts, the same picture, then save. The report
time also includes what the baseline gets for free: the synthesis (TF-IDF centrality), the chart
(matplotlib) and the shading, widths and sections. `synthesis_s` and `paragraphs_only_s` (every quote
as a plain paragraph, the floor) are printed beside it. Heavy imports (scikit-learn, matplotlib) are
warmed first, so the ratio measures work, not import time. `generate_study()` is also a realistic
fictional study for looking at the rendered report.
"""

from __future__ import annotations

import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coding.codebook import list_codes, new_study
from coding.codings import add_codings
from coding.importing import import_transcripts
from coding.models import Transcript, Utterance
from coding.study import Store

FIRST = ["Aisha", "Ben", "Chloe", "Dev", "Ewa", "Farid", "Grace", "Hamish", "Ines", "Jonah", "Kemi", "Liam",
         "Maya", "Noor", "Oscar", "Priya", "Quinn", "Rosa", "Stefan", "Tara", "Umar", "Vera", "Wes", "Yusuf"]
LAST = ["Khan", "Carter", "Davies", "Mistry", "Nowak", "Haddad", "Okafor", "Reid", "Silva", "Brooks", "Adeyemi",
        "Walsh", "Chen", "Rahman", "Berg", "Patel", "Hughes", "Costa", "Vogel", "Byrne", "Malik", "Ionescu", "Hart",
        "Aziz"]
# stage -> (question, [(sentence, emotion, touchpoint, need, pain, opportunity)])
STAGES = {
    "Awareness": ("How did you first hear about the service?", [
        ("My GP mentioned the scan and said it was routine, which calmed me down.", "Reassured", "In person",
         "Clear information", False, False),
        ("I saw a leaflet in the waiting room but it did not say who it was for.", "Confused", "Email / letter",
         "Clear information", True, True),
        ("A friend had been through it and told me exactly what to expect.", "Confident", None,
         "Being cared for", False, False),
        ("I searched online at night and frightened myself with forum stories.", "Anxious", "Website",
         "Clear information", True, False),
    ]),
    "Consideration": ("Did you compare options?", [
        ("The private clinic could see me in a week, the hospital said three months.", "Frustrated", "Website",
         "Speed and convenience", True, False),
        ("I rang two clinics and the second one actually listened to my questions.", "Reassured", "Phone call",
         "Being cared for", False, False),
        ("Nobody could tell me the cost up front, so I just had to guess.", "Confused", "Phone call",
         "Clear information", True, True),
    ]),
    "Purchase": ("How did the booking go?", [
        ("Booking online took two minutes and I picked a slot after work.", "Delighted", "Website",
         "Speed and convenience", False, False),
        ("The form asked for my referral number three times and then timed out.", "Frustrated", "Website",
         "Speed and convenience", True, True),
        ("I was on hold for forty minutes before anyone picked up the phone.", "Angry", "Phone call",
         "Speed and convenience", True, True),
    ]),
    "Onboarding": ("What happened before the appointment?", [
        ("The letter with my appointment arrived after the date had already passed.", "Angry", "Email / letter",
         "Clear information", True, True),
        ("Nobody told me I could not eat beforehand, so I had to rebook.", "Frustrated", "Email / letter",
         "Clear information", True, True),
        ("The reminder text with a map and parking tips was really thoughtful.", "Delighted", None,
         "Feeling in control", False, False),
        ("I was anxious for weeks because I did not know what the scan would feel like.", "Anxious", None,
         "Feeling in control", True, True),
    ]),
    "Use": ("Tell me about the day of the scan.", [
        ("The radiographer explained every noise before it happened, I felt safe.", "Reassured", "In person",
         "Being cared for", False, False),
        ("It was loud and cramped and nobody checked on me for twenty minutes.", "Anxious", "In person",
         "Being cared for", True, True),
        ("They played my own music in the headphones, which was a lovely touch.", "Delighted", "In person",
         "Being cared for", False, False),
        ("The waiting room was packed and the screens showed the wrong times.", "Frustrated", "In person",
         "Speed and convenience", True, False),
    ]),
    "Support": ("What happened after the scan?", [
        ("I waited three weeks for the results and had to chase them myself.", "Frustrated", "Phone call",
         "Clear information", True, True),
        ("The nurse phoned me the next day and walked me through the report.", "Delighted", "Phone call",
         "Being cared for", False, False),
        ("The results letter was full of jargon I had to look up.", "Confused", "Email / letter",
         "Clear information", True, True),
    ]),
    "Renewal/Advocacy": ("Would you recommend it?", [
        ("I have already told my sister to go there, the staff were brilliant.", "Delighted", None,
         "Being cared for", False, False),
        ("I would go back, but only if they fix the booking system first.", "Neutral", "Website",
         "Speed and convenience", False, True),
        ("Honestly I would warn people about the wait for results.", "Frustrated", None,
         "Clear information", True, False),
    ]),
}
FILLERS = ["To be honest, ", "I remember that ", "Well, ", "", "", "Looking back, ", "I think "]


def _transcript(i: int, rng: random.Random, quotes_per_stage: int) -> tuple[Transcript, list[tuple]]:
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
    turns, plan = [], []
    ms = 0
    for stage, (question, options) in STAGES.items():
        for k in range(quotes_per_stage):
            words, *codes = rng.choice(options)
            turns.append(("Interviewer", question if k == 0 else "Can you say more?", ms))
            ms += rng.randint(4_000, 9_000)
            filler = rng.choice(FILLERS)
            keep_case = not filler or words.startswith(("I ", "I'"))
            turns.append((name, filler + (words if keep_case else words[0].lower() + words[1:]), ms))
            ms += rng.randint(20_000, 60_000)
            plan.append((len(turns) - 1, stage, *codes))
    text, utts = "", []
    for speaker, words, start in turns:
        prefix = f"[{start // 60000:02d}:{start // 1000 % 60:02d}] {speaker}: "
        offset = len(text) + len(prefix)
        text += prefix + words + "\n"
        utts.append(Utterance(speaker, offset, offset + len(words), start, start + 15_000))
    t = Transcript(title=f"Interview {i + 1:02d}", filename=f"interview_{i + 1:02d}.vtt", format="vtt",
                   text=text, utterances=utts, roles={"Interviewer": "interviewer"})
    return t, plan


def generate_study(path: Path, *, participants: int = 24, n_codings: int = 5000, seed: int = 7) -> Store:
    """A fictional MRI-scan journey study with about `n_codings` codings (≈4.9 per quote)."""
    rng = random.Random(seed)
    per_stage = max(1, round(n_codings / 4.9 / participants / len(STAGES)))
    store = new_study(path, template="journey", name="MRI scan journey", coder="bench")
    made = [_transcript(i, rng, per_stage) for i in range(participants)]
    bands = ["18-34", "35-54", "55+"]
    sheet = [{"name": t.utterances[1].speaker, "segment": "NHS" if i % 3 else "Private", "age band": bands[i % 3]}
             for i, (t, _) in enumerate(made)]
    import_transcripts(store, [t for t, _ in made], participant_rows=sheet)
    code = {(c.kind, c.name): c.id for c in list_codes(store)}
    items = []
    for source, (t, plan) in zip(store.sources(), made):
        for index, stage, emotion, touchpoint, need, pain, opportunity in plan:
            u = t.utterances[index]
            a, b = u.start, u.end
            items.append((source.id, a, b, code[("stage", stage)]))
            items.append((source.id, a, b, code[("emotion", emotion)]))
            items.append((source.id, a, b, code[("need", need)]))
            if touchpoint:
                items.append((source.id, a, b, code[("touchpoint", touchpoint)]))
            if pain:
                items.append((source.id, a, b, code[("pain_point", "Pain point")]))
            if opportunity:
                items.append((source.id, a, b, code[("opportunity", "Opportunity")]))
    add_codings(store, items, summary="generated codings")
    return store


def _paragraphs_only(store, path: Path) -> float:
    """Every quote of the journey as a plain paragraph plus one small table: the floor."""
    from docx import Document

    from coding.synthesis import compute_journey

    journey = compute_journey(store)
    t0 = time.perf_counter()
    doc = Document()
    for q in journey.quotes:
        doc.add_paragraph(q.text)
    table = doc.add_table(rows=2, cols=len(journey.stages) + 1)
    for j, col in enumerate(journey.stages, start=1):
        table.cell(0, j).text = col.name
        table.cell(1, j).text = str(len(col.quotes))
    doc.save(str(path))
    return time.perf_counter() - t0


def _same_document(report: Path, path: Path) -> tuple[float, dict]:
    """Bare python-docx writing the report's own content: each paragraph (text and style name), each
    table (cell texts), each picture. What a plain script would do to produce the same pages."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Inches
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    source = Document(str(report))
    blocks: list[tuple] = []
    for el in source.element.body.iterchildren():
        if el.tag == qn("w:p"):
            p = Paragraph(el, source)
            blocks.append(("p", p.text, p.style.name if p.style is not None else None))
        elif el.tag == qn("w:tbl"):
            blocks.append(("t", [[cell.text for cell in row.cells] for row in Table(el, source).rows]))
    pictures = [rel.target_part.blob for rel in source.part.rels.values() if "image" in rel.reltype]

    t0 = time.perf_counter()
    doc = Document()
    known = {s.name for s in doc.styles}
    for block in blocks:
        if block[0] == "p":
            doc.add_paragraph(block[1], style=block[2] if block[2] in known else None)
        else:
            rows = block[1]
            table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, values in enumerate(rows):
                for c, value in enumerate(values):
                    table.cell(r, c).text = value
    for blob in pictures:
        doc.add_picture(io.BytesIO(blob), width=Inches(6))
    doc.save(str(path))
    counts = {"paragraphs": sum(b[0] == "p" for b in blocks), "tables": sum(b[0] == "t" for b in blocks),
              "pictures": len(pictures)}
    return time.perf_counter() - t0, counts


def bench_report(n_codings: int = 5000) -> dict:
    import matplotlib.figure  # noqa: F401  warm the heavy imports: time the work, not the imports
    import sklearn.feature_extraction.text  # noqa: F401

    from coding.synthesis import compute_journey
    from exports import write_report

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        store = generate_study(tmp_path / "bench.rtui", n_codings=n_codings)
        codings = store.totals()["codings"]
        t0 = time.perf_counter()
        compute_journey(store)
        synthesis_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        summary = write_report(store, tmp_path / "report.docx", anonymize=True)
        report_s = time.perf_counter() - t0
        baseline_s, counts = _same_document(tmp_path / "report.docx", tmp_path / "baseline.docx")
        floor_s = _paragraphs_only(store, tmp_path / "floor.docx")
        store.close()
    return {"report_s": round(report_s, 3), "baseline_s": round(baseline_s, 3),
            "ratio": round(report_s / baseline_s, 2) if baseline_s else None,
            "synthesis_s": round(synthesis_s, 3), "paragraphs_only_s": round(floor_s, 3),
            "codings": codings, "quotes_in_report": summary.quotes, **counts}


if __name__ == "__main__":
    print(json.dumps(bench_report(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)))
