"""Writes to the annual programme: programmes and their events.

Every write checks the actor's permission, validates with messages naming the field, writes
inside one transaction, bumps `version` and refuses a stale version. Creating or moving an
event sends `event_dates_changed` inside the transaction (milestones follow it). Every change
to a confirmed programme writes an Amendment and notifies every Ofsted scheduler at once: a
notification in the app and an e-mail sent after commit (PG-4).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from inspectorate.accounts.models import User
from inspectorate.accounts.permissions import require, user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.estate.constants import EstablishmentKind, EstablishmentStatus, Nation
from inspectorate.estate.models import Establishment
from inspectorate.estate.policy import education_inspectorate
from inspectorate.inspectors.constants import Organisation
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import locked, saved
from inspectorate.lib.wording import count_noun, long_date, lower_first
from inspectorate.lib.workdays import Nation as WorkdayNation
from inspectorate.lib.workdays import (
    is_bank_holiday,
    month_window,
    working_days_between,
)
from inspectorate.programme import selectors
from inspectorate.programme.constants import (
    CONSULTATION_MIN_WORKING_DAYS,
    EDUCATION_FOLLOW_UP_JUDGEMENTS,
    FULL_INSPECTION_DAYS,
    IRP_DAYS,
    IRP_NOTICE_MONTHS,
    IRP_WINDOW_MONTHS,
    OFSTED_ONLY_KINDS,
    PROBATION_FULL_INSPECTION_DAYS,
    EducationJudgement,
    EventKind,
    EventStatus,
    ProgrammeStatus,
)
from inspectorate.programme.milestones.deadlines import due_date, rule_for
from inspectorate.programme.models import (
    Amendment,
    ConsultationChallenge,
    ConsultationResponse,
    Event,
    Programme,
    today,
)
from inspectorate.programme.notifications import notify, users_with_duty
from inspectorate.programme.signals import event_dates_changed

FIRST_YEAR, LAST_YEAR = 2000, 2100


def stale_wording(record: Programme | Event) -> str:
    """The programme screens' words for a record saved by someone else after the form opened."""
    return (
        f"{record} was changed by someone else while you were working on it. "
        "Your changes have not been saved. Check what is saved now, then try again."
    )


# The API's word, after each of the programme rules' warnings, on how to go past it.
SEND_REASON = "Send override_reason to go ahead."


def _reason_needed(warnings: Mapping[str, str]) -> OverrideNeeded[dict[str, str]]:
    """The programme rules' warnings, refusing the change until a reason is given."""
    return OverrideNeeded(dict(warnings), api_hint=SEND_REASON)


def _require_visible(actor: User, event: Event) -> None:
    """Nobody changes an event they may not see (the same refusal whether or not it exists)."""
    if not Event.objects.visible_to(actor).filter(pk=event.pk).exists():
        raise PermissionDenied("You cannot change this event.")


# Programmes (PG-1) ----------------------------------------------------------------------


def programme_create(*, actor: User, year: int) -> Programme:
    """Draft the programme for April `year` to March `year + 1` (PG-1)."""
    require(actor, "programme.change_programme", None, "You cannot draft a programme.")
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {"year": f"Year must be the year the programme starts in April, such as {today().year}"}
        )
    with transaction.atomic():
        if Programme.objects.filter(year=year).exists():
            raise ValidationError(
                {"year": f"There is already a programme for April {year} to March {year + 1}"}
            )
        return Programme.objects.create(year=year)


def _locked_programme(programme: Programme, version: int, status: str, only: str) -> Programme:
    """The programme locked for a change, refused unless it is in `status`: `only` says
    which status the change needs."""
    current = locked(Programme, programme.pk, version, stale_wording)
    if current.status != status:
        raise ValidationError(
            f"The {current.label} programme is {lower_first(current.get_status_display())}: {only}"
        )
    return current


def programme_open_consultation(
    *, actor: User, programme: Programme, version: int, opened_on: date | None = None
) -> Programme:
    """Open the draft programme to consultation (PG-1: normally each December)."""
    require(
        actor,
        "programme.change_programme",
        programme,
        "You cannot open a programme to consultation.",
    )
    opened_on = opened_on or today()
    with transaction.atomic():
        current = _locked_programme(
            programme,
            version,
            ProgrammeStatus.DRAFT,
            "only a draft programme is opened to consultation.",
        )
        if opened_on >= current.starts_on:
            raise ValidationError(
                {
                    "opened_on": "Consultation must open before the programme starts on "
                    f"{long_date(current.starts_on)}"
                }
            )
        current.status = ProgrammeStatus.CONSULTATION
        current.consultation_opened_on = opened_on
        saved(current)
        _ask_partners(current)
    return current


