"""What the report says about the rules of synthesis: minimum reach, felt peak-end, saturation."""

from __future__ import annotations

import docx
import pytest

from coding.codebook import find_code, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.synthesis import compute_journey
from exports import write_markdown, write_report
from research_tui.screens.journey import moment_label
from tests.exports.ten_study import build, plan


@pytest.fixture(scope="module")
def ten(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ten")
    store = build(folder / "ten.rtui", plan())
    yield store, folder
    store.close()


@pytest.fixture(scope="module")
def ten_report(ten):
    store, folder = ten
    write_report(store, folder / "ten.docx", anonymize=True)
    return docx.Document(str(folder / "ten.docx"))


def test_a_thin_moment_is_marked_everywhere(ten, ten_report):
    store, folder = ten
    headings = [p.text for p in ten_report.paragraphs if p.style.name == "Heading 2" and p.text[0].isdigit()]
    assert headings[:4] == ["1. Onboarding — pain", "2. Awareness — delight", "3. Renewal/Advocacy — little feeling",
                            "4. Support — pain (caution: only 1 of 10 participants)"]
    text = "\n".join(p.text for p in ten_report.paragraphs)
    assert "Read with care: only 1 of 10 participants, fewer than the minimum of 3" in text
    summary = [p.text for p in ten_report.paragraphs if p.text.startswith("4. Support")]
    assert summary and "caution: only 1 of 10 participants" in summary[0]
    assert "Minimum reach: a moment needs at least 3 of the 10 participants" in text
    assert "a calm ending carries no end weight" in text

    write_markdown(store, folder / "ten.md", anonymize=True)
    md = (folder / "ten.md").read_text(encoding="utf-8")
    assert "### 4. Support (pain, score 0.46) — caution: only 1 of 10 participants" in md
    assert "### 1. Onboarding (pain, score" in md and "caution" not in md.split("### 2.")[0].split("### 1.")[1]

    support = next(m for m in compute_journey(store).moments if m.title == "Support")
    assert "⚠ only 1 of 10 participants" in moment_label(4, support)


def test_a_moment_section_quotes_its_own_sign(ten_report):
    paragraphs = ten_report.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "1. Onboarding — pain")
    end = next(i for i, p in enumerate(paragraphs) if p.text.startswith("2. Awareness") and i > start)
    quotes = [p.text for p in paragraphs[start:end] if p.style.name == "Quote"]
    assert len(quotes) == 5
    assert not any("receptionist was wonderful" in q for q in quotes)


@pytest.fixture(scope="module")
def people_study(tmp_path_factory):
    """Long names, many attributes, an unlabelled speaker, an interviewer and an uncoded interview."""
    from tests.exports.journey_study import transcript

    folder = tmp_path_factory.mktemp("people")
    store = new_study(folder / "people.rtui", template="journey", name="People", coder="rachel")
    turns = [("Interviewer", "How was it?", 0),
             ("Bartholomew Featherstonehaugh", "The parking was dreadful and nobody told me.", 1000),
             ("Unknown speaker", "[crosstalk] yes the parking.", 2000),
             ("Maximiliana Wolfeschlegelsteinhausen", "The nurse was lovely to me.", 3000)]
    import_transcripts(store, [transcript("Focus group", "fg.vtt", {"Interviewer": "interviewer"}, turns),
                              transcript("Later", "later.vtt", {"Interviewer": "interviewer"},
                                         [("Interviewer", "Hello?", 0), ("Bartholomew Featherstonehaugh", "Hi.", 1)])],
                             participant_rows=[{"name": n, "segment": s, "age_band": "55-74", "region": "North",
                                                "first_scan": "yes", "channel": "GP referral"}
                                               for n, s in (("Bartholomew Featherstonehaugh", "NHS"),
                                                            ("Maximiliana Wolfeschlegelsteinhausen", "Private"))])
    source = store.sources()[0]
    for words, emotion in (("The parking was dreadful and nobody told me.", "Frustrated"),
                           ("[crosstalk] yes the parking.", "Frustrated"),
                           ("The nurse was lovely to me.", "Delighted")):
        start = source.text.index(words)
        for code in ("stage:Onboarding", emotion):
            add_coding(store, source.id, start, start + len(words), find_code(store, code).id)
    yield store, folder
    store.close()


