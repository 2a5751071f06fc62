"""Reads of the annual programme, each a fixed number of queries whatever the events.

Every read of events starts from `Event.objects.visible_to(user)` (PG-3): what a user may
not see is absent from every page, list, filter, count, export and error. Each read that
shows a confidential date (unannounced, not yet started) is logged as an access event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from inspectorate.audit.constants import AccessPurpose
from inspectorate.audit.services import access_records
from inspectorate.inspectors.constants import Organisation
from inspectorate.inspectors.models import Inspector
from inspectorate.lib.csvio import write_csv
from inspectorate.lib.xlsxio import XLSX_CONTENT_TYPE, Kind, SheetColumn, choices, write_xlsx
from inspectorate.programme.constants import (
    HMIP_KINDS,
    IRP_RANGE,
    EducationJudgement,
    EventKind,
    EventStatus,
)
from inspectorate.programme.models import Amendment, Event, Notification, Programme, TeamMember
from inspectorate.programme.models import today as today

AMENDMENTS_SHOWN = 100


# PG-8: the seam for the inspections issue ------------------------------------------------


def education_judgement_at(event: Event) -> str | None:
    """The overall education, skills and work judgement recorded at `event` (its overall
    effectiveness grade, a value of constants.EducationJudgement), if any (PG-8)."""
    from inspectorate.inspections.models import Judgement

    slug = (
        Judgement.objects.filter(event=event, aspect__code="OE", follow_up__isnull=True)
        .values_list("level__slug", flat=True)
        .first()
    )
    return slug if slug in EducationJudgement.values else None


# Confidential reads ---------------------------------------------------------------------


def confidential_reads_record(
    *,
    user: Any,
    events: Iterable[Event],
    path: str = "",
    purpose: AccessPurpose = AccessPurpose.VIEW,
    on: date | None = None,
) -> int:
    """Log, in one query, that `user` saw the dates of each confidential event (PG-3, DP-1).

    Only events still confidential on `on` (today) are logged. Returns how many.
    """
    day = on or today()
    confidential = [event for event in events if event.is_confidential(day)]
    return access_records(actor=user, records=confidential, purpose=purpose, path=path)


# Programmes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    programme: Programme
    events: int  # the events this user may see


def programme_rows(user: Any) -> list[ProgrammeRow]:
    """Every programme, with the number of its events `user` may see (two queries)."""
    counts = dict(
        Event.objects.visible_to(user)
        .exclude(status=EventStatus.CANCELLED)
        .order_by()
        .values_list("programme")
        .annotate(n=Count("pk", distinct=True))
        .values_list("programme", "n")
    )
    return [ProgrammeRow(p, counts.get(p.pk, 0)) for p in Programme.objects.order_by("-year")]


def programme_for(year: int) -> Programme:
    programme = Programme.objects.filter(year=year).first()
    if programme is None:
        raise Http404("No programme starts in that year.")
    return programme


def current_programme(on: date | None = None) -> Programme | None:
    """The programme running on `on` (April to March), else the latest."""
    day = on or today()
    year = day.year if day.month >= 4 else day.year - 1
    return Programme.objects.filter(year=year).first() or Programme.objects.first()


# PG-1: each December HMI Prisons produces the programme for the twelve months from the
# following April; from September the coordinators are asked to draft it.
DRAFTING_FROM_MONTH = 9


def next_programme_year(on: date) -> int:
    """The year of the programme produced in the December of `on`'s programme year: from
    April 2026 to March 2027, the programme from April 2027 (PG-1)."""
    return on.year + 1 if on.month >= 4 else on.year


def programme_year_to_draft(on: date) -> int | None:
    """The year of the next programme when it is time to draft it (from September before
    the December it is produced in) and it has not been started; else None."""
    year = next_programme_year(on)
    if on < date(year - 1, DRAFTING_FROM_MONTH, 1):
        return None
    return None if Programme.objects.filter(year=year).exists() else year


def irp_count_warning(count: int) -> str | None:
    """PG-2: a programme holds between 15 and 20 IRPs; outside that range is a warning."""
    low, high = IRP_RANGE
    if low <= count <= high:
        return None
    return (
        f"The programme has {count} independent review{'s' if count != 1 else ''} of progress: "
        f"it should hold between {low} and {high} (PG-2)."
    )


@dataclass
class KindCount:
    kind: str
    label: str
    count: int


@dataclass
class ProgrammeOverview:
    programme: Programme
    events: list[Event]
    counts: list[KindCount]
    total: int
    cancelled: int
    irp_count: int | None = None  # only for those who see the whole programme
    irp_warning: str | None = None
    amendments: list[Amendment] | None = None


def _kind_counts(events: Iterable[Event]) -> list[KindCount]:
    counter = Counter(e.kind for e in events if e.status != EventStatus.CANCELLED)
    return [KindCount(value, str(label), counter[value]) for value, label in EventKind.choices]


def programme_events_matching(events: list[Event], filters: Mapping[str, Any]) -> list[Event]:
    """The events of an overview that pass a `ProgrammeEventFilterForm`'s values."""
    text = str(filters.get("establishment", "")).lower()
    return [
        event
        for event in events
        if (
            not text
            or text in event.establishment.name.lower()
            or text == event.establishment.code.lower()
        )
        and filters.get("kind", event.kind) == event.kind
        and filters.get("status", event.status) == event.status
    ]