def draft_summary(programme: Programme) -> str:
    """The draft in a few lines: its events by kind and their span (for the partners)."""
    events = list(programme.events.exclude(status=EventStatus.CANCELLED).order_by("starts_on"))
    if not events:
        return "The draft holds no events yet."
    counts = selectors._kind_counts(events)
    lines = [f"{c.label}: {c.count}" for c in counts if c.count]
    return (
        f"The draft runs from {long_date(events[0].starts_on)} to "
        f"{long_date(events[-1].ends_on)} ({'; '.join(lines)})."
    )


def _ask_partners(programme: Programme) -> None:
    """PG-14: each partner's people are sent the draft and asked to respond."""
    from inspectorate.programme import consultation

    recipients = [
        user for duty in consultation.PARTNER_DUTIES.values() for user in users_with_duty(duty)
    ]
    notify(
        recipients=recipients,
        subject=f"Programme {programme.label}: consultation open, your response is due",
        body=(
            f"HMI Prisons has opened its draft inspection programme for {programme.label} to "
            f"consultation. {draft_summary(programme)} Confirm that you have the resourcing "
            "for it, or raise a challenge to any event, at once (PG-14). The programme is "
            "confidential (PG-3)."
        ),
        url=consultation.respond_url(programme),
    )


def confirmation_warnings(programme: Programme, confirmed_on: date) -> dict[str, str]:
    """What a coordinator is warned of before confirming: the IRP count (PG-2), a
    consultation shorter than CONSULTATION_MIN_WORKING_DAYS (PG-14), partners who have not
    responded and challenges not answered (PG-14)."""
    from inspectorate.programme import consultation

    warnings: dict[str, str] = {}
    irps = programme.events.filter(kind=EventKind.IRP).exclude(status=EventStatus.CANCELLED)
    irp_warning = selectors.irp_count_warning(irps.count())
    if irp_warning:
        warnings["irp_count"] = irp_warning
    opened = programme.consultation_opened_on
    if opened is not None:
        nation = WorkdayNation.ENGLAND
        days = max(0, working_days_between(opened, confirmed_on, nation))
        if days < CONSULTATION_MIN_WORKING_DAYS:
            warnings["confirmed_on"] = (
                f"Consultation opened on {long_date(opened)}: confirming on "
                f"{long_date(confirmed_on)} leaves the partners "
                f"{count_noun(days, 'working day')} to respond, fewer than "
                f"{CONSULTATION_MIN_WORKING_DAYS} (PG-14)."
            )
    responses = ConsultationResponse.objects.filter(programme=programme)
    answered = set(
        responses.exclude(resourcing_confirmed__isnull=True).values_list("partner", flat=True)
    )
    for partner in consultation.PARTNER_DUTIES:
        if partner not in answered:
            label = Organisation(partner).label
            warnings[f"response_{partner}"] = (
                f"{label} has not said whether it has the resourcing for the programme (PG-14)."
            )
    outstanding = ConsultationChallenge.objects.filter(
        response__programme=programme, answer=""
    ).count()
    if outstanding:
        warnings["challenges"] = (
            f"{count_noun(outstanding, 'challenge')} to events "
            f"{'is' if outstanding == 1 else 'are'} not answered (PG-14)."
        )
    return warnings


