"""Reading a report file into a ParsedReport: no database, so worker processes can do it
in parallel for a folder of reports (bulk.py)."""

from __future__ import annotations

from inspectorate.imports.published.parsed import ParsedReport

MAX_REPORT_BYTES = 25 * 1024 * 1024  # published reports run to about 100 pages, 5 MB
ACCEPTED = "a PDF, a Word document (.docx) or a plain text file"


class NotImportable(ValueError):
    """The file cannot be imported at all (too large, not a report): nothing was written."""


def sniff_format(data: bytes) -> str | None:
    """'pdf', 'docx' or 'text' from the content itself (never the name or declared type);
    None when it is none of them."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return "docx"
    if b"\x00" in data[:8192]:
        return None
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < 65530:  # not just a character cut at the end of the sample
            return None
    return "text"


def read_report(data: bytes, filename: str) -> ParsedReport:
    """The report read from the file; NotImportable when it is not one."""
    if not data:
        raise NotImportable(f"{filename} is empty")
    if len(data) > MAX_REPORT_BYTES:
        raise NotImportable(
            f"{filename} is larger than {MAX_REPORT_BYTES // (1024 * 1024)} MB: "
            "a published report is smaller"
        )
    if sniff_format(data) is None:
        raise NotImportable(f"{filename} is not {ACCEPTED}")
    # The parser is another module's work, loaded only when a file is read.
    from inspectorate.imports.published.parse import NotAReport, parse_report

    try:
        return parse_report(data, filename)
    except NotAReport as problem:
        raise NotImportable(_refusal(filename, problem.message)) from problem


def _refusal(filename: str, problem: str) -> str:
    """One sentence about the file: the parser's reason, without saying twice that it is
    not a report or naming the file twice."""
    if problem.startswith(filename):
        return problem
    problem = problem.removeprefix("This is not a published HMI Prisons report: ")
    return f"{filename} is not a published report: {problem[:1].lower()}{problem[1:]}"


def read_or_refusal(name: str, data: bytes | None) -> ParsedReport | str:
    """For a worker process: the report, or why it cannot be imported."""
    if data is None:
        return f"larger than {MAX_REPORT_BYTES // (1024 * 1024)} MB"
    try:
        return read_report(data, name.rsplit("/", 1)[-1])
    except NotImportable as problem:
        return str(problem)