def programme_overview(user: Any, programme: Programme) -> ProgrammeOverview:
    """The programme page: its events `user` may see, counts by kind, and for the programme
    staff the IRP count (PG-2) and the amendments log (PG-4). Two or three queries."""
    events = list(
        Event.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("establishment")
        .order_by("starts_on", "establishment__name", "pk")
    )
    counts = _kind_counts(events)
    overview = ProgrammeOverview(
        programme=programme,
        events=events,
        counts=counts,
        total=sum(c.count for c in counts),
        cancelled=sum(1 for e in events if e.status == EventStatus.CANCELLED),
    )
    if user.has_perm("programme.view_irp_count"):
        # These users see every event, so the count is the programme's own.
        overview.irp_count = next(c.count for c in counts if c.kind == EventKind.IRP)
        overview.irp_warning = irp_count_warning(overview.irp_count)
    if user.has_perm("programme.view_amendments"):
        overview.amendments = list(
            Amendment.objects.visible_to(user)
            .filter(programme=programme)
            .select_related("made_by", "event")
            .order_by("-made_at", "-pk")[:AMENDMENTS_SHOWN]
        )
    return overview


# Filters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    """What the calendar is narrowed to; empty means any."""

    organisation: str = ""
    inspector: int | None = None
    kind: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.organisation or self.inspector or self.kind or self.q)


def _organisation_takes_part(organisation: str) -> Q:
    """Events `organisation` takes part in: by kind, as education inspectorate, or with
    someone on the team."""
    on_team = Exists(
        TeamMember.objects.filter(event=OuterRef("pk"), inspector__organisation=organisation)
    )
    condition = Q(on_team)
    if organisation == Organisation.HMI_PRISONS:
        condition |= Q(kind__in=HMIP_KINDS)
    if organisation in {Organisation.OFSTED, Organisation.ESTYN}:
        condition |= Q(education_inspectorate=organisation)
    return condition


def filtered_events(user: Any, programme: Programme, filters: EventFilters) -> QuerySet[Event]:
    """The programme's events `user` may see, narrowed by `filters` (PG-3 first, always)."""
    events = Event.objects.visible_to(user).filter(programme=programme)
    if filters.organisation:
        events = events.filter(_organisation_takes_part(filters.organisation))
    if filters.inspector:
        events = events.filter(
            Exists(TeamMember.objects.filter(event=OuterRef("pk"), inspector=filters.inspector))
        )
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.q:
        events = events.filter(
            Q(establishment__name__icontains=filters.q) | Q(establishment__code__iexact=filters.q)
        )
    return events.select_related("establishment").order_by("starts_on", "establishment__name")