def programme_confirm(
    *,
    actor: User,
    programme: Programme,
    version: int,
    confirmed_on: date | None = None,
    override_reason: str = "",
) -> Programme:
    """Confirm the programme after consultation; Ofsted's schedulers are told at once.

    From now on every change to it is an amendment shared with Ofsted (PG-4). What
    `confirmation_warnings` finds (PG-2, PG-14) raises OverrideNeeded unless
    `override_reason` is given; the reason is kept with the programme.
    """
    require(actor, "programme.change_programme", programme, "You cannot confirm a programme.")
    confirmed_on = confirmed_on or today()
    with transaction.atomic():
        current = _locked_programme(
            programme,
            version,
            ProgrammeStatus.CONSULTATION,
            "a programme is confirmed after its consultation.",
        )
        opened = current.consultation_opened_on
        if opened and confirmed_on < opened:
            raise ValidationError(
                {
                    "confirmed_on": "Confirmation date must be on or after the day consultation "
                    f"opened, {long_date(opened)}"
                }
            )
        if confirmed_on > today():
            raise ValidationError({"confirmed_on": "Confirmation date cannot be in the future"})
        warnings = confirmation_warnings(current, confirmed_on)
        current.confirmation_reason = _overridden(warnings, (override_reason or "").strip())
        current.status = ProgrammeStatus.CONFIRMED
        current.confirmed_on = confirmed_on
        saved(current)
        notify(
            recipients=users_with_duty(Duty.SCHEDULES_OFSTED),
            subject=f"Programme {current.label} confirmed",
            body=(
                f"HMI Prisons has confirmed its inspection programme for {current.label}. "
                "It is confidential: share only what inspectors need (PG-3)."
            ),
            url=reverse("programme:detail", kwargs={"year": current.year}),
        )
    return current


# Events: rules about dates --------------------------------------------------------------


def default_ends_on(
    kind: str, starts_on: date, establishment: Establishment | None = None
) -> date | None:
    """A full inspection ends on the Friday of its second week (12 days), or after five days
    on site at a probation area (IN-9); an IRP is three days on site. Other kinds have no
    standard length: None."""
    if kind == EventKind.FULL_INSPECTION:
        if establishment is not None and establishment.kind == EstablishmentKind.PROBATION_AREA:
            return starts_on + timedelta(days=PROBATION_FULL_INSPECTION_DAYS - 1)
        return starts_on + timedelta(days=FULL_INSPECTION_DAYS - 1)
    if kind == EventKind.IRP:
        return starts_on + timedelta(days=IRP_DAYS - 1)
    return None


def on_site_from(kind: str, starts_on: date, establishment: Establishment) -> time | None:
    """When a full probation inspection starts on site: about 12:00 on a Monday, earlier
    (9:00) on any other day (IN-9). None for other events."""
    if kind != EventKind.FULL_INSPECTION or establishment.kind != EstablishmentKind.PROBATION_AREA:
        return None
    return time(12, 0) if starts_on.weekday() == 0 else time(9, 0)


def default_education_week(starts_on: date) -> date:
    """PG-9: Ofsted attends the second week of a full inspection, normally."""
    return starts_on + timedelta(days=7)


def irp_education_inspectorate(establishment: Establishment, previous_judgement: str | None) -> str:
    """Who inspects education at an IRP (PG-8, PG-10): Ofsted in England or Estyn in Wales
    when the previous inspection's overall education, skills and work judgement was
    inadequate or requires improvement; otherwise nobody ("")."""
    inspectorate = education_inspectorate(establishment)
    if inspectorate is None or previous_judgement not in EDUCATION_FOLLOW_UP_JUDGEMENTS:
        return ""
    return str(inspectorate.value)


def closed_message(establishment: Establishment) -> str:
    """Why a closed establishment cannot be inspected, naming when it closed."""
    closure = establishment.closure_text()
    when = f" closed {closure}" if closure else " is closed"
    return f"{establishment}{when}: select an open establishment"