def test_participants_table_lists_people_and_keeps_names_whole(people_study):
    from exports.docx_method import words_width

    store, folder = people_study
    write_report(store, folder / "people.docx", anonymize=False)
    doc = docx.Document(str(folder / "people.docx"))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Participant")
    assert [c.text for c in table.rows[0].cells] == ["Participant", "Quotes", "Attributes"]  # 5 attributes: one column
    assert [r.cells[0].text for r in table.rows[1:]] == ["Bartholomew Featherstonehaugh",
                                                         "Maximiliana Wolfeschlegelsteinhausen"]
    assert table.rows[1].cells[2].text.splitlines()[0] == "age_band: 55-74"
    assert table.columns[0].width >= docx.shared.Inches(words_width(["Wolfeschlegelsteinhausen"], 9)) - 1000
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Not counted as participants (interviewers, the research team, observers): Interviewer (interviewer)" \
        in text
    assert "Turns without a speaker label (1 source with an \"Unknown speaker\") are not listed as people." in text
    assert "1 source with no coding yet is left out" in text
    facts = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert facts["Participants in the journey"] == "2 (of 2; not counted: 1 interviewer, 1 unnamed speaker)"
    saturation = next(t for t in doc.tables if t.rows[0].cells[0].text == "Source" and len(t.columns) == 4)
    assert [r.cells[0].text for r in saturation.rows[1:]] == ["Focus group"]


@pytest.mark.slow
def test_participant_names_are_whole_on_the_page(people_study, tmp_path):
    import shutil
    import subprocess

    if not (shutil.which("libreoffice") and shutil.which("pdftotext")):
        pytest.skip("libreoffice and pdftotext are needed")
    store, _folder = people_study
    path = tmp_path / "people.docx"
    write_report(store, path, anonymize=False)
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "people.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    method = text[text.index("Participants\n"):]
    assert "Wolfeschlegelsteinhausen" in method and "Featherstonehaugh" in method


def test_the_method_names_a_moments_feeling_by_the_rule_synthesis_uses(ten_report):
    from coding.synthesis.moments import sign_of

    text = "\n".join(p.text for p in ten_report.paragraphs)
    assert "mixed otherwise" not in text
    rule = next(p.text for p in ten_report.paragraphs if p.text.startswith("A moment's feeling is named"))
    assert ("mixed feelings only when participants really split: at least 20% of them (one at least) strongly "
            "negative (−0.5 or below) and as many strongly positive (+0.5 or above), while the mean is itself "
            "not strong (between −0.5 and +0.5)") in rule
    assert "little feeling (calm) when the intensity is below 0.25 of 2" in rule
    assert "pain when the mean valence is −0.25 or below; delight when it is +0.25 or above" in rule
    assert "Moments people feel (intensity 0.25 or more) rank before calm ones whatever their reach" in rule
    # what the text says is what synthesis does
    assert sign_of([-0.6, 0.6, 0.1, 0.1, 0.1]) == "mixed"        # 1 of 5 on each side: a fifth
    assert sign_of([-0.6, 0.6, 0.0, 0.0, 0.0, 0.0]) == "calm"    # 1 of 6 is less than a fifth; intensity 0.2
    assert sign_of([-2.0, -2.0, -2.0, 0.6, -1.5]) == "pain"      # one in five positive, but the mean is strong
    assert sign_of([-0.3, -0.2, -0.3]) == "pain"                 # intensity 0.27, mean −0.27
    assert sign_of([0.3, -0.2, 0.1, 0.2]) == "calm"              # intensity 0.2: calm whatever the mean
    assert sign_of([0.45, 0.4, -0.45, 0.4]) == "calm"            # felt (0.43), mean +0.2: no sign, no split
