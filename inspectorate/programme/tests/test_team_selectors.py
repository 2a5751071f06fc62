"""Reads about teams: the event page's panel, who can join (and why not), TM-4's neighbours."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.loader import render_to_string

from inspectorate.accounts.roles import Role
from inspectorate.inspectors.constants import Organisation, UnavailabilityKind
from inspectorate.inspectors.services import conflict_declare, unavailability_add
from inspectorate.programme.constants import EventKind, EventStatus, TeamRole
from inspectorate.programme.teams.selectors import (
    days_label,
    inspectors_of_adjacent_inspections,
    team_candidates,
    team_members,
    team_panel_context,
)
from inspectorate.programme.teams.services import team_member_add
from inspectorate.programme.tests.test_team_helpers import (
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


def _add(actor, event, inspector, role=TeamRole.INSPECTOR, **kwargs):
    return team_member_add(actor=actor, event=event, inspector=inspector, role=role, **kwargs)


# The panel -------------------------------------------------------------------------------


@pytest.mark.rule("TM-3")
def test_the_panel_warns_of_a_missing_team_leader_and_ofsted_lead(coordinator) -> None:
    event = make_event()
    context = team_panel_context(event, coordinator)
    assert context["team_rows"] == []
    assert context["team_warnings"] == [
        "The team has no HMI Prisons team leader yet.",
        "TM-3 (one lead inspector for education): the team has no Ofsted lead inspector yet "
        "(see also PG-6).",
    ]
    _add(coordinator, event, make_leader("Martin Lomax"), TeamRole.TEAM_LEADER)
    _add(coordinator, event, make_inspector("Helen Marsh", Organisation.OFSTED), "ofsted_lead")
    context = team_panel_context(event, coordinator)
    assert context["team_warnings"] == []
    assert [(r.name, r.organisation, r.role, r.days) for r in context["team_rows"]] == [
        ("Martin Lomax", "HM Inspectorate of Prisons", "HMI Prisons team leader", "Whole event"),
        ("Helen Marsh", "Ofsted", "Ofsted lead inspector", "14 to 18 June 2027"),
    ]
    assert context["team_can_manage"] is True
    assert context["team_manage_url"] == f"/programme/events/{event.pk}/team/"


@pytest.mark.rule("PG-11")
def test_the_panel_shows_override_reasons_and_the_on_site_warning(coordinator) -> None:
    event = make_event(make_establishment("AY", "HMP Aylesbury", max_inspectors_on_site=1))
    _add(coordinator, event, make_leader("Lena Leader"), TeamRole.TEAM_LEADER)
    _add(coordinator, event, make_inspector("Otto Over"), override_reason="Short of time.")
    context = team_panel_context(event, coordinator)
    assert (
        "PG-11 (inspectors on site): 2 inspectors on site at HMP Aylesbury is more than its "
        "maximum of 1. Balance the team against the establishment's capacity."
    ) in context["team_warnings"]
    assert [m.override_reason for m in context["team_overrides"]] == ["Short of time."]
    html = render_to_string("programme/includes/team_panel.html", {"event": event, **context})
    assert '<table class="govuk-table">' in html
    assert "<caption" in html
    assert "Otto Over: Short of time." in html
    assert "Manage the team" in html


@pytest.mark.rule("PG-13")
def test_the_panel_warns_when_a_probation_team_is_too_small(coordinator) -> None:
    area = make_establishment("PA1", "London Probation Trust", kind="probation_area")
    area.probation_group = 1
    area.save()
    event = make_event(area, kind=EventKind.OFSTED_STANDALONE, starts_on=date(2027, 11, 8))
    _add(coordinator, event, make_inspector(organisation=Organisation.OFSTED), "ofsted_lead")
    assert team_panel_context(event, coordinator)["team_warnings"] == [
        "PG-13 (probation team size): A probation group 1 inspection needs at least 2 Ofsted "
        "inspectors."
    ]
    _add(coordinator, event, make_inspector(organisation=Organisation.OFSTED))
    assert team_panel_context(event, coordinator)["team_warnings"] == []


@pytest.mark.rule("TM-1")
@pytest.mark.rule("TM-2")
def test_the_panel_warns_when_a_member_no_longer_passes_the_checks(coordinator) -> None:
    event = make_event()
    member = _add(coordinator, event, make_inspector("Cy Changed"))
    inspector = member.inspector
    inspector.dbs_renewal_due_on = date(2027, 6, 9)
    inspector.save()
    conflict_declare(
        actor=coordinator,
        inspector=inspector,
        establishment=event.establishment,
        starts_on=date(2027, 1, 1),
        reason="Brother took a job there.",
    )
    warnings = team_panel_context(event, coordinator)["team_warnings"]
    assert (
        "TM-1 (vetting): Cy Changed's DBS check is valid only until 9 June 2027, before the "
        "last day (18 June 2027)."
    ) in warnings
    assert (
        "TM-2 (conflict of interest): Cy Changed has declared a conflict of interest with "
        "HMP Leeds or a provider there."
    ) in warnings


def test_an_establishment_user_sees_who_but_no_warnings_or_links(coordinator, make_user) -> None:
    event = make_event(announced_on=date(2026, 1, 5))
    _add(coordinator, event, make_inspector("Vic Visible"), override_reason="unused")
    governor = make_user(Role.ESTABLISHMENT_USER, establishment=event.establishment)
    context = team_panel_context(event, governor)
    assert [row.name for row in context["team_rows"]] == ["Vic Visible"]
    assert context["team_warnings"] == []
    assert context["team_overrides"] == []
    assert context["team_can_manage"] is False
    html = render_to_string("programme/includes/team_panel.html", {"event": event, **context})
    assert "Manage the team" not in html
    assert "Warning" not in html


def test_an_inspector_sees_the_panel_without_the_management_link(coordinator, make_user) -> None:
    event = make_event()
    context = team_panel_context(event, make_user(Role.HMIP_INSPECTOR))
    assert context["team_can_manage"] is False
    assert context["team_manage_url"] == ""


def _fill(coordinator, event, how_many: int) -> None:
    for n in range(how_many):
        _add(coordinator, event, make_inspector(f"Member {n:02d}"))


def test_the_panel_makes_a_fixed_number_of_queries(coordinator, django_assert_num_queries) -> None:
    small, large = make_event(), make_event(make_establishment("WD", "HMP Wakefield"))
    _fill(coordinator, small, 3)
    _fill(coordinator, large, 30)
    for event, size in ((small, 3), (large, 30)):
        with django_assert_num_queries(2):
            context = team_panel_context(event, coordinator)
        assert len(context["team_rows"]) == size


def test_days_are_written_as_people_read_them() -> None:
    event = make_event(education="")
    assert days_label(event, FULL_START, FULL_END) == "Whole event"
    assert days_label(event, date(2027, 6, 7), date(2027, 6, 7)) == "7 June 2027"
    assert days_label(event, date(2027, 6, 28), date(2027, 7, 2)) == "28 June to 2 July 2027"
    assert (
        days_label(event, date(2027, 12, 30), date(2028, 1, 3))
        == "30 December 2027 to 3 January 2028"
    )


# Who can join ----------------------------------------------------------------------------


@pytest.mark.rule("TM-1")
@pytest.mark.rule("TM-2")
@pytest.mark.rule("TM-5")
def test_candidates_are_split_with_the_reasons(coordinator) -> None:
    event = make_event()
    make_inspector("Fay Free")
    make_inspector("Lars Lapsed", dbs_renewal_due_on=date(2027, 6, 10))
    conflicted = make_inspector("Con Flicted")
    conflict_declare(
        actor=coordinator,
        inspector=conflicted,
        establishment=event.establishment,
        starts_on=date(2020, 1, 1),
        reason="Former governor.",
    )
    on_leave = make_inspector("Lee Leave", Organisation.OFSTED)
    unavailability_add(
        actor=coordinator,
        inspector=on_leave,
        kind=UnavailabilityKind.ANNUAL_LEAVE,
        starts_on=date(2027, 6, 16),
        ends_on=date(2027, 6, 16),
    )
    # Leave in week one does not stop an Ofsted inspector who comes in week two (PG-9).
    week_one_leave = make_inspector("Wyn Weekone", Organisation.OFSTED)
    unavailability_add(
        actor=coordinator,
        inspector=week_one_leave,
        kind=UnavailabilityKind.TRAINING,
        starts_on=date(2027, 6, 7),
        ends_on=date(2027, 6, 11),
    )
    member = make_inspector("May Member")
    _add(coordinator, event, member)
    make_inspector("Ina Active", active=False)
    make_inspector("Estelle Estyn", Organisation.ESTYN)  # not for an English prison

    candidates = team_candidates(event, coordinator, team_members(event))
    assert [c.inspector.name for c in candidates.available] == ["Fay Free", "Wyn Weekone"]
    reasons = {c.inspector.name: c.reasons for c in candidates.unavailable}
    assert reasons == {
        "Lars Lapsed": (
            "TM-1 (vetting): Lars Lapsed's DBS check is valid only until 10 June 2027, before "
            "the last day (18 June 2027).",
        ),
        "Con Flicted": (
            "TM-2 (conflict of interest): Con Flicted has declared a conflict of interest with "
            "HMP Leeds or a provider there.",
        ),
        "Lee Leave": (
            "TM-5 (double booking and leave): Lee Leave is already booked from 16 June 2027 "
            "to 16 June 2027 (annual leave).",
        ),
    }
    # The scheduler sees Ofsted's inspectors only; the team leader HMI Prisons' only.
    scheduler_view = team_candidates(event, _user(Role.OFSTED_SCHEDULER), [])
    assert {c.inspector.organisation for c in scheduler_view.all} == {"ofsted"}
    leader_view = team_candidates(event, _user(Role.HMIP_TEAM_LEADER), [])
    assert {c.inspector.organisation for c in leader_view.all} == {"hmip"}


def _user(role):
    from inspectorate.accounts.models import User

    return User.objects.create_user(username=f"u-{role}", roles=[role])


def test_candidates_take_a_fixed_number_of_queries(coordinator, django_assert_num_queries):
    event = make_event()
    for size in (3, 30):
        for n in range(size):
            inspector = make_inspector(f"Cand {size}-{n}")
            if n % 3 == 0:
                unavailability_add(
                    actor=coordinator,
                    inspector=inspector,
                    kind=UnavailabilityKind.ANNUAL_LEAVE,
                    starts_on=date(2027, 6, 8),
                    ends_on=date(2027, 6, 9),
                )
        with django_assert_num_queries(3):
            candidates = team_candidates(event, coordinator, [])
        assert len(candidates.unavailable) == {3: 1, 30: 11}[size]


# TM-4 --------------------------------------------------------------------------------------


@pytest.mark.rule("TM-4")
def test_the_inspectors_of_the_last_and_next_inspection(coordinator) -> None:
    leeds = make_establishment()
    last = make_event(leeds, starts_on=date(2027, 6, 7))
    earlier = make_event(leeds, starts_on=date(2027, 4, 5))
    cancelled = make_event(leeds, starts_on=date(2027, 9, 6), status=EventStatus.CANCELLED)
    visit = make_event(leeds, kind=EventKind.IMPROVEMENT_VISIT, starts_on=date(2027, 10, 4))
    following = make_event(leeds, kind=EventKind.IRP, starts_on=date(2028, 2, 7))
    elsewhere = make_event(make_establishment("WD", "HMP Wakefield"), starts_on=date(2027, 11, 1))

    ann = _add(coordinator, last, make_inspector("Ann Last")).inspector
    ben = _add(coordinator, last, make_inspector("Ben Last", Organisation.OFSTED)).inspector
    _add(coordinator, earlier, make_inspector("Old Timer"))
    cal = _add(coordinator, following, make_inspector("Cal Next")).inspector
    _add(coordinator, visit, make_inspector("Vi Visit", Organisation.OFSTED))
    _add(coordinator, elsewhere, make_inspector("Eli Elsewhere"))
    assert cancelled.team.count() == 0

    adjacent = inspectors_of_adjacent_inspections(leeds, date(2027, 10, 4))
    assert adjacent.last == last
    assert adjacent.next == following
    assert adjacent.last_inspectors == [ann, ben]
    assert adjacent.next_inspectors == [cal]
    assert adjacent.inspector_ids == {ann.pk, ben.pk, cal.pk}
    assert adjacent.involves(cal)
    assert not adjacent.involves(make_inspector("Ivy Improvement", Organisation.OFSTED))


@pytest.mark.rule("TM-4")
def test_a_place_with_no_inspections_either_side(django_assert_num_queries) -> None:
    leeds = make_establishment()
    with django_assert_num_queries(2):
        adjacent = inspectors_of_adjacent_inspections(leeds, date(2027, 10, 4))
    assert (adjacent.last, adjacent.next, adjacent.inspector_ids) == (None, None, set())
