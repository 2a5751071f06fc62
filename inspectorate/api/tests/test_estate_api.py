"""Establishments, providers and contracts, and inspectors with their vetting, leave and
conflicts, through the API: the estate and inspectors services and `visible_to` rules the
screens use, If-Match on every write, and the screens' CSV imports (all rows or none)."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspectorate.accounts.roles import Role
from inspectorate.api.estate import views as views_estate
from inspectorate.api.tests.helpers import World, client_for, person, token_client
from inspectorate.audit.models import AccessEvent
from inspectorate.estate.models import Establishment, Provider, ProviderContract
from inspectorate.estate.tests.helpers import make_contract, make_establishment
from inspectorate.inspectors import services as inspector_services
from inspectorate.inspectors.constants import Clearance, DbsLevel, Grade, Organisation
from inspectorate.inspectors.models import (
    ConflictOfInterest,
    Inspector,
    InspectorBooking,
    Unavailability,
)

pytestmark = pytest.mark.django_db

COORDINATOR = Role.HMIP_COORDINATOR.value
SCHEDULER = Role.OFSTED_SCHEDULER.value
INSPECTOR = Role.HMIP_INSPECTOR.value
LOCAL = Role.ESTABLISHMENT_USER.value

_serial = count(1)


def send(client: Client, method: str, path: str, data: Any = None, version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return getattr(client, method)(
        path, data or {}, content_type="application/json", headers=headers
    )


def upload(client: Client, path: str, text: str) -> Any:
    return client.post(path, {"file": SimpleUploadedFile("rows.csv", text.encode("utf-8"))})


def fields(response: Any) -> set[str | None]:
    return {problem["field"] for problem in response.json()["errors"]}


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


def make_inspector(user: Any = None, **values: Any) -> Inspector:
    number = next(_serial)
    defaults: dict[str, Any] = {
        "name": f"Estate API Inspector {number}",
        "email": f"estate-api{number}@example.invalid",
        "organisation": Organisation.HMI_PRISONS,
        "grade": Grade.HMIP_INSPECTOR,
        "dbs_level": DbsLevel.ENHANCED,
        "dbs_checked_on": date(2025, 1, 1),
        "dbs_renewal_due_on": date(2028, 1, 1),
        "clearance": Clearance.SC,
    }
    return Inspector.objects.create(user=user, **{**defaults, **values})


# Establishments -----------------------------------------------------------------------------


@pytest.mark.rule("PG-11")
@pytest.mark.rule("PG-13")
def test_an_estate_manager_edits_an_establishment_with_its_version(world: World) -> None:
    leeds = world.leeds
    path = f"/api/v1/establishments/{leeds.pk}/"
    client = client_for(world.users[COORDINATOR])
    read = client.get(path)
    assert read.status_code == 200
    assert read["ETag"] == f'"{leeds.version}"'
    assert read.json()["max_inspectors_on_site"] is None
    change = {"max_inspectors_on_site": 12, "function": "Category B local prison"}
    assert send(client, "patch", path, change).status_code == 428
    assert send(client, "patch", path, change, leeds.version + 1).status_code == 412
    too_many = send(client, "patch", path, {"max_inspectors_on_site": 101}, leeds.version)
    assert too_many.status_code == 400
    assert fields(too_many) == {"max_inspectors_on_site"}
    grouped = send(client, "patch", path, {"probation_group": 2}, leeds.version)
    assert grouped.status_code == 400
    assert fields(grouped) == {"probation_group"}
    assert "probation area" in grouped.json()["errors"][0]["message"]
    unchanged = Establishment.objects.get(pk=leeds.pk)
    assert (unchanged.version, unchanged.max_inspectors_on_site) == (leeds.version, None)

    saved = send(client, "patch", path, change, leeds.version)
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == f'"{leeds.version + 1}"'
    body = saved.json()
    assert (body["max_inspectors_on_site"], body["function"]) == (12, change["function"])
    assert body["name"] == "HMP Leeds"  # left out, so kept
    assert Establishment.objects.get(pk=leeds.pk).max_inspectors_on_site == 12


@pytest.mark.parametrize(
    ("role", "expected"),
    [(INSPECTOR, 403), (SCHEDULER, 403), (LOCAL, 403), (Role.SYSTEM_ADMINISTRATOR.value, 200)],
)
def test_only_coordinators_and_administrators_edit_establishments(
    world: World, role: str, expected: int
) -> None:
    path = f"/api/v1/establishments/{world.leeds.pk}/"
    response = send(client_for(world.users[role]), "patch", path, {"name": "HMP Elsewhere"}, 1)
    assert response.status_code == expected, response.content
    renamed = Establishment.objects.get(pk=world.leeds.pk).name == "HMP Elsewhere"
    assert renamed == (expected == 200)


def test_an_establishment_user_cannot_see_or_touch_another_establishment(world: World) -> None:
    other = make_establishment("WD", "HMP Wakefield")
    local = client_for(world.users[LOCAL])
    assert local.get(f"/api/v1/establishments/{other.pk}/").status_code == 404
    response = send(local, "patch", f"/api/v1/establishments/{other.pk}/", {"name": "X"}, 1)
    assert response.status_code == 404
    assert Establishment.objects.get(pk=other.pk).name == "HMP Wakefield"


def test_a_write_racing_the_version_check_answers_412(world: World, monkeypatch: Any) -> None:
    """The service refuses a version that went stale between the If-Match check and its row
    lock with its own exception: the API answers 412 for it too, never a server error."""
    leeds = world.leeds
    monkeypatch.setattr(views_estate, "require_version", lambda request, record: 0)
    client = client_for(world.users[COORDINATOR])
    response = send(client, "patch", f"/api/v1/establishments/{leeds.pk}/", {"name": "X"}, 1)
    assert response.status_code == 412
    assert "changed by someone else" in response.json()["errors"][0]["message"]
    assert Establishment.objects.get(pk=leeds.pk).name == "HMP Leeds"


def test_a_read_token_cannot_edit(world: World) -> None:
    client, _secret = token_client(world.users[COORDINATOR], scope="read")
    response = send(client, "patch", f"/api/v1/establishments/{world.leeds.pk}/", {"name": "X"}, 1)
    assert response.status_code == 403
    assert Establishment.objects.get(pk=world.leeds.pk).name == "HMP Leeds"


# Providers and contracts --------------------------------------------------------------------


@pytest.fixture
def contracts(world: World) -> dict[str, Any]:
    wakefield = make_establishment("WD", "HMP Wakefield")
    return {
        "leeds": make_contract(world.leeds, "Novus", date(2024, 4, 1)),
        "wakefield": make_contract(wakefield, "Novus", date(2019, 4, 1), ends_on=date(2023, 3, 31)),
        "milton": make_contract(wakefield, "Milton Keynes College", date(2025, 4, 1)),
        "wakefield_place": wakefield,
    }


def test_providers_and_their_contracts_as_each_reader_may_see_them(
    world: World, contracts: dict[str, Any]
) -> None:
    novus = Provider.objects.get(name="Novus")
    milton = Provider.objects.get(name="Milton Keynes College")
    staff = client_for(world.users[INSPECTOR])
    listed = {row["name"]: row for row in staff.get("/api/v1/providers/").json()["results"]}
    assert set(listed) == {"Novus", "Milton Keynes College"}
    counts = ("contract_count", "current_count", "establishment_count")
    assert tuple(listed["Novus"][name] for name in counts) == (2, 1, 2)
    detail = staff.get(f"/api/v1/providers/{novus.pk}/").json()
    assert [(c["establishment"]["code"], c["state"]) for c in detail["contracts"]] == [
        ("LE", "current"),
        ("WD", "past"),
    ]

    local = client_for(world.users[LOCAL])
    mine = local.get("/api/v1/providers/").json()["results"]
    assert [(row["name"], row["contract_count"], row["establishment_count"]) for row in mine] == [
        ("Novus", 1, 1)
    ]
    assert local.get(f"/api/v1/providers/{milton.pk}/").status_code == 404
    only_leeds = local.get(f"/api/v1/providers/{novus.pk}/").json()["contracts"]
    assert [c["establishment"]["code"] for c in only_leeds] == ["LE"]
    assert [c["id"] for c in local.get("/api/v1/contracts/").json()["results"]] == [
        contracts["leeds"].pk
    ]
    assert local.get(f"/api/v1/contracts/{contracts['milton'].pk}/").status_code == 404


def test_an_estate_manager_adds_a_contract_with_the_establishments_version(
    world: World,
) -> None:
    leeds = world.leeds
    client = client_for(world.users[COORDINATOR])
    new = {
        "establishment": leeds.pk,
        "provider_name": "Weston College",
        "service": "education",
        "contract_name": "Prison Education Framework",
        "starts_on": "2026-04-01",
    }
    assert send(client, "post", "/api/v1/contracts/", new).status_code == 428
    assert send(client, "post", "/api/v1/contracts/", new, leeds.version + 1).status_code == 412
    backwards = send(client, "post", "/api/v1/contracts/", {**new, "ends_on": "2026-01-01"}, 1)
    assert backwards.status_code == 400
    assert fields(backwards) == {"ends_on"}
    nameless = send(client, "post", "/api/v1/contracts/", {**new, "provider_name": " "}, 1)
    assert fields(nameless) == {"provider_name"}
    unknown = send(client, "post", "/api/v1/contracts/", {**new, "establishment": 999_999}, 1)
    assert fields(unknown) == {"establishment"}
    for role in (INSPECTOR, SCHEDULER, LOCAL):
        refused = send(client_for(world.users[role]), "post", "/api/v1/contracts/", new, 1)
        assert refused.status_code == 403, role
    assert not ProviderContract.objects.exists()
    assert not Provider.objects.exists()

    made = send(client, "post", "/api/v1/contracts/", new, leeds.version)
    assert made.status_code == 201, made.content
    body = made.json()
    assert made["ETag"] == '"1"'
    assert (body["provider"]["name"], body["state"], body["ends_on"]) == (
        "Weston College",
        "current",
        None,
    )
    again = send(client, "post", "/api/v1/contracts/", new, leeds.version)
    assert again.status_code == 400
    assert fields(again) == {"starts_on"}
    assert ProviderContract.objects.count() == 1


def test_an_estate_manager_changes_a_contract_with_its_version(
    world: World, contracts: dict[str, Any]
) -> None:
    contract = contracts["leeds"]
    path = f"/api/v1/contracts/{contract.pk}/"
    client = client_for(world.users[Role.SYSTEM_ADMINISTRATOR])
    change = {"ends_on": "2027-03-31"}
    assert send(client, "patch", path, change).status_code == 428
    assert send(client, "patch", path, change, contract.version + 1).status_code == 412
    before = send(client, "patch", path, {"ends_on": "2020-01-01"}, contract.version)
    assert before.status_code == 400
    assert fields(before) == {"ends_on"}
    refused = send(client_for(world.users[INSPECTOR]), "patch", path, change, contract.version)
    assert refused.status_code == 403
    assert ProviderContract.objects.get(pk=contract.pk).ends_on is None

    changed = send(client, "patch", path, change, contract.version)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == f'"{contract.version + 1}"'
    saved = ProviderContract.objects.get(pk=contract.pk)
    assert (saved.ends_on, saved.provider.name, saved.version) == (
        date(2027, 3, 31),
        "Novus",
        contract.version + 1,
    )
    moved = send(client, "patch", path, {"provider_name": "Weston College"}, saved.version)
    assert moved.status_code == 200
    assert ProviderContract.objects.get(pk=contract.pk).provider.name == "Weston College"


def _providers_with_contracts(rows: int, first: int) -> None:
    for n in range(first, first + rows):
        place = make_establishment(f"P{n}", f"HMP P{n}")
        make_contract(place, f"Provider {n}", date(2024, 4, 1))


@pytest.mark.parametrize("path", ["/api/v1/providers/", "/api/v1/contracts/"])
def test_providers_and_contracts_list_in_a_fixed_number_of_queries(world: World, path: str) -> None:
    client = client_for(world.users[COORDINATOR])
    _providers_with_contracts(2, 0)
    few = queries(client, f"{path}?page_size=200")
    _providers_with_contracts(18, 2)
    many = queries(client, f"{path}?page_size=200")
    assert client.get(path).json()["count"] == 20
    assert few == many


# Imports ------------------------------------------------------------------------------------

ESTABLISHMENTS = (
    "code,name,kind,function,nation,region,security_category,max_inspectors_on_site,"
    "probation_group,operator,operator_company_number,status,opened_on,closed_on\n"
    "WD,HMP Wakefield,prison,High security,england,yorkshire,a,8,,,,open,,\n"
    "LE,HMP Leeds,prison,,england,yorkshire,b,,,,,open,,\n"
)
CONTRACTS = (
    "establishment_code,provider,provider_ukprn,service,contract_name,starts_on,ends_on\n"
    "LE,Novus,10004780,education,Prison Education Framework,2024-04-01,\n"
)
INSPECTORS = (
    "email,name,organisation,grade,home_region,specialisms,dbs_level,dbs_checked_on,"
    "dbs_renewal_due_on,clearance,active\n"
    "una.reed@example.invalid,Una Reed,ofsted,ofsted_oi,london,esw,enhanced,2025-02-01,"
    "2028-02-01,ctc,yes\n"
)


def test_establishments_import_all_rows_or_none(world: World) -> None:
    path = "/api/v1/establishments/import/"
    client = client_for(world.users[COORDINATOR])
    bad = ESTABLISHMENTS.replace("WD,HMP Wakefield,prison", "WD,HMP Wakefield,castle")
    rejected = upload(client, path, bad)
    assert rejected.status_code == 400
    (problem,) = rejected.json()["errors"]
    assert problem["field"] == "kind"
    assert problem["message"].startswith("Line 2, kind:")
    assert not Establishment.objects.filter(code="WD").exists()
    assert Establishment.objects.get(code="LE").security_category == ""
    for role in (INSPECTOR, SCHEDULER, LOCAL):
        assert upload(client_for(world.users[role]), path, ESTABLISHMENTS).status_code == 403
    assert not Establishment.objects.filter(code="WD").exists()
    missing = client.post(path, {})
    assert missing.status_code == 400
    assert fields(missing) == {"file"}

    imported = upload(client, path, ESTABLISHMENTS)
    assert imported.status_code == 200, imported.content
    assert (imported.json()["created"], imported.json()["updated"]) == (1, 1)
    assert Establishment.objects.get(code="WD").max_inspectors_on_site == 8
    again = upload(client, path, ESTABLISHMENTS).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_contracts_import_names_the_bad_cell_and_writes_nothing(world: World) -> None:
    path = "/api/v1/contracts/import/"
    client = client_for(world.users[Role.SYSTEM_ADMINISTRATOR])
    rejected = upload(client, path, CONTRACTS + "ZZ,Novus,,education,,2024-04-01,\n")
    assert rejected.status_code == 400
    assert [(e["field"], e["message"][:7]) for e in rejected.json()["errors"]] == [
        ("establishment_code", "Line 3,")
    ]
    assert not ProviderContract.objects.exists()
    not_utf8 = client.post(path, {"file": SimpleUploadedFile("rows.csv", b"\xff\xfe\x00bad")})
    assert not_utf8.status_code == 400
    assert not_utf8.json()["errors"][0]["message"].startswith("The file is not UTF-8")
    assert upload(client_for(world.users[INSPECTOR]), path, CONTRACTS).status_code == 403
    imported = upload(client, path, CONTRACTS)
    assert imported.status_code == 200, imported.content
    assert imported.json()["notes"] == ["1 new provider added."]
    assert ProviderContract.objects.get().provider.ukprn == "10004780"


@pytest.mark.rule("TM-1")
def test_inspectors_import_checks_vetting_and_is_for_inspector_managers(world: World) -> None:
    path = "/api/v1/inspectors/import/"
    scheduler = world.users[SCHEDULER]
    client = client_for(scheduler)
    undated = INSPECTORS.replace("enhanced,2025-02-01,", "enhanced,,")
    rejected = upload(client, path, undated)
    assert rejected.status_code == 400
    assert fields(rejected) == {"dbs_checked_on"}
    assert "Line 2" in rejected.json()["errors"][0]["message"]
    assert upload(client_for(world.users[INSPECTOR]), path, INSPECTORS).status_code == 403
    narrowed, _secret = token_client(scheduler, scope="write", organisations=["ofsted"])
    assert upload(narrowed, path, INSPECTORS).status_code == 403
    assert not Inspector.objects.filter(email="una.reed@example.invalid").exists()
    imported = upload(client, path, INSPECTORS)
    assert imported.status_code == 200, imported.content
    assert imported.json()["created"] == 1
    assert Inspector.objects.get(email="una.reed@example.invalid").clearance == Clearance.CTC


# Inspectors ---------------------------------------------------------------------------------


@pytest.mark.rule("DP-1")
def test_the_list_shows_dbs_status_and_one_record_the_check_with_the_read_logged(
    world: World,
) -> None:
    inspector = make_inspector()
    reader = world.users[INSPECTOR]
    client = client_for(reader)
    rows = client.get(f"/api/v1/inspectors/?q={inspector.name}").json()["results"]
    assert [(row["dbs_status"], row["clearance"]) for row in rows] == [("valid", "sc")]
    assert "dbs_renewal_due_on" not in rows[0]
    assert not AccessEvent.objects.filter(actor=reader).exists()
    record = client.get(f"/api/v1/inspectors/{inspector.pk}/").json()
    assert (record["dbs_level"], record["dbs_renewal_due_on"]) == ("enhanced", "2028-01-01")
    assert AccessEvent.objects.filter(actor=reader, record_id=str(inspector.pk)).count() == 1


@pytest.mark.rule("TM-1")
def test_an_inspector_manager_records_vetting_with_the_inspectors_version(world: World) -> None:
    inspector = make_inspector()
    path = f"/api/v1/inspectors/{inspector.pk}/vetting/"
    renewal = {
        "dbs_level": "enhanced_barred",
        "dbs_checked_on": "2026-11-01",
        "dbs_renewal_due_on": "2029-11-01",
        "clearance": "dv",
    }
    client = client_for(world.users[SCHEDULER])
    assert send(client, "post", path, renewal).status_code == 428
    assert send(client, "post", path, renewal, inspector.version + 1).status_code == 412
    undated = send(client, "post", path, {**renewal, "dbs_renewal_due_on": None}, 1)
    assert undated.status_code == 400
    assert fields(undated) == {"dbs_renewal_due_on"}
    refused = send(client_for(world.users[INSPECTOR]), "post", path, renewal, 1)
    assert refused.status_code == 403
    hidden = send(client_for(world.users[LOCAL]), "post", path, renewal, 1)
    assert hidden.status_code == 404
    assert Inspector.objects.get(pk=inspector.pk).clearance == Clearance.SC

    done = send(client, "post", path, renewal, inspector.version)
    assert done.status_code == 200, done.content
    assert done["ETag"] == f'"{inspector.version + 1}"'
    assert (done.json()["dbs_level"], done.json()["clearance"]) == ("enhanced_barred", "dv")


@pytest.mark.rule("TM-5")
def test_an_inspector_records_and_removes_their_own_leave(world: World) -> None:
    own = world.users[INSPECTOR]
    inspector = make_inspector(own)
    path = f"/api/v1/inspectors/{inspector.pk}/unavailability/"
    leave = {"kind": "annual_leave", "starts_on": "2027-02-01", "ends_on": "2027-02-05"}
    client = client_for(own)
    assert send(client, "post", path, leave).status_code == 428
    assert send(client, "post", path, leave, inspector.version + 1).status_code == 412
    backwards = send(client, "post", path, {**leave, "ends_on": "2027-01-01"}, 1)
    assert backwards.status_code == 400
    assert fields(backwards) == {"ends_on"}
    colleague = client_for(person("estate-api-colleague", Role.HMIP_INSPECTOR))
    assert send(colleague, "post", path, leave, 1).status_code == 403
    assert send(client_for(world.users[LOCAL]), "post", path, leave, 1).status_code == 404
    assert not Unavailability.objects.exists()

    made = send(client, "post", path, leave, inspector.version)
    assert made.status_code == 201, made.content
    period = made.json()
    clash = send(client, "post", path, {**leave, "kind": "training"}, inspector.version)
    assert clash.status_code == 400
    assert "already booked" in clash.json()["errors"][0]["message"]

    item = f"/api/v1/unavailability/{period['id']}/"
    assert client.get(item).json()["kind"] == "annual_leave"
    assert client_for(world.users[LOCAL]).get(item).status_code == 404
    assert send(client, "delete", item).status_code == 428
    assert send(client, "delete", item, version=period["version"] + 1).status_code == 412
    assert send(colleague, "delete", item, version=period["version"]).status_code == 403
    assert Unavailability.objects.count() == 1
    removed = send(client, "delete", item, version=period["version"])
    assert removed.status_code == 204
    assert not Unavailability.objects.exists()
    assert not InspectorBooking.objects.filter(inspector=inspector).exists()


@pytest.mark.rule("TM-2")
@pytest.mark.rule("DP-1")
def test_an_inspector_manager_records_a_conflict_of_interest(world: World) -> None:
    inspector = make_inspector()
    path = f"/api/v1/inspectors/{inspector.pk}/conflicts/"
    conflict = {"establishment": world.leeds.pk, "starts_on": "2026-01-01", "reason": "Brother"}
    client = client_for(world.users[COORDINATOR])
    assert send(client, "post", path, conflict).status_code == 428
    assert send(client, "post", path, conflict, inspector.version + 1).status_code == 412
    provider = Provider.objects.create(name="Novus")
    both = send(client, "post", path, {**conflict, "provider": provider.pk}, 1)
    assert both.status_code == 400
    assert fields(both) == {"establishment"}
    unknown = send(client, "post", path, {**conflict, "establishment": 999_999}, 1)
    assert fields(unknown) == {"establishment"}
    reasonless = send(client, "post", path, {**conflict, "reason": " "}, 1)
    assert fields(reasonless) == {"reason"}
    refused = send(client_for(world.users[INSPECTOR]), "post", path, conflict, 1)
    assert refused.status_code == 403
    assert not ConflictOfInterest.objects.exists()

    made = send(client, "post", path, conflict, inspector.version)
    assert made.status_code == 201, made.content
    assert made.json()["establishment"]["code"] == "LE"
    reader = world.users[INSPECTOR]
    listed = client_for(reader).get(f"/api/v1/conflicts/?inspector={inspector.pk}").json()
    assert [row["reason"] for row in listed["results"]] == ["Brother"]
    assert AccessEvent.objects.filter(actor=reader, record_id=str(inspector.pk)).exists()
    assert client_for(world.users[LOCAL]).get("/api/v1/conflicts/").json()["count"] == 0


def _leave_and_conflicts(rows: int, actor: Any, leeds: Establishment) -> None:
    for _ in range(rows):
        inspector = make_inspector()
        inspector_services.unavailability_add(
            actor=actor,
            inspector=inspector,
            kind="training",
            starts_on=date(2027, 3, 1),
            ends_on=date(2027, 3, 2),
        )
        inspector_services.conflict_declare(
            actor=actor,
            inspector=inspector,
            establishment=leeds,
            starts_on=date(2026, 1, 1),
            reason="Worked there.",
        )


@pytest.mark.parametrize(
    "path", ["/api/v1/unavailability/", "/api/v1/conflicts/", "/api/v1/inspectors/"]
)
def test_inspector_lists_in_a_fixed_number_of_queries(world: World, path: str) -> None:
    coordinator = world.users[COORDINATOR]
    client = client_for(coordinator)
    _leave_and_conflicts(2, coordinator, world.leeds)
    few = queries(client, f"{path}?page_size=200")
    _leave_and_conflicts(18, coordinator, world.leeds)
    many = queries(client, f"{path}?page_size=200")
    assert client.get(path).json()["count"] >= 20
    assert few == many
