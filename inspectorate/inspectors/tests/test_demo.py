"""The demo inspectors: realistic, deterministic, and a second load writes nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.audit.models import ChainLink
from inspectorate.inspectors.constants import DbsStatus, Grade, Organisation, Specialism
from inspectorate.inspectors.demo import demo_inspectors, demo_inspectors_load
from inspectorate.inspectors.models import ConflictOfInterest, Inspector, Unavailability
from inspectorate.shell.demo import demo_load


def test_generated_names_and_emails_are_unique_and_plausible() -> None:
    people = demo_inspectors()
    assert len({p.email for p in people}) == len(people) == 110
    assert len({p.name for p in people}) == len(people)
    assert all(p.name.split()[0] != p.name.split()[-1] for p in people)
    assert demo_inspectors() == people  # deterministic


@pytest.mark.django_db
def test_the_demo_loads_once_and_a_second_run_writes_nothing() -> None:
    demo_load()
    total = demo_inspectors_load()
    assert total == Inspector.objects.count() >= 110
    links = ChainLink.objects.count()
    counts = (Inspector.objects.count(), ConflictOfInterest.objects.count())
    assert demo_inspectors_load() == total
    assert ChainLink.objects.count() == links, "a second load must write nothing"
    assert (Inspector.objects.count(), ConflictOfInterest.objects.count()) == counts


@pytest.mark.django_db
def test_the_demo_looks_like_the_real_inspectorates() -> None:
    demo_load()
    demo_inspectors_load()
    today = timezone.localdate()
    by_organisation = Counter(Inspector.objects.values_list("organisation", flat=True))
    assert by_organisation[Organisation.HMI_PRISONS] >= 60
    assert by_organisation[Organisation.OFSTED] >= 40
    assert by_organisation[Organisation.ESTYN] >= 4
    assert by_organisation[Organisation.CQC] >= 4
    assert by_organisation[Organisation.GPHC] == 2
    assert Inspector.objects.filter(grade=Grade.HMIP_TEAM_LEADER).count() >= 5
    assert Inspector.objects.filter(grade=Grade.OFSTED_INSPECTOR).count() >= 20
    assert (
        Inspector.objects.filter(specialisms__contains=[Specialism.OFFENDER_LEARNING]).count() >= 5
    )
    statuses = Counter(inspector.dbs_status(today) for inspector in Inspector.objects.all())
    assert statuses[DbsStatus.EXPIRED] in {1, 2, 3}
    assert 3 <= statuses[DbsStatus.EXPIRING] <= 8
    assert statuses[DbsStatus.NONE] == 0  # the shell demo's inspectors were vetted too
    assert statuses[DbsStatus.VALID] > 90
    codes = set(ConflictOfInterest.objects.values_list("establishment__code", flat=True))
    assert {"LE", "WD", "BL"} <= codes
    assert Unavailability.objects.filter(starts_on__year__in=[2026, 2027]).count() >= 20


@pytest.mark.django_db
def test_demo_users_keep_their_inspector_records() -> None:
    demo_load()
    demo_inspectors_load()
    inspector_user = User.objects.get(username="inspector")
    assert inspector_user.inspector.name == "Deborah Okafor"
    assert inspector_user.inspector.conflicts.filter(establishment__code="HV").exists()
    assert inspector_user.inspector.unavailability.count() == 2
    assert User.objects.get(username="teamleader").inspector.grade == Grade.HMIP_TEAM_LEADER
