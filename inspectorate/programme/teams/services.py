"""Every write about event teams: adding and removing members, and keeping their bookings
in step with the event.

A refusal names the rule and the clash in words: vetting (TM-1), conflicts of interest
(TM-2), one education lead inspector (TM-3), double booking and leave (TM-5). Rules that
hold "normally" — Ofsted's week (PG-9), the site's on-site maximum (PG-11) and the probation
team size (PG-13) — are warnings: the change goes ahead only with a recorded reason
(`OverrideNeeded` until one is given).

Each member's days are booked through `inspectors.services.inspector_book`, so the database's
exclusion constraint, not a check in Python, has the last word on double booking.

Adding or removing a member is a change to the event: it bumps the event's `version` under
the event's row lock, so a client holding an older version (the API's If-Match) is refused
(`StaleVersion`) rather than changing a team it has not seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import receiver

from inspectorate.accounts.permissions import require, user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.estate.constants import EstablishmentKind, SecurityCategory
from inspectorate.estate.models import Establishment
from inspectorate.estate.policy import exceeds_on_site_maximum, probation_team_size_bounds
from inspectorate.inspectors.constants import BookingKind, Clearance, Grade, Organisation
from inspectorate.inspectors.models import Inspector, InspectorBooking
from inspectorate.inspectors.selectors import bookings_overlapping, conflicts_with
from inspectorate.inspectors.services import _book, inspector_book, inspector_booking_release
from inspectorate.lib import versions
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.wording import long_date
from inspectorate.programme.constants import EventKind, EventStatus, TeamRole
from inspectorate.programme.models import Event, TeamMember
from inspectorate.programme.services import stale_wording
from inspectorate.programme.signals import event_dates_changed, team_changed

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

EDUCATION_ORGANISATIONS = frozenset({Organisation.OFSTED, Organisation.ESTYN})
CUSTODIAL_KINDS = frozenset(
    {
        EstablishmentKind.PRISON,
        EstablishmentKind.YOUNG_OFFENDER_INSTITUTION,
        EstablishmentKind.SECURE_TRAINING_CENTRE,
        EstablishmentKind.IMMIGRATION_REMOVAL_CENTRE,
    }
)
# Events HMI Prisons leads: they need an HMI Prisons team leader.
HMIP_LED_KINDS = frozenset({EventKind.FULL_INSPECTION, EventKind.IRP})
EDUCATION_WEEK_DAYS = 5  # Monday to Friday (PG-9)

RULE_TITLES = {
    "TM-1": "vetting",
    "TM-2": "conflict of interest",
    "TM-3": "one lead inspector for education",
    "TM-5": "double booking and leave",
    "PG-9": "the education inspectorate's week",
    "PG-10": "the education inspectorate",
    "PG-11": "inspectors on site",
    "PG-13": "probation team size",
}


def rule_message(rule: str, text: str) -> str:
    """'TM-5 (double booking and leave): Jo Bloggs is already booked ...'."""
    return f"{rule} ({RULE_TITLES[rule]}): {text}"


# Who manages which places ----------------------------------------------------------------
# HMI Prisons places (the team leader, HMI Prisons and partner specialist members) and
# Ofsted and Estyn places (the education lead inspector and education inspectors) are
# managed by different people: `programme.manage_place` in programme/rules.py.


class Place(NamedTuple):
    """A place on a team, filled or not: the object of `programme.manage_place`."""

    inspector: Inspector | None
    role: TeamRole | str


def is_education_place(inspector: Inspector | None, role: TeamRole | str) -> bool:
    """An Ofsted or Estyn place: the lead inspector for education, or an education inspector."""
    if role == TeamRole.OFSTED_LEAD:
        return True
    return inspector is not None and inspector.organisation in EDUCATION_ORGANISATIONS


def manageable_organisations(user: Any, event: Event) -> list[str]:
    """The organisations whose inspectors `user` may put on `event`'s team."""
    organisations: list[str] = []
    if user_has_duty(user, Duty.MANAGES_HMIP_PLACES):
        organisations += [
            Organisation.HMI_PRISONS.value,
            Organisation.CQC.value,
            Organisation.GPHC.value,
        ]
    if user_has_duty(user, Duty.MANAGES_EDUCATION_PLACES) and event.education_inspectorate:
        organisations.append(event.education_inspectorate)
    return organisations


