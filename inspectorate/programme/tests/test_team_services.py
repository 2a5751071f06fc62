"""Adding and removing team members: the checks (TM-1, TM-2, TM-3, TM-5), the warnings that
need a reason (PG-9, PG-11, PG-13), the bookings, the permissions and the signal."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.estate.models import Provider, ProviderContract
from inspectorate.inspectors.constants import Clearance, Grade, Organisation, UnavailabilityKind
from inspectorate.inspectors.models import InspectorBooking
from inspectorate.inspectors.services import conflict_declare, unavailability_add
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.programme.constants import EventKind, EventStatus, TeamRole
from inspectorate.programme.models import TeamMember
from inspectorate.programme.signals import team_changed
from inspectorate.programme.teams.services import (
    clearance_needed,
    team_bookings_release,
    team_follow_event,
    team_member_add,
    team_member_remove,
)
from inspectorate.programme.tests.test_team_helpers import (
    EDUCATION_WEEK,
    FULL_END,
    FULL_START,
    make_establishment,
    make_event,
    make_inspector,
    make_leader,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def event(db):
    return make_event()


@pytest.fixture
def signals():
    sent: list[dict] = []

    def record(sender, **kwargs):
        sent.append(kwargs)

    team_changed.connect(record, dispatch_uid="test_team_changed")
    yield sent
    team_changed.disconnect(dispatch_uid="test_team_changed")


def _add(actor, event, inspector, role=TeamRole.INSPECTOR, **kwargs):
    return team_member_add(actor=actor, event=event, inspector=inspector, role=role, **kwargs)


def test_a_team_leader_is_booked_for_the_whole_event(coordinator, event, signals) -> None:
    leader = make_leader("Martin Lomax")
    member = _add(coordinator, event, leader, TeamRole.TEAM_LEADER)
    assert (member.starts_on, member.ends_on) == (FULL_START, FULL_END)
    booking = member.booking
    assert booking is not None
    assert (booking.inspector, booking.starts_on, booking.ends_on) == (leader, FULL_START, FULL_END)
    assert booking.source_type == ContentType.objects.get_for_model(event)
    assert booking.source_id == event.pk
    # The event is unannounced: the inspector's calendar does not name the prison (PG-3).
    assert "Leeds" not in booking.label
    assert booking.label == "Full inspection (unannounced: see the programme)"
    assert signals == [{"event": event, "actor": coordinator, "signal": team_changed}]


def test_an_announced_events_booking_names_the_establishment(coordinator) -> None:
    event = make_event(announced_on=date(2026, 1, 5))
    member = _add(coordinator, event, make_inspector())
    assert member.booking.label == "Full inspection of HMP Leeds"


@pytest.mark.rule("PG-9")
def test_ofsted_members_of_a_full_inspection_default_to_the_education_week(
    coordinator, event
) -> None:
    lead = _add(
        coordinator, event, make_inspector(organisation=Organisation.OFSTED), TeamRole.OFSTED_LEAD
    )
    assert (lead.starts_on, lead.ends_on) == EDUCATION_WEEK
    assert (lead.booking.starts_on, lead.booking.ends_on) == EDUCATION_WEEK
    hmip = _add(coordinator, event, make_inspector())
    assert (hmip.starts_on, hmip.ends_on) == (FULL_START, FULL_END)


@pytest.mark.rule("PG-9")
def test_an_agreed_other_week_is_followed(coordinator) -> None:
    event = make_event(
        education_week_starts_on=FULL_START, education_week_reason="No HMI free in week two."
    )
    member = _add(coordinator, event, make_inspector(organisation=Organisation.OFSTED))
    assert (member.starts_on, member.ends_on) == (FULL_START, date(2027, 6, 11))


@pytest.mark.rule("PG-9")
def test_ofsted_at_an_irp_is_there_for_the_whole_irp(coordinator) -> None:
    irp = make_event(kind=EventKind.IRP, starts_on=date(2027, 9, 7))
    member = _add(coordinator, irp, make_inspector(organisation=Organisation.OFSTED))
    assert (member.starts_on, member.ends_on) == (date(2027, 9, 7), date(2027, 9, 9))


@pytest.mark.rule("PG-9")
def test_ofsted_days_outside_the_education_week_need_a_reason(coordinator, event) -> None:
    ofsted = make_inspector("Ola Early", organisation=Organisation.OFSTED)
    with pytest.raises(OverrideNeeded) as warning:
        _add(coordinator, event, ofsted, starts_on=FULL_START, ends_on=date(2027, 6, 11))
    assert warning.value.warnings == [
        "PG-9 (the education inspectorate's week): Ola Early would be on site 7 June 2027 to "
        "11 June 2027, outside the education week (14 June 2027 to 18 June 2027). Another "
        "week needs HMI Prisons' agreement."
    ]
    assert not TeamMember.objects.exists()
    member = _add(
        coordinator,
        event,
        ofsted,
        starts_on=FULL_START,
        ends_on=date(2027, 6, 11),
        override_reason="Agreed with the team leader: the HMI is on leave in week two.",
    )
    assert member.override_reason.startswith("Agreed with the team leader")


@pytest.mark.rule("TM-1")
def test_a_dbs_check_expiring_during_the_event_is_refused(coordinator, event) -> None:
    lapsing = make_inspector("Lou Lapsing", dbs_renewal_due_on=date(2027, 6, 10))
    links = ChainLink.objects.count()
    with pytest.raises(ValidationError) as error:
        _add(coordinator, event, lapsing)
    assert error.value.messages == [
        "TM-1 (vetting): Lou Lapsing's DBS check is valid only until 10 June 2027, "
        "before the last day (18 June 2027)."
    ]
    assert not TeamMember.objects.exists()
    assert not InspectorBooking.objects.exists()
    assert ChainLink.objects.count() == links


@pytest.mark.rule("TM-1")
def test_an_ofsted_member_needs_the_check_only_for_their_own_days(coordinator, event) -> None:
    # Valid through the education week: the first week does not matter to them.
    ofsted = make_inspector(
        organisation=Organisation.OFSTED,
        dbs_checked_on=date(2027, 6, 14),
        dbs_renewal_due_on=date(2030, 6, 14),
    )
    assert _add(coordinator, event, ofsted).starts_on == EDUCATION_WEEK[0]


@pytest.mark.rule("TM-1")
def test_no_dbs_check_and_too_little_clearance_are_refused(coordinator) -> None:
    category_a = make_establishment("FM", "HMP Frankland", security_category="a")
    event = make_event(category_a)
    assert clearance_needed(category_a) == Clearance.SC
    unchecked = make_inspector(
        "Nat None",
        dbs_level="none",
        dbs_checked_on=None,
        dbs_renewal_due_on=None,
        clearance=Clearance.CTC,
    )
    with pytest.raises(ValidationError) as error:
        _add(coordinator, event, unchecked)
    assert error.value.messages == [
        "TM-1 (vetting): Nat None has no enhanced DBS check recorded.",
        "TM-1 (vetting): Nat None needs Security check (SC) clearance but holds "
        "Counter-terrorist check (CTC).",
    ]
    # A category B prison needs a counter-terrorist check only.
    assert clearance_needed(make_establishment()) == Clearance.CTC
    ctc = make_inspector(clearance=Clearance.CTC)
    assert _add(coordinator, make_event(), ctc).inspector == ctc


@pytest.mark.rule("TM-2")
def test_a_conflict_with_the_establishment_is_refused(coordinator, event) -> None:
    inspector = make_inspector("Cal Conflicted")
    conflict_declare(
        actor=coordinator,
        inspector=inspector,
        establishment=event.establishment,
        starts_on=date(2024, 1, 1),
        reason="Worked in the prison's reception until 2024.",
    )
    with pytest.raises(ValidationError) as error:
        _add(coordinator, event, inspector)
    assert error.value.messages == [
        "TM-2 (conflict of interest): Cal Conflicted has declared a conflict of interest with "
        "HMP Leeds from 1 January 2024: Worked in the prison's reception until 2024."
    ]
    assert not TeamMember.objects.exists()


@pytest.mark.rule("TM-2")
def test_a_conflict_with_a_provider_there_is_refused(coordinator, event) -> None:
    provider = Provider.objects.create(name="Novus")
    ProviderContract.objects.create(
        establishment=event.establishment,
        provider=provider,
        service="education",
        starts_on=date(2020, 4, 1),
    )
    inspector = make_inspector("Pia Provider", organisation=Organisation.OFSTED)
    conflict_declare(
        actor=coordinator,
        inspector=inspector,
        provider=provider,
        starts_on=date(2023, 9, 1),
        reason="Curriculum manager at Novus until 2023.",
    )
    with pytest.raises(ValidationError, match=r"^\['TM-2 \(conflict of interest\): Pia Provider"):
        _add(coordinator, event, inspector, TeamRole.OFSTED_LEAD)


@pytest.mark.rule("TM-3")
def test_one_ofsted_lead_per_event(coordinator, event) -> None:
    _add(coordinator, event, make_inspector("Helen Marsh", Organisation.OFSTED), "ofsted_lead")
    second = make_inspector("Sam Second", Organisation.OFSTED)
    with pytest.raises(ValidationError) as error:
        _add(coordinator, event, second, TeamRole.OFSTED_LEAD)
    assert error.value.messages == [
        "TM-3 (one lead inspector for education): the event already has an Ofsted lead "
        "inspector, Helen Marsh. Remove them first."
    ]
    # As an inspector, the second HMI is welcome.
    assert _add(coordinator, event, second).role == TeamRole.INSPECTOR


@pytest.mark.rule("TM-3")
def test_the_database_holds_one_lead_whatever_the_route(coordinator, event) -> None:
    _add(coordinator, event, make_inspector(organisation=Organisation.OFSTED), "ofsted_lead")
    with pytest.raises(IntegrityError, match="one_ofsted_lead_per_event"), transaction.atomic():
        TeamMember.objects.create(
            event=event,
            inspector=make_inspector(organisation=Organisation.OFSTED),
            role=TeamRole.OFSTED_LEAD,
            starts_on=EDUCATION_WEEK[0],
            ends_on=EDUCATION_WEEK[1],
        )


@pytest.mark.rule("TM-3")
@pytest.mark.rule("PG-10")
def test_the_lead_comes_from_the_events_education_inspectorate(coordinator) -> None:
    cardiff = make_establishment("CF", "HMP/YOI Cardiff", nation="wales")
    welsh = make_event(cardiff, education="estyn")
    ofsted = make_inspector("Olly Ofsted", Organisation.OFSTED)
    with pytest.raises(ValidationError) as error:
        _add(coordinator, welsh, ofsted, TeamRole.OFSTED_LEAD)
    assert error.value.messages == [
        "TM-3 (one lead inspector for education): the Estyn lead inspector comes from Estyn; "
        "Olly Ofsted is from Ofsted."
    ]
    estyn = make_inspector("Rhiannon Pritchard", Organisation.ESTYN)
    assert _add(coordinator, welsh, estyn, TeamRole.OFSTED_LEAD).inspector == estyn
    with pytest.raises(ValidationError, match="inspected by Estyn, not Ofsted"):
        _add(coordinator, welsh, ofsted)
    no_education = make_event(starts_on=date(2027, 10, 4), education="")
    with pytest.raises(ValidationError) as error:
        _add(coordinator, no_education, make_inspector(organisation=Organisation.OFSTED))
    assert "Ofsted does not take part in this event" in error.value.messages[0]


def test_only_an_hmi_prisons_team_leader_leads(coordinator, event) -> None:
    with pytest.raises(ValidationError) as error:
        _add(coordinator, event, make_inspector("Ivy Inspector"), TeamRole.TEAM_LEADER)
    assert error.value.messages == [
        "Ivy Inspector is not an HMI Prisons team leader, so cannot lead the team."
    ]
    _add(coordinator, event, make_leader("Martin Lomax"), TeamRole.TEAM_LEADER)
    with pytest.raises(ValidationError, match="already has an HMI Prisons team leader, Martin"):
        _add(coordinator, event, make_leader(), TeamRole.TEAM_LEADER)


@pytest.mark.rule("TM-5")
def test_double_booking_is_refused_naming_the_clash(coordinator, event) -> None:
    busy = make_inspector("Bea Busy")
    _add(coordinator, event, busy)
    other = make_event(
        make_establishment("WD", "HMP Wakefield"),
        starts_on=date(2027, 6, 14),
        announced_on=date(2026, 1, 4),
    )
    with pytest.raises(ValidationError) as error:
        _add(coordinator, other, busy)
    assert error.value.messages == [
        "TM-5 (double booking and leave): Bea Busy is already booked from 7 June 2027 to "
        "18 June 2027 (Full inspection (unannounced: see the programme))."
    ]
    with pytest.raises(ValidationError, match="Bea Busy is already on this team"):
        _add(coordinator, event, busy)
    assert InspectorBooking.objects.filter(inspector=busy).count() == 1


@pytest.mark.rule("TM-5")
def test_leave_is_refused_naming_it(coordinator, event) -> None:
    away = make_inspector("Ada Away")
    unavailability_add(
        actor=coordinator,
        inspector=away,
        kind=UnavailabilityKind.ANNUAL_LEAVE,
        starts_on=date(2027, 6, 17),
        ends_on=date(2027, 6, 25),
    )
    with pytest.raises(ValidationError) as error:
        _add(coordinator, event, away)
    assert error.value.messages == [
        "TM-5 (double booking and leave): Ada Away is already booked from 17 June 2027 to "
        "25 June 2027 (annual leave)."
    ]


@pytest.mark.rule("TM-5")
def test_removing_a_member_releases_the_booking(coordinator, event, signals) -> None:
    inspector = make_inspector("Rob Removed")
    member = _add(coordinator, event, inspector)
    booking_id = member.booking_id
    team_member_remove(actor=coordinator, member=member)
    assert not TeamMember.objects.exists()
    assert not InspectorBooking.objects.filter(pk=booking_id).exists()
    assert len(signals) == 2
    # The days are free again: another event on them can have the inspector.
    other = make_event(make_establishment("WD", "HMP Wakefield"))
    assert _add(coordinator, other, inspector).inspector == inspector
    with pytest.raises(ValidationError, match="no longer on this team"):
        team_member_remove(actor=coordinator, member=member)


@pytest.mark.rule("PG-11")
def test_more_inspectors_on_site_than_the_maximum_needs_a_reason(coordinator) -> None:
    small = make_establishment("AY", "HMP Aylesbury", max_inspectors_on_site=2)
    event = make_event(small)
    _add(coordinator, event, make_leader(), TeamRole.TEAM_LEADER)
    # Ofsted's week does not overlap an inspector who is there in the first week only.
    _add(coordinator, event, make_inspector(), starts_on=FULL_START, ends_on=date(2027, 6, 11))
    _add(coordinator, event, make_inspector(organisation=Organisation.OFSTED), "ofsted_lead")
    third = make_inspector("Tia Third")
    with pytest.raises(OverrideNeeded) as warning:
        _add(coordinator, event, third)  # whole event: three on site in both weeks
    assert warning.value.warnings == [
        "PG-11 (inspectors on site): 3 inspectors on site at HMP Aylesbury is more than its "
        "maximum of 2. Balance the team against the establishment's capacity."
    ]
    assert TeamMember.objects.count() == 3
    member = _add(coordinator, event, third, override_reason="  Healthcare needs a second day. ")
    assert member.override_reason == "Healthcare needs a second day."


@pytest.mark.rule("PG-11")
def test_a_reason_is_not_recorded_when_no_warning_applies(coordinator, event) -> None:
    member = _add(coordinator, event, make_inspector(), override_reason="Just in case.")
    assert member.override_reason == ""


@pytest.mark.rule("PG-13")
def test_a_probation_group_3_team_has_at_most_four_ofsted_inspectors(coordinator) -> None:
    area = make_establishment(
        "PA3", "Durham Tees Valley Probation Trust", kind="probation_area", probation_group=3
    )
    event = make_event(area, kind=EventKind.OFSTED_STANDALONE, starts_on=date(2027, 11, 8))
    people = [make_inspector(f"Ofsted {n}", Organisation.OFSTED) for n in range(5)]
    _add(coordinator, event, people[0], TeamRole.OFSTED_LEAD)
    for person in people[1:4]:
        _add(coordinator, event, person)
    with pytest.raises(OverrideNeeded) as warning:
        _add(coordinator, event, people[4])
    assert warning.value.warnings == [
        "PG-13 (probation team size): a probation group 3 inspection has at most 4 Ofsted "
        "inspectors; this would make 5."
    ]
    # HMI Prisons members do not count towards the Ofsted team.
    assert _add(coordinator, event, make_inspector()).override_reason == ""


def test_a_cancelled_event_keeps_its_team(coordinator) -> None:
    event = make_event(status=EventStatus.CANCELLED)
    with pytest.raises(ValidationError, match="This event is cancelled"):
        _add(coordinator, event, make_inspector())


def test_days_outside_the_event_are_refused_by_field(coordinator, event) -> None:
    with pytest.raises(ValidationError) as error:
        _add(coordinator, event, make_inspector(), starts_on=date(2027, 6, 1))
    assert error.value.message_dict == {
        "starts_on": ["The first day must be within the event, from 7 June 2027 to 18 June 2027"]
    }


# Permissions ---------------------------------------------------------------------------


def test_hmi_prisons_places_are_for_the_coordinator_team_leaders_and_administrators(
    make_user, event
) -> None:
    for role in (Role.HMIP_TEAM_LEADER, Role.HMIP_COORDINATOR):
        assert _add(make_user(role), event, make_inspector()).pk
    for role in (Role.OFSTED_SCHEDULER, Role.HMIP_INSPECTOR, Role.QUALITY_ASSURANCE):
        with pytest.raises(PermissionDenied):
            _add(make_user(role), event, make_inspector())
    # A system administrator manages HMI Prisons places of the events they may see.
    admin = make_user(Role.SYSTEM_ADMINISTRATOR)
    with pytest.raises(PermissionDenied):  # unannounced: not theirs to see (PG-3)
        _add(admin, event, make_inspector())
    announced = make_event(make_establishment("WD", "HMP Wakefield"), announced_on=date(2026, 1, 5))
    assert _add(admin, announced, make_inspector()).pk


def test_ofsted_places_are_for_the_scheduler_and_the_coordinator(make_user, event) -> None:
    scheduler = make_user(Role.OFSTED_SCHEDULER)
    lead = _add(scheduler, event, make_inspector(organisation=Organisation.OFSTED), "ofsted_lead")
    for role in (Role.HMIP_TEAM_LEADER, Role.SYSTEM_ADMINISTRATOR, Role.OFSTED_LEAD_INSPECTOR):
        with pytest.raises(PermissionDenied, match="Ofsted scheduling team"):
            _add(make_user(role), event, make_inspector(organisation=Organisation.OFSTED))
        with pytest.raises(PermissionDenied):
            team_member_remove(actor=make_user(role, username=f"{role}-2"), member=lead)
    team_member_remove(actor=make_user(Role.HMIP_COORDINATOR), member=lead)
    assert not TeamMember.objects.exists()


def test_an_establishment_user_changes_nothing(make_user, event) -> None:
    governor = make_user(Role.ESTABLISHMENT_USER, establishment=event.establishment)
    with pytest.raises(PermissionDenied):
        _add(governor, event, make_inspector())
    assert not TeamMember.objects.exists()


# Following the event ---------------------------------------------------------------------


@pytest.mark.rule("TM-5")
@pytest.mark.rule("PG-9")
def test_the_team_and_its_bookings_move_with_the_event(coordinator, event) -> None:
    hmip = _add(coordinator, event, make_inspector())
    ofsted = _add(coordinator, event, make_inspector(organisation=Organisation.OFSTED))
    event.starts_on, event.ends_on = date(2027, 7, 5), date(2027, 7, 16)
    event.education_week_starts_on = date(2027, 7, 12)
    event.save()
    assert team_follow_event(actor=coordinator, event=event) == 2
    hmip.refresh_from_db()
    ofsted.refresh_from_db()
    assert (hmip.booking.starts_on, hmip.booking.ends_on) == (date(2027, 7, 5), date(2027, 7, 16))
    assert (ofsted.starts_on, ofsted.ends_on) == (date(2027, 7, 12), date(2027, 7, 16))
    assert InspectorBooking.objects.count() == 2
    links = ChainLink.objects.count()
    assert team_follow_event(actor=coordinator, event=event) == 0  # nothing to move
    assert ChainLink.objects.count() == links
    # The system itself (no user: a command or a task) moves them too.
    event.starts_on, event.ends_on = date(2027, 9, 6), date(2027, 9, 17)
    event.education_week_starts_on = date(2027, 9, 13)
    event.save()
    assert team_follow_event(actor=None, event=event) == 2
    assert sorted(InspectorBooking.objects.values_list("starts_on", flat=True)) == [
        date(2027, 9, 6),
        date(2027, 9, 13),
    ]


@pytest.mark.rule("TM-5")
def test_a_move_onto_a_members_leave_is_refused(coordinator, event) -> None:
    inspector = make_inspector("Lee Leave")
    _add(coordinator, event, inspector)
    unavailability_add(
        actor=coordinator,
        inspector=inspector,
        kind=UnavailabilityKind.TRAINING,
        starts_on=date(2027, 7, 5),
        ends_on=date(2027, 7, 6),
    )
    event.starts_on, event.ends_on = date(2027, 7, 5), date(2027, 7, 16)
    event.save()
    with pytest.raises(ValidationError) as error, transaction.atomic():
        team_follow_event(actor=coordinator, event=event)
    assert error.value.messages == [
        "TM-5 (double booking and leave): the team cannot move with the event. Lee Leave is "
        "already booked from 5 July 2027 to 6 July 2027 (training)."
    ]


def test_grade_is_checked_not_the_user_role(coordinator, event) -> None:
    # A team leader grade may also join as an ordinary inspector.
    leader = make_inspector("Tess Leader", grade=Grade.HMIP_TEAM_LEADER)
    assert _add(coordinator, event, leader).role == TeamRole.INSPECTOR


@pytest.mark.rule("TM-5")
def test_a_cancelled_events_team_is_kept_but_its_days_are_freed(coordinator, event) -> None:
    inspector = make_inspector("Cleo Cancelled")
    _add(coordinator, event, inspector)
    event.status = EventStatus.CANCELLED
    event.save()
    assert team_bookings_release(actor=coordinator, event=event) == 1
    assert TeamMember.objects.get().booking is None
    assert not InspectorBooking.objects.exists()
    other = make_event(make_establishment("WD", "HMP Wakefield"))
    assert _add(coordinator, other, inspector).inspector == inspector
    assert team_bookings_release(actor=coordinator, event=event) == 0


def test_the_team_moves_when_the_event_service_moves_the_event(coordinator) -> None:
    """Through the signal the programme's services send (connected in apps.ready)."""
    from inspectorate.programme import services as programme_services
    from inspectorate.programme.signals import event_dates_changed
    from inspectorate.programme.teams.services import _teams_follow_event_dates

    event_dates_changed.connect(
        _teams_follow_event_dates, dispatch_uid="programme.teams_follow_event_dates"
    )
    event = make_event(starts_on=date(2027, 6, 7))
    member = _add(coordinator, event, make_inspector("Mo Mover"))
    # Adding the member moved the event's version on: the move carries the new one.
    assert member.event.version == event.version + 1
    programme_services.event_move(
        actor=coordinator, event=event, version=member.event.version, starts_on=date(2027, 7, 5)
    )
    member.refresh_from_db()
    assert (member.starts_on, member.booking.starts_on) == (date(2027, 7, 5), date(2027, 7, 5))
