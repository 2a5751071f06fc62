"""CSV import and export of establishments and provider contracts: all or nothing, every
problem by line and column, idempotent, and an export imports back unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.estate.models import Establishment, Provider, ProviderContract
from inspectorate.estate.selectors import contracts_export_csv, establishments_export_csv
from inspectorate.estate.services import contracts_import, establishments_import
from inspectorate.estate.tests.helpers import make_contract, make_establishment
from inspectorate.lib.csvio import ImportRejected, RowError

HEADER = (
    "code,name,kind,function,nation,region,security_category,max_inspectors_on_site,"
    "probation_group,operator,operator_company_number,status,opened_on,closed_on\n"
)
ESTABLISHMENTS = HEADER + (
    "LE,HMP Leeds,prison,Category B local prison for men,england,yorkshire,b,16,,,,open,,\n"
    "CF,HMP/YOI Cardiff,Prison,,Wales,Wales,,12,,,,open,,\n"
    "PS-YH,Probation Service Yorkshire,probation_area,,england,yorkshire,,6,3,,,open,,\n"
    "OW,HMP Oakwood,prison,,england,west_midlands,c,20,,G4S Care and Justice Services,"
    "02984969,open,2012-04-24,\n"
)
CONTRACT_HEADER = (
    "establishment_code,provider,provider_ukprn,service,contract_name,starts_on,ends_on\n"
)
CONTRACTS = CONTRACT_HEADER + (
    "LE,Novus,,education,Prison Education Framework,2019-04-01,2025-09-30\n"
    "LE,Novus,,education,Prison Education Service,2025-10-01,\n"
    "LE,PeoplePlus,,skills_work,,2019-10-01,2022-03-31\n"
    "CF,Novus Cambria,,education,,2019-04-01,\n"
)


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR)


def test_establishments_are_created_then_unchanged_on_a_second_import(coordinator) -> None:
    result = establishments_import(actor=coordinator, data=ESTABLISHMENTS.encode())
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    leeds = Establishment.objects.get(code="LE")
    assert (leeds.security_category, leeds.max_inspectors_on_site, leeds.region) == (
        "b",
        16,
        "yorkshire",
    )
    assert Establishment.objects.get(code="PS-YH").probation_group == 3
    assert Establishment.objects.get(code="OW").opened_on == date(2012, 4, 24)

    links = ChainLink.objects.count()
    again = establishments_import(actor=coordinator, data=ESTABLISHMENTS.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert ChainLink.objects.count() == links, "re-importing the same file must write nothing"


def test_a_changed_row_updates_only_that_record_and_its_version(coordinator) -> None:
    establishments_import(actor=coordinator, data=ESTABLISHMENTS)
    result = establishments_import(
        actor=coordinator, data=ESTABLISHMENTS.replace(",b,16,", ",b,18,")
    )
    assert (result.updated, result.unchanged) == (1, 3)
    leeds = Establishment.objects.get(code="LE")
    assert (leeds.max_inspectors_on_site, leeds.version) == (18, 2)
    assert Establishment.objects.get(code="CF").version == 1


@pytest.mark.rule("PG-13")
@pytest.mark.rule("PG-11")
def test_every_bad_row_is_reported_and_nothing_is_written(coordinator) -> None:
    data = HEADER + (
        "LE,HMP Leeds,prison,,england,yorkshire,,16,2,,,open,,\n"
        "WD,HMP Wakefield,prison,,england,wales,,0,,,,open,,\n"
        "le,HMP Leeds again,prison,,england,,,,,,,open,,\n"
        "HY,HMP Holloway,prison,,england,london,,,,,,closed,,\n"
        "XX,HMP X,prison,,england,,,,,,02984969,open,2020-02-01,2019-01-01\n"
    )
    links = ChainLink.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        establishments_import(actor=coordinator, data=data)
    errors = rejected.value.errors
    assert (
        RowError(
            2,
            "probation_group",
            "Only a probation area has a probation group: leave probation group empty for a prison",
        )
        in errors
    )
    assert RowError(3, "region", "Region cannot be Wales for an establishment in England") in errors
    assert (
        RowError(
            3,
            "max_inspectors_on_site",
            "On-site maximum must be a whole number from 1 to 100 inspectors",
        )
        in errors
    )
    assert RowError(4, "code", "repeats line 2") in errors
    assert RowError(5, "closed_on", "Enter the closing date of a closed establishment") in errors
    assert (
        RowError(
            6,
            "operator_company_number",
            "Company number is for a contracted-out establishment: enter the operator, "
            "or clear the company number",
        )
        in errors
    )
    assert (
        RowError(
            6,
            "closed_on",
            "Closing date is only for a closed establishment: clear it, or set status to closed",
        )
        in errors
    )
    assert not Establishment.objects.exists()
    assert ChainLink.objects.count() == links


def test_cells_that_cannot_be_read_are_reported_first(coordinator) -> None:
    data = HEADER + "XX,,castle,,england,,,,,,,open,2020-02-30,\n"
    with pytest.raises(ImportRejected) as rejected:
        establishments_import(actor=coordinator, data=data)
    assert {(e.line, e.field) for e in rejected.value.errors} == {
        (2, "name"),
        (2, "kind"),
        (2, "opened_on"),
    }
    assert not Establishment.objects.exists()


def test_contracts_import_adds_providers_and_is_idempotent(coordinator) -> None:
    establishments_import(actor=coordinator, data=ESTABLISHMENTS)
    result = contracts_import(actor=coordinator, data=CONTRACTS)
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert result.notes == ["3 new providers added."]
    assert sorted(Provider.objects.values_list("name", flat=True)) == [
        "Novus",
        "Novus Cambria",
        "PeoplePlus",
    ]
    links = ChainLink.objects.count()
    again = contracts_import(actor=coordinator, data=CONTRACTS.replace("LE,Novus,", "LE,NOVUS,"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert ChainLink.objects.count() == links, "re-importing the same file must write nothing"


def test_a_contract_row_updates_its_end_date_by_natural_key(coordinator) -> None:
    establishments_import(actor=coordinator, data=ESTABLISHMENTS)
    contracts_import(actor=coordinator, data=CONTRACTS)
    ended = CONTRACTS.replace("2025-10-01,\n", "2025-10-01,2029-03-31\n")
    result = contracts_import(actor=coordinator, data=ended)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    pes = ProviderContract.objects.get(contract_name="Prison Education Service")
    assert (pes.ends_on, pes.version) == (date(2029, 3, 31), 2)


def test_bad_contract_rows_are_reported_by_line_and_column(coordinator) -> None:
    make_establishment("LE", "HMP Leeds")
    data = CONTRACT_HEADER + (
        "ZZ,Novus,,education,,2019-04-01,\n"
        "LE,Novus,,education,,2019-04-01,2019-03-31\n"
        "LE,Novus,,education,,2019-04-01,\n"
        "LE,Weston College,10007500,education,,2020-04-01,\n"
        "LE,Weston College,10007501,careers,,2020-04-01,\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        contracts_import(actor=coordinator, data=data)
    errors = rejected.value.errors
    assert RowError(2, "establishment_code", "no establishment has the code 'ZZ'") in errors
    assert RowError(3, "ends_on", "the contract ends before it starts") in errors
    assert (
        RowError(
            4,
            "starts_on",
            "repeats line 3: same establishment, provider, service and start date",
        )
        in errors
    )
    assert RowError(6, "provider_ukprn", "differs from line 5 for Weston College") in errors
    assert len(errors) == 4
    assert not ProviderContract.objects.exists()
    assert not Provider.objects.exists()


def test_contract_cells_that_cannot_be_read_are_reported(coordinator) -> None:
    data = CONTRACT_HEADER + "LE,Novus,1234,teaching,,01/04/2019,\n"
    with pytest.raises(ImportRejected) as rejected:
        contracts_import(actor=coordinator, data=data)
    assert {(e.line, e.field) for e in rejected.value.errors} == {
        (2, "provider_ukprn"),
        (2, "service"),
        (2, "starts_on"),
    }


def test_establishments_and_contracts_round_trip(coordinator) -> None:
    establishments_import(actor=coordinator, data=ESTABLISHMENTS)
    contracts_import(actor=coordinator, data=CONTRACTS)
    Provider.objects.filter(name="Novus").update(ukprn="10004760")
    establishments_csv = establishments_export_csv(coordinator)
    contracts_csv = contracts_export_csv(coordinator)
    assert establishments_csv.splitlines()[0] + "\n" == HEADER
    assert contracts_csv.splitlines()[0] + "\n" == CONTRACT_HEADER

    links = ChainLink.objects.count()
    assert establishments_import(actor=coordinator, data=establishments_csv).unchanged == 4
    assert contracts_import(actor=coordinator, data=contracts_csv).unchanged == 4
    assert ChainLink.objects.count() == links

    # Into an empty database, the export rebuilds the same records.
    ProviderContract.objects.all().delete()
    Provider.objects.all().delete()
    Establishment.objects.all().delete()
    establishments_import(actor=coordinator, data=establishments_csv)
    contracts_import(actor=coordinator, data=contracts_csv)
    assert establishments_export_csv(coordinator) == establishments_csv
    assert contracts_export_csv(coordinator) == contracts_csv


def test_only_coordinators_and_administrators_import(client, make_user) -> None:
    with pytest.raises(PermissionDenied):
        establishments_import(actor=make_user(Role.HMIP_TEAM_LEADER), data=ESTABLISHMENTS)
    with pytest.raises(PermissionDenied):
        contracts_import(actor=make_user(Role.OFSTED_SCHEDULER), data=CONTRACTS)
    client.force_login(make_user(Role.HMIP_INSPECTOR))
    assert client.get(reverse("estate:establishment-import")).status_code == 403
    assert client.get(reverse("estate:contract-import")).status_code == 403
    assert client.get(reverse("estate:establishment-export")).status_code == 200  # staff export
    assert not Establishment.objects.exists()


def test_the_import_page_imports_a_file_and_lists_problems(client, coordinator) -> None:
    client.force_login(coordinator)
    url = reverse("estate:establishment-import")
    assert "max_inspectors_on_site" in client.get(url).text  # the columns are described
    bad = SimpleUploadedFile(
        "e.csv", (HEADER + "LE,HMP Leeds,prison,,england,,,,9,,,open,,\n").encode()
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "The file was not imported" in response.text
    assert "probation_group" in response.text
    good = SimpleUploadedFile("e.csv", ESTABLISHMENTS.encode())
    response = client.post(url, {"file": good}, follow=True)
    assert "4 rows read: 4 created" in response.text
    assert Establishment.objects.count() == 4


def test_the_export_downloads_csv(client, coordinator) -> None:
    leeds = make_establishment("LE", "HMP Leeds", max_inspectors_on_site=16)
    make_contract(leeds, "Novus", contract_name="Prison Education Framework")
    client.force_login(coordinator)
    response = client.get(reverse("estate:establishment-export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="establishments.csv"' in response["Content-Disposition"]
    assert '"LE",HMP Leeds,prison' in response.content.decode()  # identifiers quoted
    contracts = client.get(reverse("estate:contract-export")).content.decode()
    assert '"LE",Novus,,education,Prison Education Framework,2019-04-01,' in contracts


def test_the_contract_import_page_works_for_an_administrator(client, make_user) -> None:
    make_establishment("LE", "HMP Leeds")
    make_establishment("CF", "HMP/YOI Cardiff", nation="wales")
    client.force_login(make_user(Role.SYSTEM_ADMINISTRATOR))
    upload = SimpleUploadedFile("c.csv", CONTRACTS.encode())
    response = client.post(reverse("estate:contract-import"), {"file": upload})
    assert response.status_code == 302
    assert ProviderContract.objects.count() == 4