def _date_problems(
    *,
    programme: Programme,
    kind: str,
    starts_on: date | None,
    ends_on: date | None,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if starts_on is None:
        return {"starts_on": "Enter the start date"}
    if not programme.starts_on <= starts_on <= programme.ends_on:
        problems["starts_on"] = (
            f"Start date must be within the {programme.label} programme: "
            f"{long_date(programme.starts_on)} to {long_date(programme.ends_on)} (PG-1)"
        )
    elif starts_on.weekday() >= 5:
        problems["starts_on"] = "Start date must be a weekday, not a Saturday or Sunday"
    elif kind == EventKind.FULL_INSPECTION and starts_on.weekday() != 0:
        problems["starts_on"] = (
            "A full inspection starts on a Monday: two weeks on site, to the Friday of the "
            "second week"
        )
    elif kind == EventKind.IRP and ends_on is None and starts_on.weekday() > 2:
        problems["starts_on"] = (
            "An IRP is three days on site: start it on a Monday, Tuesday or Wednesday, "
            "or enter the end date"
        )
    if ends_on is None and default_ends_on(kind, starts_on) is None:
        problems["ends_on"] = "Enter the end date"
    elif ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "End date must be on or after the start date"
    elif ends_on is not None and (ends_on - starts_on).days > 60:
        problems["ends_on"] = "End date must be within 60 days of the start date"
    return problems


def _education_week(
    *,
    kind: str,
    inspectorate: str,
    starts_on: date,
    week: date | None,
    reason: str,
    problems: dict[str, str],
) -> tuple[date | None, str]:
    """The education week and its reason (PG-9), or a problem; only full inspections have one."""
    if kind != EventKind.FULL_INSPECTION or not inspectorate:
        if week is not None:
            problems["education_week_starts_on"] = (
                "Only a full inspection with Ofsted or Estyn taking part has an education week"
            )
        return None, ""
    standard = default_education_week(starts_on)
    if week is None or week == standard:
        return standard, ""
    if week.weekday() != 0:
        problems["education_week_starts_on"] = "The education week starts on a Monday"
    elif not reason:
        problems["education_week_reason"] = (
            f"{inspectorate.capitalize()} attends the second week of a full inspection "
            f"(from {long_date(standard)}), normally: give the reason for another week, "
            "as agreed with HMI Prisons (PG-9)"
        )
    return week, reason


# Events: rules checked at entry, each a warning that a recorded reason overrides ------------


def _nation_name(establishment: Establishment) -> str:
    """Whose bank holidays: England and Wales share theirs (WD-1)."""
    if establishment.nation in (Nation.ENGLAND, Nation.WALES):
        return "England and Wales"
    return str(establishment.get_nation_display())


def bank_holidays_on_site(
    establishment: Establishment, starts_on: date, ends_on: date
) -> list[date]:
    """The weekdays from `starts_on` to `ends_on` that are bank holidays of the
    establishment's nation (WD-1)."""
    nation = WorkdayNation(establishment.nation)
    days = (starts_on + timedelta(days=n) for n in range((ends_on - starts_on).days + 1))
    return [day for day in days if day.weekday() < 5 and is_bank_holiday(day, nation)]


def irp_window(follows_up: Event) -> tuple[date, date]:
    """When an IRP following up `follows_up` takes place: 8 to 12 calendar months after the
    full inspection ends, the ends moved to working days (WD-2)."""
    low, high = IRP_WINDOW_MONTHS
    nation = WorkdayNation(follows_up.establishment.nation)
    return month_window(follows_up.ends_on, low, high, nation)


def entry_warnings(event: Event) -> dict[str, str]:
    """The 'normally' rules `event`'s dates (saved or not) break, by field: days on site on a
    bank holiday (WD-1); an IRP outside its 8 to 12 month window (WD-2). Empty when none."""
    establishment, starts_on, follows_up = event.establishment, event.starts_on, event.follows_up
    warnings: dict[str, str] = {}
    holidays_on_site = bank_holidays_on_site(establishment, starts_on, event.ends_on)
    if holidays_on_site:
        names = ", ".join(long_date(day) for day in holidays_on_site)
        warnings["starts_on"] = (
            f"{names} {'is a bank holiday' if len(holidays_on_site) == 1 else 'are bank holidays'}"
            f" in {_nation_name(establishment)}, on a day on site: a working day is Monday to "
            "Friday, not a bank holiday (WD-1). To go ahead, give the reason."
        )
    if event.kind == EventKind.IRP and follows_up is not None:
        opens, closes = irp_window(follows_up)
        if not opens <= starts_on <= closes:
            warnings["follows_up"] = (
                "An IRP takes place 8 to 12 months after the full inspection it follows up: "
                f"from {long_date(opens)} to {long_date(closes)} (WD-2). To go ahead, give the "
                "reason."
            )
    return warnings


def _overridden(warnings: Mapping[str, str], reason: str) -> str:
    """Refuse (OverrideNeeded) when rules warn and no reason is given; otherwise the note
    to keep with the record: what was overridden and why ('' when nothing was)."""
    if not warnings:
        return ""
    if not reason:
        raise _reason_needed(warnings)
    rules_broken = "; ".join(warnings.values()).replace(" To go ahead, give the reason.", "")
    return f"Went ahead although {lower_first(rules_broken)} Reason: {reason}"


def _with_reason(summary: str, reason: str) -> str:
    return f"{summary}. Reason: {reason}" if reason else summary


def _with_note(notes: str, note: str) -> str:
    return f"{notes}\n\n{note}".strip() if note else notes


def _clash(
    actor: User, establishment: Establishment, starts_on: date, ends_on: date, exclude: int | None
) -> str | None:
    """A message when another active event at the establishment overlaps these dates.

    Names the other event only to someone allowed to see it (PG-3)."""
    clashes = Event.objects.filter(
        establishment=establishment, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).exclude(status=EventStatus.CANCELLED)
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude)
    other = clashes.first()
    if other is None:
        return None
    if Event.objects.visible_to(actor).filter(pk=other.pk).exists():
        return (
            f"{establishment} already has a {lower_first(other.get_kind_display())} from "
            f"{long_date(other.starts_on)} to {long_date(other.ends_on)}: choose other dates"
        )
    return f"These dates overlap another event at {establishment}: choose other dates"


