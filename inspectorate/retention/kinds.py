"""The disposal code for each record kind the retention schedule names (DP-1, DP-3).

Each kind finds the records whose retention period has run out (`due`) and disposes of one
(`dispose`), inside the caller's transaction: the personal data goes from the live rows,
from every audit snapshot of them (redact_history), and from every in-service notification
that carried it (deleted, and their snapshots erased too). Records are named by kind and id
only, never by what they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import models
from django.db.models import Max, Min
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from inspectorate.audit.models import AccessEvent, Erasure
from inspectorate.audit.redaction import (
    REDACTED,
    latest_snapshot_id,
    redact_history,
    redact_rows,
)

if TYPE_CHECKING:
    from inspectorate.retention.schedule import Entry


@dataclass(frozen=True)
class Candidate:
    """A record whose retention period has run out."""

    record_id: str
    label: str  # what it is, without its personal data
    reason: str
    due_on: date


@dataclass(frozen=True)
class Kind:
    record_type: str
    due: Callable[[Entry, date], list[Candidate]]
    dispose: Callable[[Entry, str, Erasure], None]


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _reason(entry: Entry, anchor: date) -> str:
    return f"{entry.keep_for} after {entry.after} ({anchor:%-d %B %Y})"


def _candidate(entry: Entry, record_id: Any, label: str, anchor: date) -> Candidate:
    return Candidate(str(record_id), label, _reason(entry, anchor), entry.keep_for.after(anchor))


def _erase_notifications(erasure: Erasure, notifications: models.QuerySet[Any]) -> None:
    """Delete in-service notifications and erase what they said from their audit copies."""
    from inspectorate.programme.models import Notification

    ids = list(notifications.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).delete()
    redact_history(
        erasure=erasure,
        model=Notification,
        obj_ids=ids,
        fields={"subject": REDACTED, "body": REDACTED},
    )


# --- closed safeguarding alerts -------------------------------------------------------------


def _alerts_due(entry: Entry, today: date) -> list[Candidate]:
    from inspectorate.safeguarding.constants import AlertStatus
    from inspectorate.safeguarding.models import Alert

    closed = Alert.objects.filter(
        status=AlertStatus.CLOSED, closed_at__date__lte=entry.keep_for.before(today)
    ).order_by("closed_at", "pk")
    return [
        _candidate(
            entry,
            alert.pk,
            f"{alert.get_kind_display().split(':')[0]} alert {alert.pk}",
            _day(alert.closed_at),
        )
        for alert in closed
        if alert.closed_at is not None
    ]


def _alert_dispose(entry: Entry, record_id: str, erasure: Erasure) -> None:
    from inspectorate.programme.models import Notification
    from inspectorate.safeguarding.models import Alert, AlertEntry

    alert = Alert.objects.select_for_update().filter(pk=int(record_id)).first()
    if alert is None:
        return
    entries = list(alert.entries.values_list("pk", flat=True))
    url = reverse("safeguarding:alert-detail", kwargs={"pk": alert.pk})
    _erase_notifications(erasure, Notification.objects.filter(url=url))
    AlertEntry.objects.filter(pk__in=entries).delete()
    alert.delete()
    # After the deletes, so that the delete snapshots are erased too.
    redact_history(
        erasure=erasure,
        model=Alert,
        obj_ids=[int(record_id)],
        fields={"summary": REDACTED, "where": REDACTED, "outcome": REDACTED},
    )
    redact_history(erasure=erasure, model=AlertEntry, obj_ids=entries, fields={"text": REDACTED})


# --- evidence notes -------------------------------------------------------------------------


def _evidence_due(entry: Entry, today: date) -> list[Candidate]:
    from inspectorate.inspections.models import EvidenceForm
    from inspectorate.reports.constants import ReportStage
    from inspectorate.reports.models import Report

    published = (
        Report.objects.filter(stage=ReportStage.PUBLISHED, published_on__isnull=False)
        .values("event_id")
        .annotate(first=Min("published_on"))
        .filter(first__lte=entry.keep_for.before(today))
    )
    with_text = set(
        EvidenceForm.objects.exclude(text=REDACTED).values_list("event_id", flat=True).distinct()
    )
    return [
        _candidate(
            entry, row["event_id"], f"Evidence notes of event {row['event_id']}", row["first"]
        )
        for row in published.order_by("first", "event_id")
        if row["event_id"] in with_text
    ]


def _evidence_dispose(entry: Entry, record_id: str, erasure: Erasure) -> None:
    from inspectorate.inspections.models import EvidenceForm

    forms = EvidenceForm.objects.select_for_update().filter(event_id=int(record_id))
    ids = list(forms.exclude(text=REDACTED).values_list("pk", flat=True))
    before = latest_snapshot_id(EvidenceForm)
    redact_history(
        erasure=erasure,
        model=EvidenceForm,
        obj_ids=ids,
        fields={"text": REDACTED},
        before_pgh_id=before,
    )
    EvidenceForm.objects.filter(pk__in=ids).update(text=REDACTED, version=models.F("version") + 1)


# --- complaints -----------------------------------------------------------------------------

COMPLAINT_PERSONAL = (
    "complainant",
    "concern",
    "lead_reply",
    "formal_reason",
    "response",
    "review_reason",
    "review_response",
)


def _complaint_answered_on(complaint: Any) -> date | None:
    days = [complaint.lead_replied_on, complaint.responded_on, complaint.review_responded_on]
    return max((day for day in days if day), default=None)


def _complaints_due(entry: Entry, today: date) -> list[Candidate]:
    from inspectorate.complaints.constants import Status
    from inspectorate.complaints.models import Complaint

    cutoff = entry.keep_for.before(today)
    due = []
    for complaint in Complaint.objects.exclude(status=Status.OPEN).exclude(concern=REDACTED):
        answered = _complaint_answered_on(complaint)
        if answered and answered <= cutoff:
            due.append(_candidate(entry, complaint.pk, f"Complaint {complaint.pk}", answered))
    return sorted(due, key=lambda c: (c.due_on, int(c.record_id)))


def _complaint_dispose(entry: Entry, record_id: str, erasure: Erasure) -> None:
    from inspectorate.complaints.models import Complaint
    from inspectorate.programme.models import Notification

    complaint = Complaint.objects.select_for_update().filter(pk=int(record_id)).first()
    if complaint is None:
        return
    erased = dict.fromkeys(COMPLAINT_PERSONAL, REDACTED)
    before = latest_snapshot_id(Complaint)
    redact_history(
        erasure=erasure,
        model=Complaint,
        obj_ids=[complaint.pk],
        fields=erased,
        before_pgh_id=before,
    )
    Complaint.objects.filter(pk=complaint.pk).update(**erased, version=models.F("version") + 1)
    url = reverse("complaints:detail", kwargs={"pk": complaint.pk})
    _erase_notifications(erasure, Notification.objects.filter(url__startswith=url))


# --- month-by-month logs: reads of confidential records, sign-ins, notifications ------------


def _month_bounds(record_id: str) -> tuple[datetime, datetime]:
    year, month = (int(part) for part in record_id.split("-"))
    start = timezone.make_aware(datetime(year, month, 1))
    end = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))
    return start, end


def _months_due(
    entry: Entry, today: date, rows: models.QuerySet[Any], field: str, what: str
) -> list[Candidate]:
    months = (
        rows.annotate(month=TruncMonth(field))
        .values_list("month", flat=True)
        .distinct()
        .order_by("month")
    )
    due = []
    for month in months:
        record_id = f"{month:%Y-%m}"
        end = _month_bounds(record_id)[1]
        candidate = _candidate(entry, record_id, f"{what}, {month:%B %Y}", _day(end))
        if candidate.due_on <= today:
            due.append(candidate)
    return due


def _access_due(entry: Entry, today: date) -> list[Candidate]:
    rows = AccessEvent.objects.exclude(actor_label=REDACTED)
    return _months_due(entry, today, rows, "created_at", "Reads of confidential records")


def _access_dispose(entry: Entry, record_id: str, erasure: Erasure) -> None:
    start, end = _month_bounds(record_id)
    rows = AccessEvent.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        actor_label=REDACTED
    )
    redact_rows(
        erasure=erasure,
        rows=rows,
        fields={"actor": None, "actor_label": REDACTED, "record_label": REDACTED, "path": REDACTED},
    )


def _sign_in_models() -> list[type[models.Model]]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return [AccessAttempt, AccessLog, AccessFailureLog]


def _sign_ins_due(entry: Entry, today: date) -> list[Candidate]:
    found: dict[str, Candidate] = {}
    for model in _sign_in_models():
        rows = model._default_manager.all()
        for candidate in _months_due(entry, today, rows, "attempt_time", "Sign-in records"):
            found.setdefault(candidate.record_id, candidate)
    return sorted(found.values(), key=lambda c: c.record_id)


def _sign_ins_dispose(entry: Entry, record_id: str, erasure: Erasure) -> None:
    start, end = _month_bounds(record_id)
    for model in _sign_in_models():
        model._default_manager.filter(attempt_time__gte=start, attempt_time__lt=end).delete()


def _notifications_due(entry: Entry, today: date) -> list[Candidate]:
    from inspectorate.programme.models import Notification

    rows = Notification.objects.all()
    return _months_due(entry, today, rows, "created_at", "Notifications")


def _notifications_dispose(entry: Entry, record_id: str, erasure: Erasure) -> None:
    from inspectorate.programme.models import Notification

    start, end = _month_bounds(record_id)
    _erase_notifications(
        erasure, Notification.objects.filter(created_at__gte=start, created_at__lt=end)
    )


# --- people who left ------------------------------------------------------------------------

ERASED_USERNAME = "erased-user-{pk}"


def _deactivated_on(user: Any) -> date:
    """The day the account was last switched off, from its audit history."""
    from inspectorate.accounts.models import User

    history: Any = getattr(User, "pgh_event_model")  # noqa: B009
    events = history.objects.filter(pgh_obj_id=user.pk)
    last_active = events.filter(is_active=True).aggregate(top=Max("pgh_id"))["top"] or 0
    off = events.filter(is_active=False, pgh_id__gt=last_active).aggregate(
        first=Min("pgh_created_at")
    )["first"]
    return _day(off or user.date_joined)


def _users_due(entry: Entry, today: date) -> list[Candidate]:
    from inspectorate.accounts.models import User

    left = User.objects.filter(is_active=False).exclude(username__startswith="erased-user-")
    due = []
    for user in left.order_by("pk"):
        candidate = _candidate(entry, user.pk, f"Account {user.pk}", _deactivated_on(user))
        if candidate.due_on <= today:
            due.append(candidate)
    return due


def _user_dispose(entry: Entry, record_id: str, erasure: Erasure) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from inspectorate.accounts.models import User
    from inspectorate.inspectors.models import Inspector

    user = User.objects.select_for_update().filter(pk=int(record_id), is_active=False).first()
    if user is None:
        return
    names = {"username": REDACTED, "first_name": REDACTED, "last_name": REDACTED, "email": REDACTED}
    redact_history(
        erasure=erasure,
        model=User,
        obj_ids=[user.pk],
        fields=names,
        before_pgh_id=latest_snapshot_id(User),
    )
    User.objects.filter(pk=user.pk).update(
        username=ERASED_USERNAME.format(pk=user.pk),
        first_name=REDACTED,
        last_name=REDACTED,
        email="",
        password=make_password(None),
    )
    inspector = Inspector.objects.filter(user=user).first()
    if inspector is not None:
        redact_history(
            erasure=erasure,
            model=Inspector,
            obj_ids=[inspector.pk],
            fields={"name": REDACTED, "email": REDACTED},
            before_pgh_id=latest_snapshot_id(Inspector),
        )
        Inspector.objects.filter(pk=inspector.pk).update(
            name=REDACTED,
            email=f"erased-inspector-{inspector.pk}@erased.invalid",
            version=models.F("version") + 1,
        )
    _erase_notifications(erasure, user.notifications.all())
    TOTPDevice.objects.filter(user=user).delete()


KINDS: dict[str, Kind] = {
    "safeguarding.alert": Kind("safeguarding.alert", _alerts_due, _alert_dispose),
    "inspections.evidence": Kind("inspections.evidenceform", _evidence_due, _evidence_dispose),
    "complaints.complaint": Kind("complaints.complaint", _complaints_due, _complaint_dispose),
    "audit.access_log": Kind("audit.accessevent", _access_due, _access_dispose),
    "accounts.sign_in": Kind("axes.accessattempt", _sign_ins_due, _sign_ins_dispose),
    "accounts.user_left": Kind("accounts.user", _users_due, _user_dispose),
    "programme.notification": Kind(
        "programme.notification", _notifications_due, _notifications_dispose
    ),
}
