"""Safeguarding and sanctions alerts: raised by anyone on the team, told at once to the team
leader and a coordinator (SG-1), routed by kind (SG-2), escalated hourly until acknowledged,
seen only by those it concerns with every read logged, and destroyed on schedule (DP-1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.models import Notification
from inspectorate.programme.tests.email_helpers import email_jobs_run
from inspectorate.retention.services import retention_run
from inspectorate.safeguarding import services
from inspectorate.safeguarding.constants import AlertKind, AlertStatus, EntryKind
from inspectorate.safeguarding.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def event():
    return h.full_inspection()


@pytest.fixture
def people(event):
    leader = h.team_leader(event)
    first, second = h.user(Role.HMIP_COORDINATOR), h.user(Role.HMIP_COORDINATOR)
    for person in (leader, first, second):
        person.email = f"{person.username}@example.gov.uk"
        person.save()
    return {
        "leader": leader,
        "first": first,
        "second": second,
        "inspector": h.team_inspector(event),
    }


def raise_alert(event, who, kind=AlertKind.SAFEGUARDING) -> Alert:
    return services.alert_raise(
        actor=who, event=event, kind=kind, summary="A young adult said staff threatened him."
    )


def told(user) -> bool:
    return Notification.objects.filter(recipient=user).exists()


@pytest.mark.rule("SG-1")
def test_the_team_leader_and_a_coordinator_are_told_at_once(
    event, people, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(event, people["inspector"])
    assert told(people["leader"])
    assert told(people["first"])
    assert not told(people["second"])  # next on the ladder, if nobody acknowledges
    email_jobs_run()  # the e-mails go by the job queue
    assert {m.to[0] for m in mail.outbox} == {
        people["leader"].email,
        people["first"].email,
    }
    kinds = list(alert.entries.values_list("kind", flat=True))
    assert kinds == [EntryKind.RAISED, EntryKind.NOTIFIED]


@pytest.mark.rule("SG-1")
def test_only_the_team_raises_and_an_empty_alert_is_refused(event, people) -> None:
    with pytest.raises(PermissionDenied):
        raise_alert(event, h.user(Role.HMIP_INSPECTOR))
    with pytest.raises(ValidationError) as refusal:
        services.alert_raise(
            actor=people["inspector"], event=event, kind="safeguarding", summary=" "
        )
    assert "summary" in refusal.value.message_dict
    assert not Alert.objects.exists()


@pytest.mark.rule("SG-1")
def test_an_unacknowledged_alert_escalates_each_hour_to_the_next_person(event, people) -> None:
    alert = raise_alert(event, people["inspector"])
    now = timezone.now()
    assert services.alerts_escalate(now + timedelta(minutes=59)) == 0
    assert services.alerts_escalate(now + timedelta(minutes=61)) == 1
    assert told(people["second"])
    assert services.alerts_escalate(now + timedelta(minutes=62)) == 0  # one step an hour
    admin = h.user(Role.SYSTEM_ADMINISTRATOR)
    assert services.alerts_escalate(now + timedelta(minutes=122)) == 1
    assert told(admin)  # the ladder was exhausted
    alert.refresh_from_db()
    assert alert.entries.filter(kind=EntryKind.ESCALATED).count() == 2


@pytest.mark.rule("SG-1")
def test_acknowledging_stops_the_escalation_and_the_timeline_is_kept(event, people) -> None:
    alert = raise_alert(event, people["inspector"])
    alert = services.alert_acknowledge(actor=people["leader"], alert=alert, version=alert.version)
    assert services.alerts_escalate(timezone.now() + timedelta(hours=3)) == 0
    services.alert_action_add(actor=people["leader"], alert=alert, text="Told the governor.")
    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(actor=people["inspector"], alert=alert)
    closed = services.alert_close(
        actor=people["leader"], alert=alert, outcome="Referred to the LADO.", version=alert.version
    )
    assert closed.status == AlertStatus.CLOSED
    assert list(closed.entries.values_list("kind", flat=True)) == [
        EntryKind.RAISED,
        EntryKind.NOTIFIED,
        EntryKind.ACKNOWLEDGED,
        EntryKind.ACTION,
        EntryKind.CLOSED,
    ]


@pytest.mark.rule("SG-2")
def test_a_sanctions_alert_goes_to_the_team_leader_with_the_protocol(client, event, people) -> None:
    alert = raise_alert(event, people["inspector"], AlertKind.SANCTIONS)
    assert told(people["leader"])
    client.force_login(people["leader"])
    page = client.get(reverse("safeguarding:alert-detail", kwargs={"pk": alert.pk}))
    assert "Sanctions protocol (SG-2)" in page.text


@pytest.mark.rule("SG-2")
def test_a_concern_about_someone_not_detained_goes_by_another_route(event, people) -> None:
    alert = raise_alert(event, people["inspector"], AlertKind.NON_DETAINED)
    assert not told(people["leader"])
    assert told(people["first"])
    assert alert.entries.filter(kind=EntryKind.ACTION, text__contains="not detained").exists()


@pytest.mark.rule("DP-1")
def test_only_those_concerned_see_an_alert_and_every_read_is_logged(client, event, people) -> None:
    alert = raise_alert(event, people["inspector"])
    url = reverse("safeguarding:alert-detail", kwargs={"pk": alert.pk})
    client.force_login(people["leader"])
    assert client.get(url).status_code == 200
    assert AccessEvent.objects.filter(actor=people["leader"]).count() == 1
    for outsider in (
        h.team_inspector(event),  # on the team, but not told
        h.establishment_user(event),
        h.user(Role.OFSTED_SCHEDULER),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.rule("DP-1")
def test_closed_alerts_are_destroyed_on_schedule(event, people) -> None:
    old = raise_alert(event, people["inspector"])
    recent = raise_alert(event, people["inspector"])
    for alert in (old, recent):
        alert = services.alert_acknowledge(actor=people["leader"], alert=alert)
        services.alert_close(actor=people["leader"], alert=alert, outcome="Done.", version=None)
    Alert.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=7 * 365))
    report = retention_run(dry_run=False, performed_by="test")
    assert [
        d.candidate.record_id for d in report.disposed if d.entry.id == "safeguarding-alert"
    ] == [str(old.pk)]
    assert list(Alert.objects.values_list("pk", flat=True)) == [recent.pk]


def test_an_inspector_raises_from_the_event_page(client, event, people) -> None:
    client.force_login(people["inspector"])
    page = client.get(reverse("programme:event-detail", kwargs={"pk": event.pk}))
    raise_url = reverse("safeguarding:alert-raise", kwargs={"event_pk": event.pk})
    assert raise_url in page.text
    response = client.post(
        raise_url, {"kind": "safeguarding", "summary": "Bruising seen on a young adult's arm."}
    )
    assert response.status_code == 302
    assert Alert.objects.get().raised_by == people["inspector"]


@pytest.mark.rule("SG-1")
@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_an_alert_only_as_the_rules_say(event, people, role) -> None:
    alert = raise_alert(event, people["inspector"])
    establishment = event.establishment if role == Role.ESTABLISHMENT_USER else None
    stranger = h.user(role, establishment=establishment)
    expected = [alert] if role == Role.HMIP_COORDINATOR else []
    assert list(Alert.objects.visible_to(stranger)) == expected
    assert list(Alert.objects.visible_to(people["inspector"])) == [alert]  # the raiser
    assert list(Alert.objects.visible_to(people["leader"])) == [alert]