def _describe(event: Event) -> str:
    return (
        f"{event.get_kind_display()} of {event.establishment} from {long_date(event.starts_on)} "
        f"to {long_date(event.ends_on)}"
    )


def _event_url(event: Event) -> str:
    return reverse("programme:event-detail", kwargs={"pk": event.pk})


def _amend(
    *,
    actor: User,
    event: Event,
    summary: str,
    changes: Mapping[str, tuple[Any, Any]],
) -> Amendment | None:
    """Record a change to a confirmed programme and tell Ofsted's schedulers at once (PG-4).

    Nothing for a programme not yet confirmed: the draft is still being written.
    """
    programme = event.programme
    if not programme.is_confirmed:
        return None
    amendment = Amendment.objects.create(
        programme=programme,
        event=event,
        summary=summary[:300],
        changes={
            field: [_json(before), _json(after)] for field, (before, after) in changes.items()
        },
        made_by=actor,
    )
    # The wording is the administrator's programme amendment letter template.
    from inspectorate.reports.letters import programme_amendment_letter

    subject, body = programme_amendment_letter(amendment)
    notify(
        recipients=users_with_duty(Duty.SCHEDULES_OFSTED),
        subject=subject,
        body=body,
        url=_event_url(event),
    )
    return amendment


def _announcement(event: Event) -> tuple[str, str]:
    """What the establishment is told: an IRP in the words of the administrator's
    announcement letter template; other events in one line."""
    if event.kind == EventKind.IRP:
        from inspectorate.reports.letters import irp_announcement_letter

        return irp_announcement_letter(event)
    return f"{event.get_kind_display()} of {event.establishment}", f"{_describe(event)}."


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _tell_hmip(actor: User, event: Event, what: str) -> None:
    """PG-7: what the Ofsted scheduling team records is shared with HMI Prisons' coordinators."""
    if user_has_duty(actor, Duty.WRITES_PROGRAMME):
        return
    notify(
        recipients=users_with_duty(Duty.COORDINATES_PROGRAMME),
        subject=f"{event.get_kind_display()} of {event.establishment} {what} by Ofsted",
        body=f"{_describe(event)}: {what} by {actor} (PG-7).",
        url=_event_url(event),
    )


# Events: writes -------------------------------------------------------------------------


def _establishment_problem(kind: str, establishment: Establishment | None) -> str:
    if establishment is None:
        return "Select the establishment"
    if establishment.status == EstablishmentStatus.CLOSED:
        return closed_message(establishment)
    if kind in OFSTED_ONLY_KINDS and establishment.nation != Nation.ENGLAND:
        return (
            "Ofsted inspects education, skills and work in England only; in Wales the "
            "education inspectorate is Estyn (PG-10)"
        )
    return ""


def _follow_up_problems(
    *,
    kind: str,
    establishment: Establishment | None,
    starts_on: date | None,
    follows_up: Event | None,
    previous_education_judgement: str | None,
) -> dict[str, str]:
    """What is wrong with the inspection an IRP follows up and its previous judgement (PG-8)."""
    problems: dict[str, str] = {}
    if previous_education_judgement and (
        previous_education_judgement not in EducationJudgement.values
    ):
        problems["previous_education_judgement"] = "Select the judgement from the list"
    if kind != EventKind.IRP:
        if follows_up is not None:
            problems["follows_up"] = "Only an IRP follows up an earlier inspection"
        if previous_education_judgement:
            problems["previous_education_judgement"] = (
                "The previous education judgement is only for an IRP (PG-8)"
            )
    elif follows_up is not None and (
        problem := _irp_follow_up_problem(establishment, starts_on, follows_up)
    ):
        problems["follows_up"] = problem
    return problems


