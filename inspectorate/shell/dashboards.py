"""The dashboard's worklists: one selector per panel, each computed from the records.

A panel is a heading, its items and the sentence shown only when it has none; every item
names the work, links to where it is done, says the next step and when it is due. A
selector reads only what `user` may see (each model's `visible_to`), in a fixed number of
queries.

To add a panel (another app's work): write a selector `(user, on) -> Panel` here or in the
owning app's selectors, and add it to `PANELS_BY_DUTY` for the duties it serves. Its empty
sentence must be true whenever it has no items, and never shown when it has some.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import Count, Exists, Max, Model, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob

from inspectorate.accounts.roles import Duty, Role, duties_of
from inspectorate.improvement.constants import CaseStatus, ContactKind
from inspectorate.improvement.models import Contact, ImprovementCase
from inspectorate.improvement.selectors import letters_due
from inspectorate.inspections.constants import Stage
from inspectorate.inspectors.constants import Organisation
from inspectorate.lib import workdays
from inspectorate.lib.jobs import EMAIL_QUEUE
from inspectorate.lib.wording import count_noun, lower_first
from inspectorate.lib.workdays import Nation
from inspectorate.programme.constants import EventStatus, ProgrammeStatus, TeamRole
from inspectorate.programme.milestones.deadlines import OPEN
from inspectorate.programme.models import Event, Milestone, Programme, TeamMember, today
from inspectorate.programme.selectors import programme_year_to_draft
from inspectorate.reports.constants import ReportStage
from inspectorate.reports.models import Report
from inspectorate.safeguarding.constants import AlertStatus
from inspectorate.safeguarding.models import Alert

RowT = TypeVar("RowT", bound=Model)


@dataclass(frozen=True)
class WorkItem:
    """One piece of work: what, where it is done, the next step, and when it is due."""

    title: str
    href: str
    next_step: str
    due_on: date | None = None
    group: str = ""  # a stage within the panel ("On site"), when the panel has stages
    rule_id: str = ""
    due_label: str = ""  # what falls due then, when it is not the next step itself


@dataclass(frozen=True)
class Panel:
    key: str
    heading: str
    empty: str  # true whenever `items` is empty; shown only then
    items: list[WorkItem] = field(default_factory=list)
    more_href: str = ""
    more_label: str = ""

    @property
    def groups(self) -> list[tuple[str, list[WorkItem]]]:
        """The items by stage, stages in the order they first appear."""
        grouped: dict[str, list[WorkItem]] = {}
        for item in self.items:
            grouped.setdefault(item.group, []).append(item)
        return list(grouped.items())


def _by_due(items: Iterable[WorkItem]) -> list[WorkItem]:
    return sorted(items, key=lambda item: (item.due_on or date.max, item.title))


def _event_title(event: Event) -> str:
    return f"{event.get_kind_display()} of {event.establishment.name}"


def _event_href(event: Event) -> str:
    return reverse("programme:event-detail", args=[event.pk])


def _next_deadline(event: Event) -> Milestone | None:
    """The event's earliest unmet milestone (prefetched as `open_milestones`)."""
    return next(iter(getattr(event, "open_milestones", [])), None)


# Inspections by stage: the team leader and the Ofsted lead ---------------------------------

BRIEFING = "Briefing"
ON_SITE = "On site"
TO_MODERATE = "Judgements to moderate"
REPORT_DUE = "Report due"
STAGES = (BRIEFING, ON_SITE, TO_MODERATE, REPORT_DUE)


def _led_events(user: Any, team_role: str, on: date) -> list[Event]:
    open_milestones = Milestone.objects.filter(OPEN).order_by("due_on", "due_time")
    unpublished_reports = Report.objects.exclude(stage=ReportStage.PUBLISHED).order_by("kind")
    return list(
        Event.objects.visible_to(user, on=on)
        .filter(team__inspector__user=user, team__role=team_role)
        .exclude(status=EventStatus.CANCELLED)
        .exclude(historical=True)  # HI-1: history is on nobody's worklist
        .exclude(inspection__stage=Stage.PUBLISHED)
        .select_related("establishment", "inspection", "briefing")
        .prefetch_related(
            Prefetch("milestones", queryset=open_milestones, to_attr="open_milestones"),
            Prefetch("reports", queryset=unpublished_reports, to_attr="open_reports"),
        )
        .distinct()
        .order_by("starts_on")
    )


