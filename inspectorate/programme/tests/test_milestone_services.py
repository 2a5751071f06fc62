"""Milestone services: recomputing when an event moves, PG-6 following the team, marking met,
overriding a "normally" milestone, and the daily status update."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.programme import signals
from inspectorate.programme.constants import EventKind, EventStatus, MilestoneStatus, TeamRole
from inspectorate.programme.milestones.services import (
    milestone_mark_met,
    milestone_override,
    milestones_demo,
    milestones_recompute,
    milestones_update_statuses,
)
from inspectorate.programme.models import Event, Milestone, TeamMember
from inspectorate.programme.tests.test_milestone_helpers import (
    NOON,
    made_in_time,
    make_establishment,
    make_event,
    move_event,
    put_on_team,
)

MET, DUE, MISSED, N_A = (
    MilestoneStatus.MET,
    MilestoneStatus.DUE,
    MilestoneStatus.MISSED,
    MilestoneStatus.NOT_APPLICABLE,
)


@pytest.fixture(autouse=True)
def _on_23_november_2026():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def scheduler(make_user):
    return make_user(Role.OFSTED_SCHEDULER, username="scheduler")


@pytest.fixture
def inspection(db):
    """A full inspection of HMP Leeds, Mon 11 to Fri 22 January 2027, Ofsted the 2nd week,
    added in June 2026: in time for its deadlines."""
    return made_in_time(date(2026, 6, 1), starts_on=date(2027, 1, 11), ends_on=date(2027, 1, 22))


def by_code(event: Event) -> dict[str, Milestone]:
    return {m.rule_code: m for m in Milestone.objects.filter(event=event)}


@pytest.mark.rule("PG-5")
@pytest.mark.rule("PG-6")
@pytest.mark.rule("IN-2")
@pytest.mark.rule("IN-4")
@pytest.mark.rule("RP-1")
def test_the_signal_creates_the_events_milestones(db) -> None:
    found = by_code(make_event(starts_on=date(2027, 1, 11), ends_on=date(2027, 1, 22)))
    expected = {
        # Six months before Mon 11 Jan 2027 is Sat 11 Jul 2026: Friday 10 July, already past
        # when the event is added today: impossible when created, not missed.
        "pg5_ofsted_notified": (date(2026, 7, 10), None, MilestoneStatus.IMPOSSIBLE),
        # Two weeks before is Mon 28 Dec 2026 (Boxing Day observed), back past Christmas.
        "pg6_ofsted_lead_named": (date(2026, 12, 24), None, DUE),
        "in2_bullet_points": (date(2027, 1, 21), time(12, 0), DUE),
        "in3_deliberation_meeting": (date(2027, 1, 21), None, DUE),
        "in4_feedback_session": (date(2027, 1, 22), None, DUE),
        # 13 working days after Fri 22 Jan 2027: Wed 10 Feb 2027.
        "rp1_report_full_inspection": (date(2027, 2, 10), None, DUE),
    }
    assert {code: (m.due_on, m.due_time, m.status) for code, m in found.items()} == expected
    assert found["rp1_report_full_inspection"].rule_id == "RP-1"
    assert found["pg5_ofsted_notified"].strength == "normally"


@pytest.mark.rule("RP-1")
@pytest.mark.rule("IN-2")
@pytest.mark.rule("WD-1")
def test_moving_an_event_moves_its_milestones_and_keeps_what_was_met(
    inspection, coordinator
) -> None:
    before = by_code(inspection)
    milestone_mark_met(actor=coordinator, milestone=before["in4_feedback_session"])
    Milestone.objects.filter(pk=before["rp1_report_full_inspection"].pk).update(
        reminded_on=date(2026, 11, 20)
    )
    move_event(inspection, date(2027, 3, 8), date(2027, 3, 19), actor=coordinator)
    after = by_code(inspection)
    # 13 working days after Fri 19 Mar 2027, past Good Friday and Easter Monday: Fri 9 April.
    report = after["rp1_report_full_inspection"]
    assert report.due_on == date(2027, 4, 9)
    assert report.reminded_on is None  # a new date earns a new reminder
    assert report.version == 2
    assert after["in2_bullet_points"].due_on == date(2027, 3, 18)
    assert after["pg6_ofsted_lead_named"].due_on == date(2027, 2, 22)
    feedback = after["in4_feedback_session"]
    assert (feedback.status, feedback.met_by, feedback.due_on) == (
        MET,
        coordinator,
        date(2027, 3, 19),
    )
    assert {m.pk for m in after.values()} == {m.pk for m in before.values()}


def test_recomputing_without_a_change_writes_nothing(inspection) -> None:
    links = ChainLink.objects.count()
    versions = dict(Milestone.objects.filter(event=inspection).values_list("pk", "version"))
    milestones_recompute(event=inspection)
    assert ChainLink.objects.count() == links
    assert dict(Milestone.objects.filter(event=inspection).values_list("pk", "version")) == (
        versions
    )


@pytest.mark.rule("PG-7")
@pytest.mark.rule("RP-5")
def test_a_new_kind_replaces_the_milestones_that_no_longer_apply(inspection) -> None:
    inspection.kind = EventKind.OFSTED_STANDALONE
    inspection.save()
    signals.event_dates_changed.send(sender=Event, event=inspection, actor=None)
    found = by_code(inspection)
    assert set(found) == {
        "pg7_standalone_intention",
        "pg7_standalone_dates",
        "rp5_provisional_grades",
    }
    # Four and three months before Mon 11 Jan 2027; a week after Fri 22 Jan 2027.
    assert found["pg7_standalone_intention"].due_on == date(2026, 9, 11)
    assert found["pg7_standalone_dates"].due_on == date(2026, 10, 9)  # Sun 11 Oct, back
    assert found["rp5_provisional_grades"].due_on == date(2027, 1, 29)


@pytest.mark.rule("PG-12")
@pytest.mark.rule("RP-4")
def test_probation_area_events_get_the_probation_milestones(db) -> None:
    area = make_establishment("PA", "Northumbria Probation", kind="probation_area")
    # Mon 27 Jul 2026 to Fri 31 Jul 2026; made late, so the notice milestones are past.
    event = make_event(area, starts_on=date(2027, 7, 26), ends_on=date(2027, 7, 30))
    found = by_code(event)
    assert set(found) == {"pg12_probation_notice", "pg12_planning_meeting", "rp4_report_published"}
    assert found["pg12_probation_notice"].due_on == date(2027, 4, 5)  # 16 weeks: Mon 5 Apr
    assert found["pg12_planning_meeting"].due_on == date(2027, 5, 10)
    # 25 working days after Fri 30 Jul 2027, past the late summer bank holiday (30 Aug).
    assert found["rp4_report_published"].due_on == date(2027, 9, 6)


@pytest.mark.rule("WD-2")
@pytest.mark.rule("PG-3")
@pytest.mark.rule("PG-10")
def test_a_welsh_irp_window_follows_the_inspection_it_follows_up(db, coordinator) -> None:
    cardiff = make_establishment("CF", "HMP Cardiff", nation="wales")
    full = make_event(
        cardiff, starts_on=date(2026, 3, 16), ends_on=date(2026, 3, 27), education="estyn"
    )
    irp = make_event(
        cardiff,
        kind=EventKind.IRP,
        starts_on=date(2027, 1, 11),
        education="estyn",
        follows_up=full,
        announced_on=date(2026, 10, 1),
    )
    found = by_code(irp)
    assert set(found) == {"irp_window", "irp_announced"}  # Estyn: no Ofsted milestones
    window = found["irp_window"]
    # 8 to 12 months after Fri 27 Mar 2026: Fri 27 Nov 2026 to Thu 25 Mar 2027 (Good Friday
    # is 26 March 2027 and the 27th a Saturday).
    assert window.due_on == date(2027, 3, 25)
    assert window.title.endswith("from 27 November 2026")
    assert (window.status, window.met_by) == (MET, None)  # the IRP starts inside it
    announced = found["irp_announced"]
    assert announced.met_on is not None
    assert (announced.status, announced.met_on.date()) == (MET, date(2026, 10, 1))

    # The full inspection moves: its IRP's window moves too, and no longer holds the IRP.
    move_event(full, date(2026, 5, 18), date(2026, 5, 29), actor=coordinator)
    window = by_code(irp)["irp_window"]
    assert window.due_on == date(2027, 5, 28)  # Sat 29 May 2027, back to the Friday
    assert window.title.endswith("from 29 January 2027")
    assert (window.status, window.met_on) == (DUE, None)


@pytest.mark.rule("PG-6")
def test_naming_the_ofsted_lead_meets_pg6_and_removing_them_reopens_it(
    inspection, scheduler, make_user
) -> None:
    lead_user = make_user(Role.OFSTED_LEAD_INSPECTOR, username="lead")
    member = put_on_team(inspection, lead_user, TeamRole.OFSTED_LEAD, actor=scheduler)
    pg6 = by_code(inspection)["pg6_ofsted_lead_named"]
    assert (pg6.status, pg6.met_by, pg6.met_on) == (MET, scheduler, NOON)
    # Other team changes leave it met.
    put_on_team(inspection, make_user(Role.HMIP_TEAM_LEADER), TeamRole.TEAM_LEADER)
    assert by_code(inspection)["pg6_ofsted_lead_named"].status == MET
    # Moving the event keeps it met: the lead is still there.
    move_event(inspection, date(2027, 1, 18), date(2027, 1, 29))
    assert by_code(inspection)["pg6_ofsted_lead_named"].status == MET

    member.delete()
    signals.team_changed.send(sender=TeamMember, event=inspection, actor=scheduler)
    pg6 = by_code(inspection)["pg6_ofsted_lead_named"]
    assert (pg6.status, pg6.met_by, pg6.met_on) == (DUE, None, None)


def test_a_cancelled_event_has_nothing_left_to_meet(inspection, coordinator) -> None:
    milestone_mark_met(actor=coordinator, milestone=by_code(inspection)["in3_deliberation_meeting"])
    inspection.status = EventStatus.CANCELLED
    inspection.save()
    milestones_recompute(event=inspection)
    statuses = {code: m.status for code, m in by_code(inspection).items()}
    assert statuses.pop("in3_deliberation_meeting") == MET
    assert set(statuses.values()) == {N_A}
    inspection.status = EventStatus.PLANNED
    inspection.save()
    milestones_recompute(event=inspection)
    assert by_code(inspection)["pg5_ofsted_notified"].status == MISSED
    assert by_code(inspection)["rp1_report_full_inspection"].status == DUE


# Marking met ---------------------------------------------------------------------------------


def test_marking_met_records_who_and_when(inspection, coordinator) -> None:
    milestone = by_code(inspection)["pg5_ofsted_notified"]
    done = milestone_mark_met(actor=coordinator, milestone=milestone, version=milestone.version)
    done.refresh_from_db()
    assert (done.status, done.met_by, done.met_on, done.version) == (
        MET,
        coordinator,
        NOON,
        milestone.version + 1,
    )
    with pytest.raises(ValidationError, match="already met by Coordinator Tester on 23 November"):
        milestone_mark_met(actor=coordinator, milestone=done)


def test_a_stale_version_is_refused(inspection, coordinator) -> None:
    milestone = by_code(inspection)["rp1_report_full_inspection"]
    Milestone.objects.filter(pk=milestone.pk).update(version=5)
    with pytest.raises(ValidationError, match="changed by someone else"):
        milestone_mark_met(actor=coordinator, milestone=milestone, version=1)
    assert Milestone.objects.get(pk=milestone.pk).status == DUE


@pytest.mark.rule("RP-1")
def test_the_ofsted_lead_marks_their_own_milestones_only(inspection, make_user) -> None:
    lead = make_user(Role.OFSTED_LEAD_INSPECTOR, username="lead")
    put_on_team(inspection, lead, TeamRole.OFSTED_LEAD)
    found = by_code(inspection)
    milestone_mark_met(actor=lead, milestone=found["rp1_report_full_inspection"])
    assert Milestone.objects.get(pk=found["rp1_report_full_inspection"].pk).met_by == lead
    with pytest.raises(PermissionDenied):
        milestone_mark_met(actor=lead, milestone=found["pg5_ofsted_notified"])
    # Another Ofsted lead, not on this team, cannot even see the unannounced event.
    other = make_user(Role.OFSTED_LEAD_INSPECTOR, username="other")
    with pytest.raises(PermissionDenied, match="cannot see this event"):
        milestone_mark_met(actor=other, milestone=found["in2_bullet_points"])


def test_the_scheduling_team_marks_ofsted_milestones_only(inspection, scheduler) -> None:
    found = by_code(inspection)
    milestone_mark_met(actor=scheduler, milestone=found["in2_bullet_points"])
    with pytest.raises(PermissionDenied):
        milestone_mark_met(actor=scheduler, milestone=found["pg5_ofsted_notified"])


@pytest.mark.rule("PG-3")
def test_an_establishment_user_can_do_nothing(inspection, make_user) -> None:
    governor = make_user(
        Role.ESTABLISHMENT_USER, username="governor", establishment=inspection.establishment
    )
    milestone = by_code(inspection)["in4_feedback_session"]
    with pytest.raises(PermissionDenied):
        milestone_mark_met(actor=governor, milestone=milestone)
    with pytest.raises(PermissionDenied):
        milestone_override(actor=governor, milestone=milestone, reason="No")
    assert Milestone.objects.get(pk=milestone.pk).status == DUE


@pytest.mark.rule("PG-6")
def test_an_automatic_milestone_is_not_marked_by_hand(inspection, coordinator) -> None:
    with pytest.raises(ValidationError, match=r"PG-6.*Met when an Ofsted lead inspector is named"):
        milestone_mark_met(
            actor=coordinator, milestone=by_code(inspection)["pg6_ofsted_lead_named"]
        )


# Overriding ----------------------------------------------------------------------------------


@pytest.mark.rule("PG-5")
def test_a_normally_milestone_is_overridden_with_a_reason(inspection, coordinator) -> None:
    milestone = by_code(inspection)["pg5_ofsted_notified"]
    with pytest.raises(ValidationError) as excinfo:
        milestone_override(actor=coordinator, milestone=milestone, reason="   ")
    assert excinfo.value.message_dict == {"reason": ["Enter why this deadline is being set aside"]}
    done = milestone_override(
        actor=coordinator, milestone=milestone, reason="Added to the programme in November."
    )
    assert (done.status, done.override_reason, done.met_by, done.met_on) == (
        N_A,
        "Added to the programme in November.",
        coordinator,
        NOON,
    )
    # It stays overridden when the event moves.
    move_event(inspection, date(2027, 2, 1), date(2027, 2, 12))
    moved = by_code(inspection)["pg5_ofsted_notified"]
    assert (moved.status, moved.due_on) == (N_A, date(2026, 7, 31))


@pytest.mark.rule("RP-1")
def test_a_hard_milestone_cannot_be_overridden(inspection, coordinator) -> None:
    milestone = by_code(inspection)["rp1_report_full_inspection"]
    with pytest.raises(ValidationError, match=r"RP-1.*hard deadline"):
        milestone_override(actor=coordinator, milestone=milestone, reason="Busy")
    assert Milestone.objects.get(pk=milestone.pk).override_reason == ""


def test_only_programme_staff_and_ofsted_schedulers_override(inspection, make_user) -> None:
    lead = make_user(Role.OFSTED_LEAD_INSPECTOR, username="lead")
    put_on_team(inspection, lead, TeamRole.OFSTED_LEAD)
    with pytest.raises(PermissionDenied):
        milestone_override(
            actor=lead, milestone=by_code(inspection)["pg5_ofsted_notified"], reason="Late"
        )


# The daily status update ---------------------------------------------------------------------


def test_unmet_milestones_past_due_become_missed(inspection) -> None:
    with time_machine.travel(date(2027, 1, 22), tick=False):
        missed = milestones_update_statuses()
    statuses = {code: m.status for code, m in by_code(inspection).items()}
    # PG-6 (24 Dec) and IN-2, IN-3 (21 Jan) are past; IN-4 is due today; PG-5 was missed.
    assert missed == 3
    assert statuses == {
        "pg5_ofsted_notified": MISSED,
        "pg6_ofsted_lead_named": MISSED,
        "in2_bullet_points": MISSED,
        "in3_deliberation_meeting": MISSED,
        "in4_feedback_session": DUE,
        "rp1_report_full_inspection": DUE,
    }
    with time_machine.travel(date(2027, 1, 22), tick=False):
        assert milestones_update_statuses() == 0


@pytest.mark.rule("PG-3")
def test_an_announcement_meets_the_irp_announcement_milestone(db) -> None:
    irp = make_event(kind=EventKind.IRP, starts_on=date(2027, 3, 1))
    announced = by_code(irp)["irp_announced"]
    assert (announced.status, announced.due_on) == (DUE, date(2026, 12, 1))
    Event.objects.filter(pk=irp.pk).update(announced_on=date(2026, 11, 30))
    milestones_update_statuses()
    assert by_code(irp)["irp_announced"].status == DUE  # announced in the future: not yet
    with time_machine.travel(date(2026, 11, 30), tick=False):
        milestones_update_statuses()
    met = by_code(irp)["irp_announced"]
    assert met.met_on is not None
    assert (met.status, met.met_on.date()) == (MET, date(2026, 11, 30))


def test_the_demo_marks_old_milestones_met_and_is_idempotent(inspection, coordinator) -> None:
    make_event(starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 12), signal=False)
    total = milestones_demo()
    assert total == Milestone.objects.count() == 12
    # June 2026's PG-6 follows the team (no Ofsted lead: still missed); the rest is history.
    missed = Milestone.objects.filter(status=MISSED).values_list("rule_code", flat=True)
    assert list(missed) == ["pg6_ofsted_lead_named"]
    assert Milestone.objects.filter(status=MET, met_by=coordinator).count() == 6
    links = ChainLink.objects.count()
    assert milestones_demo() == total
    assert ChainLink.objects.count() == links
