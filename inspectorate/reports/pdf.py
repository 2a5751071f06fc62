"""PDFs of reports: WeasyPrint on the document's own HTML, with the print stylesheet (A4,
running header, page numbers, contents with page references, the copyright and licence
page), tagged for accessibility (PDF/UA-1: structure tree, en-GB, title and metadata, a
text alternative on every chart). The web request never waits for it: `render_request`
queues a ReportRender and a procrastinate task (tasks.py) runs `render_perform`, writing
progress as it goes.

The text is set in the fonts the project ships (reports/fonts: Liberation Sans, metrically
Arial), never in whatever the machine has installed, so a report has the same pages on
every machine. The renderer may read those font files and nothing else."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from inspectorate.lib import safe_fetch
from inspectorate.reports import documents, licence
from inspectorate.reports.constants import RenderStatus, ReportStage
from inspectorate.reports.models import Report, ReportRender

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

logger = logging.getLogger(__name__)
# WeasyPrint warns of every SVG presentation property in matplotlib's style attributes,
# which its SVG renderer reads anyway: only its errors are worth a log line.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

STYLESHEET = Path(settings.BASE_DIR) / "templates" / "reports" / "documents" / "print.css"
# The only directory the renderer reads: print.css's @font-face rules name its files.
FONT_DIR = Path(__file__).resolve().parent / "fonts"
# The PDF/UA-1 variant tags the PDF (structure tree, language, title) for screen readers.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
MESSAGE_LENGTH = 300
# A PDF takes about a second (bench/reports.py): one "rendering" for ten minutes has lost its
# worker.
STALLED_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 2

Progress = Callable[[int], None]


@cache
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def font_fetcher() -> safe_fetch.StaticFetcher:
    """The renderer's one fetcher: the shipped fonts and inline images, nothing else (no
    other static file, no server file, no address)."""
    return safe_fetch.StaticFetcher([FONT_DIR])


def font_base_url() -> str:
    return FONT_DIR.as_uri() + "/"


def pdf_html(report: Report) -> str:
    """The whole HTML page WeasyPrint lays out, with the document's metadata."""
    document = documents.build(report)
    year = (report.published_on or timezone.localdate()).year
    return render_to_string(
        "reports/documents/pdf.html",
        {
            "title": document.title,
            "authors": licence.authors(document),
            "subject": licence.subject(document),
            "keywords": licence.keywords(document),
            "created": timezone.now().replace(microsecond=0).isoformat(),
            "notice": licence.notice(document, year),
            "running_header": document.running_header,
            "draft": document.draft,
            "article": documents.report_article(report, document=document, for_pdf=True),
        },
    )


