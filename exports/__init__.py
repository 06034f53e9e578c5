"""Study -> file: the Word journey report, a CSV of codings, a Markdown summary. No UI here.

    write_report(store, path, *, segment=None, template=None, anonymize=None, compare=None) -> ReportSummary
    write_csv(store, path, *, anonymize=None) -> int (rows)
    write_markdown(store, path, *, anonymize=None, segment=None) -> Journey
    write_qdpx(store, path, *, anonymize=None) -> QdaProject    write_qdc(store, path, *, anonymize=None) -> int
    write_html(store, path, *, segment=None, persona=None, anonymize=None) -> MapPage (the map as a web page)

`anonymize=None` follows the study's setting. Errors the user can fix are `coding.models.StudyError`.
"""

from __future__ import annotations

from .csv_export import write_csv
from .docx_report import ReportSummary, write_report
from .html_map import write_html
from .markdown import write_markdown
from .qdpx import write_qdc, write_qdpx

EXPORTERS = {"csv": write_csv, "markdown": write_markdown, "docx": write_report, "qdpx": write_qdpx,
             "qdc": write_qdc, "html": write_html}
SUFFIXES = {"csv": ".csv", "markdown": ".md", "docx": ".docx", "qdpx": ".qdpx", "qdc": ".qdc", "html": ".html"}

__all__ = ["EXPORTERS", "SUFFIXES", "ReportSummary", "write_csv", "write_html", "write_markdown", "write_qdc",
           "write_qdpx", "write_report"]