def _inspection_stage(event: Event, on: date) -> str:
    if event.starts_on > on:
        return BRIEFING
    if event.ends_on >= on:
        return ON_SITE
    inspection = getattr(event, "inspection", None)
    if inspection is None or inspection.stage == Stage.FIELDWORK:
        return TO_MODERATE
    return REPORT_DUE


def _has_briefing(event: Event) -> bool:
    try:
        return event.briefing is not None
    except Event.briefing.RelatedObjectDoesNotExist:
        return False


def _nothing_left(event: Event, stage: str) -> bool:
    """An event that took place with no deadline open, no report under way and no judgements
    waiting: its work was done (or kept outside the service, HI-1)."""
    if stage in (BRIEFING, ON_SITE) or getattr(event, "open_milestones", None):
        return False
    if getattr(event, "open_reports", None):
        return False
    inspection = getattr(event, "inspection", None)
    return inspection is None or inspection.stage != Stage.FIELDWORK


def _inspection_item(event: Event, on: date) -> WorkItem | None:
    stage = _inspection_stage(event, on)
    if _nothing_left(event, stage):
        return None
    title = _event_title(event)
    deadline = _next_deadline(event)
    if stage == BRIEFING:
        if _has_briefing(event):
            step = f"Briefing held; fieldwork starts {event.starts_on:%-d %B %Y}"
            href = _event_href(event)
        else:
            step = "Hold the pre-inspection briefing (IN-1)"
            href = reverse("inspections:briefing", kwargs={"event_pk": event.pk})
        nation = Nation(event.establishment.nation)
        due_on = workdays.add_working_days(event.starts_on, -1, nation)
        return WorkItem(title, href, step, due_on, stage, "IN-1")
    if stage == ON_SITE:
        href = reverse("inspections:evidence-list", kwargs={"event_pk": event.pk})
        step = f"Record evidence and provisional judgements; on site to {event.ends_on:%-d %B}"
        if deadline is None:
            return WorkItem(title, href, step, event.ends_on, stage, due_label="Last day on site")
        return WorkItem(title, href, step, deadline.due_on, stage, *_deadline_words(deadline))
    if stage == TO_MODERATE:
        href = reverse("inspections:judgements", kwargs={"event_pk": event.pk})
        step = "Moderate the judgements (JG-9)"
        if deadline is None:
            return WorkItem(title, href, step, None, stage, "JG-9")
        return WorkItem(title, href, step, deadline.due_on, stage, *_deadline_words(deadline))
    return _report_item(event, deadline, title)


REPORT_STEPS: dict[str, str] = {
    ReportStage.DRAFT: "Write the report and submit it for quality assurance",
    ReportStage.QUALITY_ASSURANCE: "With quality assurance",
    ReportStage.FACTUAL_ACCURACY: "Answer the factual-accuracy comments",
    ReportStage.FINAL: "Publish the report",
}


def _deadline_words(deadline: Milestone) -> tuple[str, str]:
    """(rule ID, what is due) of the event's next deadline."""
    return deadline.rule_id, f"{deadline.title} ({deadline.rule_id})"


def _report_item(event: Event, deadline: Milestone | None, title: str) -> WorkItem | None:
    reports: list[Report] = getattr(event, "open_reports", [])
    due_on = deadline.due_on if deadline else None
    rule_id, due_label = _deadline_words(deadline) if deadline else ("", "")
    if not reports:
        href = reverse("reports:event-reports", kwargs={"event_pk": event.pk})
        return WorkItem(title, href, "Start the report", due_on, REPORT_DUE, rule_id, due_label)
    report = reports[0]
    href = reverse("reports:detail", args=[report.pk])
    step = REPORT_STEPS.get(report.stage, report.get_stage_display())
    if report.stage == ReportStage.FACTUAL_ACCURACY and report.factual_accuracy_due_on:
        due_on, rule_id = report.factual_accuracy_due_on, "RP-3"
        due_label = "Comments from the factual-accuracy check (RP-3)"
    return WorkItem(title, href, step, due_on, REPORT_DUE, rule_id, due_label)


