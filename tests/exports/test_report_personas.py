"""The report with personas and the to-be: the Personas section (a page each, with their curve), the To be
and KPI lanes of the map, the as-is/to-be page, one persona's report and two personas side by side."""

from __future__ import annotations

import docx
import pytest

from coding import personas as P
from coding import stageplans as S
from coding.models import StudyError
from exports.docx_report import write_report


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_personas_section_and_to_be(demo, tmp_path):
    out = tmp_path / "report.docx"
    summary = write_report(demo, out, anonymize=True)
    document = docx.Document(str(out))
    h1 = headings(document, 1)
    assert h1.index("Moments that matter") < h1.index("From as-is to to-be") < h1.index("Stage by stage") \
        < h1.index("Personas") < h1.index("Method")
    names = [p.name for p in P.personas(demo)]
    assert all(n in headings(document, 2) for n in names)
    # one picture per persona (their curve) besides the journey's emotion curve
    assert len(document.inline_shapes) == 1 + len(names) == summary.pictures
    journey_map = document.tables[1]
    lanes = [row.cells[0].text for row in journey_map.rows]
    assert lanes[-2:] == ["To be", "KPIs"]
    stages = [c.text.split("\n")[0] for c in journey_map.rows[0].cells[1:]]
    waiting = S.stage_plan(demo, "Waiting for results")
    cell = journey_map.rows[-2].cells[1 + stages.index("Waiting for results")].text
    assert cell.startswith(waiting.to_be[:40])
    kpi_cell = journey_map.rows[-1].cells[1 + stages.index("Waiting for results")].text
    assert waiting.kpis[0].name in kpi_cell and "→" in kpi_cell
    text = all_text(document)
    assert "Patients told a results date" in text and "exit question at the scanner" in text
    for person in demo.participants():
        assert person.name not in text, person.name


def test_to_be_page_sets_each_moment_beside_its_plan(demo, tmp_path):
    from coding.synthesis import compute_journey

    out = tmp_path / "report.docx"
    write_report(demo, out)
    document = docx.Document(str(out))
    table = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("As is"))
    top = compute_journey(demo).top_moments(5)
    rows = table.rows[1:]
    assert [r.cells[0].text.split("\n")[0] for r in rows[:len(top)]] == [f"{i}. {m.title}" for i, m in
                                                                         enumerate(top, 1)]
    for row, m in zip(rows, top):
        plan = S.stage_plan(demo, m.stage.id)
        assert (plan.to_be[:30] in row.cells[1].text) if plan.to_be else "No to-be" in row.cells[1].text
        for oc in plan.opportunities:
            assert oc.name in row.cells[3].text
    planned = [p.stage.name for p in S.stage_plans(demo) if not p.empty]
    listed = " ".join(r.cells[0].text for r in rows)
    moment_stages = {m.stage.name for m in top}
    assert all(name in listed for name in planned if name not in moment_stages)


def test_no_plans_no_personas_no_extra_sections(demo, tmp_path):
    for persona in P.personas(demo):
        P.delete_persona(demo, persona.id)
    for plan in S.stage_plans(demo):
        if not plan.empty:
            S.update_stage_plan(demo, plan.stage, clear=True)
    out = tmp_path / "plain.docx"
    write_report(demo, out)
    document = docx.Document(str(out))
    assert "Personas" not in headings(document, 1) and "From as-is to to-be" not in headings(document, 1)
    assert [row.cells[0].text for row in document.tables[1].rows][-1] == "Opportunities"


def test_one_persona_and_two_side_by_side(demo, tmp_path):
    first, second, _ = P.personas(demo)
    out = tmp_path / "one.docx"
    write_report(demo, out, persona="2", anonymize=True)
    document = docx.Document(str(out))
    assert f"participants with persona = {second.name}" in document.paragraphs[1].text
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Participants in the journey"] == (f"{len(second.participant_ids)} (of 15; "
                                                    "not counted: 1 interviewer, 1 moderator)")
    assert second.name in headings(document, 2) and first.name not in headings(document, 2)

    out = tmp_path / "two.docx"
    write_report(demo, out, compare_personas=(first.name, "needs"))
    document = docx.Document(str(out))
    assert f"Personas compared: persona = {first.name} vs {second.name}" in headings(document, 1)
    with pytest.raises(StudyError, match="not both"):
        write_report(demo, tmp_path / "x.docx", persona="1", segment=("segment", "NHS"))
    with pytest.raises(StudyError, match="matches no persona"):
        write_report(demo, tmp_path / "x.docx", persona="Nobody")
    assert not (tmp_path / "x.docx").exists()
