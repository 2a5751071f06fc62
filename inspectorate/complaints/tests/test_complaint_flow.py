"""CP-1 through the pages and for every role: who may see a complaint (404 otherwise), who
may take each step (403 otherwise), refusals write nothing, stale pages are refused, overdue
responses are listed, and the demo's complaint."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.complaints import selectors, services
from inspectorate.complaints.constants import Stage, Status
from inspectorate.complaints.demo import demo_complaints_load
from inspectorate.complaints.models import Complaint
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.versions import StaleVersion
from inspectorate.lib.workdays import Nation, add_working_days
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Notification
from inspectorate.programme.tests.test_milestone_helpers import put_on_team

pytestmark = pytest.mark.django_db

ROUTE = "Reply within 20 working days to ask for an internal review."


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def event():
    return h.full_inspection()


@pytest.fixture
def lead(event):
    return h.team_leader(event)


@pytest.fixture
def governor(event):
    return h.establishment_user(event)


@pytest.fixture
def coordinator():
    return h.user(Role.HMIP_COORDINATOR)


def concern(event, actor) -> Complaint:
    return services.complaint_raise(
        actor=actor, event=event, complainant="Claire Dawson, governor", concern="Too rushed."
    )


def formal(event, governor, lead) -> Complaint:
    complaint = concern(event, governor)
    complaint = services.complaint_lead_reply(
        actor=lead, complaint=complaint, reply="Noted.", resolved=False, version=complaint.version
    )
    return services.complaint_make_formal(
        actor=governor, complaint=complaint, reason="Not resolved.", version=complaint.version
    )


def url(name: str, complaint: Complaint) -> str:
    return reverse(f"complaints:{name}", kwargs={"pk": complaint.pk})


@pytest.mark.rule("CP-1")
def test_the_ofsted_lead_hears_of_the_concern_and_may_resolve_it(event, lead, governor) -> None:
    ofsted = h.ofsted_lead(event)
    member = h.team_inspector(event)
    complaint = concern(event, governor)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {lead.pk, ofsted.pk}
    assert not Notification.objects.filter(recipient=member).exists()
    resolved = services.complaint_lead_reply(
        actor=ofsted, complaint=complaint, reply="Agreed.", resolved=True, version=1
    )
    assert (resolved.status, resolved.lead_replied_by) == (Status.RESOLVED, ofsted)
    with pytest.raises(ValidationError) as refusal:  # resolved: nothing to make formal
        services.complaint_make_formal(
            actor=governor, complaint=resolved, reason="x", version=resolved.version
        )
    assert "reason" in refusal.value.message_dict
    assert Complaint.objects.get().stage == Stage.CONCERN


@pytest.mark.rule("CP-1")
def test_staff_raise_on_the_establishments_behalf_and_nobody_else_raises(
    event, lead, coordinator
) -> None:
    complaint = concern(event, coordinator)
    assert complaint.raised_by == coordinator
    for outsider in (h.team_inspector(event), h.user(Role.QUALITY_ASSURANCE), lead):
        with pytest.raises(PermissionDenied):
            concern(event, outsider)
    with pytest.raises(ValidationError) as refusal:
        services.complaint_raise(actor=coordinator, event=event, complainant="x", concern=" ")
    assert "concern" in refusal.value.message_dict
    assert Complaint.objects.count() == 1


@pytest.mark.rule("CP-1")
def test_the_due_date_is_20_working_days_in_the_nation_of_the_establishment(
    event, lead, governor
) -> None:
    with time_machine.travel(date(2026, 12, 21), tick=False):
        complaint = formal(event, governor, lead)
    assert complaint.formal_on == date(2026, 12, 21)
    assert complaint.response_due_on == add_working_days(
        date(2026, 12, 21), 20, Nation(event.establishment.nation)
    )
    # 25 and 28 December and 1 January are bank holidays: 20 working days, 31 calendar.
    assert (complaint.response_due_on - complaint.formal_on).days == 31


@pytest.mark.rule("CP-1")
def test_only_the_complainant_makes_it_formal_or_asks_for_a_review(
    event, lead, governor, coordinator
) -> None:
    complaint = concern(event, governor)
    for outsider in (lead, h.user(Role.QUALITY_ASSURANCE), h.team_inspector(event)):
        with pytest.raises(PermissionDenied):
            services.complaint_make_formal(
                actor=outsider, complaint=complaint, reason="x", version=complaint.version
            )
    complaint = services.complaint_make_formal(
        actor=governor, complaint=complaint, reason="x", version=complaint.version
    )
    answered = services.complaint_respond(
        actor=lead, complaint=complaint, response="No.", review_route=ROUTE, version=2
    )
    with pytest.raises(PermissionDenied):
        services.complaint_request_review(
            actor=h.team_inspector(event), complaint=answered, reason="x", version=3
        )
    with pytest.raises(PermissionDenied):
        services.complaint_respond(
            actor=h.user(Role.QUALITY_ASSURANCE),
            complaint=answered,
            response="x",
            review_route=ROUTE,
            version=3,
        )
    assert Complaint.objects.get().stage == Stage.FORMAL


@pytest.mark.rule("CP-1")
def test_a_stale_version_is_refused_at_every_step(event, lead, governor, coordinator) -> None:
    complaint = formal(event, governor, lead)
    with pytest.raises(StaleVersion):
        services.complaint_respond(
            actor=coordinator,
            complaint=complaint,
            response="x",
            review_route=ROUTE,
            version=complaint.version - 1,
        )
    assert Complaint.objects.get().response == ""
    answered = services.complaint_respond(
        actor=coordinator,
        complaint=complaint,
        response="x",
        review_route=ROUTE,
        version=complaint.version,
    )
    with pytest.raises(StaleVersion):
        services.complaint_request_review(
            actor=governor, complaint=answered, reason="x", version=answered.version - 1
        )
    assert Complaint.objects.get().stage == Stage.FORMAL


@pytest.mark.rule("CP-1")
def test_who_sees_a_complaint_for_every_role(client, event, lead, governor, coordinator) -> None:
    complaint = concern(event, coordinator)
    other_event = h.full_inspection(h.make_establishment("BL", "HMP Belmarsh"))
    readers = [
        governor,
        lead,
        coordinator,
        h.ofsted_lead(event),
        h.user(Role.QUALITY_ASSURANCE),
        h.user(Role.SYSTEM_ADMINISTRATOR),
    ]
    outsiders = [
        h.team_inspector(event),
        h.team_leader(other_event),
        h.user(Role.OFSTED_LEAD_INSPECTOR),
        h.user(Role.HMIP_TEAM_LEADER),
        h.user(Role.OFSTED_SCHEDULER),
        h.user(Role.IMPROVEMENT_HMI),
        h.establishment_user(other_event),
    ]
    for reader in readers:
        assert Complaint.objects.visible_to(reader).filter(pk=complaint.pk).exists(), reader
        client.force_login(reader)
        assert client.get(url("detail", complaint)).status_code == 200
        assert url("detail", complaint) in client.get(reverse("complaints:list")).text
    for outsider in outsiders:
        assert not Complaint.objects.visible_to(outsider).exists(), outsider
        client.force_login(outsider)
        assert client.get(url("detail", complaint)).status_code == 404
        assert client.post(url("respond", complaint), {"text": "x"}).status_code == 404
        assert url("detail", complaint) not in client.get(reverse("complaints:list")).text
    client.logout()
    assert client.get(url("detail", complaint)).status_code == 302
    assert client.get(reverse("complaints:list")).status_code == 302


@pytest.mark.rule("CP-1")
def test_who_may_see_but_not_act_gets_403(client, event, lead, governor) -> None:
    complaint = concern(event, governor)
    client.force_login(governor)
    assert client.get(url("reply", complaint)).status_code == 403
    response = client.post(url("reply", complaint), {"text": "Done", "version": 1})
    assert response.status_code == 403
    assert Complaint.objects.get().lead_reply == ""
    client.force_login(h.team_inspector(event))  # sees the event, may not raise
    assert client.get(reverse("complaints:raise", kwargs={"event_pk": event.pk})).status_code == 403
    client.force_login(h.establishment_user(h.full_inspection(h.make_establishment("BL", "B"))))
    assert client.get(reverse("complaints:raise", kwargs={"event_pk": event.pk})).status_code == 404
    client.force_login(lead)
    assert client.get(url("reply", complaint)).status_code == 200


@pytest.mark.rule("CP-1")
def test_the_whole_procedure_through_the_pages(client, event, lead, governor, coordinator) -> None:
    complaint = concern(event, governor)
    client.force_login(lead)
    reply = client.post(url("reply", complaint), {"text": "We saw it.", "version": 1})
    assert reply.status_code == 302
    client.force_login(governor)
    made = client.post(url("formal", complaint), {"text": "Not resolved.", "version": 2})
    assert made.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.response_due_on) == (Stage.FORMAL, date(2026, 12, 21))
    client.force_login(coordinator)
    page = client.get(url("respond", complaint))
    assert "How to ask for a review" in page.text
    missing = client.post(
        url("respond", complaint), {"text": "No.", "review_route": " ", "version": 3}
    )
    assert missing.status_code == 400
    assert "govuk-error-summary" in missing.text
    assert Complaint.objects.get().response == ""
    stale = client.post(
        url("respond", complaint), {"text": "No.", "review_route": ROUTE, "version": 2}
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.text
    sent = client.post(
        url("respond", complaint), {"text": "No.", "review_route": ROUTE, "version": 3}
    )
    assert sent.status_code == 302
    client.force_login(governor)
    detail = client.get(url("detail", complaint))
    assert ROUTE in detail.text
    assert "Ask for a review" in detail.text
    asked = client.post(url("review", complaint), {"text": "Still unfair.", "version": 4})
    assert asked.status_code == 302
    client.force_login(lead)
    done = client.post(
        url("review-respond", complaint),
        {
            "text": "Upheld in part.",
            "review_route": "Ask the independent adjudicator.",
            "version": 5,
        },
    )
    assert done.status_code == 302
    timeline = client.get(url("detail", complaint)).text
    for step in ("Too rushed.", "We saw it.", "Not resolved.", ROUTE, "Still unfair."):
        assert step in timeline
    assert "Ask the independent adjudicator." in timeline
    assert Complaint.objects.get().status == Status.ANSWERED


@pytest.mark.rule("CP-1")
def test_overdue_formal_complaints_are_listed_for_programme_staff(
    event, lead, governor, coordinator
) -> None:
    with time_machine.travel(date(2026, 10, 1), tick=False):
        late = formal(event, governor, lead)  # due 29 October 2026
    assert list(selectors.overdue(coordinator)) == [late]
    assert list(selectors.overdue(h.user(Role.OFSTED_SCHEDULER))) == []
    services.complaint_respond(
        actor=coordinator, complaint=late, response="x", review_route=ROUTE, version=late.version
    )
    assert list(selectors.overdue(coordinator)) == []


def _demo_people(event) -> tuple[User, User]:
    coordinator = User.objects.create_user(
        username="coordinator", roles=[Role.HMIP_COORDINATOR.value]
    )
    leader = User.objects.create_user(username="teamleader", roles=[Role.HMIP_TEAM_LEADER.value])
    put_on_team(event, leader, TeamRole.TEAM_LEADER)
    return coordinator, leader


@pytest.mark.rule("CP-1")
def test_the_demo_complaint_is_raised_for_a_governor_elsewhere_and_loads_once() -> None:
    event = h.full_inspection(h.make_establishment("PV", "HMP/YOI Pentonville"))
    coordinator, _ = _demo_people(event)
    User.objects.create_user(
        username="governor", roles=[Role.ESTABLISHMENT_USER.value], establishment=h.leeds()
    )
    assert demo_complaints_load() == 1
    assert demo_complaints_load() == 1
    complaint = Complaint.objects.get()
    assert (complaint.raised_by, complaint.status) == (coordinator, Status.ANSWERED)
    assert "governor" in complaint.complainant
    assert complaint.review_route
    assert complaint.responded_on is not None
    assert complaint.response_due_on is not None
    assert complaint.responded_on <= complaint.response_due_on


def test_the_demo_governor_of_pentonville_raises_it_themselves() -> None:
    event = h.full_inspection(h.make_establishment("PV", "HMP/YOI Pentonville"))
    _demo_people(event)
    governor = User.objects.create_user(
        username="governor",
        first_name="Claire",
        last_name="Dawson",
        roles=[Role.ESTABLISHMENT_USER.value],
        establishment=event.establishment,
    )
    demo_complaints_load()
    complaint = Complaint.objects.get()
    assert (complaint.raised_by, complaint.complainant) == (governor, "Claire Dawson, governor")
    assert complaint.stage == Stage.FORMAL