def _inspections_panel(user: Any, on: date, team_role: str, empty: str) -> Panel:
    items = [
        item
        for event in _led_events(user, team_role, on)
        if (item := _inspection_item(event, on)) is not None
    ]
    items.sort(key=lambda item: (STAGES.index(item.group), item.due_on or date.max))
    return Panel("inspections", "Your inspections", empty, items)


def team_leader_inspections(user: Any, on: date) -> Panel:
    """The events `user` leads for HMI Prisons that are not finished, by stage."""
    return _inspections_panel(
        user, on, TeamRole.TEAM_LEADER, "You are not team leader of any inspection in progress."
    )


def ofsted_lead_inspections(user: Any, on: date) -> Panel:
    """The events `user` is Ofsted lead inspector of that are not finished, by stage."""
    return _inspections_panel(
        user, on, TeamRole.OFSTED_LEAD, "You are not Ofsted lead of any inspection in progress."
    )


# Quality assurance --------------------------------------------------------------------------


def _own_establishment(user: Any, rows: QuerySet[RowT], establishment_id: str) -> QuerySet[RowT]:
    """An establishment's user sees only their own establishment's rows (`establishment_id`
    names the rows' field that holds it)."""
    if user.is_establishment_user:
        return rows.filter(**{establishment_id: user.establishment_id})
    return rows


def _reports_at(user: Any, stage: str, order: str) -> QuerySet[Report]:
    return (
        Report.objects.visible_to(user)
        .filter(stage=stage)
        .select_related("event__establishment")
        .order_by(order, "pk")
    )


def _report_items(
    reports: Iterable[Report],
    href_name: str,
    step: str,
    due_on: Callable[[Report], date | None],
    rule_id: str = "",
) -> list[WorkItem]:
    """One item per report: its kind and establishment, linking to `href_name`."""
    return [
        WorkItem(
            f"{report.get_kind_display()}: {report.event.establishment.name}",
            reverse(href_name, args=[report.pk]),
            step,
            due_on(report),
            rule_id=rule_id,
        )
        for report in reports
    ]


def reports_awaiting_qa(user: Any, on: date) -> Panel:
    items = _report_items(
        _reports_at(user, ReportStage.QUALITY_ASSURANCE, "submitted_for_qa_at"),
        "reports:detail",
        "Approve it, or send it back with your reasons",
        lambda report: report.planned_publication_on,
    )
    return Panel(
        "qa-reports",
        "Reports awaiting quality assurance",
        "No report is waiting for quality assurance.",
        items,
        reverse("reports:list"),
        "All reports",
    )


# The establishment --------------------------------------------------------------------------


def factual_accuracy_checks(user: Any, on: date) -> Panel:
    reports = _reports_at(user, ReportStage.FACTUAL_ACCURACY, "factual_accuracy_due_on")
    items = _report_items(
        _own_establishment(user, reports, "event__establishment_id"),
        "reports:factual-accuracy",
        "Check the draft and send any factual corrections",
        lambda report: report.factual_accuracy_due_on,
        rule_id="RP-3",
    )
    return Panel(
        "factual-accuracy",
        "Reports to check for factual accuracy",
        "No report is open for your factual-accuracy check.",
        items,
    )


def announced_visits(user: Any, on: date) -> Panel:
    events = (
        Event.objects.visible_to(user, on=on)
        .filter(announced_on__lte=on, ends_on__gte=on)
        .exclude(status=EventStatus.CANCELLED)
        .exclude(historical=True)
        .select_related("establishment")
        .order_by("starts_on")
    )
    items = [
        WorkItem(
            _event_title(event),
            _event_href(event),
            (
                f"On site until {event.ends_on:%-d %B %Y}"
                if event.starts_on <= on
                else f"Announced {event.announced_on:%-d %B %Y}; prepare for the visit"
            ),
            event.starts_on,
        )
        for event in _own_establishment(user, events, "establishment_id")
    ]
    return Panel(
        "announced-visits",
        "Announced visits",
        "No visit to your establishment is announced.",
        items,
    )


# Ofsted scheduling --------------------------------------------------------------------------


