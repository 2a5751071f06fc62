"""The demo data: real prisons from the register, a user per role; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.estate.constants import EstablishmentKind, Nation
from inspectorate.estate.models import Establishment
from inspectorate.estate.register import kind_and_function, parse_end_date, register_records
from inspectorate.improvement.models import ImprovementCase
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.models import Amendment, Notification
from inspectorate.reports.models import Report
from inspectorate.safeguarding.models import Alert


@pytest.mark.django_db
def test_load_demo_is_idempotent(capsys) -> None:
    call_command("load_demo")
    first = capsys.readouterr().out
    counts = (Establishment.objects.count(), User.objects.count(), Inspector.objects.count())
    events = ChainLink.objects.count()

    call_command("load_demo")
    assert (
        Establishment.objects.count(),
        User.objects.count(),
        Inspector.objects.count(),
    ) == counts
    assert ChainLink.objects.count() == events, "a second load must write nothing"
    assert "demo-inspectorate-2026" in first


@pytest.mark.django_db
def test_demo_has_every_open_prison_of_england_and_wales() -> None:
    call_command("load_demo")
    open_in_register = [r for r in register_records() if r.closed_on is None]
    assert Establishment.objects.filter(code__in=[r.code for r in open_in_register]).count() == len(
        open_in_register
    )
    assert not Establishment.objects.filter(code="HY").exists()  # HMP Holloway closed in 2016
    assert Establishment.objects.get(code="FW").name == "HMP Five Wells"  # since the register

    cardiff = Establishment.objects.get(code="CF")
    assert (cardiff.nation, cardiff.kind) == (Nation.WALES, EstablishmentKind.PRISON)
    assert Establishment.objects.filter(nation=Nation.WALES).count() == 5
    assert Establishment.objects.get(code="PR").operator == "G4S Care and Justice Services"
    assert Establishment.objects.get(code="LE").is_public_sector
    assert Establishment.objects.get(code="WY").kind == EstablishmentKind.YOUNG_OFFENDER_INSTITUTION


@pytest.mark.django_db
def test_demo_has_one_user_per_role() -> None:
    call_command("load_demo")
    for role in Role:
        assert User.objects.filter(roles__contains=[role.value]).exists(), role
    governor = User.objects.get(username="governor")
    assert governor.establishment is not None
    assert governor.establishment.code == "LE"
    assert Inspector.objects.filter(organisation="estyn").exists()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("HMP/YOI Altcourse", EstablishmentKind.PRISON),
        ("HMYOI Feltham", EstablishmentKind.YOUNG_OFFENDER_INSTITUTION),
        ("Medway STC", EstablishmentKind.SECURE_TRAINING_CENTRE),
        ("HMIRC The Verne", EstablishmentKind.IMMIGRATION_REMOVAL_CENTRE),
        ("Blantyre House", EstablishmentKind.PRISON),
    ],
)
def test_kind_comes_from_the_register_name(name, kind) -> None:
    assert kind_and_function(name)[0] == kind


def test_partial_end_dates_read_as_their_start() -> None:
    assert str(parse_end_date("2013")) == "2013-01-01"
    assert str(parse_end_date("2009-04")) == "2009-04-01"
    assert str(parse_end_date("2011-10-31")) == "2011-10-31"
    assert parse_end_date("") is None


@pytest.mark.django_db
def test_the_demo_dates_each_notification_when_what_it_reports_happened(capsys) -> None:
    """Issue 22: the alert of 6 October 14:20 was notified on the day the demo was loaded."""
    loaded_from = timezone.now()
    call_command("load_demo")
    capsys.readouterr()
    alert = Alert.objects.get()
    alerted = Notification.objects.filter(url=f"/alerts/{alert.pk}/")
    assert alerted.exists()
    assert {n.created_at for n in alerted} == {alert.raised_at}
    for report in Report.objects.exclude(published_on=None):
        told = Notification.objects.filter(
            url=f"/reports/{report.pk}/", subject__startswith="Report published"
        )
        assert {timezone.localdate(n.created_at) for n in told} == {report.published_on}
        assert report.qa_approved_at is not None
        assert report.finalised_at is not None
        assert report.qa_approved_at < report.finalised_at < loaded_from
    for amendment in Amendment.objects.all():
        assert amendment.made_at < loaded_from
    case = ImprovementCase.objects.get()
    assert case.opened_at < loaded_from
    earlier = Notification.objects.filter(created_at__lt=loaded_from).count()
    assert earlier >= Notification.objects.count() - 12  # the complaint and today's check
    assert not Notification.objects.filter(created_at__gt=timezone.now()).exists()
