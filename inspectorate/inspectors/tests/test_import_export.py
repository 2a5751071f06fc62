"""CSV import and export of inspectors: by email, all or nothing, idempotent, round trip."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent, ChainLink
from inspectorate.inspectors.constants import Clearance, DbsLevel, Specialism
from inspectorate.inspectors.models import Inspector
from inspectorate.inspectors.services import inspectors_export, inspectors_import
from inspectorate.lib.csvio import ImportRejected, RowError

HEADER = (
    "email,name,organisation,grade,home_region,specialisms,dbs_level,dbs_checked_on,"
    "dbs_renewal_due_on,clearance,active\n"
)
GOOD = HEADER + (
    "Una.Reed@Example.invalid,Una Reed,Ofsted,ofsted_oi,london,"
    "offender learning; esw,enhanced,2025-02-01,2028-02-01,ctc,yes\n"
    "vic.hale@example.invalid,Vic Hale,hmip,hmip_team_leader,,,,,,sc,\n"
)


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMINISTRATOR)


@pytest.mark.django_db
def test_an_import_creates_inspectors(admin) -> None:
    result = inspectors_import(actor=admin, data=GOOD)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    una = Inspector.objects.get(email="una.reed@example.invalid")
    assert una.specialisms == [Specialism.EDUCATION_SKILLS_WORK, Specialism.OFFENDER_LEARNING]
    assert (una.dbs_level, una.dbs_renewal_due_on, una.clearance) == (
        DbsLevel.ENHANCED,
        date(2028, 2, 1),
        Clearance.CTC,
    )
    vic = Inspector.objects.get(email="vic.hale@example.invalid")
    assert (vic.dbs_level, vic.active, vic.home_region) == (DbsLevel.NONE, True, "")


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(admin) -> None:
    inspectors_import(actor=admin, data=GOOD)
    links = ChainLink.objects.count()
    result = inspectors_import(actor=admin, data=GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert ChainLink.objects.count() == links


@pytest.mark.django_db
def test_a_changed_row_updates_only_that_record_and_bumps_its_version(
    admin, make_inspector
) -> None:
    inspectors_import(actor=admin, data=GOOD)
    changed = GOOD.replace(
        "Vic Hale,hmip,hmip_team_leader,,", "Vic Hale,hmip,hmip_team_leader,wales,"
    )
    result = inspectors_import(actor=admin, data=changed)
    assert (result.updated, result.unchanged) == (1, 1)
    vic = Inspector.objects.get(email="vic.hale@example.invalid")
    assert (vic.home_region, vic.version) == ("wales", 2)


@pytest.mark.django_db
def test_every_bad_row_is_reported_and_nothing_is_written(admin) -> None:
    bad = HEADER + (
        "una.reed@example.invalid,Una Reed,Ofsted,ofsted_oi,london,esw,enhanced,"
        "2025-02-01,2028-02-01,ctc,yes\n"
        "not-an-email,Wyn,hmip,hmip_inspector,,,,,,,\n"
        "xan@example.invalid,Xan,hmip,hmip_inspector,,juggling,enhanced,2025-01-01,,,\n"
        "yas@example.invalid,Yas,hmip,hmip_inspector,,,none,2025-01-01,,,\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        inspectors_import(actor=admin, data=bad)
    errors = rejected.value.errors
    assert RowError(3, "email", "'not-an-email' is not an email address") in errors
    assert any(e.line == 4 and e.field == "specialisms" for e in errors)
    assert not Inspector.objects.exists()

    dates_only = bad.replace("juggling", "safety").replace("not-an-email", "wyn@example.invalid")
    with pytest.raises(ImportRejected) as rejected:
        inspectors_import(actor=admin, data=dates_only)
    assert rejected.value.errors == [
        RowError(4, "dbs_renewal_due_on", "Enter the DBS renewal date"),
        RowError(5, "dbs_checked_on", "Leave the DBS check date empty when there is no check"),
    ]
    assert not Inspector.objects.exists()


@pytest.mark.django_db
def test_an_email_twice_in_one_file_is_refused(admin) -> None:
    twice = GOOD + "una.reed@example.invalid,Una Again,ofsted,ofsted_hmi,,,,,,,\n"
    with pytest.raises(ImportRejected) as rejected:
        inspectors_import(actor=admin, data=twice)
    assert rejected.value.errors == [RowError(4, "email", "repeats line 2")]


@pytest.mark.django_db
def test_export_then_import_round_trips_and_is_logged(admin, make_inspector) -> None:
    make_inspector(
        "Zed Round",
        specialisms=[Specialism.SAFETY, Specialism.WOMEN],
        home_region="north_east",
    )
    make_inspector(
        "=Formula", dbs_level=DbsLevel.NONE, dbs_checked_on=None, dbs_renewal_due_on=None
    )
    text = inspectors_export(actor=admin)
    assert AccessEvent.objects.filter(purpose="export").count() == 2
    assert text.splitlines()[0] == HEADER.strip()
    links = ChainLink.objects.count()
    before = list(Inspector.objects.order_by("pk").values())
    text = text.replace("'=Formula", "=Formula")  # a spreadsheet would read it back as typed
    result = inspectors_import(actor=admin, data=text)
    assert result.unchanged == 2
    assert list(Inspector.objects.order_by("pk").values()) == before
    assert ChainLink.objects.count() == links


@pytest.mark.django_db
def test_import_and_export_need_an_inspector_manager(client, make_user, establishment) -> None:
    with pytest.raises(PermissionDenied):
        inspectors_import(actor=make_user(Role.HMIP_TEAM_LEADER), data=GOOD)
    client.force_login(make_user(Role.OFSTED_INSPECTOR))
    assert client.get(reverse("inspectors:import")).status_code == 403
    assert client.get(reverse("inspectors:export")).status_code == 403
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=establishment))
    assert client.get(reverse("inspectors:export")).status_code == 403


@pytest.mark.django_db
def test_the_import_page_lists_bad_rows_by_line(client, admin) -> None:
    client.force_login(admin)
    url = reverse("inspectors:import")
    upload = SimpleUploadedFile("i.csv", (HEADER + "x,,hmip,hmip_inspector,,,,,,,\n").encode())
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    assert "The file was not imported" in response.text
    assert "&#x27;x&#x27; is not an email address" in response.text
    good = SimpleUploadedFile("i.csv", GOOD.encode())
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert Inspector.objects.count() == 2
    download = client.get(reverse("inspectors:export"))
    assert download["Content-Type"].startswith("text/csv")
    assert b"una.reed@example.invalid" in download.content
