"""Editing an establishment: coordinators and administrators only, every field checked by
name, and a stale save refused with nothing lost (optimistic concurrency)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.estate.models import Establishment
from inspectorate.estate.services import (
    EDITABLE_FIELDS,
    establishment_problems,
    establishment_update,
)
from inspectorate.estate.tests.helpers import date_post, make_establishment
from inspectorate.lib.versions import StaleVersion

URL = reverse("estate:establishment-edit", kwargs={"code": "LE"})


@pytest.fixture
def leeds(db) -> Establishment:
    return make_establishment("LE", "HMP Leeds", region="yorkshire", max_inspectors_on_site=12)


def _form(establishment: Establishment, **changes: Any) -> dict[str, str]:
    values = {
        "version": establishment.version,
        "name": establishment.name,
        "kind": establishment.kind,
        "function": establishment.function,
        "nation": establishment.nation,
        "region": establishment.region,
        "security_category": establishment.security_category,
        "max_inspectors_on_site": establishment.max_inspectors_on_site,
        "probation_group": establishment.probation_group,
        "operator": establishment.operator,
        "operator_company_number": establishment.operator_company_number,
        "status": establishment.status,
    }
    dates = {"opened_on": establishment.opened_on, "closed_on": establishment.closed_on}
    for name, value in changes.items():
        (dates if name in dates else values)[name] = value
    data = {name: "" if value is None else str(value) for name, value in values.items()}
    for name, value in dates.items():
        data.update(date_post(name, value))
    return data


@pytest.mark.parametrize("role", [Role.HMIP_COORDINATOR, Role.SYSTEM_ADMINISTRATOR])
def test_a_coordinator_or_administrator_saves_changes(client, make_user, leeds, role) -> None:
    client.force_login(make_user(role))
    form = client.get(URL)
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.text
    response = client.post(
        URL,
        _form(leeds, max_inspectors_on_site=16, security_category="b", opened_on=date(1847, 1, 1)),
    )
    assert response.status_code == 302
    leeds.refresh_from_db()
    assert (leeds.max_inspectors_on_site, leeds.security_category) == (16, "b")
    assert leeds.opened_on == date(1847, 1, 1)
    assert leeds.version == 2


@pytest.mark.parametrize(
    "role", [Role.HMIP_TEAM_LEADER, Role.OFSTED_SCHEDULER, Role.QUALITY_ASSURANCE]
)
def test_other_staff_may_not_edit(client, make_user, leeds, role) -> None:
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form(leeds, name="Renamed")).status_code == 403
    leeds.refresh_from_db()
    assert leeds.name == "HMP Leeds"


def test_an_establishment_user_may_not_edit_even_their_own(client, make_user, leeds) -> None:
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=leeds))
    assert client.post(URL, _form(leeds, name="Renamed")).status_code == 403
    with pytest.raises(PermissionDenied):
        establishment_update(
            actor=make_user(Role.HMIP_INSPECTOR), establishment=leeds, version=1, values={}
        )


@pytest.mark.rule("DP-2")
def test_a_stale_save_is_refused_and_nothing_is_lost(client, make_user, leeds) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR)
    client.force_login(coordinator)
    opened = _form(leeds)  # the form as first opened, at version 1
    # Meanwhile an administrator saves a change.
    establishment_update(
        actor=make_user(Role.SYSTEM_ADMINISTRATOR),
        establishment=leeds,
        version=1,
        values={**_values(leeds), "max_inspectors_on_site": 14},
    )
    opened.update(function="Category B local prison", max_inspectors_on_site="20")
    response = client.post(URL, opened)

    assert response.status_code == 409
    page = response.text
    assert "was changed by someone else while you were editing it" in page
    assert "Your changes have not been saved" in page
    assert 'value="Category B local prison"' in page  # what was typed is still there
    assert 'value="20"' in page
    assert 'name="version" value="2"' in page  # ready to save over, knowingly
    assert "What was saved meanwhile" in page
    leeds.refresh_from_db()
    assert (leeds.function, leeds.max_inspectors_on_site, leeds.version) == ("", 14, 2)

    # Saving again, having seen the other change, goes through.
    opened["version"] = "2"
    assert client.post(URL, opened).status_code == 302
    leeds.refresh_from_db()
    assert (leeds.function, leeds.max_inspectors_on_site, leeds.version) == (
        "Category B local prison",
        20,
        3,
    )


def _values(establishment: Establishment) -> dict[str, Any]:
    return {name: getattr(establishment, name) for name in EDITABLE_FIELDS}


@pytest.mark.rule("DP-2")
def test_the_service_refuses_a_stale_version(make_user, leeds) -> None:
    admin = make_user(Role.SYSTEM_ADMINISTRATOR)
    establishment_update(
        actor=admin, establishment=leeds, version=1, values={**_values(leeds), "name": "A"}
    )
    with pytest.raises(StaleVersion, match=r"^A was changed by someone else"):
        establishment_update(
            actor=admin, establishment=leeds, version=1, values={**_values(leeds), "name": "B"}
        )
    leeds.refresh_from_db()
    assert leeds.name == "A"


def test_saving_unchanged_values_writes_nothing(make_user, leeds) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR)
    links = ChainLink.objects.count()
    saved = establishment_update(
        actor=coordinator,
        establishment=leeds,
        version=1,
        values=_values(leeds),
    )
    assert saved.version == 1
    assert ChainLink.objects.count() == links


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the name"),
        ({"kind": "castle"}, "kind", "Select a kind from the list"),
        ({"nation": "narnia"}, "nation", "Select a nation from the list"),
        ({"nation": "wales"}, "region", "Region must be Wales for an establishment in Wales"),
        ({"region": "wales"}, "region", "Region cannot be Wales for an establishment in England"),
        (
            {"max_inspectors_on_site": "0"},
            "max_inspectors_on_site",
            "On-site maximum must be a whole number from 1 to 100",
        ),
        (
            {"max_inspectors_on_site": "lots"},
            "max_inspectors_on_site",
            "On-site maximum must be a whole number",
        ),
        (
            {"probation_group": "2"},
            "probation_group",
            "Only a probation area has a probation group",
        ),
        (
            {"operator_company_number": "123"},
            "operator_company_number",
            "Company number must be 8 characters",
        ),
        ({"operator_company_number": "02984969"}, "operator_company_number", "enter the operator"),
        ({"status": "closed"}, "closed_on", "Enter the closing date"),
        (
            {"closed_on": date(2020, 1, 1)},
            "closed_on",
            "Closing date is only for a closed establishment",
        ),
        (
            {"opened_on_day": "31", "opened_on_month": "2", "opened_on_year": "2020"},
            "opened_on",
            "Opening date must be a real date",
        ),
        (
            {"opened_on_day": "1", "opened_on_month": "", "opened_on_year": "2020"},
            "opened_on",
            "Opening date must include a month",
        ),
        (
            {"security_category": "z"},
            "security_category",
            "Select a security category from the list",
        ),
        ({"function": "x" * 201}, "function", "Function must be 200 characters or fewer"),
    ],
)
@pytest.mark.rule("PG-11")
@pytest.mark.rule("PG-13")
def test_each_bad_field_gets_a_message_naming_it_and_nothing_changes(
    client, make_user, leeds, changes, field, message
) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    links = ChainLink.objects.count()
    data = _form(leeds)
    for name, value in changes.items():
        data.update(date_post(name, value) if isinstance(value, date) else {name: value})
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert "There is a problem" in response.text
    assert f'href="#id_{field}' in response.text  # the error summary links to the field
    assert ChainLink.objects.count() == links
    leeds.refresh_from_db()
    assert leeds.version == 1


@pytest.mark.rule("PG-13")
def test_a_probation_area_takes_a_group_from_one_to_four(make_user, db) -> None:
    values = {
        "name": "Probation Service London",
        "kind": "probation_area",
        "nation": "england",
        "status": "open",
        "probation_group": 3,
    }
    assert establishment_problems(values) == {}
    assert establishment_problems({**values, "probation_group": 5}) == {
        "probation_group": "Probation group must be 1, 2, 3 or 4"
    }
    assert "security_category" in establishment_problems({**values, "security_category": "a"})


def test_the_service_reports_problems_by_field(make_user, leeds) -> None:
    with pytest.raises(ValidationError) as error:
        establishment_update(
            actor=make_user(Role.HMIP_COORDINATOR),
            establishment=leeds,
            version=1,
            values={**_values(leeds), "name": " ", "probation_group": 1},
        )
    assert set(error.value.message_dict) == {"name", "probation_group"}