def _irp_follow_up_problem(
    establishment: Establishment | None, starts_on: date | None, follows_up: Event
) -> str:
    if follows_up.kind != EventKind.FULL_INSPECTION:
        return "An IRP follows up a full inspection"
    if establishment is not None and follows_up.establishment_id != establishment.pk:
        return (
            f"The inspection followed up must be of {establishment}, not of "
            f"{follows_up.establishment}"
        )
    if starts_on is not None and follows_up.ends_on >= starts_on:
        return "An IRP starts after the full inspection it follows up ends"
    return ""


def _scheduled_inspectorate(
    kind: str,
    establishment: Establishment,
    follows_up: Event | None,
    previous_education_judgement: str | None,
) -> str:
    """Which education inspectorate takes part in a new event (PG-8, PG-10), '' for none."""
    if kind == EventKind.IRP:
        judgement = previous_education_judgement or (
            selectors.education_judgement_at(follows_up) if follows_up else None
        )
        return irp_education_inspectorate(establishment, judgement)
    if kind in OFSTED_ONLY_KINDS:
        return "ofsted"
    found = education_inspectorate(establishment)
    return str(found.value) if found else ""


def _refuse_problems_or_clash(
    problems: dict[str, str],
    actor: User,
    establishment: Establishment,
    starts_on: date,
    ends_on: date,
    exclude: int | None,
) -> None:
    """Refuse (ValidationError) the problems found, or else a clash with another event."""
    if not problems:
        clash = _clash(actor, establishment, starts_on, ends_on, exclude=exclude)
        if clash:
            problems["starts_on"] = clash
    if problems:
        raise ValidationError(problems)


def event_schedule(
    *,
    actor: User,
    programme: Programme,
    kind: str,
    establishment: Establishment | None,
    starts_on: date | None,
    ends_on: date | None = None,
    education_week_starts_on: date | None = None,
    education_week_reason: str = "",
    follows_up: Event | None = None,
    previous_education_judgement: str | None = None,
    notes: str = "",
    override_reason: str = "",
) -> Event:
    """Put an event in the programme.

    A full inspection ends on the Friday of its second week and an IRP after three days,
    unless `ends_on` says otherwise; other kinds need `ends_on`. The education inspectorate
    is Ofsted in England and Estyn in Wales (PG-10): at a full inspection in the second week
    unless another week is agreed with a reason (PG-9); at an IRP only when the previous
    inspection's education, skills and work judgement was inadequate or requires improvement
    (PG-8). That judgement is `previous_education_judgement` when given, otherwise what
    `selectors.education_judgement_at(follows_up)` knows (nothing until the inspections issue
    records judgements). The Ofsted scheduling team records Ofsted standalone inspections and
    monitoring visits (PG-7).

    Days on site on a bank holiday (WD-1) and an IRP outside its 8 to 12 month window (WD-2)
    raise OverrideNeeded unless `override_reason` is given; it is kept in the notes.
    """
    require(actor, "programme.schedule_event", kind, "You cannot record this kind of event.")
    education_week_reason = (education_week_reason or "").strip()
    notes = (notes or "").strip()
    problems: dict[str, str] = {}
    if kind not in EventKind.values:
        problems["kind"] = "Select the kind of event"
    if problem := _establishment_problem(kind, establishment):
        problems["establishment"] = problem
    problems.update(
        _date_problems(programme=programme, kind=kind, starts_on=starts_on, ends_on=ends_on)
    )
    problems.update(
        _follow_up_problems(
            kind=kind,
            establishment=establishment,
            starts_on=starts_on,
            follows_up=follows_up,
            previous_education_judgement=previous_education_judgement,
        )
    )
    if problems or establishment is None or starts_on is None:
        raise ValidationError(problems)

    inspectorate = _scheduled_inspectorate(
        kind, establishment, follows_up, previous_education_judgement
    )
    week, week_reason = _education_week(
        kind=kind,
        inspectorate=inspectorate,
        starts_on=starts_on,
        week=education_week_starts_on,
        reason=education_week_reason,
        problems=problems,
    )
    ends = ends_on or default_ends_on(kind, starts_on, establishment)
    assert ends is not None  # _date_problems refused a missing end date
    _refuse_problems_or_clash(problems, actor, establishment, starts_on, ends, exclude=None)
    event = Event(
        kind=kind,
        establishment=establishment,
        starts_on=starts_on,
        ends_on=ends,
        education_inspectorate=inspectorate,
        education_week_starts_on=week,
        education_week_reason=week_reason,
        follows_up=follows_up,
    )
    override_note = _overridden(entry_warnings(event), (override_reason or "").strip())
    event.notes = _with_note(notes, override_note)

    with transaction.atomic():
        event.programme = locked(Programme, programme.pk, None)
        event.save(force_insert=True)
        _amend(
            actor=actor,
            event=event,
            summary=f"Added: {_describe(event)}",
            changes={
                "event": (None, _describe(event)),
                "starts_on": (None, event.starts_on),
                "ends_on": (None, event.ends_on),
                **({"override_reason": (None, override_note)} if override_note else {}),
            },
        )
        _tell_hmip(actor, event, "recorded")
        event_dates_changed.send(sender=Event, event=event, actor=actor)
    return event


