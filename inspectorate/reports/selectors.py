"""Reads of reports. Every read goes through `visible_to(user)`: a report one may not see is
a 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from inspectorate.inspections.constants import CORRECTION_ONLY_STAGES, Stage
from inspectorate.inspections.judgements.services import on_site_problem
from inspectorate.inspections.models import Inspection
from inspectorate.lib.listing import page_of
from inspectorate.programme.models import Event, Milestone, today
from inspectorate.reports.constants import RenderStatus, ReportKind, ReportStage
from inspectorate.reports.models import FactualAccuracyComment, Report, ReportRender

# The report deadlines of an event, shown on its report pages.
REPORT_RULES = ("RP-1", "RP-3", "RP-4", "RP-5")


REPORTS_PER_PAGE = 25


@dataclass(frozen=True)
class ReportFilters:
    stage: str = ""
    kind: str = ""
    establishment: str = ""  # part of its name or its code

    @property
    def active(self) -> bool:
        return bool(self.stage or self.kind or self.establishment)


def report_list(user: Any, filters: ReportFilters | None = None) -> QuerySet[Report]:
    reports = Report.objects.visible_to(user)
    if filters is not None:
        if filters.stage:
            reports = reports.filter(stage=filters.stage)
        if filters.kind:
            reports = reports.filter(kind=filters.kind)
        if filters.establishment:
            reports = reports.filter(
                Q(event__establishment__name__icontains=filters.establishment)
                | Q(event__establishment__code__iexact=filters.establishment)
            )
    return reports.select_related("event__establishment").order_by("stage", "-created_at", "-pk")


def report_page(user: Any, filters: ReportFilters, page_number: str | None) -> Page[Report]:
    """One page of the reports `user` may see that pass `filters`."""
    return page_of(report_list(user, filters), page_number, REPORTS_PER_PAGE)


def report_for(user: Any, pk: int) -> Report:
    report = (
        Report.objects.visible_to(user)
        .select_related(
            "event__establishment",
            "event__programme",
            "created_by",
            "submitted_for_qa_by",
            "qa_approved_by",
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404("No such report.")
    return report


def reports_of_event(user: Any, event: Event) -> list[Report]:
    return list(Report.objects.visible_to(user).filter(event=event).order_by("kind"))


def comments_for(user: Any, report: Report) -> list[FactualAccuracyComment]:
    return list(
        FactualAccuracyComment.objects.visible_to(user)
        .filter(report=report)
        .select_related("author", "responded_by")
    )


def comment_for(user: Any, pk: int) -> FactualAccuracyComment:
    comment = (
        FactualAccuracyComment.objects.visible_to(user)
        .filter(pk=pk, report__in=Report.objects.visible_to(user))
        .select_related("report__event__establishment", "author")
        .first()
    )
    if comment is None:
        raise Http404("No such comment.")
    return comment


def report_milestones(report: Report) -> list[Milestone]:
    """The event's report deadlines (RP-1, RP-3, RP-4, RP-5) that have a date."""
    return list(
        Milestone.objects.filter(event_id=report.event_id, rule_id__in=REPORT_RULES).order_by(
            "due_on", "rule_code"
        )
    )


def rp3_due_on(report: Report) -> Any:
    """The RP-3 deadline computed from the planned publication date, if there is one."""
    return (
        Milestone.objects.filter(event_id=report.event_id, rule_id="RP-3")
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )


