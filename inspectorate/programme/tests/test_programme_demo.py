"""The demo programmes: a confirmed 2026-27 programme at real prisons, loaded idempotently."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.estate.register import open_establishments
from inspectorate.estate.services import establishments_load_register
from inspectorate.lib.workdays import Nation, add_months, is_bank_holiday
from inspectorate.programme.constants import (
    EventKind,
    EventStatus,
    MilestoneStatus,
    ProgrammeStatus,
)
from inspectorate.programme.demo import demo_programme_load
from inspectorate.programme.models import (
    Amendment,
    ConsultationResponse,
    Event,
    Milestone,
    Programme,
)
from inspectorate.programme.selectors import irp_count_warning
from inspectorate.programme.tests.test_programme_helpers import NOON, TODAY


@pytest.fixture
def loaded(db, make_user):
    establishments_load_register(records=open_establishments())
    make_user(Role.HMIP_COORDINATOR, username="coordinator")
    make_user(Role.OFSTED_SCHEDULER, username="scheduler")
    with time_machine.travel(NOON, tick=False):
        created = demo_programme_load()
    return created


def _events(year: int, kind: str) -> list[Event]:
    return list(
        Event.objects.filter(programme__year=year, kind=kind)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("establishment", "follows_up__programme")
    )


@pytest.mark.rule("PG-1")
@pytest.mark.rule("PG-2")
def test_a_confirmed_2026_27_programme_of_40_inspections_and_18_irps(loaded) -> None:
    programme = Programme.objects.get(year=2026)
    assert programme.status == ProgrammeStatus.CONFIRMED
    assert (programme.consultation_opened_on, programme.confirmed_on) == (
        date(2025, 12, 1),
        date(2026, 1, 19),
    )
    inspections, irps = _events(2026, EventKind.FULL_INSPECTION), _events(2026, EventKind.IRP)
    assert len(inspections) == 40
    assert len(irps) == 18
    assert irp_count_warning(len(irps)) is None
    establishments = [e.establishment_id for e in inspections + irps]
    assert len(set(establishments)) == 58  # each prison once
    assert loaded == 18 + 40 + 18 + 2  # the followed-up inspections, and Ofsted's two


@pytest.mark.rule("HI-1")
def test_the_inspections_before_the_service_are_history_and_owe_no_deadline(loaded) -> None:
    inspections = _events(2025, EventKind.FULL_INSPECTION)
    assert len(inspections) == 18
    # Pentonville's went through the service (the demo's fieldwork, report and complaint).
    assert {e.establishment.code for e in inspections if not e.historical} == {"PV"}
    history = [e for e in inspections if e.historical]
    assert all(e.status == EventStatus.COMPLETED for e in history)
    assert all(
        e.history_source.startswith("Report on an unannounced inspection of ") for e in history
    )
    late = (MilestoneStatus.MISSED, MilestoneStatus.IMPOSSIBLE)
    assert not Milestone.objects.filter(event__in=history, status__in=late).exists()


def test_each_consultation_response_is_dated_a_week_before_its_programme_was_confirmed(
    loaded,
) -> None:
    answered = {
        response.programme.year: response.responded_at.date()
        for response in ConsultationResponse.objects.exclude(responded_at__isnull=True)
    }
    assert answered == {2025: date(2025, 1, 13), 2026: date(2026, 1, 12)}


@pytest.mark.rule("PG-8")
def test_each_irp_follows_up_an_earlier_full_inspection_8_to_12_months_before(loaded) -> None:
    for irp in _events(2026, EventKind.IRP):
        inspection = irp.follows_up
        assert inspection is not None
        assert inspection.kind == EventKind.FULL_INSPECTION
        assert inspection.programme.year == 2025
        assert inspection.establishment_id == irp.establishment_id
        assert (
            add_months(inspection.ends_on, 8) <= irp.starts_on <= add_months(inspection.ends_on, 12)
        )
    with_education = {e.establishment.code: e.education_inspectorate for e in _events(2026, "irp")}
    assert with_education["BM"] == "ofsted"  # inadequate before
    assert with_education["LP"] == ""  # good before
    assert with_education["SW"] == "estyn"  # Wales, requires improvement before


@pytest.mark.rule("PG-10")
@pytest.mark.rule("PG-9")
def test_welsh_prisons_get_estyn_and_one_inspection_has_another_education_week(loaded) -> None:
    inspections = {e.establishment.code: e for e in _events(2026, EventKind.FULL_INSPECTION)}
    for code in ("CF", "PR", "BW"):
        assert inspections[code].establishment.nation == "wales"
        assert inspections[code].education_inspectorate == "estyn"
    assert inspections["WD"].education_inspectorate == "ofsted"
    other = inspections["GT"]
    assert other.education_week_starts_on == other.starts_on
    assert other.education_week_reason


@pytest.mark.rule("PG-3")
def test_the_demo_has_visible_confidential_and_announced_events(loaded) -> None:
    events = Event.objects.filter(programme__year=2026)
    confidential = [e for e in events if e.is_confidential(TODAY)]
    started = [e for e in events if e.starts_on <= TODAY]
    announced_ahead = [
        e for e in events if e.kind == "irp" and e.announced_on and e.starts_on > TODAY
    ]
    assert len(confidential) >= 10
    assert len(started) >= 20
    assert {e.establishment.code for e in announced_ahead} == {"EX", "LE"}
    for irp in Event.objects.filter(kind="irp", announced_on__isnull=False):
        assert irp.announced_on is not None
        assert irp.announced_on <= add_months(irp.starts_on, -3)  # three months ahead


def test_nothing_is_on_site_over_christmas_or_starts_on_a_bank_holiday(loaded) -> None:
    for event in Event.objects.select_related("establishment"):
        christmas = date(event.starts_on.year, 12, 19), date(event.starts_on.year + 1, 1, 3)
        assert event.ends_on < christmas[0] or event.starts_on > christmas[1], event
        assert not is_bank_holiday(event.starts_on, Nation(event.establishment.nation)), event
        assert event.starts_on.weekday() < 5


@pytest.mark.rule("PG-4")
@pytest.mark.rule("PG-7")
def test_changes_after_confirmation_are_amendments(loaded) -> None:
    summaries = list(
        Amendment.objects.filter(programme__year=2026).values_list("summary", flat=True)
    )
    assert any(s.startswith("Moved: Full inspection of HMP/YOI Wormwood Scrubs") for s in summaries)
    ofsted = Event.objects.filter(
        programme__year=2026, kind__in=["ofsted_standalone", "monitoring_visit"]
    )
    assert ofsted.count() == 2
    assert Amendment.objects.filter(event__in=ofsted).count() == 2


def test_loading_again_changes_nothing(loaded) -> None:
    links = ChainLink.objects.count()
    with time_machine.travel(NOON, tick=False):
        assert demo_programme_load() == 0
    assert ChainLink.objects.count() == links


def test_the_demo_needs_its_coordinator(db) -> None:
    with pytest.raises(RuntimeError, match="Load the demo users first"):
        demo_programme_load()