def manageable_roles(user: Any, event: Event) -> list[TeamRole]:
    """The roles `user` may fill on `event`'s team."""
    roles: list[TeamRole] = []
    hmip = user_has_duty(user, Duty.MANAGES_HMIP_PLACES)
    education = user_has_duty(user, Duty.MANAGES_EDUCATION_PLACES)
    if hmip:
        roles.append(TeamRole.TEAM_LEADER)
    if education and event.education_inspectorate:
        roles.append(TeamRole.OFSTED_LEAD)
    if hmip or (education and event.education_inspectorate):
        roles += [TeamRole.INSPECTOR, TeamRole.SPECIALIST]
    return roles


def lead_role_label(event: Event) -> str:
    """'Ofsted lead inspector' or 'Estyn lead inspector' (TM-3, PG-10)."""
    if event.education_inspectorate == Organisation.ESTYN:
        return "Estyn lead inspector"
    return str(TeamRole.OFSTED_LEAD.label)


def role_label(event: Event, role: TeamRole | str) -> str:
    if role == TeamRole.OFSTED_LEAD:
        return lead_role_label(event)
    return str(TeamRole(role).label)


def _place_refusal(inspector: Inspector | None, role: TeamRole | str) -> str:
    """Why someone without `programme.manage_place` may not change this place."""
    if is_education_place(inspector, role):
        return (
            "Only the Ofsted scheduling team or the HMI Prisons coordinator can change "
            "Ofsted and Estyn places on a team."
        )
    return (
        "Only the HMI Prisons coordinator, a team leader or a system administrator can change "
        "HMI Prisons places on a team."
    )


def _require_visible(actor: User, event: Event) -> None:
    if not Event.objects.visible_to(actor).filter(pk=event.pk).exists():
        raise PermissionDenied("You cannot change this event's team.")


def _locked_event(actor: User, pk: int, version: int | None) -> Event:
    """Event `pk`, locked: one change to a team at a time, so the on-site count (PG-11) and
    the event's version stay true. Refused when `actor` may not see it, or when `version`
    (the one the caller read; None: not checked) is no longer the event's."""
    event = versions.locked(Event.objects.select_related("establishment"), pk, None)
    _require_visible(actor, event)
    versions.check_version(event, version, stale_wording)
    return event


# Days, vetting, the site -----------------------------------------------------------------


def clearance_needed(establishment: Establishment) -> Clearance:
    """The security clearance an inspector needs on site (TM-1): a counter-terrorist check
    in custody, a security check in a high-security (category A) prison, none elsewhere."""
    if establishment.kind not in CUSTODIAL_KINDS:
        return Clearance.NONE
    if establishment.security_category == SecurityCategory.CATEGORY_A:
        return Clearance.SC
    return Clearance.CTC


def education_week(event: Event) -> tuple[date, date]:
    """The week Ofsted (or Estyn) attends a full inspection (PG-9): the event's recorded
    education week, else the second week; Monday to Friday, within the event."""
    first = event.education_week_starts_on
    if first is None:
        first = event.starts_on + timedelta(days=7)
        if first > event.ends_on:
            first = event.starts_on
    first = max(first, event.starts_on)
    last = min(first + timedelta(days=EDUCATION_WEEK_DAYS - 1), event.ends_on)
    return first, max(first, last)


def default_days(event: Event, inspector: Inspector) -> tuple[date, date]:
    """Ofsted and Estyn members of a full inspection: the education week (PG-9); everyone
    else, and every other kind of event: the whole event."""
    education = inspector.organisation == event.education_inspectorate and (
        inspector.organisation in EDUCATION_ORGANISATIONS
    )
    if education and event.kind == EventKind.FULL_INSPECTION:
        return education_week(event)
    return event.starts_on, event.ends_on