def ofsted_teams_to_name(user: Any, on: date) -> Panel:
    """Coming events Ofsted takes part in without an Ofsted lead or any Ofsted inspector,
    with the PG-6 date by which Ofsted names its lead."""
    has_lead = TeamMember.objects.filter(event=OuterRef("pk"), role=TeamRole.OFSTED_LEAD)
    has_team = TeamMember.objects.filter(
        event=OuterRef("pk"), inspector__organisation=Organisation.OFSTED
    ).exclude(role=TeamRole.OFSTED_LEAD)
    pg6 = Milestone.objects.filter(rule_id="PG-6")
    events = (
        Event.objects.visible_to(user, on=on)
        .filter(education_inspectorate="ofsted", ends_on__gte=on, status=EventStatus.PLANNED)
        .exclude(historical=True)
        .annotate(has_lead=Exists(has_lead), has_team=Exists(has_team))
        .filter(Q(has_lead=False) | Q(has_team=False))
        .select_related("establishment")
        .prefetch_related(Prefetch("milestones", queryset=pg6, to_attr="pg6"))
        .order_by("starts_on")
    )
    items = []
    for event in events:
        milestone = next(iter(event.pg6), None)  # type: ignore[attr-defined]
        if not event.has_lead:  # type: ignore[attr-defined]
            step = "Name the Ofsted lead inspector (PG-6)"
            due_on = milestone.due_on if milestone else event.starts_on - timedelta(weeks=2)
        else:
            step = "Name the Ofsted inspectors"
            due_on = event.starts_on
        title = f"{_event_title(event)}, from {event.starts_on:%-d %B %Y}"
        due_label = "Ofsted lead named (PG-6)" if not event.has_lead else "First day on site"  # type: ignore[attr-defined]
        items.append(WorkItem(title, _event_href(event), step, due_on, "", "PG-6", due_label))
    return Panel(
        "ofsted-teams",
        "Ofsted teams to name",
        "Every coming event with Ofsted has its Ofsted lead and inspectors.",
        _by_due(items),
    )


# Inspectors ---------------------------------------------------------------------------------


def _month_after_next(on: date) -> date:
    first = on.replace(day=1)
    return (first + timedelta(days=62)).replace(day=1)


def assignments(user: Any, on: date) -> Panel:
    """`user`'s team places on days from the start of this month to the end of next month."""
    places = (
        TeamMember.objects.filter(
            inspector__user=user,
            ends_on__gte=on.replace(day=1),
            starts_on__lt=_month_after_next(on),
        )
        .exclude(event__status=EventStatus.CANCELLED)
        .exclude(event__historical=True)
        .filter(event__in=Event.objects.visible_to(user, on=on))
        .select_related("event__establishment")
        .order_by("starts_on")
    )
    items = [
        WorkItem(
            _event_title(place.event),
            _event_href(place.event),
            f"{place.get_role_display()}, {place.starts_on:%-d %B} to {place.ends_on:%-d %B %Y}"
            + (" (done)" if place.ends_on < on else ""),
            place.starts_on,
        )
        for place in places
    ]
    return Panel(
        "assignments",
        "Your assignments this month and next",
        "You are on no team this month or next.",
        items,
        reverse("inspectors:list"),
        "Inspectors and their calendars",
    )


# Support and challenge ----------------------------------------------------------------------


def improvement_cases(user: Any, on: date) -> Panel:
    coming = Contact.objects.filter(
        held_on__gte=on, kind__in=[ContactKind.VISIT, ContactKind.FOLLOW_UP]
    ).order_by("held_on")
    cases = (
        ImprovementCase.objects.visible_to(user)
        .filter(improvement_hmi=user, status=CaseStatus.OPEN)
        .select_related("establishment")
        .prefetch_related(Prefetch("contacts", queryset=coming, to_attr="coming_visits"))
        .order_by("establishment__name")
    )
    items = []
    for case in cases:
        visit = next(iter(case.coming_visits), None)  # type: ignore[attr-defined]
        if visit is not None:
            step, due_on = f"{visit.get_kind_display()} on {visit.held_on:%-d %B %Y}", visit.held_on
        else:
            step, due_on = "No visit planned: arrange the next one", None
        title = f"{case.establishment.name}"
        href = reverse("improvement:case-detail", args=[case.pk])
        items.append(WorkItem(title, href, step, due_on))
    return Panel(
        "improvement-cases",
        "Your improvement cases",
        "You hold no open improvement case.",
        _by_due(items),
        reverse("improvement:case-list"),
        "All improvement cases",
    )


