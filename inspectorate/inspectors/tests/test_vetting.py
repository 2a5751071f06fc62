"""TM-1: an enhanced DBS check valid on every day of the inspection, and enough clearance."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from inspectorate.accounts.roles import Role
from inspectorate.inspectors.constants import Clearance, DbsLevel, DbsStatus
from inspectorate.inspectors.models import Inspector
from inspectorate.inspectors.services import inspector_vetting_update

START, END = date(2027, 6, 7), date(2027, 6, 18)


@pytest.mark.rule("TM-1")
@pytest.mark.django_db
def test_a_check_valid_on_every_day_and_enough_clearance_passes(make_inspector) -> None:
    inspector = make_inspector(clearance=Clearance.DV)
    check = inspector.vetting_valid_throughout(START, END, Clearance.SC)
    assert check.valid
    assert bool(check) is True
    assert check.reasons == ()


@pytest.mark.rule("TM-1")
@pytest.mark.django_db
def test_a_check_that_lapses_during_the_inspection_fails_with_the_reason(make_inspector) -> None:
    inspector = make_inspector("Ann Lapse", dbs_renewal_due_on=date(2027, 6, 17))
    check = inspector.vetting_valid_throughout(START, END, Clearance.SC)
    assert not check
    assert check.reason == (
        "Ann Lapse's DBS check is valid only until 17 June 2027, before the last day "
        "(18 June 2027)."
    )
    # valid up to and including the renewal date
    assert inspector.vetting_valid_throughout(START, date(2027, 6, 17), Clearance.SC)


@pytest.mark.rule("TM-1")
@pytest.mark.django_db
def test_a_check_made_after_the_first_day_fails(make_inspector) -> None:
    inspector = make_inspector("Bo Late", dbs_checked_on=date(2027, 6, 8))
    check = inspector.vetting_valid_throughout(START, END)
    assert not check.valid
    assert "dated 8 June 2027, after the first day (7 June 2027)" in check.reason


@pytest.mark.rule("TM-1")
@pytest.mark.django_db
def test_a_standard_check_is_not_enough(make_inspector) -> None:
    inspector = make_inspector("Cy Standard", dbs_level=DbsLevel.STANDARD)
    check = inspector.vetting_valid_throughout(START, END)
    assert check.reasons == ("Cy Standard has no enhanced DBS check recorded.",)
    none = make_inspector(
        "Di None", dbs_level=DbsLevel.NONE, dbs_checked_on=None, dbs_renewal_due_on=None
    )
    assert not none.vetting_valid_throughout(START, END)


@pytest.mark.rule("TM-1")
@pytest.mark.django_db
def test_clearance_below_the_site_need_fails_and_every_reason_is_given(make_inspector) -> None:
    inspector = make_inspector(
        "Ed Low", clearance=Clearance.CTC, dbs_renewal_due_on=date(2027, 6, 10)
    )
    check = inspector.vetting_valid_throughout(START, END, "sc")
    assert len(check.reasons) == 2
    assert check.reasons[1] == (
        "Ed Low needs Security check (SC) clearance but holds Counter-terrorist check (CTC)."
    )
    assert inspector.vetting_valid_throughout(START, date(2027, 6, 10), Clearance.CTC)
    uncleared = make_inspector("Flo Zero", clearance=Clearance.NONE)
    assert (
        "holds no security clearance"
        in uncleared.vetting_valid_throughout(START, END, Clearance.CTC).reason
    )


@pytest.mark.rule("TM-1")
@pytest.mark.django_db
def test_the_database_refuses_inconsistent_dbs_dates(make_inspector) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_inspector(dbs_level=DbsLevel.ENHANCED, dbs_renewal_due_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_inspector(dbs_checked_on=date(2028, 1, 1), dbs_renewal_due_on=date(2027, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_inspector(dbs_level=DbsLevel.NONE)  # dates without a check


@pytest.mark.django_db
def test_dbs_status_on_a_day(make_inspector) -> None:
    inspector = make_inspector(dbs_renewal_due_on=date(2027, 3, 31))
    assert inspector.dbs_status(date(2026, 12, 1)) == DbsStatus.VALID
    assert inspector.dbs_status(date(2027, 1, 1)) == DbsStatus.EXPIRING  # 89 days before
    assert inspector.dbs_status(date(2027, 3, 31)) == DbsStatus.EXPIRING
    assert inspector.dbs_status(date(2027, 4, 1)) == DbsStatus.EXPIRED


@pytest.mark.rule("TM-1")
@pytest.mark.django_db
def test_recording_a_renewal_bumps_the_version(make_inspector, make_user) -> None:
    inspector = make_inspector()
    updated = inspector_vetting_update(
        actor=make_user(Role.HMIP_COORDINATOR),
        inspector=inspector,
        version=1,
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_checked_on=date(2026, 11, 1),
        dbs_renewal_due_on=date(2029, 11, 1),
        clearance=Clearance.SC,
    )
    assert (updated.version, updated.dbs_renewal_due_on) == (2, date(2029, 11, 1))
    inspector.refresh_from_db()
    assert inspector.dbs_level == DbsLevel.ENHANCED_BARRED


@pytest.mark.django_db
def test_a_stale_vetting_edit_is_refused_naming_the_record(make_inspector, make_user) -> None:
    inspector = make_inspector("Gil Stale")
    Inspector.objects.filter(pk=inspector.pk).update(version=2)  # someone else saved
    with pytest.raises(ValidationError, match="Gil Stale's record was changed by someone else"):
        inspector_vetting_update(
            actor=make_user(Role.OFSTED_SCHEDULER),
            inspector=inspector,
            version=1,
            dbs_level=DbsLevel.NONE,
            dbs_checked_on=None,
            dbs_renewal_due_on=None,
            clearance=Clearance.NONE,
        )
    inspector.refresh_from_db()
    assert inspector.dbs_level == DbsLevel.ENHANCED


@pytest.mark.django_db
def test_vetting_changes_need_an_inspector_manager(make_inspector, make_user) -> None:
    with pytest.raises(PermissionDenied):
        inspector_vetting_update(
            actor=make_user(Role.HMIP_INSPECTOR),
            inspector=make_inspector(),
            version=1,
            dbs_level=DbsLevel.NONE,
            dbs_checked_on=None,
            dbs_renewal_due_on=None,
            clearance=Clearance.NONE,
        )


@pytest.mark.django_db
def test_bad_vetting_dates_are_named_by_field(make_inspector, make_user) -> None:
    with pytest.raises(ValidationError) as error:
        inspector_vetting_update(
            actor=make_user(Role.SYSTEM_ADMINISTRATOR),
            inspector=make_inspector(),
            version=1,
            dbs_level=DbsLevel.ENHANCED,
            dbs_checked_on=date(2026, 1, 1),
            dbs_renewal_due_on=date(2025, 1, 1),
            clearance=Clearance.SC,
        )
    assert error.value.message_dict == {
        "dbs_renewal_due_on": ["The DBS renewal date must be after the check date"]
    }