def _locked_event(event: Event, version: int) -> Event:
    """The event locked for a change; refused when stale, cancelled or historical."""
    rows = Event.objects.select_related("programme", "establishment")
    current = locked(rows, event.pk, version, stale_wording)
    if current.status == EventStatus.CANCELLED:
        raise ValidationError(f"{current} is cancelled: it cannot be changed.")
    if current.historical:
        raise ValidationError(
            f"{current} is historical: it is recorded as it happened, not moved, cancelled "
            "or announced (HI-1)."
        )
    return current


def event_move(
    *,
    actor: User,
    event: Event,
    version: int,
    starts_on: date | None,
    ends_on: date | None = None,
    education_week_starts_on: date | None = None,
    education_week_reason: str | None = None,
    reason: str = "",
    override_reason: str = "",
) -> Event:
    """Move an event to new dates (and, for a full inspection, its education week).

    Without `ends_on`, the event keeps its length. Without an education week, one in the
    standard second week follows the move, and an agreed other week keeps its place relative
    to the start (PG-9). New dates on a bank holiday (WD-1) or outside an IRP's window (WD-2)
    raise OverrideNeeded unless `override_reason` is given.
    """
    require(actor, "programme.move_event", event, "You cannot move this event.")
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _locked_event(event, version)
        if starts_on is not None and ends_on is None:
            ends_on = starts_on + (current.ends_on - current.starts_on)
        problems = _date_problems(
            programme=current.programme, kind=current.kind, starts_on=starts_on, ends_on=ends_on
        )
        if problems or starts_on is None or ends_on is None:
            raise ValidationError(problems)
        week = education_week_starts_on
        week_reason = (
            current.education_week_reason
            if education_week_reason is None
            else education_week_reason.strip()
        )
        if week is None and current.education_week_starts_on is not None:
            week = current.education_week_starts_on + (starts_on - current.starts_on)
        week, week_reason = _education_week(
            kind=current.kind,
            inspectorate=current.education_inspectorate,
            starts_on=starts_on,
            week=week,
            reason=week_reason,
            problems=problems,
        )
        _refuse_problems_or_clash(
            problems, actor, current.establishment, starts_on, ends_on, exclude=current.pk
        )
        new = {
            "starts_on": starts_on,
            "ends_on": ends_on,
            "education_week_starts_on": week,
            "education_week_reason": week_reason,
        }
        changes = {
            field: (getattr(current, field), value)
            for field, value in new.items()
            if getattr(current, field) != value
        }
        if not changes:
            return current
        dates_moved = "starts_on" in changes or "ends_on" in changes
        before = _describe(current)
        for field, (_, value) in changes.items():
            setattr(current, field, value)
        override_note = ""
        if dates_moved:  # the 'normally' rules the event's new dates break
            override_note = _overridden(entry_warnings(current), (override_reason or "").strip())
        if override_note:
            current.notes = _with_note(current.notes, override_note)
            changes["override_reason"] = ("", override_note)
        saved(current)
        summary = (
            f"Moved: {before}, now from {long_date(starts_on)} to {long_date(ends_on)}"
            if dates_moved
            else f"Education week changed: {before}, Ofsted or Estyn now from "
            f"{long_date(week) if week else 'no week'}"
        )
        _amend(actor=actor, event=current, summary=_with_reason(summary, reason), changes=changes)
        _tell_hmip(actor, current, "moved")
        event_dates_changed.send(sender=Event, event=current, actor=actor)
    return current