def days_on_site(members: Iterable[tuple[date, date]], first: date, last: date) -> int:
    """The most members on site on any one day from `first` to `last` (PG-11)."""
    spans = list(members)
    peak, day = 0, first
    while day <= last:
        peak = max(peak, sum(1 for start, end in spans if start <= day <= end))
        day += timedelta(days=1)
    return peak


def on_site_peak(event: Event, members: Iterable[TeamMember]) -> int:
    return days_on_site(((m.starts_on, m.ends_on) for m in members), event.starts_on, event.ends_on)


def is_probation_event(event: Event) -> bool:
    establishment = event.establishment
    return (
        establishment.kind == EstablishmentKind.PROBATION_AREA
        and establishment.probation_group is not None
    )


def _is_education_member(event: Event, member: TeamMember) -> bool:
    return member.role == TeamRole.OFSTED_LEAD or (
        member.inspector.organisation in EDUCATION_ORGANISATIONS
        and member.inspector.organisation == event.education_inspectorate
    )


def education_member_count(event: Event, members: Iterable[TeamMember]) -> int:
    return sum(1 for member in members if _is_education_member(event, member))


def booking_label(event: Event) -> str:
    """What the inspector's calendar says. An unannounced event's establishment stays out of
    it, and the booking itself shows only to those who may see the event (PG-3)."""
    kind = event.get_kind_display()
    if event.is_confidential():
        return f"{kind} (unannounced: see the programme)"
    return f"{kind} of {event.establishment.name}"


def _days_text(first: date, last: date) -> str:
    if first == last:
        return long_date(first)
    return f"{long_date(first)} to {long_date(last)}"


# Checks -----------------------------------------------------------------------------------


def _role_refusals(
    event: Event, inspector: Inspector, role: TeamRole, team: Sequence[TeamMember]
) -> list[str]:
    organisation = Organisation(inspector.organisation)
    refusals: list[str] = []
    if role == TeamRole.TEAM_LEADER:
        refusals += _team_leader_refusals(inspector, organisation, team)
    elif role == TeamRole.OFSTED_LEAD:
        refusals += _education_lead_refusals(event, inspector, organisation, team)
    if role != TeamRole.OFSTED_LEAD and organisation in EDUCATION_ORGANISATIONS:
        refusals += _education_member_refusals(event, inspector, organisation)
    return refusals


def _team_leader_refusals(
    inspector: Inspector, organisation: Organisation, team: Sequence[TeamMember]
) -> list[str]:
    refusals: list[str] = []
    if organisation != Organisation.HMI_PRISONS or inspector.grade != Grade.HMIP_TEAM_LEADER:
        refusals.append(
            f"{inspector.name} is not an HMI Prisons team leader, so cannot lead the team."
        )
    leaders = [m for m in team if m.role == TeamRole.TEAM_LEADER]
    if leaders:
        refusals.append(
            f"The team already has an HMI Prisons team leader, {leaders[0].inspector.name}. "
            "Remove them first."
        )
    return refusals


def _education_lead_refusals(
    event: Event, inspector: Inspector, organisation: Organisation, team: Sequence[TeamMember]
) -> list[str]:
    """TM-3: the lead inspector for education comes from the event's education inspectorate,
    one an event."""
    education = event.education_inspectorate
    refusals: list[str] = []
    if not education:
        refusals.append(
            "no education inspectorate takes part in this event, so it has no lead "
            "inspector for education."
        )
    elif organisation != education:
        refusals.append(
            f"the {lead_role_label(event)} comes from "
            f"{Organisation(education).label}; {inspector.name} is from "
            f"{organisation.label}."
        )
    leads = [m for m in team if m.role == TeamRole.OFSTED_LEAD]
    if leads:
        refusals.append(
            f"the event already has an {lead_role_label(event)}, "
            f"{leads[0].inspector.name}. Remove them first."
        )
    return [rule_message("TM-3", refusal) for refusal in refusals]


def _education_member_refusals(
    event: Event, inspector: Inspector, organisation: Organisation
) -> list[str]:
    """PG-10: an education inspector joins only an event their inspectorate takes part in."""
    education = event.education_inspectorate
    if not education:
        return [
            rule_message(
                "PG-10",
                f"{organisation.label} does not take part in this event, so "
                f"{inspector.name} cannot join its team.",
            )
        ]
    if organisation != education:
        return [
            rule_message(
                "PG-10",
                f"education at {event.establishment.name} is inspected by "
                f"{Organisation(education).label}, not {organisation.label}.",
            )
        ]
    return []


