"""The DBS warning list: overdue, due within 90 days, and missing checks (TM-1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.inspectors.constants import DbsLevel

URL = reverse("inspectors:dbs-warnings")


@pytest.mark.rule("TM-1")
@pytest.mark.django_db
def test_the_warning_list_groups_checks_by_urgency(client, make_user, make_inspector) -> None:
    today = timezone.localdate()

    def due(days: int) -> dict[str, object]:
        renewal = today + timedelta(days=days)
        return {"dbs_checked_on": renewal - timedelta(days=1095), "dbs_renewal_due_on": renewal}

    make_inspector("Ola Overdue", **due(-3))
    make_inspector("Pat Today", **due(0))
    make_inspector("Quinn Ninety", **due(90))
    make_inspector("Rae Later", **due(91))
    make_inspector(
        "Sol None", dbs_level=DbsLevel.NONE, dbs_checked_on=None, dbs_renewal_due_on=None
    )
    make_inspector("Tia Gone", active=False, **due(-30))
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    response = client.get(URL)
    assert response.status_code == 200
    warnings = response.context["warnings"]
    assert [i.name for i in warnings.expired] == ["Ola Overdue"]
    assert [i.name for i in warnings.expiring] == ["Pat Today", "Quinn Ninety"]
    assert [i.name for i in warnings.missing] == ["Sol None"]
    assert "Rae Later" not in response.text
    assert "Renewal overdue (1)" in response.text


@pytest.mark.django_db
def test_the_warning_list_is_one_query_whatever_its_length(
    client, make_user, make_inspector, django_assert_max_num_queries
) -> None:
    today = timezone.localdate()
    for number in range(20):
        make_inspector(
            f"Due {number}",
            dbs_checked_on=today - timedelta(days=1000),
            dbs_renewal_due_on=today + timedelta(days=number),
        )
    client.force_login(make_user(Role.OFSTED_SCHEDULER))
    client.get(URL)
    with django_assert_max_num_queries(
        7
    ):  # session, user, unread count, the list; session save (3)
        response = client.get(URL)
    assert len(response.context["warnings"].expiring) == 20


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.HMIP_INSPECTOR, Role.OFSTED_INSPECTOR, Role.QUALITY_ASSURANCE]
)
def test_other_roles_get_403(client, make_user, role) -> None:
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_establishment_users_get_403(client, make_user, establishment) -> None:
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=establishment))
    assert client.get(URL).status_code == 403
