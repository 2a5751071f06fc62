"""Demo programmes: a confirmed 2026-27 programme of 40 full inspections and 18 IRPs at real
prisons in England and Wales, and the 2025-26 full inspections those IRPs follow up (all but
one recorded as history, HI-1).

Every record is written through the services, as the demo coordinator (and the demo Ofsted
scheduler for Ofsted's own records, PG-7), so the demo obeys the same rules as the screens.
Dates are fixed: with the demo's "today" of 22 November 2026, events from April to November
2026 have started and are visible to all staff, later ones are confidential (PG-3) except a
few IRPs already announced. Nothing is scheduled over Christmas or on a bank holiday Monday.

Idempotent: programmes are found by year and events by (programme, kind, establishment), so a
second run writes nothing. Teams are added by demo_teams.py, not here.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.programme import consultation, services
from inspectorate.programme.constants import EducationJudgement, EventKind, ProgrammeStatus
from inspectorate.programme.demo_clock import at, happened_at
from inspectorate.programme.history import record_historical_event
from inspectorate.programme.models import (
    Amendment,
    ConsultationResponse,
    Event,
    Programme,
    today,
)

RI = EducationJudgement.REQUIRES_IMPROVEMENT
INADEQUATE = EducationJudgement.INADEQUATE
GOOD = EducationJudgement.GOOD
OUTSTANDING = EducationJudgement.OUTSTANDING

# (code, 2025-26 full inspection, 2026-27 IRP, education judgement then, announced on)
IRPS: tuple[tuple[str, date, date, EducationJudgement, date | None], ...] = (
    ("HL", date(2025, 5, 12), date(2026, 4, 13), RI, date(2026, 1, 12)),
    ("DN", date(2025, 6, 2), date(2026, 4, 27), INADEQUATE, date(2026, 1, 26)),
    ("LP", date(2025, 6, 16), date(2026, 5, 11), GOOD, date(2026, 2, 9)),
    ("FB", date(2025, 7, 7), date(2026, 6, 8), GOOD, date(2026, 3, 2)),
    ("BM", date(2025, 7, 21), date(2026, 6, 22), INADEQUATE, date(2026, 3, 16)),
    ("NM", date(2025, 9, 1), date(2026, 7, 6), RI, date(2026, 4, 1)),
    ("SW", date(2025, 9, 15), date(2026, 7, 20), RI, date(2026, 4, 13)),  # Wales: Estyn
    ("LC", date(2025, 10, 6), date(2026, 9, 7), GOOD, date(2026, 6, 1)),
    ("NW", date(2025, 10, 20), date(2026, 9, 21), RI, date(2026, 6, 15)),
    ("PV", date(2025, 11, 3), date(2026, 10, 5), RI, date(2026, 6, 29)),
    ("WW", date(2025, 11, 17), date(2026, 10, 19), OUTSTANDING, date(2026, 7, 13)),
    ("EY", date(2025, 12, 1), date(2026, 11, 2), RI, date(2026, 7, 27)),
    # Still to come on 22 November 2026: two announced, four confidential.
    ("EX", date(2026, 1, 12), date(2026, 11, 30), RI, date(2026, 8, 24)),
    ("LE", date(2026, 2, 2), date(2027, 1, 11), RI, date(2026, 10, 5)),
    ("UK", date(2026, 2, 9), date(2027, 1, 25), GOOD, None),  # Wales, no Estyn (PG-8)
    ("DM", date(2026, 2, 23), date(2027, 2, 8), INADEQUATE, None),
    ("WC", date(2026, 3, 2), date(2027, 2, 22), RI, None),
    ("LI", date(2026, 3, 9), date(2027, 3, 1), GOOD, None),
)

# 2026-27 full inspections, each on a Monday: two weeks on site to the second Friday.
FULL_INSPECTIONS: tuple[tuple[str, date], ...] = (
    ("WD", date(2026, 4, 13)),
    ("FN", date(2026, 4, 20)),
    ("WE", date(2026, 4, 27)),
    ("HM", date(2026, 5, 11)),
    ("PR", date(2026, 5, 18)),  # Wales: Estyn
    ("LH", date(2026, 6, 1)),
    ("MD", date(2026, 6, 8)),
    ("NH", date(2026, 6, 15)),
    ("WY", date(2026, 6, 22)),
    ("FK", date(2026, 6, 29)),
    ("NL", date(2026, 7, 6)),
    ("LN", date(2026, 7, 13)),
    ("MR", date(2026, 7, 20)),
    ("AC", date(2026, 7, 27)),
    ("PN", date(2026, 8, 3)),
    ("GH", date(2026, 8, 24)),
    ("WM", date(2026, 9, 7)),
    ("ST", date(2026, 9, 14)),
    ("LL", date(2026, 9, 21)),
    ("OW", date(2026, 9, 28)),
    ("WN", date(2026, 10, 5)),
    ("GT", date(2026, 10, 12)),
    ("FW", date(2026, 10, 19)),
    ("FO", date(2026, 10, 26)),
    ("FH", date(2026, 11, 2)),
    ("WR", date(2026, 11, 9)),
    ("CD", date(2026, 11, 16)),
    # Confidential on 22 November 2026 (unannounced, not started).
    ("BF", date(2026, 11, 23)),
    ("HP", date(2026, 11, 30)),
    ("BA", date(2026, 12, 7)),
    ("WS", date(2027, 1, 11)),
    ("TS", date(2027, 1, 18)),
    ("CF", date(2027, 1, 25)),  # Wales: Estyn
    ("SL", date(2027, 2, 1)),
    ("IW", date(2027, 2, 8)),
    ("CL", date(2027, 2, 15)),
    ("CK", date(2027, 2, 22)),
    ("BL", date(2027, 3, 1)),
    ("CW", date(2027, 3, 8)),
    ("BW", date(2027, 3, 15)),  # Wales: Estyn
)

# WD-1: inspections whose fortnight takes in a bank holiday, each agreed with a reason.
BANK_HOLIDAY_REASONS = {
    "WE": "The team is on site the other nine days; the early May bank holiday is a writing "
    "day at home, agreed with the governor.",
    "PR": "The team arrives on the Tuesday after the spring bank holiday; agreed with the "
    "governor to keep the Estyn week.",
    "GH": "The team arrives on the Tuesday after the summer bank holiday; the only fortnight "
    "free before the establishment's regime change.",
    "BW": "The team leaves on the Thursday before Good Friday; the last fortnight free in "
    "the programme year.",
}

# PG-9: one inspection where Ofsted attends the first week, as agreed by HMI Prisons.
OTHER_EDUCATION_WEEK = {
    "GT": "No Ofsted HMI is free in the second week; HMI Prisons agreed the first week."
}

# After confirmation: an amendment moving one inspection, shared with Ofsted (PG-4).
MOVED = ("WS", date(2027, 1, 4), "The establishment asked to avoid its regime change week.")
MOVED_ON = date(2026, 3, 2)  # when the establishment's request was agreed
# Ofsted's own records after confirmation (PG-7): (kind, code, starts, ends), each recorded
# this long before it starts.
OFSTED_RECORDED_AHEAD = timedelta(weeks=6)
OFSTED_RECORDS = (
    (EventKind.MONITORING_VISIT, "KM", date(2026, 6, 16), date(2026, 6, 17)),
    (EventKind.OFSTED_STANDALONE, "HV", date(2027, 3, 2), date(2027, 3, 4)),
)


def _demo_user(role: Role, username: str) -> User | None:
    return (
        User.objects.filter(username=username, roles__contains=[role.value]).first()
        or User.objects.filter(roles__contains=[role.value]).order_by("pk").first()
    )


def _programme(actor: User, year: int) -> Programme:
    return Programme.objects.filter(year=year).first() or services.programme_create(
        actor=actor, year=year
    )


def _establishments() -> dict[str, Establishment]:
    codes = {row[0] for row in IRPS} | {code for code, _ in FULL_INSPECTIONS}
    codes |= {code for _, code, _, _ in OFSTED_RECORDS}
    found = {e.code: e for e in Establishment.objects.filter(code__in=codes)}
    missing = sorted(codes - set(found))
    if missing:
        raise RuntimeError(f"Load the establishments first: {', '.join(missing)} not found")
    return found


# The one 2025-26 full inspection carried out in the service (inspections/demo.py).
LIVE_2025_INSPECTION = "PV"


class _Scheduler:
    """Finds or schedules each demo event; counts those it creates."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.created = 0
        self.existing = {
            (e.programme_id, e.kind, e.establishment_id): e for e in Event.objects.all()
        }

    def event(
        self,
        programme: Programme,
        kind: str,
        establishment: Establishment,
        actor: User | None = None,
        **values: object,
    ) -> Event:
        key = (programme.pk, kind, establishment.pk)
        if key not in self.existing:
            self.existing[key] = services.event_schedule(
                actor=actor or self.actor,
                programme=programme,
                kind=kind,
                establishment=establishment,
                **values,  # type: ignore[arg-type]
            )
            self.created += 1
        return self.existing[key]

    def history(self, establishment: Establishment, starts_on: date) -> Event:
        """A full inspection that happened before the service, recorded from its report."""
        event = record_historical_event(
            actor=self.actor,
            establishment=establishment,
            kind=EventKind.FULL_INSPECTION,
            starts_on=starts_on,
            source=f"Report on an unannounced inspection of {establishment.name}, "
            f"{starts_on:%B %Y} (HMI Prisons)",
        )
        key = (event.programme_id, event.kind, establishment.pk)
        if key not in self.existing:
            self.existing[key] = event
            self.created += 1
        return event