def url_or_blank(name: str, **kwargs: Any) -> str:
    """A URL of the document pages, which another part of the app provides."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


# The public pages --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicSearch:
    establishment: str = ""
    kind: str = ""
    year: int | None = None


def published_reports(search: PublicSearch) -> QuerySet[Report]:
    """Published reports, newest first, narrowed by establishment name or code, kind and
    year of publication. Only what a signed-out visitor may see."""
    reports = Report.objects.published().select_related("event__establishment")
    if search.establishment:
        words = search.establishment.strip()
        reports = reports.filter(
            Q(event__establishment__name__icontains=words)
            | Q(event__establishment__code__iexact=words)
        )
    if search.kind in ReportKind.values:
        reports = reports.filter(kind=search.kind)
    if search.year:
        reports = reports.filter(published_on__year=search.year)
    return reports.order_by("-published_on", "-pk")


def publication_years() -> list[int]:
    dates = Report.objects.published().dates("published_on", "year", order="DESC")
    return [day.year for day in dates]


def published_report(pk: int) -> Report:
    report = Report.objects.published().select_related("event__establishment").filter(pk=pk)
    found = report.first()
    if found is None:
        raise Http404("No such published report.")
    return found


def public_pdf(report: Report) -> ReportRender | None:
    return (
        ReportRender.objects.filter(
            report=report, stage=ReportStage.PUBLISHED, status=RenderStatus.DONE
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


# What each next step needs ----------------------------------------------------------------

LATER_STAGES = {
    ReportStage.DRAFT: 0,
    ReportStage.QUALITY_ASSURANCE: 1,
    ReportStage.FACTUAL_ACCURACY: 2,
    ReportStage.FINAL: 3,
    ReportStage.PUBLISHED: 4,
}


@dataclass(frozen=True)
class Check:
    """One condition a next step needs, and whether the records meet it now."""

    label: str
    done: bool
    detail: str = ""


@dataclass(frozen=True)
class StepNeeds:
    step: str
    checks: list[Check]

    @property
    def ready(self) -> bool:
        return all(check.done for check in self.checks)


def _moderated(report: Report) -> bool:
    stage = Inspection.objects.filter(event_id=report.event_id).values_list("stage", flat=True)
    return stage.first() in (Stage.MODERATED, *CORRECTION_ONLY_STAGES)


def report_checklist(report: Report, *, on: date | None = None) -> list[StepNeeds]:
    """What each step of the report's workflow needs, each condition computed from the
    records, so the page shows it from the start and not only as a refusal."""
    day = on or today()
    reached = LATER_STAGES[ReportStage(report.stage)]
    submitted = reached >= 1
    approved = reached >= 2 or report.qa_approved_at is not None
    checking = reached >= 2
    comments = [c for c in report.comments.all() if not c.withdrawn]
    unanswered = sum(1 for c in comments if not c.answered)
    on_site = on_site_problem(report.event, "It can start", day)
    return [
        StepNeeds(
            "Submit for quality assurance",
            [
                Check("The summary is written", bool(report.summary.strip())),
                Check("Submitted for quality assurance", submitted),
            ],
        ),
        StepNeeds(
            "Start the factual-accuracy check",
            [
                Check(
                    "Quality assurance approval, by someone other than the author",
                    approved,
                    _approval(report),
                ),
                Check(
                    "The inspection's days on site are over",
                    not on_site,
                    f"{on_site}."
                    if on_site
                    else f"Fieldwork ended on {report.event.ends_on:%-d %B %Y}.",
                ),
                Check("The judgements are moderated", _moderated(report)),
                Check(
                    "A planned publication date is set (RP-3 counts back from it)",
                    report.planned_publication_on is not None,
                ),
            ],
        ),
        StepNeeds(
            "Finalise the report",
            [
                Check("The factual-accuracy check has started", checking),
                Check(
                    "Every factual-accuracy comment is answered",
                    checking and unanswered == 0,
                    f"{unanswered} of {len(comments)} still to answer."
                    if unanswered
                    else f"{len(comments)} comment(s), all answered."
                    if checking
                    else "",
                ),
            ],
        ),
        StepNeeds(
            "Publish the report",
            [Check("The factual-accuracy check is closed and the report finalised", reached >= 3)],
        ),
    ]


def _approval(report: Report) -> str:
    if report.qa_approved_at is not None and report.qa_approved_by is not None:
        return f"Approved by {report.qa_approved_by.get_full_name()}."
    return ""
