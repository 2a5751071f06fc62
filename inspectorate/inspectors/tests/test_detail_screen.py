"""The inspector's page: profile, vetting, conflicts, a 12-month calendar, and its forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import Clearance, UnavailabilityKind
from inspectorate.inspectors.models import ConflictOfInterest, Inspector, Unavailability
from inspectorate.inspectors.services import inspector_book, unavailability_add


def _date(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}  # fmt: skip


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR)


@pytest.mark.django_db
def test_the_page_shows_profile_vetting_conflicts_and_calendar(
    client, coordinator, make_inspector
) -> None:
    today = timezone.localdate()
    inspector = make_inspector("Mia Detail", clearance=Clearance.DV)
    leeds = Establishment.objects.create(code="LE", name="HMP Leeds", kind="prison")
    ConflictOfInterest.objects.create(
        inspector=inspector, establishment=leeds, starts_on=date(2020, 1, 1), reason="Ex-governor"
    )
    soon = today + timedelta(days=40)
    unavailability_add(
        actor=coordinator,
        inspector=inspector,
        kind=UnavailabilityKind.TRAINING,
        starts_on=soon,
        ends_on=soon,
        note="First aid",
    )
    inspector_book(
        actor=coordinator,
        inspector=inspector,
        starts_on=soon + timedelta(days=1),
        ends_on=soon + timedelta(days=3),
        label="HMP Leeds full inspection",
    )
    client.force_login(coordinator)
    response = client.get(reverse("inspectors:detail", args=[inspector.pk]))
    assert response.status_code == 200
    page = response.text
    assert '<h1 class="govuk-heading-l">Mia Detail</h1>' in page
    assert "Developed vetting (DV)" in page
    assert "Ex-governor" in page
    assert "HMP Leeds" in page
    assert "First aid" in page
    assert "HMP Leeds full inspection" in page
    months = response.context["months"]
    assert len(months) == 12
    assert months[0].first_day == today.replace(day=1)
    assert sum(len(month.bookings) for month in months) >= 2
    assert page.count('<h3 class="govuk-heading-s">') == 12


@pytest.mark.django_db
def test_opening_an_inspector_is_logged(client, coordinator, make_inspector) -> None:
    inspector = make_inspector()
    client.force_login(coordinator)
    client.get(reverse("inspectors:detail", args=[inspector.pk]))
    (event,) = AccessEvent.objects.filter(record_type="inspectors.inspector")
    assert (event.record_id, event.actor_id) == (str(inspector.pk), coordinator.pk)


@pytest.mark.django_db
def test_the_detail_page_is_for_staff_only(client, make_user, establishment, make_inspector):
    inspector = make_inspector("Secret Person")
    client.force_login(make_user(Role.ESTABLISHMENT_USER, establishment=establishment))
    for name in ("detail", "unavailability-add", "conflict-add", "vetting"):
        response = client.get(reverse(f"inspectors:{name}", args=[inspector.pk]))
        assert response.status_code == 403, name
        assert "Secret Person" not in response.text


@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_recording_leave_through_the_form(client, coordinator, make_inspector) -> None:
    inspector = make_inspector()
    client.force_login(coordinator)
    url = reverse("inspectors:unavailability-add", args=[inspector.pk])
    data = {"kind": "annual_leave", "note": "Summer"}
    data |= _date("starts_on", date(2027, 8, 2)) | _date("ends_on", date(2027, 8, 13))
    response = client.post(url, data)
    assert response.status_code == 302
    leave = Unavailability.objects.get()
    assert (leave.starts_on, leave.ends_on, leave.note) == (
        date(2027, 8, 2),
        date(2027, 8, 13),
        "Summer",
    )


@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_a_clash_is_shown_on_the_form_and_nothing_is_saved(
    client, coordinator, make_inspector
) -> None:
    inspector = make_inspector("Noor Clash")
    inspector_book(
        actor=coordinator,
        inspector=inspector,
        starts_on=date(2027, 6, 7),
        ends_on=date(2027, 6, 11),
        label="HMP Wakefield full inspection",
    )
    client.force_login(coordinator)
    data = {"kind": "annual_leave"}
    data |= _date("starts_on", date(2027, 6, 10)) | _date("ends_on", date(2027, 6, 20))
    response = client.post(reverse("inspectors:unavailability-add", args=[inspector.pk]), data)
    assert response.status_code == 400
    assert (
        "Noor Clash is already booked from 7 June 2027 to 11 June 2027 "
        "(HMP Wakefield full inspection)." in response.text
    )
    assert "There is a problem" in response.text
    assert not Unavailability.objects.exists()


@pytest.mark.django_db
def test_bad_dates_are_named_by_field(client, coordinator, make_inspector) -> None:
    inspector = make_inspector()
    client.force_login(coordinator)
    data = {"starts_on_day": "31", "starts_on_month": "2", "starts_on_year": "2027"}
    data |= {"ends_on_day": "3", "ends_on_month": "", "ends_on_year": "2027"}
    response = client.post(reverse("inspectors:unavailability-add", args=[inspector.pk]), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["kind"] == ["Select what kind of unavailability it is"]
    assert errors["starts_on"] == ["First day must be a real date"]
    assert errors["ends_on"] == ["Last day must include a month"]
    assert 'href="#id_starts_on_day"' in response.text
    assert not Unavailability.objects.exists()


@pytest.mark.django_db
def test_inspectors_may_add_their_own_leave_but_not_others(
    client, make_user, make_inspector
) -> None:
    me = make_user(Role.HMIP_INSPECTOR)
    mine, theirs = make_inspector(user=me), make_inspector()
    client.force_login(me)
    assert client.get(reverse("inspectors:unavailability-add", args=[mine.pk])).status_code == 200
    data = {"kind": "annual_leave"}
    data |= _date("starts_on", date(2027, 8, 2)) | _date("ends_on", date(2027, 8, 2))
    response = client.post(reverse("inspectors:unavailability-add", args=[theirs.pk]), data)
    assert response.status_code == 403
    assert client.get(reverse("inspectors:conflict-add", args=[mine.pk])).status_code == 403
    assert not Unavailability.objects.exists()
    page = client.get(reverse("inspectors:detail", args=[mine.pk])).text
    assert "Record leave or other unavailability" in page
    assert "Record a conflict of interest" not in page


@pytest.mark.django_db
def test_removing_leave_through_the_page(client, coordinator, make_inspector) -> None:
    inspector = make_inspector()
    leave = unavailability_add(
        actor=coordinator,
        inspector=inspector,
        kind="sickness",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    client.force_login(coordinator)
    url = reverse("inspectors:unavailability-remove", args=[inspector.pk, leave.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"version": "1"})
    assert not Unavailability.objects.exists()


@pytest.mark.rule("TM-2")
@pytest.mark.django_db
def test_recording_a_conflict_through_the_form(client, make_user, make_inspector) -> None:
    inspector = make_inspector()
    leeds = Establishment.objects.create(code="LE", name="HMP Leeds", kind="prison")
    client.force_login(make_user(Role.OFSTED_SCHEDULER))
    url = reverse("inspectors:conflict-add", args=[inspector.pk])
    missing = client.post(url, {"reason": "x"} | _date("starts_on", date(2024, 1, 1)))
    assert missing.status_code == 400
    assert missing.context["form"].errors["establishment"] == [
        "Choose the establishment or the provider"
    ]
    response = client.post(
        url,
        {"establishment": leeds.pk, "reason": "Former teacher there"}
        | _date("starts_on", date(2024, 1, 1)),
    )
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.establishment, conflict.ends_on) == (leeds, None)


@pytest.mark.rule("TM-1")
@pytest.mark.django_db
def test_recording_a_dbs_renewal_through_the_form(client, coordinator, make_inspector) -> None:
    inspector = make_inspector()
    client.force_login(coordinator)
    url = reverse("inspectors:vetting", args=[inspector.pk])
    form = client.get(url)
    assert 'value="1"' in form.text  # the version travels with the form
    data = {"version": "1", "dbs_level": "enhanced_barred", "clearance": "sc"}
    data |= _date("dbs_checked_on", date(2026, 11, 1))
    data |= _date("dbs_renewal_due_on", date(2029, 11, 1))
    assert client.post(url, data).status_code == 302
    inspector.refresh_from_db()
    assert (inspector.dbs_renewal_due_on, inspector.version) == (date(2029, 11, 1), 2)
    stale = client.post(url, data)  # the same form sent again: version 1 is stale now
    assert stale.status_code == 400
    assert "changed by someone else" in stale.text
    assert Inspector.objects.get(pk=inspector.pk).version == 2