def vetting_messages(inspector: Inspector, first: date, last: date, needed: Clearance) -> list[str]:
    """Why `inspector`'s vetting does not cover `first` to `last` at clearance `needed` (TM-1)."""
    return [
        rule_message("TM-1", reason)
        for reason in inspector.vetting_valid_throughout(first, last, needed).reasons
    ]


def clash_messages(inspector: Inspector, bookings: Iterable[InspectorBooking]) -> list[str]:
    """`inspector`'s `bookings` that clash with the days asked for, one message each (TM-5)."""
    return [rule_message("TM-5", booking.clash_message(inspector.name)) for booking in bookings]


class Joining(NamedTuple):
    """`inspector` joining `event`'s `team` (its members now) as `role`, on site from
    `first` to `last`."""

    event: Event
    inspector: Inspector
    role: TeamRole
    first: date
    last: date
    team: Sequence[TeamMember]


def member_refusals(joining: Joining) -> list[str]:
    """Why the inspector cannot join the event's team as the role on those days, each
    message naming its rule; empty when they can. Three queries."""
    event, inspector, role, first, last, team = joining
    refusals: list[str] = []
    if event.status == EventStatus.CANCELLED:
        refusals.append("This event is cancelled, so its team cannot change.")
    # A historical team is recorded as it was (HI-1): someone since retired was on it, and
    # vetting on the day is a planning rule, not a fact to check afterwards.
    if not inspector.active and not event.historical:
        refusals.append(f"{inspector.name} is no longer an active inspector.")
    if any(member.inspector_id == inspector.pk for member in team):
        refusals.append(f"{inspector.name} is already on this team.")
    refusals += _role_refusals(event, inspector, role, team)
    if not event.historical:
        refusals += vetting_messages(inspector, first, last, clearance_needed(event.establishment))
    for conflict in conflicts_with(
        inspector, event.establishment, (event.starts_on, event.ends_on)
    ):
        refusals.append(
            rule_message(
                "TM-2",
                f"{inspector.name} has declared a conflict of interest with {conflict.subject} "
                f"from {long_date(conflict.starts_on)}: {conflict.reason}",
            )
        )
    refusals += clash_messages(inspector, bookings_overlapping(inspector, first, last))
    return refusals


def member_warnings(joining: Joining) -> list[str]:
    """The 'normally' rules adding this member would set aside (PG-9, PG-11, PG-13); each
    needs a recorded reason. No queries. None for a historical event: it happened (HI-1)."""
    event, inspector, role, first, last, team = joining
    warnings: list[str] = []
    if event.historical:
        return warnings
    education = inspector.organisation == event.education_inspectorate or (
        role == TeamRole.OFSTED_LEAD
    )
    if education and event.kind == EventKind.FULL_INSPECTION:
        week_first, week_last = education_week(event)
        if first < week_first or last > week_last:
            warnings.append(
                rule_message(
                    "PG-9",
                    f"{inspector.name} would be on site {_days_text(first, last)}, outside "
                    f"the education week ({_days_text(week_first, week_last)}). Another week "
                    "needs HMI Prisons' agreement.",
                )
            )
    spans = [(m.starts_on, m.ends_on) for m in team] + [(first, last)]
    peak = days_on_site(spans, event.starts_on, event.ends_on)
    on_site = exceeds_on_site_maximum(event.establishment, peak)
    if on_site:
        warnings.append(rule_message("PG-11", on_site))
    if is_probation_event(event) and education:
        group = event.establishment.probation_group
        assert group is not None
        _fewest, most = probation_team_size_bounds(group)
        count = education_member_count(event, team) + 1
        if most is not None and count > most:
            warnings.append(
                rule_message(
                    "PG-13",
                    f"a probation group {group} inspection has at most {most} "
                    f"{Organisation(event.education_inspectorate or inspector.organisation).label} "
                    f"inspectors; this would make {count}.",
                )
            )
    return warnings