def improvement_letters(user: Any, on: date) -> Panel:
    rows = letters_due(user, by=date.max)
    items = [
        WorkItem(
            row.contact.case.establishment.name,
            reverse(
                "improvement:letter-edit",
                kwargs={"pk": row.contact.case_id, "contact_pk": row.contact.pk},
            ),
            f"Send the letter after the {lower_first(row.contact.get_kind_display())} of "
            f"{row.contact.held_on:%-d %B %Y}",
            row.due_on,
            rule_id="SC-4",
        )
        for row in rows
    ]
    empty = "No support and challenge letter is due from you."
    return Panel("letters", "Letters due", empty, items)


# Alerts and the programme -------------------------------------------------------------------


def alerts_to_acknowledge(user: Any, on: date) -> Panel:
    """Raised alerts escalated to `user` (told, on the ladder) and not yet acknowledged."""
    alerts = (
        Alert.objects.visible_to(user)
        .filter(status=AlertStatus.RAISED, ladder__contains=[user.pk])
        .select_related("event__establishment")
        .order_by("raised_at")
    )
    items = [
        WorkItem(
            str(alert),
            reverse("safeguarding:alert-detail", args=[alert.pk]),
            "Acknowledge it and record what was done (SG-1)",
            on,
            rule_id="SG-1",
            due_label="At once",
        )
        for alert in alerts
        if user.pk in alert.ladder[: alert.notified_up_to]
    ]
    return Panel(
        "alerts",
        "Alerts awaiting your acknowledgement",
        "No alert is waiting for your acknowledgement.",
        items,
    )


PROGRAMME_STEPS = {
    ProgrammeStatus.DRAFT: "Build the draft and open it to consultation (PG-14)",
    ProgrammeStatus.CONSULTATION: "Read the responses and confirm the programme (PG-14)",
}


def _produced_by(year: int) -> date:
    """PG-1: the programme from April `year` is produced in the December before."""
    return date(year - 1, 12, 31)


def programmes_in_progress(user: Any, on: date) -> Panel:
    programmes = (
        Programme.objects.exclude(status=ProgrammeStatus.CONFIRMED)
        .exclude(holds_history=True)  # HI-1: a year made to hold history is not to finish
        .order_by("year")
    )
    items = [
        WorkItem(
            f"Programme {programme.label}",
            reverse("programme:detail", kwargs={"year": programme.year}),
            PROGRAMME_STEPS[ProgrammeStatus(programme.status)],
            _produced_by(programme.year),
            group=programme.get_status_display(),
            rule_id="PG-1",
            due_label="Confirmed (PG-1)",
        )
        for programme in programmes
    ]
    if (year := programme_year_to_draft(on)) is not None:
        items.insert(
            0,
            WorkItem(
                f"Programme {year} to {year + 1}",
                reverse("programme:create"),
                "Draft it and open it to consultation (PG-14)",
                _produced_by(year),
                group="Not started",
                rule_id="PG-1",
                due_label="Confirmed (PG-1)",
            ),
        )
    return Panel(
        "programmes",
        "Annual programmes to finish",
        "Every annual programme is confirmed, and next year's is not due to be drafted yet.",
        items,
        reverse("programme:list"),
        "All programmes",
    )


# The service itself (system administrators) ---------------------------------------------

FAILED_JOBS_SHOWN_DAYS = 7


def _task_label(task_name: str) -> str:
    """'inspectorate.audit.tasks.audit_chain_verify_nightly' -> 'Audit chain verify nightly'."""
    return task_name.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def _failed(jobs: int, last: datetime) -> str:
    """'1 job failed on 6 December', '2 jobs failed, the last on 6 December'."""
    day = f"{timezone.localdate(last):%-d %B}"
    return f"1 job failed on {day}" if jobs == 1 else f"{jobs} jobs failed, the last on {day}"


def _jobs_href(**filters: str) -> str:
    return f"{reverse('admin:procrastinate_procrastinatejob_changelist')}?{urlencode(filters)}"


