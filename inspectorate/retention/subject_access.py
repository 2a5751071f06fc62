"""Subject-access export (DP-1): everything the service holds about one named person, as
JSON, for a system administrator acting for the data-protection officer. The export itself
is logged as a read of the person's account (purpose: export)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.forms.models import model_to_dict

from inspectorate.accounts.permissions import require
from inspectorate.audit.constants import AccessPurpose
from inspectorate.audit.models import AccessEvent
from inspectorate.audit.services import access_record

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

ADMINISTRATORS_ONLY = "Only a system administrator exports what is held about someone."

ACCOUNT_FIELDS = (
    "id", "username", "first_name", "last_name", "email", "roles", "is_active",
    "date_joined", "last_login", "establishment",
)  # fmt: skip


def _rows(queryset: Any, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{k: v for k, v in model_to_dict(row).items() if k not in exclude} for row in queryset]


def _audit_events(subject: Any) -> list[dict[str, Any]]:
    """Changes the person made (the request's user in the audit context) and changes to
    their own account."""
    from pghistory.models import Events

    events = Events.objects.filter(
        Q(pgh_context__user=subject.pk)
        | Q(pgh_obj_model="accounts.User", pgh_obj_id=str(subject.pk))
    ).order_by("pgh_created_at")
    return [
        {
            "at": e.pgh_created_at,
            "model": e.pgh_model,
            "label": e.pgh_label,
            "record": e.pgh_obj_id,
            "data": {k: v for k, v in (e.pgh_data or {}).items() if k != "password"},
        }
        for e in events
    ]


def subject_access_data(subject: Any) -> dict[str, Any]:
    """Everything held about `subject` (a User), section by section."""
    from inspectorate.complaints.models import Complaint
    from inspectorate.inspections.models import EvidenceForm, Observation
    from inspectorate.inspectors.models import Inspector
    from inspectorate.programme.models import Notification
    from inspectorate.safeguarding.models import Alert

    name = subject.get_full_name().strip()
    mentions = Q(text__icontains=name) if name else Q(pk__in=[])
    inspector = Inspector.objects.filter(user=subject).first()
    return {
        "subject": {"id": subject.pk, "username": subject.get_username(), "name": name},
        "account": {
            f: getattr(subject, f"{f}_id" if f == "establishment" else f) for f in ACCOUNT_FIELDS
        },
        "inspector_record": model_to_dict(inspector) if inspector else None,
        "notifications": _rows(Notification.objects.filter(recipient=subject)),
        "audit_events": _audit_events(subject),
        "reads_they_made": _rows(AccessEvent.objects.filter(actor=subject)),
        "reads_of_their_records": _rows(
            AccessEvent.objects.filter(
                Q(record_type="accounts.user", record_id=str(subject.pk))
                | Q(
                    record_type="inspectors.inspector",
                    record_id=str(inspector.pk if inspector else ""),
                )
            )
        ),
        "complaints": _rows(
            Complaint.objects.filter(
                Q(raised_by=subject) | (Q(complainant__icontains=name) if name else Q(pk__in=[]))
            )
        ),
        "alerts_raised": _rows(Alert.objects.filter(raised_by=subject)),
        "evidence": _rows(EvidenceForm.objects.filter(Q(author=subject) | mentions)),
        "observations": _rows(Observation.objects.filter(observer=subject)),
    }


def subject_access_export(*, actor: User, subject: Any, path: str = "") -> str:
    """The export as JSON text; only a system administrator may, and it is logged."""
    require(actor, "retention.export_subject_access", message=ADMINISTRATORS_ONLY)
    data = subject_access_data(subject)
    access_record(actor=actor, record=subject, purpose=AccessPurpose.EXPORT, path=path)
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