def inspector_choices(user: Any) -> list[tuple[int, str]]:
    """The calendar's inspector filter: active inspectors `user` may see (one query)."""
    return list(
        Inspector.objects.visible_to(user)
        .filter(active=True)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


# The calendar ---------------------------------------------------------------------------


@dataclass
class CalendarEntry:
    event: Event
    week_number: int
    weeks: int
    education_week: bool  # Ofsted or Estyn attends this week (PG-9)


@dataclass
class CalendarWeek:
    monday: date
    entries: list[CalendarEntry] = field(default_factory=list)
    is_current: bool = False

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


@dataclass
class CalendarMonth:
    first: date
    weeks: list[CalendarWeek] = field(default_factory=list)

    @property
    def events(self) -> int:
        return len({entry.event.pk for week in self.weeks for entry in week.entries})


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def programme_weeks(programme: Programme, on: date | None = None) -> list[CalendarMonth]:
    """The programme year as months of weeks (Monday to Sunday). A week belongs to the month
    of its Monday, except the week of 1 April, which opens April."""
    day = on or today()
    months: dict[tuple[int, int], CalendarMonth] = {}
    monday = _monday(programme.starts_on)
    while monday <= programme.ends_on:
        anchor = max(monday, programme.starts_on)
        month = months.setdefault((anchor.year, anchor.month), CalendarMonth(anchor.replace(day=1)))
        month.weeks.append(CalendarWeek(monday, is_current=monday <= day <= monday + timedelta(6)))
        monday += timedelta(days=7)
    return list(months.values())


def programme_calendar(
    user: Any, programme: Programme, filters: EventFilters, on: date | None = None
) -> tuple[list[CalendarMonth], list[Event]]:
    """The calendar of the events `user` may see, cancelled ones left out (one query)."""
    events = list(filtered_events(user, programme, filters).exclude(status=EventStatus.CANCELLED))
    months = programme_weeks(programme, on)
    weeks = {week.monday: week for month in months for week in month.weeks}
    for event in events:
        first = _monday(event.starts_on)
        mondays = []
        monday = first
        while monday <= event.ends_on:
            mondays.append(monday)
            monday += timedelta(days=7)
        for number, monday in enumerate(mondays, start=1):
            week = weeks.get(monday)
            if week is not None:
                week.entries.append(
                    CalendarEntry(
                        event=event,
                        week_number=number,
                        weeks=len(mondays),
                        education_week=event.education_week_starts_on is not None
                        and _monday(event.education_week_starts_on) == monday,
                    )
                )
    return months, events


# One event ------------------------------------------------------------------------------


def event_for(user: Any, pk: int) -> Event:
    """The event if `user` may see it. An event they may not see is answered exactly like
    one that does not exist (PG-3): the same 404, so not even its existence leaks."""
    event = (
        Event.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("programme", "establishment", "follows_up__establishment")
        .first()
    )
    if event is None:
        raise Http404("No such event.")
    return event


def event_follow_ups(user: Any, event: Event) -> list[Event]:
    """The IRPs following up `event` that `user` may see."""
    return list(
        Event.objects.visible_to(user)
        .filter(follows_up=event)
        .select_related("establishment")
        .order_by("starts_on")
    )


def event_amendments(user: Any, event: Event) -> list[Amendment] | None:
    """The event's amendments, for the programme staff only (None for anyone else)."""
    if not user.has_perm("programme.view_amendments"):
        return None
    return list(event.amendments.select_related("made_by").order_by("-made_at", "-pk"))


def follow_up_choices(user: Any, programme: Programme) -> list[Event]:
    """Full inspections an IRP in `programme` may follow up: this programme's and the one
    before's, that `user` may see (one query)."""
    return list(
        Event.objects.visible_to(user)
        .filter(
            kind=EventKind.FULL_INSPECTION,
            programme__year__in=[programme.year - 1, programme.year],
        )
        .exclude(status=EventStatus.CANCELLED)
        .select_related("establishment")
        .order_by("establishment__name", "starts_on")
    )


def history_follow_up_choices(user: Any) -> list[Event]:
    """Full inspections a historical IRP may follow up: those that have ended, that `user`
    may see (one query)."""
    return list(
        Event.objects.visible_to(user)
        .filter(kind=EventKind.FULL_INSPECTION, ends_on__lt=today())
        .exclude(status=EventStatus.CANCELLED)
        .select_related("establishment")
        .order_by("establishment__name", "starts_on")
    )


# Export ---------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "id",
    "programme",
    "kind",
    "establishment_code",
    "establishment",
    "starts_on",
    "ends_on",
    "status",
    "announced_on",
    "education_inspectorate",
    "education_week_starts_on",
    "follows_up_id",
)