def service_health(user: Any, on: date) -> Panel:
    """What of the service's background work needs the administrator: jobs that failed in
    the last week (not tried again; the worker's log has the error) and e-mail jobs being
    tried again (the SMTP server refuses or does not answer)."""
    since = timezone.now() - timedelta(days=FAILED_JOBS_SHOWN_DAYS)
    failures = (
        ProcrastinateEvent.objects.filter(type="failed", at__gte=since, job__status="failed")
        .values("job__task_name")
        .annotate(jobs=Count("job", distinct=True), last=Max("at"))
        .order_by("-last")
    )
    items = [
        WorkItem(
            f"{_task_label(row['job__task_name'])}: {_failed(row['jobs'], row['last'])}",
            _jobs_href(status__exact="failed", task_name__exact=row["job__task_name"]),
            "Read the error in the workers' log; a failed job is not tried again",
            on,
            group=f"Failed in the last {FAILED_JOBS_SHOWN_DAYS} days",
            due_label="At once",
        )
        for row in failures
    ]
    retrying = ProcrastinateJob.objects.filter(
        queue_name=EMAIL_QUEUE, status="todo", attempts__gt=0
    ).count()
    if retrying:
        items.append(
            WorkItem(
                f"E-mail: {count_noun(retrying, 'job')} being tried again",
                _jobs_href(queue_name__exact=EMAIL_QUEUE, status__exact="todo"),
                "Check the SMTP server: the queue tries again for about ten hours, and the "
                "06:30 catch-up sends what it gave up on",
                on,
                group="E-mail",
                due_label="At once",
            )
        )
    return Panel(
        "service",
        "The service's background work",
        f"No background job has failed in the last {FAILED_JOBS_SHOWN_DAYS} days, and no "
        "e-mail is waiting for the SMTP server.",
        items,
        reverse("admin:index"),
        "Manage accounts and roles in Administration",
    )


Selector = Callable[[Any, date], Panel]

# Each duty's panels (a duty is a part of the work: accounts/roles.py). A role's section shows
# the panels of its duties, so a new role needs no change here.
PANELS_BY_DUTY: dict[Duty, tuple[Selector, ...]] = {
    Duty.COORDINATES_PROGRAMME: (programmes_in_progress,),
    Duty.LEADS_HMIP_TEAMS: (team_leader_inspections,),
    Duty.SCHEDULES_OFSTED: (ofsted_teams_to_name,),
    Duty.LEADS_OFSTED_TEAMS: (ofsted_lead_inspections,),
    Duty.TAKES_ASSIGNMENTS: (assignments,),
    Duty.IMPROVEMENT_HMI: (improvement_cases, improvement_letters),
    Duty.ASSURES_QUALITY: (reports_awaiting_qa,),
    Duty.ESTABLISHMENT: (factual_accuracy_checks, announced_visits),
    Duty.ADMINISTERS: (service_health,),
}


def panels_for(role: Role) -> tuple[Selector, ...]:
    """The panels of `role`'s section: its duties' panels, in the duties' order, once each."""
    panels: list[Selector] = []
    for duty in sorted(duties_of(role), key=list(Duty).index):
        panels += [each for each in PANELS_BY_DUTY.get(duty, ()) if each not in panels]
    return tuple(panels)


PANELS_BY_ROLE: dict[str, tuple[Selector, ...]] = {role: panels_for(role) for role in Role}
# Every staff member may be on an alert's escalation ladder (SG-1): shown once, first.
SHARED_PANELS: tuple[Selector, ...] = (alerts_to_acknowledge,)


@dataclass(frozen=True)
class RoleSection:
    label: str
    panels: list[Panel]


def worklists_for(user: Any, *, on: date | None = None) -> tuple[list[Panel], list[RoleSection]]:
    """(panels every staff member has, one section per role held with its panels)."""
    day = on or today()
    shared = (
        [selector(user, day) for selector in SHARED_PANELS]
        if user.has_perm("safeguarding.view_alerts_to_acknowledge")
        else []
    )
    sections = []
    seen: set[Selector] = set()
    # A layout, not a permission: one section per role held, titled with the role's name;
    # each panel's selector reads only what the user may see.
    for role in Role:
        if not user.has_role(role):
            continue
        selectors = [selector for selector in PANELS_BY_ROLE[role] if selector not in seen]
        seen.update(selectors)
        sections.append(RoleSection(role.label, [selector(user, day) for selector in selectors]))
    return shared, sections
