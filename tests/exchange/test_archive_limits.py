"""Archives are limited by what they unpack to, not by their size on disk (issue 19 item 2).

Each archive is built in the test, a few hundred KB on disk: `--max-mb` (50 by default) bounds what its
members unpack to, each and together, and XML is refused past a million elements, in seconds."""

from __future__ import annotations

import pytest

from coding.models import ImportFailed
from importers import load
from importers.qdpx import read_project_file
from research_tui.cli import main
from tests.zipkit import docx_of_repeated, qdpx_of_elements, qdpx_with_big_source, repeated, zip_of

MiB = 1024 * 1024
HINT = "(a zip bomb? if not, raise the limit with --max-mb)"


def _read(path, max_mb: float = 50):
    if path.suffix == ".docx":
        return load(path, max_bytes=int(max_mb * MiB))
    return read_project_file(path, max_bytes=int(max_mb * MiB))


@pytest.mark.parametrize("name, build, message", [
    ("source.qdpx", lambda: qdpx_with_big_source(250),
     f"refusing this .qdpx: sources/big.txt unpacks to 250 MiB, over the limit of 50 MiB per file {HINT}"),
    ("nodes.qdpx", lambda: qdpx_of_elements(250),
     f"refusing this .qdpx: project.qde unpacks to 250 MiB, over the limit of 50 MiB per file {HINT}"),
    ("paragraphs.docx", lambda: docx_of_repeated(240),
     f"refusing this .docx: word/document.xml unpacks to 240 MiB, over the limit of 50 MiB per file {HINT}"),
    ("nodes.qdpx", lambda: qdpx_of_elements(30),
     "refusing this .qdpx: project.qde holds over 1,000,000 XML elements, the limit for one part"),
    ("paragraphs.docx", lambda: docx_of_repeated(30),
     "refusing this .docx: word/document.xml holds over 1,000,000 XML elements, the limit for one part"),
])
def test_archives_of_the_issue_fail_at_once_naming_the_file_and_the_limit(tmp_path, name, build, message):
    path = tmp_path / name
    path.write_bytes(build())
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ImportFailed) as info:
        _read(path)
    assert str(info.value) == f"{name}: {message}"


def test_the_limit_follows_max_mb(tmp_path):
    path = tmp_path / "source.qdpx"
    path.write_bytes(qdpx_with_big_source(12))
    assert _read(path, max_mb=13).sources[0].text.startswith("Interviewer: How was the visit?\n")
    with pytest.raises(ImportFailed, match="sources/big.txt unpacks to 12 MiB, over the limit of 10 MiB per file"):
        _read(path, max_mb=10)


def test_a_source_read_many_times_counts_each_time(tmp_path):
    """Sixty sources naming one 1 MiB text: 60 MiB of text from a package that declares 1 MiB."""
    chunk = b"Interviewer: How was it?\nP1: Long.\n" * 30_000
    sources = "".join(f'<TextSource guid="00000000-0000-0000-0000-{i:012d}" name="s{i}" '
                      'plainTextPath="internal://one.txt"/>' for i in range(60))
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">'
           f'<Sources>{sources}</Sources></Project>').encode()
    path = tmp_path / "again.qdpx"
    path.write_bytes(zip_of({"project.qde": qde, "sources/one.txt": repeated(b"", chunk, 1)}))
    with pytest.raises(ImportFailed) as info:
        _read(path)
    assert str(info.value) == f"again.qdpx: refusing this .qdpx: its files unpack to over 50 MiB, the limit " \
                              f"for the whole package {HINT}"


def test_a_docx_that_lies_about_its_size_is_refused(tmp_path):
    path = tmp_path / "lies.docx"
    path.write_bytes(docx_of_repeated(20, declared=4096))
    with pytest.raises(ImportFailed, match=r"^lies.docx: not a valid \.docx \(corrupt or truncated\)$"):
        _read(path)


def test_cli_import_names_the_file_and_the_limit_in_one_line(tmp_path, capsys):
    study = tmp_path / "s.rtui"
    assert main(["new", str(study)]) == 0
    capsys.readouterr()
    for name, data in (("big.qdpx", qdpx_with_big_source(250)), ("big.docx", docx_of_repeated(240))):
        (tmp_path / name).write_bytes(data)
        assert main(["import", str(study), str(tmp_path / name), "--max-mb", "20"]) == 1
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and f"{name}: refusing this" in err
        assert "over the limit of 20 MiB per file (a zip bomb? if not, raise the limit with --max-mb)" in err