EDUCATION_INSPECTORATES = {"ofsted": "Ofsted", "estyn": "Estyn"}
# The workbook shows people labels where the CSV keeps the stored codes (a CSV is read back by
# programs; the API and the command line promise its columns).
EXPORT_SHEET_COLUMNS = (
    SheetColumn("id", "Event ID", Kind.NUMBER),
    SheetColumn("programme", "Programme"),
    choices("kind", EventKind, "Kind"),
    SheetColumn("establishment_code", "Establishment code", Kind.IDENTIFIER),
    SheetColumn("establishment", "Establishment"),
    SheetColumn("starts_on", "Starts on", Kind.DATE),
    SheetColumn("ends_on", "Ends on", Kind.DATE),
    choices("status", EventStatus, "Status"),
    SheetColumn("announced_on", "Announced on", Kind.DATE),
    SheetColumn("education_inspectorate", "Education inspectorate", labels=EDUCATION_INSPECTORATES),
    SheetColumn("education_week_starts_on", "Education week starts on", Kind.DATE),
    SheetColumn("follows_up_id", "Follows up event ID", Kind.NUMBER),
)


def _export_rows(
    user: Any, programme: Programme, filters: EventFilters | None, path: str
) -> list[tuple[Any, ...]]:
    """One row per event of `programme` that `user` may see; confidential rows are logged as
    exported (PG-3)."""
    events = list(filtered_events(user, programme, filters or EventFilters()))
    confidential_reads_record(user=user, events=events, path=path, purpose=AccessPurpose.EXPORT)
    return [
        (
            e.pk,
            programme.label,
            e.kind,
            e.establishment.code,
            e.establishment.name,
            e.starts_on,
            e.ends_on,
            e.status,
            e.announced_on,
            e.education_inspectorate,
            e.education_week_starts_on,
            e.follows_up_id,
        )
        for e in events
    ]


def events_export_csv(
    user: Any, programme: Programme, filters: EventFilters | None = None, path: str = ""
) -> str:
    """The events of `programme` that `user` may see, as CSV."""
    return write_csv(EXPORT_COLUMNS, _export_rows(user, programme, filters, path))


def events_export_xlsx(
    user: Any, programme: Programme, filters: EventFilters | None = None, path: str = ""
) -> bytes:
    """The same rows as an Excel workbook: one sheet, one row per event, dates as dates."""
    title = f"Programme {programme.year}-{str(programme.year + 1)[-2:]}"
    return write_xlsx(title, EXPORT_SHEET_COLUMNS, _export_rows(user, programme, filters, path))


# Each download of a programme's events, by file extension: what writes it, its content type.
EVENT_EXPORTS: dict[str, tuple[Callable[..., str | bytes], str]] = {
    "csv": (events_export_csv, "text/csv; charset=utf-8"),
    "xlsx": (events_export_xlsx, XLSX_CONTENT_TYPE),
}


def events_download_name(programme: Programme, extension: str) -> str:
    return f"programme-{programme.year}-{programme.year + 1}.{extension}"


# Notifications --------------------------------------------------------------------------


def notifications_for(user: Any, limit: int = 100) -> list[Notification]:
    """The user's own notifications, newest first (one query)."""
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit])


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
