"""Recording history (HI-1): events that happened before they were recorded here.

A historical event is recorded as it was: no forward-looking rule applies to it (vetting on
the day (TM-1), notice (PG-3, PG-5 to PG-7), the IRP window (WD-2), bank holidays (WD-1),
reminders, "Missed"), and it is never due. It says where it came from (`history_source`).
It belongs to the programme of its year; a past year with no programme gets one, made on
demand and marked `holds_history`. Nobody is notified: history amends no programme (PG-4).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from inspectorate.estate.models import Establishment
from inspectorate.estate.policy import education_inspectorate as policy_inspectorate
from inspectorate.lib.wording import long_date, lower_first
from inspectorate.programme.constants import (
    OFSTED_ONLY_KINDS,
    EventKind,
    EventStatus,
    ProgrammeStatus,
)
from inspectorate.programme.models import Event, Programme, today
from inspectorate.programme.services import default_ends_on
from inspectorate.programme.signals import event_dates_changed

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

EDUCATION_INSPECTORATES = ("", "ofsted", "estyn")


def programme_year(day: date) -> int:
    """The year of the programme (April to March) that `day` falls in (PG-1)."""
    return day.year if day.month >= 4 else day.year - 1


def history_programme(year: int) -> Programme:
    """The programme of `year`, made on demand to hold history when there is none: confirmed
    (what it holds happened), marked `holds_history`, and saying so. Call in a transaction."""
    programme, _created = Programme.objects.get_or_create(
        year=year,
        defaults={
            "status": ProgrammeStatus.CONFIRMED,
            "holds_history": True,
            "confirmation_reason": "Made to hold events recorded after they happened (HI-1); "
            "it was not planned in this service.",
        },
    )
    return programme


def _follows_up_problem(
    kind: str, establishment: Establishment, starts_on: date, follows_up: Event | None
) -> str:
    if follows_up is None:
        return ""
    if kind != EventKind.IRP:
        return "Only an IRP follows up an earlier inspection"
    if follows_up.kind != EventKind.FULL_INSPECTION:
        return "An IRP follows up a full inspection"
    if follows_up.establishment_id != establishment.pk:
        return (
            f"The inspection followed up must be of {establishment}, not of "
            f"{follows_up.establishment}"
        )
    if follows_up.ends_on >= starts_on:
        return "An IRP starts after the full inspection it follows up ends"
    return ""


def _problems(
    *,
    kind: str,
    establishment: Establishment | None,
    starts_on: date | None,
    ends_on: date | None,
    follows_up: Event | None,
    source: str,
    education: str | None,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if kind not in EventKind.values:
        problems["kind"] = "Select the kind of event"
    if establishment is None:
        problems["establishment"] = "Select the establishment"
    problems.update(_date_problems(starts_on, ends_on))
    if not source:
        problems["source"] = (
            "Enter where this record comes from, such as the published report and its date"
        )
    if education is not None and education not in EDUCATION_INSPECTORATES:
        problems["education_inspectorate"] = "Select Ofsted, Estyn or none"
    if establishment is not None and starts_on is not None and "kind" not in problems:
        problem = _follows_up_problem(kind, establishment, starts_on, follows_up)
        if problem:
            problems["follows_up"] = problem
    return problems


def _date_problems(starts_on: date | None, ends_on: date | None) -> dict[str, str]:
    """A historical event's dates: both given, in order, and ended before today."""
    if starts_on is None:
        return {"starts_on": "Enter the start date"}
    if ends_on is None:
        return {"ends_on": "Enter the end date"}
    if ends_on < starts_on:
        return {"ends_on": "End date must be on or after the start date"}
    if ends_on >= today():
        return {
            "ends_on": (
                "A historical event has ended: the end date must be before today, "
                f"{long_date(today())}. Plan an event that is still to come in the programme"
            )
        }
    return {}


