"""TM-5: an inspector is never booked twice on one day, leave included."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import BookingKind, UnavailabilityKind
from inspectorate.inspectors.models import InspectorBooking, Unavailability
from inspectorate.inspectors.selectors import is_free
from inspectorate.inspectors.services import (
    inspector_book,
    inspector_booking_release,
    unavailability_add,
    unavailability_remove,
)


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR)


def _leave(actor, inspector, first, last, kind=UnavailabilityKind.ANNUAL_LEAVE):
    return unavailability_add(
        actor=actor, inspector=inspector, kind=kind, starts_on=first, ends_on=last
    )


@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_the_database_refuses_two_bookings_on_one_day(make_inspector) -> None:
    inspector = make_inspector()
    InspectorBooking.objects.create(
        inspector=inspector, starts_on=date(2027, 5, 10), ends_on=date(2027, 5, 14), label="A"
    )
    with pytest.raises(IntegrityError, match="inspector_booked_once_a_day"), transaction.atomic():
        InspectorBooking.objects.create(  # overlaps on the last day only: bounds are inclusive
            inspector=inspector, starts_on=date(2027, 5, 14), ends_on=date(2027, 5, 20), label="B"
        )
    # the next day, and another inspector on the same days, are fine
    InspectorBooking.objects.create(
        inspector=inspector, starts_on=date(2027, 5, 15), ends_on=date(2027, 5, 16), label="C"
    )
    InspectorBooking.objects.create(
        inspector=make_inspector(),
        starts_on=date(2027, 5, 10),
        ends_on=date(2027, 5, 14),
        label="D",
    )
    assert InspectorBooking.objects.count() == 3


@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_leave_writes_its_booking_in_the_same_transaction(make_inspector, coordinator) -> None:
    inspector = make_inspector()
    leave = _leave(coordinator, inspector, date(2027, 8, 2), date(2027, 8, 13))
    booking = leave.booking
    assert (booking.starts_on, booking.ends_on) == (date(2027, 8, 2), date(2027, 8, 13))
    assert (booking.kind, booking.label) == (BookingKind.UNAVAILABILITY, "annual leave")
    assert not is_free(inspector, date(2027, 8, 13), date(2027, 8, 20))
    assert is_free(inspector, date(2027, 8, 14), date(2027, 8, 20))


@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_an_assignment_on_leave_is_refused_naming_the_clash(make_inspector, coordinator) -> None:
    inspector = make_inspector("Hana Busy")
    _leave(coordinator, inspector, date(2027, 8, 2), date(2027, 8, 13))
    with pytest.raises(ValidationError) as error:
        inspector_book(
            actor=coordinator,
            inspector=inspector,
            starts_on=date(2027, 8, 9),
            ends_on=date(2027, 8, 20),
            label="HMP Leeds full inspection",
        )
    assert error.value.messages == [
        "Hana Busy is already booked from 2 August 2027 to 13 August 2027 (annual leave)."
    ]
    assert InspectorBooking.objects.count() == 1


@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_leave_on_an_assigned_day_is_refused_and_nothing_is_written(
    make_inspector, coordinator
) -> None:
    inspector = make_inspector("Ivo Booked")
    inspector_book(
        actor=coordinator,
        inspector=inspector,
        starts_on=date(2027, 6, 7),
        ends_on=date(2027, 6, 11),
        label="HMP Wakefield full inspection",
    )
    links = ChainLink.objects.count()
    with pytest.raises(ValidationError, match=r"Ivo Booked is already booked from 7 June 2027"):
        _leave(coordinator, inspector, date(2027, 6, 11), date(2027, 6, 18))
    assert not Unavailability.objects.exists()
    assert InspectorBooking.objects.count() == 1
    assert ChainLink.objects.count() == links


@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_a_booking_points_at_its_source_once_per_inspector(make_inspector, coordinator) -> None:
    inspector = make_inspector("Jo Source")
    source = Establishment.objects.create(code="ZZ", name="HMP Test", kind="prison")
    booking = inspector_book(
        actor=coordinator,
        inspector=inspector,
        starts_on=date(2027, 6, 7),
        ends_on=date(2027, 6, 11),
        label="HMP Test full inspection",
        source=source,
    )
    assert booking.source == source
    with pytest.raises(ValidationError, match="Jo Source is already booked for HMP Test"):
        inspector_book(
            actor=coordinator,
            inspector=inspector,
            starts_on=date(2027, 7, 5),
            ends_on=date(2027, 7, 9),
            label="again",
            source=source,
        )


@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_a_team_is_booked_all_or_nothing(make_inspector, coordinator) -> None:
    free, busy = make_inspector(), make_inspector("Kim Away")
    _leave(coordinator, busy, date(2027, 6, 9), date(2027, 6, 9))

    def book_team() -> None:
        with transaction.atomic():
            for member in (free, busy):
                inspector_book(
                    actor=coordinator,
                    inspector=member,
                    starts_on=date(2027, 6, 7),
                    ends_on=date(2027, 6, 11),
                    label="Team",
                )

    with pytest.raises(ValidationError, match="Kim Away"):
        book_team()
    assert is_free(free, date(2027, 6, 7), date(2027, 6, 11))


@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_removing_leave_frees_the_days(make_inspector, coordinator) -> None:
    inspector = make_inspector()
    leave = _leave(coordinator, inspector, date(2027, 8, 2), date(2027, 8, 6))
    unavailability_remove(actor=coordinator, unavailability=leave, version=1)
    assert not InspectorBooking.objects.exists()
    inspector_book(
        actor=coordinator,
        inspector=inspector,
        starts_on=date(2027, 8, 2),
        ends_on=date(2027, 8, 6),
        label="Now free",
    )


@pytest.mark.django_db
def test_removing_changed_leave_is_refused(make_inspector, coordinator) -> None:
    leave = _leave(coordinator, make_inspector(), date(2027, 8, 2), date(2027, 8, 6))
    Unavailability.objects.filter(pk=leave.pk).update(version=2)
    with pytest.raises(ValidationError, match="changed by someone else"):
        unavailability_remove(actor=coordinator, unavailability=leave, version=1)
    assert Unavailability.objects.filter(pk=leave.pk).exists()


@pytest.mark.django_db
def test_releasing_an_assignment_frees_the_days_but_not_leave(make_inspector, coordinator) -> None:
    inspector = make_inspector()
    booking = inspector_book(
        actor=coordinator,
        inspector=inspector,
        starts_on=date(2027, 6, 7),
        ends_on=date(2027, 6, 11),
        label="Event",
    )
    inspector_booking_release(actor=coordinator, booking=booking)
    assert is_free(inspector, date(2027, 6, 7), date(2027, 6, 11))
    leave = _leave(coordinator, inspector, date(2027, 6, 7), date(2027, 6, 7))
    with pytest.raises(ValidationError):
        inspector_booking_release(actor=coordinator, booking=leave.booking)


@pytest.mark.django_db
def test_inspectors_may_record_their_own_leave_only(make_inspector, make_user) -> None:
    me = make_user(Role.HMIP_INSPECTOR)
    mine, theirs = make_inspector(user=me), make_inspector()
    _leave(me, mine, date(2027, 8, 2), date(2027, 8, 6))
    with pytest.raises(PermissionDenied):
        _leave(me, theirs, date(2027, 8, 2), date(2027, 8, 6))
    with pytest.raises(PermissionDenied):  # nor book anyone on an event
        inspector_book(
            actor=me,
            inspector=mine,
            starts_on=date(2027, 9, 6),
            ends_on=date(2027, 9, 10),
            label="Self-assigned",
        )


@pytest.mark.django_db
def test_dates_the_wrong_way_round_are_refused(make_inspector, coordinator) -> None:
    with pytest.raises(ValidationError) as error:
        _leave(coordinator, make_inspector(), date(2027, 8, 6), date(2027, 8, 2))
    assert error.value.message_dict == {
        "ends_on": ["The end date of the annual leave must be the same as or after its start date"]
    }


@pytest.mark.rule("TM-5")
@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_for_one_inspector_cannot_both_win(make_inspector, make_user) -> None:
    import threading
    import time

    from django.db import connection

    inspector = make_inspector("Lee Raced")
    actor = make_user(Role.OFSTED_SCHEDULER)
    first_written = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                inspector_book(
                    actor=actor,
                    inspector=inspector,
                    starts_on=date(2027, 6, 7),
                    ends_on=date(2027, 6, 11),
                    label="first event",
                )
                first_written.set()
                time.sleep(0.5)  # the second request arrives while this one is open
        finally:
            first_written.set()
            connection.close()

    def second() -> None:
        first_written.wait(5)
        try:
            inspector_book(
                actor=actor,
                inspector=inspector,
                starts_on=date(2027, 6, 10),
                ends_on=date(2027, 6, 12),
                label="second event",
            )
            outcome["second"] = "booked"
        except ValidationError as error:
            outcome["second"] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcome["second"] == (
        "Lee Raced is already booked from 7 June 2027 to 11 June 2027 (first event)."
    )
    assert list(InspectorBooking.objects.values_list("label", flat=True)) == ["first event"]