def _consult_and_confirm(
    actor: User, programme: Programme, opened_on: date, confirmed_on: date
) -> Programme:
    if programme.status == ProgrammeStatus.DRAFT:
        programme = services.programme_open_consultation(
            actor=actor, programme=programme, version=programme.version, opened_on=opened_on
        )
    if programme.status == ProgrammeStatus.CONSULTATION:
        scheduler = _demo_user(Role.OFSTED_SCHEDULER, "scheduler")
        if scheduler is not None:
            with happened_at(at(confirmed_on - timedelta(days=7), 15)) as moment:
                response = consultation.consultation_respond(
                    actor=scheduler,
                    programme=programme,
                    resourcing_confirmed=True,
                    comment="Ofsted has the inspectors for the education weeks drafted.",
                )
                ConsultationResponse.objects.filter(pk=response.pk).update(responded_at=moment)
        with happened_at(at(confirmed_on, 10)):
            programme = services.programme_confirm(
                actor=actor,
                programme=programme,
                version=programme.version,
                confirmed_on=confirmed_on,
                # The demo's programmes hold only the IRPs the demo shows (PG-2).
                override_reason="The demo holds only some of the year's IRPs.",
            )
    return programme


def demo_programme_load() -> int:
    """Load the demo programmes; return how many events were added (0 on a second run)."""
    coordinator = _demo_user(Role.HMIP_COORDINATOR, "coordinator")
    if coordinator is None:
        raise RuntimeError("Load the demo users first: no programme coordinator")
    scheduler_user = _demo_user(Role.OFSTED_SCHEDULER, "scheduler") or coordinator
    with transaction.atomic():
        establishments = _establishments()
        scheduler = _Scheduler(coordinator)

        # 2025-26: the full inspections this year's IRPs follow up. Pentonville's went
        # through the service (its fieldwork, report and complaint are the demo's); the
        # others happened before it and are recorded as history from their reports (HI-1).
        previous = _programme(coordinator, 2025)
        followed = {
            code: (
                scheduler.event(
                    previous, EventKind.FULL_INSPECTION, establishments[code], starts_on=inspected
                )
                if code == LIVE_2025_INSPECTION
                else scheduler.history(establishments[code], inspected)
            )
            for code, inspected, _, _, _ in IRPS
        }
        _consult_and_confirm(coordinator, previous, date(2024, 12, 2), date(2025, 1, 20))

        # 2026-27, drafted in full before it is confirmed.
        programme = _programme(coordinator, 2026)
        for code, starts_on in FULL_INSPECTIONS:
            reason = OTHER_EDUCATION_WEEK.get(code, "")
            scheduler.event(
                programme,
                EventKind.FULL_INSPECTION,
                establishments[code],
                starts_on=starts_on,
                education_week_starts_on=starts_on if reason else None,
                education_week_reason=reason,
                override_reason=BANK_HOLIDAY_REASONS.get(code, ""),
            )
        for code, _, irp_on, judgement, announced_on in IRPS:
            irp = scheduler.event(
                programme,
                EventKind.IRP,
                establishments[code],
                starts_on=irp_on,
                follows_up=followed[code],
                previous_education_judgement=judgement,
            )
            if announced_on is not None and irp.announced_on is None:
                with happened_at(at(announced_on, 9, 30)):
                    services.event_announce(
                        actor=coordinator,
                        event=irp,
                        version=irp.version,
                        announced_on=announced_on,
                    )
        programme = _consult_and_confirm(
            coordinator, programme, date(2025, 12, 1), date(2026, 1, 19)
        )

        # Amendments after confirmation, each shared with Ofsted's schedulers (PG-4).
        code, new_start, reason = MOVED
        moved = scheduler.existing[
            (programme.pk, EventKind.FULL_INSPECTION, establishments[code].pk)
        ]
        if not Amendment.objects.filter(event=moved).exists():
            with happened_at(at(MOVED_ON, 11)) as moment:
                services.event_move(
                    actor=coordinator,
                    event=moved,
                    version=moved.version,
                    starts_on=new_start,
                    reason=reason,
                )
            Amendment.objects.filter(event=moved).update(made_at=moment)
        for kind, code, starts_on, ends_on in OFSTED_RECORDS:
            recorded = min(starts_on - OFSTED_RECORDED_AHEAD, today() - OFSTED_RECORDED_AHEAD)
            with happened_at(at(recorded, 14)) as moment:
                event = scheduler.event(
                    programme,
                    kind,
                    establishments[code],
                    starts_on=starts_on,
                    ends_on=ends_on,
                    actor=scheduler_user,
                )
            Amendment.objects.filter(event=event, made_at__gt=moment).update(made_at=moment)
    return scheduler.created