def _member_days(
    event: Event, inspector: Inspector, starts_on: date | None, ends_on: date | None
) -> tuple[date, date]:
    first, last = default_days(event, inspector)
    first, last = starts_on or first, ends_on or last
    errors: dict[str, str] = {}
    if first < event.starts_on or first > event.ends_on:
        errors["starts_on"] = (
            f"The first day must be within the event, from {long_date(event.starts_on)} "
            f"to {long_date(event.ends_on)}"
        )
    if last < event.starts_on or last > event.ends_on:
        errors["ends_on"] = (
            f"The last day must be within the event, from {long_date(event.starts_on)} "
            f"to {long_date(event.ends_on)}"
        )
    if not errors and last < first:
        errors["ends_on"] = "The last day must be the same as or after the first day"
    if errors:
        raise ValidationError(errors)
    return first, last


def _integrity_message(error: IntegrityError, event: Event, inspector: Inspector) -> str:
    diag = getattr(error.__cause__, "diag", None)
    constraint = str(getattr(diag, "constraint_name", "") or "")
    if constraint == "one_ofsted_lead_per_event":
        return rule_message(
            "TM-3",
            f"someone else named the {lead_role_label(event)} at the same moment. "
            "Reload the page to see who.",
        )
    if constraint == "one_team_leader_per_event":
        return "Someone else named the team leader at the same moment. Reload the page to see who."
    if constraint == "one_place_per_inspector":
        return f"{inspector.name} was added to this team by someone else at the same moment."
    raise error


# The services -----------------------------------------------------------------------------


def team_member_add(
    *,
    actor: User,
    event: Event,
    inspector: Inspector,
    role: TeamRole | str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    override_reason: str = "",
    version: int | None = None,
) -> TeamMember:
    """Put `inspector` on `event`'s team as `role`, booking their days.

    Days default to the whole event, or for Ofsted and Estyn members of a full inspection to
    the education week (PG-9). Refused with a ValidationError naming each rule broken (TM-1,
    TM-2, TM-3, TM-5, and the role's fit); OverrideNeeded when a 'normally' rule (PG-9,
    PG-11, PG-13) would be set aside and no `override_reason` is given; StaleVersion when
    `version` is given and the event has changed since. Bumps the event's version (the
    new member's `event` carries it) and sends team_changed.
    """
    try:
        role = TeamRole(role)
    except ValueError:
        raise ValidationError({"role": "Select the role on the team"}) from None
    require(
        actor,
        "programme.manage_place",
        Place(inspector, role),
        message=_place_refusal(inspector, role),
    )
    reason = override_reason.strip()
    with transaction.atomic():
        locked = _locked_event(actor, event.pk, version)
        first, last = _member_days(locked, inspector, starts_on, ends_on)
        team = list(TeamMember.objects.filter(event=locked).select_related("inspector"))
        joining = Joining(locked, inspector, role, first, last, team)
        refusals = member_refusals(joining)
        if refusals:
            raise ValidationError(refusals, code="refused")
        warnings = member_warnings(joining)
        if warnings and not reason:
            raise OverrideNeeded(warnings)
        booking = None
        try:
            # A historical team books no days (HI-1): calendars and TM-5 look ahead, and
            # the member may since have retired.
            if not locked.historical:
                booking = _book_days(actor, inspector, locked, first, last)
        except ValidationError as error:  # the database saw a clash the check did not
            raise ValidationError(
                [rule_message("TM-5", message) for message in error.messages], code="refused"
            ) from None
        try:
            with transaction.atomic():
                member = TeamMember.objects.create(
                    event=locked,
                    inspector=inspector,
                    role=role,
                    starts_on=first,
                    ends_on=last,
                    booking=booking,
                    override_reason=reason if warnings else "",
                )
        except IntegrityError as error:
            raise ValidationError(
                _integrity_message(error, locked, inspector), code="refused"
            ) from None
        versions.saved(locked)  # a change to the team is a change to the event
        team_changed.send(sender=TeamMember, event=locked, actor=actor)
    return member


