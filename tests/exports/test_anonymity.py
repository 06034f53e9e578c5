"""Anonymized output holds no real name anywhere: every part of the .docx (body, headers, footers,
core and custom properties), the CSV and the Markdown, checked for every name and name part of every
person, every source title and file name, with names planted in titles, memos, attributes, the study
name, coder names and a company template."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from coding.codebook import find_code, new_study
from coding.codings import add_coding
from coding.importing import import_transcripts
from coding.models import Transcript, Utterance
from coding.sources import set_source_memo
from exports import write_csv, write_markdown, write_report
from exports.anonymize import Anonymizer

PEOPLE = {  # name -> attributes (participants), role for others
    "Aisha Khan": {"segment": "NHS", "partner": "Bartholomew Featherstonehaugh", "email": "aisha.khan@example.org"},
    "José Álvarez": {"segment": "Private", "notes": "came with Aisha Khan's cousin"},
    "Li Wei": {"segment": "NHS", "referred_by": "Dr Okonkwo"},
    "Bartholomew Featherstonehaugh": {"segment": "Private"},
    "Grace Mensah": {"segment": "NHS"},
}
INTERVIEWER = "Sam Patel"
# title, file name, turns; titles and files carry names, as real exports do
SOURCES = [
    ("interview_01_aisha", "interview_01_aisha.txt", [
        (INTERVIEWER, "Aisha, thanks for coming. How did it start?"),
        ("Aisha Khan", "My GP sent me. I was so worried I told José about it before my husband."),
        (INTERVIEWER, "And the letter?"),
        ("Aisha Khan", "The letter was confusing, it said Ms A. Khan and the wrong date."),
    ]),
    ("José Álvarez interview", "jose_alvarez_2024-03-02.vtt", [
        (INTERVIEWER, "Jose, tell me about booking."),
        ("José Álvarez", "Booking online took five minutes. Álvarez is always misspelt as ALVAREZ though."),
        ("José Álvarez", "The nurse said: Mr Alvarez, you are next. That was lovely."),
    ]),
    ("LiWei_followup", "LiWei_followup.docx", [
        (INTERVIEWER, "Li, how were the results?"),
        ("Li Wei", "Waiting for results was awful. Wei is my given name, Li my family name."),
        ("Unknown speaker", "[inaudible] ... yes, Li signed the form."),
    ]),
    ("focus group (Bartholomew, Grace)", "fg_bartholomew_grace.vtt", [
        (INTERVIEWER, "Bartholomew and Grace, welcome."),
        ("Bartholomew Featherstonehaugh", "Featherstonehaugh, pronounced Fanshaw. The parking was dreadful."),
        ("Grace Mensah", "Grace here. By the grace of the receptionist I got a slot. Mensah is my surname."),
    ]),
]


def _transcript(title: str, filename: str, turns) -> Transcript:
    text, utts = "", []
    for speaker, words in turns:
        line = f"{speaker}: "
        start = len(text) + len(line)
        text += line + words + "\n"
        utts.append(Utterance(speaker, start, start + len(words)))
    return Transcript(title=title, filename=filename, format=Path(filename).suffix[1:], text=text,
                      utterances=utts, roles={INTERVIEWER: "interviewer"})


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anon")
    store = new_study(folder / "named.rtui", template="journey", name="Scan journey for Aisha Khan's clinic",
                         coder=INTERVIEWER)
    import_transcripts(store, [_transcript(*s) for s in SOURCES],
                             participant_rows=[{"name": n, **a} for n, a in PEOPLE.items()])
    for source in store.sources():
        for turn in store.utterances(source.id):
            words = source.text[turn.char_start:turn.char_end]
            if store.participant(turn.participant_id).role != "participant":
                continue
            add_coding(store, source.id, turn.char_start, turn.char_end, find_code(store, "stage:Onboarding").id,
                             memo=f"Check with {INTERVIEWER}: did Aisha mean José? ({source.title})")
            emotion = "Frustrated" if ("awful" in words or "dreadful" in words or "confusing" in words) else "Delighted"
            add_coding(store, source.id, turn.char_start, turn.char_end, find_code(store, emotion).id,
                             coder="rachel")
            add_coding(store, source.id, turn.char_start, turn.char_end, find_code(store, "pain_point:Pain point").id,
                             memo="Li Wei and Grace said the same", coder="Grace Mensah")  # a coder named like one
        set_source_memo(store, source.id, f"Bartholomew asked to pause; file {source.filename}")
    with store.command("memo", "study memo") as rec:
        rec.insert("memos", {"source_id": None, "title": "About Aisha", "text": "Aisha Khan knows Li Wei.",
                             "author": "rachel", "created_at": "2024-01-01", "modified_at": "2024-01-01"})
    yield store, folder
    store.close()


def _template(folder: Path) -> Path:
    """A company template with a header, a footer and a custom property that name a participant."""
    base = folder / "base.docx"
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "Prepared for the Khan family review"
    doc.sections[0].footer.paragraphs[0].text = "Interviewee: Aisha Khan"
    doc.core_properties.author = "Aisha Khan"
    doc.core_properties.keywords = "Li Wei, Grace Mensah"
    note = doc.add_paragraph("Template body: ").add_run("dropped")
    doc.add_comment(note, text="Ask Bartholomew Featherstonehaugh again", author="Grace Mensah", initials="GM")
    doc.save(str(base))
    out = folder / "company.docx"
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Client">'
              '<vt:lpwstr>José Álvarez</vt:lpwstr></property></Properties>')
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            if item.filename == "docProps/app.xml":
                data = data.replace(b"<Company/>", "<Company>Álvarez &amp; Wei</Company>".encode())
            if item.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdCustom" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/custom-properties" '
                                    b'Target="docProps/custom.xml"/></Relationships>')
            zout.writestr(item, data)
        zout.writestr("docProps/custom.xml", custom)
    return out


def _all_parts(path: Path) -> str:
    """Every text part of the .docx: XML (body, styles, headers, footers, properties, comments …) and rels."""
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if not n.lower().endswith((".png", ".jpeg", ".jpg", ".emf", ".wmf"))]
        assert {"docProps/core.xml", "docProps/custom.xml", "docProps/app.xml"} <= set(names)
        return "\n".join(z.read(n).decode("utf-8") for n in names)


def _forbidden(store) -> list[tuple[str, re.Pattern]]:
    """Every name, name part, speaker label, source title, file name and file stem, as a pattern."""
    out = []
    for p in store.participants():
        if p.name.lower().startswith("unknown speaker"):
            continue
        forms = {p.name, *p.name.split()}
        for form in forms:
            flags = 0 if len(form) <= 2 or form.lower() in ("grace",) else re.IGNORECASE  # words: capitalised only
            out.append((form, re.compile(rf"(?<![^\W\d_]){re.escape(form)}(?![^\W\d_])", flags)))
            plain = form.replace("é", "e").replace("Á", "A")
            out.append((plain, re.compile(rf"(?<![^\W\d_]){re.escape(plain)}(?![^\W\d_])", flags)))
    for s in store.sources():
        for form in (s.title, s.filename, Path(s.filename).stem):
            out.append((form, re.compile(re.escape(form), re.IGNORECASE)))
    return out


def _leaks(text: str, store) -> list[str]:
    return sorted({form for form, pattern in _forbidden(store) if pattern.search(text)})


def test_the_word_report_names_nobody_in_any_part(named):
    store, folder = named
    path = folder / "anon.docx"
    write_report(store, path, anonymize=True, template=_template(folder), segment=None)
    text = _all_parts(path)
    assert _leaks(text, store) == []
    doc = docx.Document(str(path))
    assert doc.core_properties.title == "Scan journey for P01's clinic: customer journey map"
    assert doc.core_properties.author == "I01"  # the coder is the interviewer: shown by pseudonym
    assert doc.core_properties.keywords == "" and doc.core_properties.comments == ""
    assert doc.sections[0].header.paragraphs[0].text == "Prepared for the P01 family review"
    assert "P03 is my given name, P03 my family name" in text  # "Li" and "Wei" are both Li Wei's
    assert "S01" in text and "S04" in text
    pseudo = {p.name: p.pseudonym for p in store.participants()}
    bart, grace = pseudo["Bartholomew Featherstonehaugh"], pseudo["Grace Mensah"]
    assert f"Ask {bart} again" in text  # a comment the template brought along, and its author
    assert f'w:author="{grace}" w:initials="{grace}"' in text
    assert f"<Company>{pseudo['José Álvarez']} &amp; {pseudo['Li Wei']}</Company>" in text


def test_csv_and_markdown_name_nobody(named):
    store, folder = named
    write_csv(store, folder / "anon.csv", anonymize=True)
    write_markdown(store, folder / "anon.md", anonymize=True)
    csv_text = (folder / "anon.csv").read_text(encoding="utf-8-sig")
    md_text = (folder / "anon.md").read_text(encoding="utf-8")
    assert _leaks(csv_text, store) == [] and _leaks(md_text, store) == []
    assert "S02" in csv_text and "P02" in csv_text and "S0" in md_text
    assert "Check with I01: did P01 mean P02? (S01)" in csv_text  # coding memo: names and title replaced


def test_the_same_outputs_with_names_show_them(named):
    """The check above can fail: without anonymity the names are there."""
    store, folder = named
    write_report(store, folder / "named.docx", anonymize=False)
    write_csv(store, folder / "named.csv", anonymize=False)
    text = _all_parts_plain(folder / "named.docx") + (folder / "named.csv").read_text(encoding="utf-8-sig")
    shown = {"Aisha Khan", "José Álvarez", "interview_01_aisha", "jose_alvarez_2024-03-02.vtt"}
    assert shown <= set(_leaks(text, store))


def _all_parts_plain(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))


def test_anonymizer_rules_for_parts_words_titles_and_coders():
    from coding.models import Participant, Source

    people = [Participant(i, name, f"P0{i}", "participant", {})
              for i, name in enumerate(("Li Wei", "Grace Mensah", "José Álvarez", "An Do"), start=1)]
    sources = [Source(9, "interview_01_aisha", "interview_01_aisha.txt", "text", "", "", "", {}, 0),
               Source(10, "notes", "notes.txt", "text", "", "", "", {}, 1)]
    anon = Anonymizer(people, enabled=True, sources=sources)
    assert anon.anon("Li said it; li is not a word; LI WEI; wei.") == "P01 said it; li is not a word; P01; P01."
    assert anon.anon("Grace said: by the grace of God, MENSAH") == "P02 said: by the grace of God, P02"
    assert anon.anon("JOSE ALVAREZ and josé and Alvarez") == "P03 and P03 and P03"
    assert anon.anon("An answer: do it") == "An answer: do it"  # two-letter parts that are words stay
    assert anon.anon("see interview_01_aisha.txt and the notes") == "see S01 and the notes"
    assert anon.anon("file Li_Wei_2.txt, wei_li") == "file P01_P01_2.txt, P01_li"  # parts inside identifiers
    assert anon.source_label(9) == "S01" and anon.source_label(10) == "S02"
    assert anon.coder("Grace Mensah") == "P02" and anon.coder("rachel") == "rachel"
    assert anon.replacements("Li and Wei") == [(0, 2, "P01"), (7, 10, "P01")]
    plain = Anonymizer(people, enabled=False, sources=sources)
    assert plain.source_label(9) == "interview_01_aisha" and plain.anon("Li Wei") == "Li Wei"


def test_the_qdpx_names_nobody_and_keeps_positions(named):
    """The REFI-QDA project too: every member of the zip, with the positions moved with the new text."""
    from defusedxml.ElementTree import fromstring

    from exports.qdpx import write_qdpx

    store, folder = named
    path = folder / "anon.qdpx"
    write_qdpx(store, path, anonymize=True)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n).decode("utf-8") for n in z.namelist()}
    assert _leaks("\n".join(members.values()), store) == []
    root = fromstring(members["project.qde"].encode("utf-8"))
    ns = "{urn:QDA-XML:project:1.0}"
    assert [s.get("name") for s in root.iter(f"{ns}TextSource")] == ["S01", "S02", "S03", "S04"]
    for source in root.iter(f"{ns}TextSource"):
        text = members[f"sources/{source.get('guid')}.txt"]
        for sel in source.iter(f"{ns}PlainTextSelection"):
            if sel.get("name") != "turn":
                words = text[int(sel.get("startPosition")):int(sel.get("endPosition"))]
                assert " ".join(words.split()) == sel.get("name")