def _education(kind: str, establishment: Establishment, given: str | None) -> str:
    """Who inspected education, as given; otherwise as policy says for a full inspection
    (PG-10) or an Ofsted-only kind, and nobody for an IRP (PG-8 depends on a judgement the
    history may not hold)."""
    if given is not None:
        return given
    if kind in OFSTED_ONLY_KINDS:
        return "ofsted"
    if kind == EventKind.FULL_INSPECTION:
        found = policy_inspectorate(establishment)
        return str(found.value) if found else ""
    return ""


def _same_event(establishment: Establishment, kind: str, starts_on: date) -> Event | None:
    return (
        Event.objects.filter(establishment=establishment, kind=kind, starts_on=starts_on)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("pk")
        .first()
    )


def _clash(establishment: Establishment, starts_on: date, ends_on: date) -> str:
    other = (
        Event.objects.filter(
            establishment=establishment, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        .exclude(status=EventStatus.CANCELLED)
        .first()
    )
    if other is None:
        return ""
    return (
        f"{establishment} already has a {lower_first(other.get_kind_display())} from "
        f"{long_date(other.starts_on)} to {long_date(other.ends_on)}: check the dates"
    )


def record_historical_event(
    *,
    actor: User,
    establishment: Establishment | None,
    kind: str,
    starts_on: date | None,
    ends_on: date | None = None,
    follows_up: Event | None = None,
    source: str,
    education_inspectorate: str | None = None,
    notes: str = "",
) -> Event:
    """Record an event that happened before it was recorded here (HI-1), and return it.

    - `establishment`, `kind` (an EventKind value), `starts_on`: what and when.
    - `ends_on`: the last day; a full inspection's or an IRP's standard length when None.
      It must be before today: what is still to come is planned, not recorded.
    - `follows_up`: for an IRP, the full inspection it followed up (historical or not).
    - `source`: required, where the record comes from (a published report, a file, a
      person); shown with the event.
    - `education_inspectorate`: "ofsted", "estyn" or "" when known; None takes the usual
      (Ofsted in England and Estyn in Wales at a full inspection, none at an IRP).

    Idempotent for the importer: when the establishment already has an event of `kind`
    starting on `starts_on`, that event is returned unchanged. The event is completed,
    belongs to the programme of its year (made on demand, `history_programme`) and gets
    its milestones, none of them due or missed. Refused with PermissionDenied unless
    `actor` may `programme.record_history`; ValidationError by field otherwise.
    """
    if not actor.has_perm("programme.record_history"):
        raise PermissionDenied(
            "Only the HMI Prisons programme coordinator or a system administrator can record "
            "history."
        )
    source = (source or "").strip()
    if starts_on is not None and ends_on is None:
        ends_on = default_ends_on(kind, starts_on, establishment)
    problems = _problems(
        kind=kind,
        establishment=establishment,
        starts_on=starts_on,
        ends_on=ends_on,
        follows_up=follows_up,
        source=source,
        education=education_inspectorate,
    )
    if problems:
        raise ValidationError(problems)
    assert establishment is not None
    assert starts_on is not None
    assert ends_on is not None
    with transaction.atomic():
        # One recorder at a time per establishment: two imports of one report make one event.
        Establishment.objects.select_for_update().get(pk=establishment.pk)
        existing = _same_event(establishment, kind, starts_on)
        if existing is not None:
            return existing
        clash = _clash(establishment, starts_on, ends_on)
        if clash:
            raise ValidationError({"starts_on": clash})
        programme = history_programme(programme_year(starts_on))
        try:
            with transaction.atomic():
                event = Event.objects.create(
                    programme=programme,
                    kind=kind,
                    establishment=establishment,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    status=EventStatus.COMPLETED,
                    education_inspectorate=_education(kind, establishment, education_inspectorate),
                    follows_up=follows_up,
                    notes=(notes or "").strip(),
                    historical=True,
                    history_source=source,
                )
        except IntegrityError as error:  # pragma: no cover - the checks above come first
            raise ValidationError(str(error)) from None
        event_dates_changed.send(sender=Event, event=event, actor=actor)
    return event