def team_member_remove(*, actor: User, member: TeamMember, version: int | None = None) -> Event:
    """Take `member` off the team and release their booking. StaleVersion when `version` is
    given and the event has changed since. Bumps the event's version and sends team_changed;
    returns the event as now saved."""
    require(
        actor,
        "programme.manage_place",
        member,
        message=_place_refusal(member.inspector, member.role),
    )
    with transaction.atomic():
        locked = _locked_event(actor, member.event_id, version)
        current = (
            TeamMember.objects.select_for_update(of=("self",))
            .select_related("inspector", "booking")
            .filter(pk=member.pk)
            .first()
        )
        if current is None:
            raise ValidationError(
                f"{member.inspector.name} is no longer on this team: someone else removed them."
            )
        booking = current.booking
        current.delete()
        if booking is not None:
            inspector_booking_release(actor=actor, booking=booking)
        versions.saved(locked)  # a change to the team is a change to the event
        team_changed.send(sender=TeamMember, event=locked, actor=actor)
    return locked


def _release(actor: User | None, booking: InspectorBooking) -> None:
    if actor is None:  # the system itself (a command, a task): no one's permission to check
        InspectorBooking.objects.filter(pk=booking.pk).delete()
    else:
        inspector_booking_release(actor=actor, booking=booking)


def _book_days(
    actor: User | None, inspector: Inspector, event: Event, first: date, last: date
) -> InspectorBooking:
    """Book `inspector`'s days on `event`'s team, `first` to `last`, as `actor`."""
    if actor is None:  # as above; the exclusion constraint still decides (TM-5)
        return _book(
            inspector=inspector,
            starts_on=first,
            ends_on=last,
            label=booking_label(event),
            kind=BookingKind.BOOKING,
            source=event,
        )
    return inspector_book(
        actor=actor,
        inspector=inspector,
        starts_on=first,
        ends_on=last,
        label=booking_label(event),
        source=event,
    )


def team_follow_event(*, actor: User | None, event: Event) -> int:
    """After the event's dates or kind change, move each member to their default days for
    the event as it now is, and move their bookings with them (TM-5): a clash refuses the
    whole change, naming it. Returns how many members moved; writes nothing when none.

    Called inside the event service's transaction (through `event_dates_changed`), with the
    event already saved and locked. Custom days are reset to the default. With no `actor`
    (the system itself) the bookings are moved without a permission check."""
    with transaction.atomic():
        members = list(
            TeamMember.objects.select_for_update(of=("self",))
            .filter(event=event)
            .select_related("inspector", "booking")
            .order_by("pk")
        )
        moves = []
        for member in members:
            first, last = default_days(event, member.inspector)
            if (member.starts_on, member.ends_on) != (first, last):
                moves.append((member, first, last))
        if not moves:
            return 0
        for member, _first, _last in moves:
            if member.booking is not None:
                _release(actor, member.booking)
                member.booking = None
        for member, first, last in moves:
            try:
                member.booking = _book_days(actor, member.inspector, event, first, last)
            except ValidationError as error:
                raise ValidationError(
                    [
                        rule_message("TM-5", f"the team cannot move with the event. {message}")
                        for message in error.messages
                    ],
                    code="refused",
                ) from None
            member.starts_on, member.ends_on = first, last
            member.save(update_fields=["starts_on", "ends_on", "booking"])
        return len(moves)


def team_bookings_release(*, actor: User, event: Event) -> int:
    """When an event is cancelled: free every member's days in their calendars (TM-5). The
    team stays on the record of the event. Returns how many bookings were released."""
    with transaction.atomic():
        members = list(
            TeamMember.objects.select_for_update(of=("self",))
            .filter(event=event, booking__isnull=False)
            .select_related("inspector", "booking")
            .order_by("pk")
        )
        for member in members:
            assert member.booking is not None
            inspector_booking_release(actor=actor, booking=member.booking)
        return len(members)


@receiver(event_dates_changed, dispatch_uid="programme.teams_follow_event_dates")
def _teams_follow_event_dates(
    sender: Any, *, event: Event, actor: User | None = None, **kwargs: Any
) -> None:
    team_follow_event(actor=actor, event=event)
