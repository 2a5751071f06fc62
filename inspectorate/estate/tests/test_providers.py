"""Providers and their contracts: list, detail, add and edit a contract at an establishment."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.estate.models import Provider, ProviderContract
from inspectorate.estate.tests.helpers import date_post, make_contract, make_establishment

LIST = reverse("estate:provider-list")
ADD = reverse("estate:contract-add", kwargs={"code": "LE"})


@pytest.fixture
def leeds(db):
    return make_establishment("LE", "HMP Leeds")


def _contract_form(**values: Any) -> dict[str, str]:
    data = {
        "provider_name": values.get("provider_name", "Novus"),
        "service": values.get("service", "education"),
        "contract_name": values.get("contract_name", "Prison Education Framework"),
        "version": str(values.get("version", "")),
    }
    data.update(date_post("starts_on", values.get("starts_on", date(2019, 4, 1))))
    data.update(date_post("ends_on", values.get("ends_on")))
    return data


def test_the_provider_list_counts_contracts(client, make_user, leeds) -> None:
    wakefield = make_establishment("WD", "HMP Wakefield")
    make_contract(leeds, "Novus", date(2019, 4, 1), ends_on=date(2025, 9, 30))
    make_contract(leeds, "Novus", date(2025, 10, 1))
    make_contract(wakefield, "Novus", date(2019, 4, 1))
    make_contract(leeds, "PeoplePlus", date(2019, 10, 1), service="skills_work")
    client.force_login(make_user(Role.OFSTED_SCHEDULER))
    response = client.get(LIST)
    assert response.status_code == 200
    novus = next(p for p in response.context["page"].object_list if p.name == "Novus")
    assert (novus.contract_count, novus.current_count, novus.establishment_count) == (3, 2, 2)
    assert "2 providers" in response.text


def test_the_provider_list_makes_a_fixed_number_of_queries(
    client, make_user, leeds, django_assert_num_queries
) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    for number in range(3):
        make_contract(leeds, f"Provider {number}")
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST)
    for number in range(3, 30):
        make_contract(leeds, f"Provider {number}")
    with django_assert_num_queries(len(captured)):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 30


def test_a_provider_page_lists_its_contracts(client, make_user, leeds) -> None:
    contract = make_contract(leeds, "Weston College", contract_name="Prison Education Framework")
    client.force_login(make_user(Role.HMIP_INSPECTOR))
    response = client.get(reverse("estate:provider-detail", kwargs={"pk": contract.provider_id}))
    assert response.status_code == 200
    assert "Weston College" in response.text
    assert "HMP Leeds" in response.text
    assert "Prison Education Framework" in response.text


def test_establishment_users_see_only_their_own_providers_and_contracts(
    client, make_user, leeds
) -> None:
    wakefield = make_establishment("WD", "HMP Wakefield")
    shared = make_contract(leeds, "Novus")
    make_contract(wakefield, "Novus")
    elsewhere = make_contract(wakefield, "PeoplePlus")
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=leeds))
    assert client.get(LIST).status_code == 403
    page = client.get(reverse("estate:provider-detail", kwargs={"pk": shared.provider_id}))
    assert page.status_code == 200
    assert "HMP Leeds" in page.text
    assert "HMP Wakefield" not in page.text
    other = client.get(reverse("estate:provider-detail", kwargs={"pk": elsewhere.provider_id}))
    assert other.status_code == 403
    assert client.get(reverse("estate:contract-export")).status_code == 403


def test_a_coordinator_adds_a_contract_with_a_new_provider(client, make_user, leeds) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, _contract_form(provider_name="Milton Keynes College"))
    assert response.status_code == 302
    contract = ProviderContract.objects.get()
    assert contract.provider.name == "Milton Keynes College"
    assert (contract.starts_on, contract.ends_on) == (date(2019, 4, 1), None)
    # The same provider in another case is the same provider.
    client.post(ADD, _contract_form(provider_name="milton keynes college", service="careers"))
    assert Provider.objects.count() == 1
    assert ProviderContract.objects.count() == 2


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"provider_name": ""}, "provider_name", "Enter the provider"),
        ({"service": "catering"}, "service", "Select a service from the list"),
        ({"starts_on": None}, "starts_on", "Enter the start date"),
        ({"ends_on": date(2019, 3, 31)}, "ends_on", "End date must be on or after the start date"),
    ],
)
def test_a_bad_contract_is_refused_naming_the_field(
    client, make_user, leeds, values, field, message
) -> None:
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    response = client.post(ADD, _contract_form(**values))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not ProviderContract.objects.exists()


def test_the_same_contract_twice_is_refused(client, make_user, leeds) -> None:
    make_contract(leeds, "Novus")
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    response = client.post(ADD, _contract_form())
    assert response.status_code == 400
    assert "already has a contract" in str(response.context["form"].errors["starts_on"])


def test_editing_a_contract_checks_its_version(client, make_user, leeds) -> None:
    contract = make_contract(leeds, "Novus", contract_name="Prison Education Framework")
    url = reverse("estate:contract-edit", kwargs={"code": "LE", "pk": contract.pk})
    client.force_login(make_user(Role.SYSTEM_ADMINISTRATOR))
    assert 'name="version" value="1"' in client.get(url).text
    assert client.post(url, _contract_form(version=1, ends_on=date(2025, 9, 30))).status_code == 302
    contract.refresh_from_db()
    assert (contract.ends_on, contract.version) == (date(2025, 9, 30), 2)

    links = ChainLink.objects.count()
    stale = client.post(url, _contract_form(version=1, ends_on=date(2026, 3, 31)))
    assert stale.status_code == 409
    assert "was changed by someone else" in stale.text
    assert 'value="2026"' in stale.text  # what was typed is kept
    contract.refresh_from_db()
    assert contract.ends_on == date(2025, 9, 30)
    assert ChainLink.objects.count() == links


def test_a_contract_at_another_establishment_is_not_found_here(client, make_user, leeds) -> None:
    contract = make_contract(make_establishment("WD"), "Novus")
    client.force_login(make_user(Role.HMIP_COORDINATOR))
    url = reverse("estate:contract-edit", kwargs={"code": "LE", "pk": contract.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.HMIP_INSPECTOR, Role.OFSTED_LEAD_INSPECTOR])
def test_only_coordinators_and_administrators_change_contracts(client, make_user, leeds, role):
    client.force_login(make_user(role))
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, _contract_form()).status_code == 403
    assert not ProviderContract.objects.exists()