def event_cancel(*, actor: User, event: Event, version: int, reason: str) -> Event:
    """Cancel an event, with the reason; a cancelled event stays in the programme's record."""
    require(actor, "programme.cancel_event", event, "You cannot cancel this event.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for cancelling the event"})
    with transaction.atomic():
        current = _locked_event(event, version)
        before = _describe(current)
        current.status = EventStatus.CANCELLED
        current.notes = f"{current.notes}\n\nCancelled: {reason}".strip()
        saved(current)
        _amend(
            actor=actor,
            event=current,
            summary=f"Cancelled: {before}. Reason: {reason}",
            changes={"status": (EventStatus.PLANNED.value, EventStatus.CANCELLED.value)},
        )
        _tell_hmip(actor, current, "cancelled")
    return current


IRP_ANNOUNCED_RULE = "irp_announced"  # the milestone rule of the IRP's announcement (PG-3)


def irp_latest_announcement(starts_on: date, nation: str) -> date:
    """The last day to announce an IRP starting on `starts_on` in `nation` (PG-3): three
    calendar months ahead, moved back to the previous working day of the nation when that
    is not one (WD-1, WD-2). It is the due date of the IRP's announcement milestone, computed
    by the same engine from the same rule, so the two always agree."""
    rule = rule_for(IRP_ANNOUNCED_RULE)
    assert rule is not None, f"the milestone rule {IRP_ANNOUNCED_RULE!r} is not in the rules file"
    assert rule.offset.amount == IRP_NOTICE_MONTHS
    return due_date(rule, starts_on, WorkdayNation(nation)).due_on


def event_announce(
    *,
    actor: User,
    event: Event,
    version: int,
    announced_on: date | None = None,
    override_reason: str = "",
) -> Event:
    """Tell the establishment of an event: from `announced_on` its dates are no longer
    confidential to them (PG-3).

    An IRP is announced at least three months ahead, normally: later than that raises
    OverrideNeeded unless `override_reason` is given, which is kept with the event.
    When the announcement is today or earlier, the establishment's users are notified.
    """
    require(actor, "programme.change_event", event, "You cannot announce this event.")
    _require_visible(actor, event)
    override_reason = (override_reason or "").strip()
    announced_on = announced_on or today()
    with transaction.atomic():
        current = _locked_event(event, version)
        if current.announced_on is not None:
            raise ValidationError(
                {"announced_on": f"It was already announced on {long_date(current.announced_on)}"}
            )
        if announced_on > current.starts_on:
            raise ValidationError(
                {
                    "announced_on": "Announcement date must be on or before the start date, "
                    f"{long_date(current.starts_on)}"
                }
            )
        latest = irp_latest_announcement(current.starts_on, current.establishment.nation)
        late = current.kind == EventKind.IRP and announced_on > latest
        if late and not override_reason:
            raise _reason_needed(
                {
                    "announced_on": f"An IRP is normally announced at least three months "
                    f"ahead: by {long_date(latest)} for one starting "
                    f"{long_date(current.starts_on)}. To announce it later, give the reason."
                }
            )
        current.announced_on = announced_on
        if late:
            current.notes = (
                f"{current.notes}\n\nAnnounced with less than three months' notice: "
                f"{override_reason}"
            ).strip()
        saved(current)
        changes: dict[str, tuple[Any, Any]] = {"announced_on": (None, announced_on)}
        if late:
            changes["override_reason"] = (None, override_reason)
        _amend(
            actor=actor,
            event=current,
            summary=f"Announced on {long_date(announced_on)}: {_describe(current)}",
            changes=changes,
        )
        _tell_hmip(actor, current, "announced")
        if announced_on <= today():
            subject, body = _announcement(current)
            notify(
                recipients=User.objects.filter(establishment=current.establishment, is_active=True),
                subject=subject,
                body=body,
                url=_event_url(current),
            )
    return current
