"""The one question the programme asks when choosing a team: why can this inspector not go?"""

from __future__ import annotations

from datetime import date

import pytest

from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import Clearance
from inspectorate.inspectors.models import ConflictOfInterest
from inspectorate.inspectors.selectors import assignment_problems
from inspectorate.inspectors.services import unavailability_add

START, END = date(2027, 6, 7), date(2027, 6, 11)


@pytest.mark.rule("TM-1")
@pytest.mark.rule("TM-2")
@pytest.mark.rule("TM-5")
@pytest.mark.django_db
def test_every_reason_is_given_in_words(make_inspector, make_user) -> None:
    leeds = Establishment.objects.create(code="LE", name="HMP Leeds", kind="prison")
    ok = make_inspector("Ada Free")
    assert assignment_problems(ok, leeds, START, END, Clearance.SC) == []

    barred = make_inspector(
        "Bea Barred", clearance=Clearance.CTC, dbs_renewal_due_on=date(2027, 6, 9)
    )
    ConflictOfInterest.objects.create(
        inspector=barred, establishment=leeds, starts_on=date(2024, 1, 1), reason="Ex-governor"
    )
    unavailability_add(
        actor=make_user(Role.HMIP_COORDINATOR),
        inspector=barred,
        kind="training",
        starts_on=date(2027, 6, 11),
        ends_on=date(2027, 6, 11),
    )
    problems = assignment_problems(barred, leeds, START, END, Clearance.SC)
    assert problems == [
        "Bea Barred's DBS check is valid only until 9 June 2027, before the last day "
        "(11 June 2027).",
        "Bea Barred needs Security check (SC) clearance but holds Counter-terrorist check (CTC).",
        "Bea Barred has declared a conflict of interest with HMP Leeds from 1 January 2024: "
        "Ex-governor",
        "Bea Barred is already booked from 11 June 2027 to 11 June 2027 (training).",
    ]
    # a non-custodial event (a probation area, an FE college) does not need the vetting
    assert len(assignment_problems(barred, leeds, START, END, custodial=False)) == 2