def render_pdf(report: Report, *, progress: Progress | None = None) -> tuple[bytes, int]:
    """The report as PDF bytes and its page count, synchronously (the task, the bench and
    the command line call it). `progress` hears of each step, in percent."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    step = progress or (lambda percent: None)
    html = pdf_html(report)
    step(25)
    # Everything WeasyPrint would fetch goes through the one fetcher that serves only the
    # shipped fonts: no payload in a report's text can reach a file or an address.
    fetcher = font_fetcher()
    base_url = font_base_url()
    # The font configuration is what loads the stylesheet's @font-face files (through the
    # fetcher); without it WeasyPrint ignores them and takes the machine's fonts.
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    print_css = CSS(string=stylesheet(), base_url=base_url, url_fetcher=fetcher, font_config=fonts)
    laid_out = document.render(stylesheets=[print_css], font_config=fonts, **PDF_OPTIONS)
    pages = len(laid_out.pages)
    step(75)
    content = laid_out.write_pdf(**PDF_OPTIONS)
    step(95)
    return content, pages


# The request and the background work -----------------------------------------------------


def render_request(*, actor: User, report: Report) -> ReportRender:
    """Queue a PDF of `report` for someone who may see it; the task makes it after commit."""
    from inspectorate.reports.tasks import report_render_task

    if not Report.objects.visible_to(actor).filter(pk=report.pk).exists():
        raise PermissionDenied("You may not see this report.")
    with transaction.atomic():
        render = ReportRender.objects.create(
            report=report,
            stage=report.stage,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        transaction.on_commit(lambda: report_render_task.defer(render_id=render.pk))
    return render


def _progress_saver(render_id: int) -> Progress:
    def save(percent: int) -> None:
        ReportRender.objects.filter(pk=render_id).update(progress=percent)

    return save


def render_perform(*, render_id: int) -> str:
    """Make a queued render's PDF (the task calls this). A failure is recorded on the render
    with its reason, never lost. Returns the render's final status."""
    render = ReportRender.objects.select_related("report").filter(pk=render_id).first()
    if render is None:
        return "missing"
    # Claimed only from "queued", and finished only by the claim that started it (its
    # started_at is the fence): a second job for the same render, or a worker taken for dead
    # that was only slow, writes nothing.
    started = timezone.now()
    claimed = ReportRender.objects.filter(pk=render_id, status=RenderStatus.QUEUED).update(
        status=RenderStatus.RENDERING,
        progress=5,
        started_at=started,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return str(render.status)
    mine = ReportRender.objects.filter(
        pk=render_id, status=RenderStatus.RENDERING, started_at=started
    )
    try:
        content, pages = render_pdf(render.report, progress=_progress_saver(render_id))
    except Exception as error:
        logger.exception("reports: render %s failed", render_id)
        message = f"The PDF could not be made: {error}"[:MESSAGE_LENGTH]
        mine.update(status=RenderStatus.FAILED, message=message, finished_at=timezone.now())
        return RenderStatus.FAILED
    finished = mine.update(
        status=RenderStatus.DONE,
        progress=100,
        content=content,
        page_count=pages,
        message="",
        finished_at=timezone.now(),
    )
    if not finished:
        logger.warning("reports: render %s was taken over by another worker", render_id)
        return "superseded"
    return RenderStatus.DONE


def render_worker_lost(render_id: int) -> None:
    """The worker making this render died: put it back in the queue (its job is retried), or
    record it failed after MAX_ATTEMPTS starts."""
    rendering = ReportRender.objects.filter(pk=render_id, status=RenderStatus.RENDERING)
    rendering.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=RenderStatus.FAILED,
        message=f"The PDF could not be made: the worker stopped {MAX_ATTEMPTS} times while "
        "making it. Ask for it again; if it stops again, tell the service desk.",
        finished_at=timezone.now(),
    )
    rendering.update(
        status=RenderStatus.QUEUED, progress=0, message="Restarted: the worker had stopped."
    )


def renders_stalled_restart(*, now: datetime | None = None) -> tuple[int, int]:
    """Renders whose worker stopped mid-way (killed, machine restarted) stay "rendering" for
    ever unless someone notices: one started more than STALLED_AFTER ago is queued again,
    or, after MAX_ATTEMPTS starts, recorded as failed with the reason. Returns how many were
    (restarted, failed)."""
    from inspectorate.reports.tasks import report_render_task

    moment = now or timezone.now()
    stalled = ReportRender.objects.filter(
        status=RenderStatus.RENDERING, started_at__lt=moment - STALLED_AFTER
    )
    with transaction.atomic():
        failed = stalled.filter(attempts__gte=MAX_ATTEMPTS).update(
            status=RenderStatus.FAILED,
            message=f"The PDF could not be made: the worker stopped {MAX_ATTEMPTS} times while "
            "making it. Ask for it again; if it stops again, tell the service desk.",
            finished_at=moment,
        )
        restarted = list(stalled.values_list("pk", flat=True))
        ReportRender.objects.filter(pk__in=restarted).update(
            status=RenderStatus.QUEUED, progress=0, message="Restarted: the worker had stopped."
        )
        for render_id in restarted:
            transaction.on_commit(partial(report_render_task.defer, render_id=render_id))
    return len(restarted), failed


# Who may download ------------------------------------------------------------------------


def downloadable(user: Any, render: ReportRender) -> bool:
    """A finished PDF the user may have: of a published report, to anyone while it stays
    published; of a draft, to those who could read the report at the stage it was made
    (`reports.read_draft`, judged by `Report.objects.visible_to` like every list)."""
    if render.status != RenderStatus.DONE:
        return False
    if not Report.objects.visible_to(user).filter(pk=render.report_id).exists():
        return False
    if render.stage == ReportStage.PUBLISHED:
        return True
    return bool(user.has_perm("reports.read_draft", render))


def latest_render(report: Report) -> ReportRender | None:
    return (
        ReportRender.objects.filter(report=report)
        .defer("content")
        .order_by("-requested_at", "-pk")
        .first()
    )
