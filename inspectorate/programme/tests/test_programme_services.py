"""Programme services: the April-March year, scheduling rules by kind, who may write,
stale versions, amendments shared with Ofsted, and announcements."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from inspectorate.accounts.roles import Role
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme import services
from inspectorate.programme.constants import EventKind, EventStatus, ProgrammeStatus
from inspectorate.programme.milestones.services import milestones_recompute
from inspectorate.programme.models import Amendment, Event, Notification
from inspectorate.programme.notifications import notification_mark_read
from inspectorate.programme.signals import event_dates_changed
from inspectorate.programme.tests.email_helpers import email_jobs, email_jobs_run
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    make_establishment,
    make_event,
    make_programme,
)

WRITERS = [Role.HMIP_COORDINATOR, Role.HMIP_TEAM_LEADER, Role.SYSTEM_ADMINISTRATOR]


@pytest.fixture(autouse=True)
def _on_22_november():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def leeds(db):
    return make_establishment("LE", "HMP Leeds")


@pytest.fixture
def cardiff(db):
    return make_establishment("CF", "HMP Cardiff", nation="wales")


@pytest.fixture
def programme(db):
    return make_programme(2026)


def _schedule(actor, programme, establishment, **values):
    values.setdefault("kind", EventKind.FULL_INSPECTION)
    values.setdefault("starts_on", date(2027, 1, 11))
    return services.event_schedule(
        actor=actor, programme=programme, establishment=establishment, **values
    )


def _problems(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# PG-1: the programme year --------------------------------------------------------------


@pytest.mark.rule("PG-1")
def test_a_programme_runs_april_to_march_and_is_consulted_on_then_confirmed(
    coordinator, make_user
) -> None:
    scheduler = make_user(Role.OFSTED_SCHEDULER, username="scheduler")
    scheduler.email = "scheduler@ofsted.invalid"
    scheduler.save()
    programme = services.programme_create(actor=coordinator, year=2027)
    assert (programme.starts_on, programme.ends_on) == (date(2027, 4, 1), date(2028, 3, 31))
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.label == "2027 to 2028"

    programme = services.programme_open_consultation(
        actor=coordinator, programme=programme, version=1, opened_on=date(2026, 11, 2)
    )
    assert programme.status == ProgrammeStatus.CONSULTATION
    assert programme.consultation_opened_on == date(2026, 11, 2)
    with pytest.raises(ValidationError, match="only a draft programme is opened"):
        services.programme_open_consultation(actor=coordinator, programme=programme, version=2)

    # No IRP (PG-2) and no answer from Ofsted (PG-14): a warning, nothing written.
    with pytest.raises(OverrideNeeded) as warned:
        services.programme_confirm(
            actor=coordinator, programme=programme, version=2, confirmed_on=date(2026, 11, 20)
        )
    assert set(warned.value.warnings) == {"irp_count", "response_ofsted"}
    programme = services.programme_confirm(
        actor=coordinator,
        programme=programme,
        version=2,
        confirmed_on=date(2026, 11, 20),
        override_reason="IRPs are added in January",
    )
    assert programme.status == ProgrammeStatus.CONFIRMED
    assert programme.confirmed_on == date(2026, 11, 20)
    assert programme.version == 3
    assert programme.confirmation_reason.endswith("Reason: IRPs are added in January")
    # Ofsted's schedulers are told the programme is confirmed.
    notice = Notification.objects.get(
        recipient=scheduler, subject="Programme 2027 to 2028 confirmed"
    )
    # Only its recipient marks a notification read.
    with pytest.raises(PermissionDenied):
        notification_mark_read(actor=coordinator, notification=notice)
    assert notification_mark_read(actor=scheduler, notification=notice).read_at is not None


@pytest.mark.rule("PG-1")
def test_a_programme_is_confirmed_only_after_consultation(coordinator) -> None:
    programme = services.programme_create(actor=coordinator, year=2027)
    with pytest.raises(ValidationError, match="after its consultation"):
        services.programme_confirm(actor=coordinator, programme=programme, version=1)
    with pytest.raises(ValidationError) as excinfo:
        services.programme_create(actor=coordinator, year=2027)
    assert _problems(excinfo)["year"] == [
        "There is already a programme for April 2027 to March 2028"
    ]


@pytest.mark.rule("PG-1")
def test_consultation_opens_before_the_programme_starts(coordinator) -> None:
    programme = services.programme_create(actor=coordinator, year=2026)
    with pytest.raises(ValidationError) as excinfo:
        services.programme_open_consultation(
            actor=coordinator, programme=programme, version=1, opened_on=date(2026, 4, 1)
        )
    assert "before the programme starts on 1 April 2026" in _problems(excinfo)["opened_on"][0]


@pytest.mark.rule("PG-1")
def test_an_event_starts_within_its_programme_year(coordinator, programme, leeds) -> None:
    for starts_on in (date(2026, 3, 30), date(2027, 4, 5)):
        with pytest.raises(ValidationError) as excinfo:
            _schedule(coordinator, programme, leeds, starts_on=starts_on)
        assert _problems(excinfo)["starts_on"] == [
            "Start date must be within the 2026 to 2027 programme: 1 April 2026 to "
            "31 March 2027 (PG-1)"
        ]
    assert not Event.objects.exists()


def test_only_programme_writers_draft_and_confirm(make_user) -> None:
    for role in [Role.OFSTED_SCHEDULER, Role.HMIP_INSPECTOR, Role.QUALITY_ASSURANCE]:
        with pytest.raises(PermissionDenied):
            services.programme_create(actor=make_user(role), year=2030)
    programme = make_programme(2030, ProgrammeStatus.CONSULTATION)
    with pytest.raises(PermissionDenied):
        services.programme_confirm(
            actor=make_user(Role.OFSTED_SCHEDULER, username="s2"), programme=programme, version=1
        )


def test_a_stale_programme_version_is_refused(coordinator) -> None:
    programme = services.programme_create(actor=coordinator, year=2027)
    services.programme_open_consultation(actor=coordinator, programme=programme, version=1)
    with pytest.raises(StaleVersion, match="changed by someone else"):
        services.programme_confirm(actor=coordinator, programme=programme, version=1)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.CONSULTATION


# Scheduling: lengths by kind -----------------------------------------------------------


def test_a_full_inspection_is_two_weeks_to_the_second_friday(coordinator, programme, leeds):
    event = _schedule(coordinator, programme, leeds, starts_on=date(2027, 1, 11))
    assert event.ends_on == date(2027, 1, 22)  # 12 days inclusive, Monday to Friday
    assert event.ends_on.weekday() == 4
    assert (event.ends_on - event.starts_on).days + 1 == 12
    assert event.status == EventStatus.PLANNED
    assert event.announced_on is None


def test_a_full_inspection_starts_on_a_monday(coordinator, programme, leeds) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _schedule(coordinator, programme, leeds, starts_on=date(2027, 1, 12))
    assert "starts on a Monday" in _problems(excinfo)["starts_on"][0]


def test_an_irp_is_three_days_on_site(coordinator, programme, leeds) -> None:
    irp = _schedule(coordinator, programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 2, 9))
    assert (irp.starts_on, irp.ends_on) == (date(2027, 2, 9), date(2027, 2, 11))
    with pytest.raises(ValidationError) as excinfo:  # Thursday: would run into the weekend
        _schedule(
            coordinator, programme, make_establishment("WD"), kind=EventKind.IRP,
            starts_on=date(2027, 2, 11),
        )  # fmt: skip
    assert "three days on site" in _problems(excinfo)["starts_on"][0]


def test_other_kinds_need_their_end_date(coordinator, programme, leeds) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _schedule(
            coordinator, programme, leeds, kind=EventKind.IMPROVEMENT_VISIT,
            starts_on=date(2027, 2, 9),
        )  # fmt: skip
    assert _problems(excinfo) == {"ends_on": ["Enter the end date"]}
    visit = _schedule(
        coordinator, programme, leeds, kind=EventKind.IMPROVEMENT_VISIT,
        starts_on=date(2027, 2, 9), ends_on=date(2027, 2, 9),
    )  # fmt: skip
    assert visit.ends_on == date(2027, 2, 9)
    assert visit.education_inspectorate == "ofsted"


def test_bad_input_names_each_field_and_changes_nothing(coordinator, programme, leeds) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.event_schedule(
            actor=coordinator,
            programme=programme,
            kind="picnic",
            establishment=None,
            starts_on=None,
        )
    problems = _problems(excinfo)
    assert problems["kind"] == ["Select the kind of event"]
    assert problems["establishment"] == ["Select the establishment"]
    assert problems["starts_on"] == ["Enter the start date"]
    with pytest.raises(ValidationError) as excinfo:
        _schedule(coordinator, programme, leeds, ends_on=date(2027, 1, 1))
    assert _problems(excinfo)["ends_on"] == ["End date must be on or after the start date"]
    assert not Event.objects.exists()


def test_two_events_at_one_establishment_cannot_overlap(coordinator, programme, leeds) -> None:
    _schedule(coordinator, programme, leeds, starts_on=date(2027, 1, 11))
    with pytest.raises(ValidationError) as excinfo:
        _schedule(
            coordinator, programme, leeds, kind=EventKind.IMPROVEMENT_VISIT,
            starts_on=date(2027, 1, 20), ends_on=date(2027, 1, 20),
        )  # fmt: skip
    assert _problems(excinfo)["starts_on"] == [
        "HMP Leeds already has a full inspection from 11 January 2027 to 22 January 2027: "
        "choose other dates"
    ]


def test_a_clash_with_an_event_the_actor_may_not_see_does_not_name_it(
    make_user, programme, leeds
) -> None:
    make_event(programme, leeds, starts_on=date(2027, 1, 11))  # unannounced
    admin = make_user(Role.SYSTEM_ADMINISTRATOR)
    with pytest.raises(ValidationError) as excinfo:
        _schedule(admin, programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 1, 12))
    message = _problems(excinfo)["starts_on"][0]
    assert message == "These dates overlap another event at HMP Leeds: choose other dates"
    assert "January" not in message


# PG-10, PG-9, PG-8: who inspects education, and when ------------------------------------


@pytest.mark.rule("PG-10")
def test_ofsted_in_england_and_estyn_in_wales(coordinator, programme, leeds, cardiff) -> None:
    english = _schedule(coordinator, programme, leeds)
    welsh = _schedule(coordinator, programme, cardiff)
    scottish = _schedule(
        coordinator, programme, make_establishment("SC", "HMP Barlinnie", nation="scotland")
    )
    assert english.education_inspectorate == "ofsted"
    assert welsh.education_inspectorate == "estyn"
    assert scottish.education_inspectorate == ""
    assert scottish.education_week_starts_on is None


@pytest.mark.rule("PG-10")
def test_ofsted_does_not_record_its_own_inspections_in_wales(coordinator, programme, cardiff):
    with pytest.raises(ValidationError) as excinfo:
        _schedule(
            coordinator, programme, cardiff, kind=EventKind.OFSTED_STANDALONE,
            starts_on=date(2027, 2, 9), ends_on=date(2027, 2, 11),
        )  # fmt: skip
    assert "in Wales the education inspectorate is Estyn" in _problems(excinfo)["establishment"][0]


@pytest.mark.rule("PG-9")
def test_ofsted_attends_the_second_week_by_default(coordinator, programme, leeds) -> None:
    event = _schedule(coordinator, programme, leeds, starts_on=date(2027, 1, 11))
    assert event.education_week_starts_on == date(2027, 1, 18)
    assert event.education_week_reason == ""


@pytest.mark.rule("PG-9")
def test_another_education_week_needs_a_recorded_reason(coordinator, programme, leeds) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _schedule(coordinator, programme, leeds, education_week_starts_on=date(2027, 1, 11))
    assert "give the reason for another week" in _problems(excinfo)["education_week_reason"][0]
    assert not Event.objects.exists()

    event = _schedule(
        coordinator, programme, leeds,
        education_week_starts_on=date(2027, 1, 11),
        education_week_reason="No HMI free in the second week; agreed by HMI Prisons.",
    )  # fmt: skip
    assert event.education_week_starts_on == date(2027, 1, 11)
    assert event.education_week_reason.startswith("No HMI free")


@pytest.mark.rule("PG-9")
def test_the_education_week_starts_on_a_monday_and_only_for_full_inspections(
    coordinator, programme, leeds
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _schedule(
            coordinator, programme, leeds,
            education_week_starts_on=date(2027, 1, 13), education_week_reason="Agreed",
        )  # fmt: skip
    assert _problems(excinfo)["education_week_starts_on"] == [
        "The education week starts on a Monday"
    ]
    with pytest.raises(ValidationError) as excinfo:
        _schedule(
            coordinator, programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 2, 8),
            education_week_starts_on=date(2027, 2, 8),
        )  # fmt: skip
    assert "Only a full inspection" in _problems(excinfo)["education_week_starts_on"][0]


@pytest.mark.rule("PG-8")
@pytest.mark.parametrize(
    ("judgement", "nation", "expected"),
    [
        ("inadequate", "england", "ofsted"),
        ("requires_improvement", "england", "ofsted"),
        ("good", "england", ""),
        ("outstanding", "england", ""),
        (None, "england", ""),  # not known: nobody, until a judgement is given
        ("requires_improvement", "wales", "estyn"),
        ("good", "wales", ""),
    ],
)
def test_ofsted_takes_part_in_an_irp_after_an_inadequate_or_ri_judgement(
    coordinator, programme, judgement, nation, expected
) -> None:
    prison = make_establishment("XX", nation=nation)
    irp = _schedule(
        coordinator, programme, prison, kind=EventKind.IRP, starts_on=date(2027, 2, 8),
        previous_education_judgement=judgement,
    )  # fmt: skip
    assert irp.education_inspectorate == expected
    assert irp.education_week_starts_on is None


@pytest.mark.rule("PG-8")
def test_the_judgement_comes_from_the_followed_up_inspection_through_the_seam(
    coordinator, programme, leeds, monkeypatch
) -> None:
    previous = make_programme(2025, ProgrammeStatus.CONFIRMED)
    inspection = make_event(previous, leeds, starts_on=date(2026, 2, 2))
    monkeypatch.setattr(
        "inspectorate.programme.selectors.education_judgement_at",
        lambda event: "inadequate" if event == inspection else None,
    )
    irp = _schedule(
        coordinator, programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 1, 11),
        follows_up=inspection,
    )  # fmt: skip
    assert irp.follows_up == inspection
    assert irp.education_inspectorate == "ofsted"
    # An explicit judgement wins over the seam.
    other = _schedule(
        coordinator, programme, make_establishment("WD"), kind=EventKind.IRP,
        starts_on=date(2027, 1, 11), previous_education_judgement="good",
    )  # fmt: skip
    assert other.education_inspectorate == ""


@pytest.mark.rule("PG-8")
def test_an_irp_follows_up_a_full_inspection_of_the_same_establishment(
    coordinator, programme, leeds
) -> None:
    elsewhere = make_event(
        make_programme(2025), make_establishment("WD"), starts_on=date(2025, 6, 2)
    )
    with pytest.raises(ValidationError) as excinfo:
        _schedule(
            coordinator, programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 1, 11),
            follows_up=elsewhere,
        )  # fmt: skip
    assert _problems(excinfo)["follows_up"] == [
        "The inspection followed up must be of HMP Leeds, not of HMP WD"
    ]
    with pytest.raises(ValidationError) as excinfo:
        _schedule(coordinator, programme, leeds, follows_up=elsewhere)
    assert _problems(excinfo)["follows_up"] == ["Only an IRP follows up an earlier inspection"]


# PG-7: Ofsted's scheduling team records its own work -------------------------------------


@pytest.mark.rule("PG-7")
def test_the_ofsted_scheduler_records_standalone_inspections_and_monitoring_visits(
    make_user, coordinator, programme, leeds
) -> None:
    scheduler = make_user(Role.OFSTED_SCHEDULER, username="scheduler")
    standalone = _schedule(
        scheduler, programme, leeds, kind=EventKind.OFSTED_STANDALONE,
        starts_on=date(2027, 2, 9), ends_on=date(2027, 2, 11),
    )  # fmt: skip
    visit = _schedule(
        scheduler, programme, make_establishment("WD"), kind=EventKind.MONITORING_VISIT,
        starts_on=date(2027, 2, 9), ends_on=date(2027, 2, 10),
    )  # fmt: skip
    assert standalone.education_inspectorate == "ofsted"
    assert visit.kind == EventKind.MONITORING_VISIT
    # HMI Prisons' coordinators are told what Ofsted recorded.
    subjects = list(
        Notification.objects.filter(recipient=coordinator).values_list("subject", flat=True)
    )
    assert "Ofsted standalone inspection of HMP Leeds recorded by Ofsted" in subjects
    # ...and may move them, but not HMI Prisons' own events.
    services.event_move(
        actor=scheduler, event=visit, version=1, starts_on=date(2027, 2, 16),
        ends_on=date(2027, 2, 17),
    )  # fmt: skip
    inspection = _schedule(coordinator, programme, make_establishment("BL"))
    for kind in (EventKind.FULL_INSPECTION, EventKind.IRP, EventKind.IMPROVEMENT_VISIT):
        with pytest.raises(PermissionDenied):
            _schedule(
                scheduler, programme, make_establishment(f"Z{kind[:3]}"), kind=kind,
                starts_on=date(2027, 2, 8), ends_on=date(2027, 2, 10),
            )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=scheduler, event=inspection, version=1, reason="No")


@pytest.mark.parametrize(
    "role",
    [Role.HMIP_INSPECTOR, Role.OFSTED_INSPECTOR, Role.QUALITY_ASSURANCE, Role.IMPROVEMENT_HMI],
)
def test_other_staff_may_not_schedule(make_user, programme, leeds, role) -> None:
    with pytest.raises(PermissionDenied):
        _schedule(make_user(role), programme, leeds)
    assert not Event.objects.exists()


def test_an_establishment_user_may_not_schedule(make_user, programme, leeds) -> None:
    with pytest.raises(PermissionDenied):
        _schedule(make_user(Role.ESTABLISHMENT_USER, establishment=leeds), programme, leeds)


@pytest.mark.parametrize("role", WRITERS)
def test_programme_writers_schedule_any_kind(make_user, programme, leeds, role) -> None:
    assert _schedule(make_user(role), programme, leeds).pk


# Signals ------------------------------------------------------------------------------


def test_creating_and_moving_send_event_dates_changed_inside_the_transaction(
    coordinator, programme, leeds
) -> None:
    received = []

    def receiver(sender, event, actor, **kwargs):
        received.append((event.pk, event.starts_on, actor))

    event_dates_changed.connect(receiver)
    try:
        event = _schedule(coordinator, programme, leeds)
        services.event_move(actor=coordinator, event=event, version=1, starts_on=date(2027, 2, 1))
    finally:
        event_dates_changed.disconnect(receiver)
    assert received == [
        (event.pk, date(2027, 1, 11), coordinator),
        (event.pk, date(2027, 2, 1), coordinator),
    ]


def test_a_failing_receiver_rolls_the_move_back(coordinator, programme, leeds) -> None:
    event = make_event(programme, leeds)

    def failing(**kwargs):
        raise RuntimeError("milestones could not follow")

    event_dates_changed.connect(failing)
    try:
        with pytest.raises(RuntimeError):
            services.event_move(
                actor=coordinator, event=event, version=1, starts_on=date(2027, 2, 1)
            )
    finally:
        event_dates_changed.disconnect(failing)
    event.refresh_from_db()
    assert (event.starts_on, event.version) == (date(2027, 1, 11), 1)


# Moving, cancelling --------------------------------------------------------------------


def test_moving_keeps_the_length_and_the_education_week(coordinator, programme, leeds) -> None:
    event = _schedule(
        coordinator, programme, leeds,
        education_week_starts_on=date(2027, 1, 11), education_week_reason="Agreed first week",
    )  # fmt: skip
    moved = services.event_move(
        actor=coordinator, event=event, version=1, starts_on=date(2027, 2, 1)
    )
    assert (moved.starts_on, moved.ends_on) == (date(2027, 2, 1), date(2027, 2, 12))
    assert moved.education_week_starts_on == date(2027, 2, 1)  # still the first week
    assert moved.education_week_reason == "Agreed first week"
    assert moved.version == 2
    # Back to the second week: no reason needed, and the old one is cleared.
    moved = services.event_move(
        actor=coordinator, event=moved, version=2, starts_on=date(2027, 2, 1),
        education_week_starts_on=date(2027, 2, 8),
    )  # fmt: skip
    assert (moved.education_week_starts_on, moved.education_week_reason) == (date(2027, 2, 8), "")


def test_a_stale_move_is_refused_and_nothing_changes(coordinator, programme, leeds) -> None:
    event = make_event(programme, leeds)
    services.event_move(actor=coordinator, event=event, version=1, starts_on=date(2027, 2, 1))
    with pytest.raises(StaleVersion) as excinfo:
        services.event_move(actor=coordinator, event=event, version=1, starts_on=date(2027, 3, 1))
    assert "Full inspection of HMP Leeds" in str(excinfo.value)
    assert "changed by someone else" in str(excinfo.value)
    event.refresh_from_db()
    assert (event.starts_on, event.version) == (date(2027, 2, 1), 2)


def test_cancelling_needs_a_reason_and_a_cancelled_event_cannot_change(
    coordinator, programme, leeds
) -> None:
    event = make_event(programme, leeds)
    with pytest.raises(ValidationError) as excinfo:
        services.event_cancel(actor=coordinator, event=event, version=1, reason=" ")
    assert _problems(excinfo) == {"reason": ["Enter the reason for cancelling the event"]}
    cancelled = services.event_cancel(
        actor=coordinator, event=event, version=1, reason="Establishment in special measures"
    )
    assert cancelled.status == EventStatus.CANCELLED
    assert "Establishment in special measures" in cancelled.notes
    with pytest.raises(ValidationError, match="is cancelled"):
        services.event_move(actor=coordinator, event=event, version=2, starts_on=date(2027, 2, 1))
    # A cancelled event no longer blocks its dates.
    assert _schedule(coordinator, programme, leeds, starts_on=date(2027, 1, 11)).pk


# PG-4: amendments to a confirmed programme ---------------------------------------------


@pytest.fixture
def schedulers(make_user):
    people = []
    for name in ("gareth", "aled"):
        user = make_user(Role.OFSTED_SCHEDULER, username=name)
        user.email = f"{name}@ofsted.invalid"
        user.save()
        people.append(user)
    return people


@pytest.mark.rule("PG-4")
def test_each_change_to_a_confirmed_programme_is_an_amendment_shared_with_ofsted(
    coordinator, leeds, schedulers, django_capture_on_commit_callbacks
) -> None:
    programme = make_programme(2026, ProgrammeStatus.CONFIRMED)
    event = make_event(programme, leeds, starts_on=date(2027, 1, 11))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.event_move(
            actor=coordinator, event=event, version=1, starts_on=date(2027, 2, 1),
            reason="Clash with the establishment's regime change",
        )  # fmt: skip
        assert mail.outbox == []  # nothing is e-mailed before the commit
    assert len(callbacks) == 1
    assert email_jobs() == [{"notification_ids": [n.pk for n in Notification.objects.all()]}]
    assert email_jobs_run() == 2

    amendment = Amendment.objects.get()
    assert amendment.event == event
    assert amendment.made_by == coordinator
    assert amendment.changes["starts_on"] == ["2027-01-11", "2027-02-01"]
    assert amendment.changes["ends_on"] == ["2027-01-22", "2027-02-12"]
    assert amendment.summary.startswith("Moved: Full inspection of HMP Leeds from 11 January")
    assert "Reason: Clash with the establishment's regime change" in amendment.summary

    # Every scheduler: a notification in the app, and an e-mail after commit.
    notes = Notification.objects.filter(subject="Programme 2026 to 2027 amended: HMP Leeds")
    assert {n.recipient for n in notes} == set(schedulers)
    assert all(n.url == f"/programme/events/{event.pk}/" and n.emailed_at for n in notes)
    assert sorted(m.to[0] for m in mail.outbox) == ["aled@ofsted.invalid", "gareth@ofsted.invalid"]
    assert "Moved: Full inspection of HMP Leeds" in mail.outbox[0].body


@pytest.mark.rule("PG-4")
def test_adding_cancelling_and_announcing_are_amendments_too(
    coordinator, leeds, schedulers, django_capture_on_commit_callbacks
) -> None:
    programme = make_programme(2026, ProgrammeStatus.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        event = _schedule(
            coordinator, programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 3, 1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        event = services.event_announce(actor=coordinator, event=event, version=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=coordinator, event=event, version=2, reason="Riot damage")
    email_jobs_run()
    summaries = list(Amendment.objects.order_by("pk").values_list("summary", flat=True))
    assert summaries[0].startswith("Added: Independent review of progress of HMP Leeds")
    assert summaries[1].startswith("Announced on 22 November 2026")
    assert summaries[2].startswith("Cancelled: ")
    assert summaries[2].endswith("Reason: Riot damage")
    assert Notification.objects.filter(recipient=schedulers[0]).count() == 3
    assert len(mail.outbox) == 6


@pytest.mark.rule("PG-4")
def test_a_failed_change_sends_nothing(
    coordinator, leeds, schedulers, django_capture_on_commit_callbacks
) -> None:
    programme = make_programme(2026, ProgrammeStatus.CONFIRMED)
    event = make_event(programme, leeds)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.event_move(actor=coordinator, event=event, version=1, starts_on=date(2027, 1, 13))
    assert not Amendment.objects.exists()
    assert not Notification.objects.exists()
    assert email_jobs() == []


@pytest.mark.rule("PG-4")
def test_a_draft_programme_changes_without_amendments(coordinator, programme, leeds, schedulers):
    event = _schedule(coordinator, programme, leeds)
    services.event_move(actor=coordinator, event=event, version=1, starts_on=date(2027, 2, 1))
    assert not Amendment.objects.exists()
    assert not Notification.objects.exists()


# PG-3: announcing -----------------------------------------------------------------------


@pytest.mark.rule("PG-3")
def test_an_irp_announced_less_than_three_months_ahead_needs_a_reason(
    coordinator, programme, leeds, make_user
) -> None:
    governor = make_user(Role.ESTABLISHMENT_USER, username="governor", establishment=leeds)
    irp = make_event(programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 2, 8))
    # 8 November 2026, three months before, is a Sunday: the Friday before (WD-2).
    assert services.irp_latest_announcement(irp.starts_on, leeds.nation) == date(2026, 11, 6)
    with pytest.raises(OverrideNeeded) as excinfo:
        services.event_announce(actor=coordinator, event=irp, version=1)
    assert excinfo.value.warnings["announced_on"] == (
        "An IRP is normally announced at least three months ahead: by 6 November 2026 for one "
        "starting 8 February 2027. To announce it later, give the reason."
    )
    irp.refresh_from_db()
    assert irp.announced_on is None
    assert not Event.objects.visible_to(governor).exists()

    announced = services.event_announce(
        actor=coordinator, event=irp, version=1, override_reason="Late change of site"
    )
    assert announced.announced_on == date(2026, 11, 22)
    assert "less than three months' notice: Late change of site" in announced.notes
    assert list(Event.objects.visible_to(governor)) == [irp]
    # The establishment is told, now that it may know, in the words of the announcement
    # letter template an administrator edits.
    told = Notification.objects.get(recipient=governor)
    assert told.subject.startswith("Independent review of progress at HMP Leeds")
    assert "February 2027" in told.body


@pytest.mark.rule("PG-3")
def test_an_irp_announced_three_months_ahead_needs_no_reason(coordinator, programme, leeds):
    irp = make_event(programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 3, 1))
    announced = services.event_announce(actor=coordinator, event=irp, version=1)
    assert announced.announced_on == date(2026, 11, 22)
    with pytest.raises(ValidationError, match="already announced"):
        services.event_announce(actor=coordinator, event=announced, version=2)


@pytest.mark.rule("WD-2")
@pytest.mark.rule("WD-1")
@pytest.mark.rule("PG-3")
def test_the_latest_irp_announcement_is_the_announcement_milestone_across_holidays(
    coordinator, programme, leeds
) -> None:
    """Three months before 29 June 2027 is Easter Monday, 29 March 2027: a bank holiday in
    England, not in Scotland. In England the day moves back over the weekend and Good Friday
    to Thursday 25 March (WD-2, with England's bank holidays: WD-1); in Scotland it stays.
    The date the announcement is checked against is the milestone's due date, in both."""
    glasgow = make_establishment("GL", "HMP Barlinnie", nation="scotland")
    expected = {leeds.pk: date(2027, 3, 25), glasgow.pk: date(2027, 3, 29)}
    for establishment in (leeds, glasgow):
        irp = make_event(programme, establishment, kind=EventKind.IRP, starts_on=date(2027, 6, 29))
        milestone = next(
            m for m in milestones_recompute(event=irp) if m.rule_code == "irp_announced"
        )
        latest = services.irp_latest_announcement(irp.starts_on, establishment.nation)
        assert latest == milestone.due_on == expected[establishment.pk]

    english = Event.objects.get(establishment=leeds)
    with pytest.raises(OverrideNeeded, match="by 25 March 2027"):
        services.event_announce(
            actor=coordinator, event=english, version=1, announced_on=date(2027, 3, 26)
        )
    announced = services.event_announce(
        actor=coordinator, event=english, version=1, announced_on=date(2027, 3, 25)
    )
    assert announced.announced_on == date(2027, 3, 25)


@pytest.mark.rule("PG-3")
def test_an_announcement_in_the_future_keeps_the_dates_confidential_until_then(
    coordinator, programme, leeds, make_user
) -> None:
    governor = make_user(Role.ESTABLISHMENT_USER, username="governor", establishment=leeds)
    irp = make_event(programme, leeds, kind=EventKind.IRP, starts_on=date(2027, 3, 1))
    services.event_announce(
        actor=coordinator, event=irp, version=1, announced_on=date(2026, 11, 30)
    )
    assert not Event.objects.visible_to(governor).exists()
    assert not Notification.objects.filter(recipient=governor).exists()
    with time_machine.travel(date(2026, 11, 30), tick=False):
        assert list(Event.objects.visible_to(governor)) == [irp]


def test_an_announcement_after_the_start_is_refused(coordinator, programme, leeds) -> None:
    event = make_event(programme, leeds, starts_on=date(2027, 1, 11))
    with pytest.raises(ValidationError) as excinfo:
        services.event_announce(
            actor=coordinator, event=event, version=1, announced_on=date(2027, 1, 12)
        )
    assert "on or before the start date" in _problems(excinfo)["announced_on"][0]


def test_nobody_changes_an_event_they_may_not_see(make_user, programme, leeds) -> None:
    event = make_event(programme, leeds)  # unannounced: the administrator may not see it
    with pytest.raises(PermissionDenied):
        services.event_move(
            actor=make_user(Role.SYSTEM_ADMINISTRATOR), event=event, version=1,
            starts_on=date(2027, 2, 1),
        )  # fmt: skip
