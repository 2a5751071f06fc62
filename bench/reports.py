"""How long the demo's IRP report takes to become a PDF, and how many pages it has.

The demo (HMP/YOI Pentonville: an IRP following up seven recommendations and four Ofsted
themes) is loaded into a scratch database. Printed: the median of several runs of building
the document's HTML (the baseline: record to <article>, charts included), of the whole PDF
(`pdf.render_pdf`, as the background task runs it, with its processor time) and of the Word
export, with the PDF's page count (the same on every machine: the fonts are shipped) and
size.

    .venv/bin/python bench/reports.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import django_on_scratch_database, median_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    django_on_scratch_database()

    from inspectorate.accounts.models import User
    from inspectorate.inspections import demo_content
    from inspectorate.programme.constants import EventKind
    from inspectorate.programme.models import Event
    from inspectorate.reports import documents, docx_export, pdf
    from inspectorate.reports.constants import ReportKind
    from inspectorate.reports.models import Report
    from inspectorate.shell.demo import demo_load

    demo_load()
    review = Event.objects.get(
        establishment__code=demo_content.ESTABLISHMENT_CODE,
        kind=EventKind.IRP,
        starts_on=demo_content.IRP_STARTS_ON,
    )
    report, _ = Report.objects.get_or_create(
        event=review,
        kind=ReportKind.IRP_REPORT,
        defaults={
            "summary": "Leaders had made progress against some of our recommendations.",
            "created_by": User.objects.get(username="teamleader"),
        },
    )
    report = Report.objects.select_related("event__establishment").get(pk=report.pk)
    document = documents.build(report)
    pages: list[int] = []
    sizes: list[int] = []
    cpu: list[float] = []

    def render() -> None:
        started = time.process_time()
        content, count = pdf.render_pdf(report)
        cpu.append(time.process_time() - started)
        pages.append(count)
        sizes.append(len(content))

    render()  # warm up: fonts, stylesheet, matplotlib
    html_seconds = median_seconds(lambda: documents.document_html(report), runs)
    pdf_seconds = median_seconds(render, runs)
    docx_seconds = median_seconds(lambda: docx_export.export(report), runs)
    print(
        f"reports: demo IRP report at {review.establishment.name} "
        f"({len(document.paragraph_numbers)} numbered paragraphs, "
        f"{len(document.figures)} figures, stage {report.get_stage_display().lower()}), "
        f"median of {runs} runs"
    )
    print(f"  HTML document (baseline): {html_seconds * 1000:8.1f} ms")
    ratio = pdf_seconds / html_seconds
    print(f"  PDF (WeasyPrint):         {pdf_seconds * 1000:8.1f} ms  ({ratio:.1f}x the HTML)")
    # The processor time alone: on a machine shared with other work the wall time above
    # includes the time spent waiting for a core.
    print(f"  PDF, processor time:      {statistics.median(cpu[1:]) * 1000:8.1f} ms")
    print(f"  Word export:              {docx_seconds * 1000:8.1f} ms")
    print(f"  PDF pages: {pages[-1]}, size {sizes[-1] / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
