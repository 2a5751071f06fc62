"""Reads of complaints."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from inspectorate.complaints.constants import Stage, Status
from inspectorate.complaints.models import Complaint
from inspectorate.lib.listing import narrowed
from inspectorate.programme.models import today


def complaint_list(user: Any) -> QuerySet[Complaint]:
    return (
        Complaint.objects.visible_to(user)
        .select_related("event__establishment", "raised_by")
        .order_by("-raised_on", "-pk")
    )


def complaint_search(user: Any, filters: Mapping[str, Any]) -> QuerySet[Complaint]:
    """The complaints `user` may see, narrowed by a `ComplaintFilterForm`'s values."""
    return narrowed(
        complaint_list(user),
        filters,
        {
            "stage": "stage",
            "status": "status",
            "raised_from": "raised_on__gte",
            "raised_to": "raised_on__lte",
        },
    )


def complaint_for(user: Any, pk: int) -> Complaint:
    complaint = complaint_list(user).filter(pk=pk).first()
    if complaint is None:
        raise Http404("No such complaint.")
    return complaint


def overdue(user: Any) -> QuerySet[Complaint]:
    """Formal complaints and reviews past their 20 working days, unanswered (CP-1)."""
    day = today()
    late = Q(stage=Stage.FORMAL, response_due_on__lt=day) | Q(
        stage=Stage.REVIEW, review_due_on__lt=day
    )
    return complaint_list(user).filter(late, status=Status.OPEN)


def responses_due(user: Any, *, by: date) -> list[tuple[Complaint, date]]:
    """CP-1 deadlines `user` answers for (coordinators, or the event's leads): formal
    complaints and reviews awaiting a response, due by `by`."""
    if not user.has_perm("complaints.view_responses_due"):
        return []
    rows = []
    for complaint in complaint_list(user).filter(status=Status.OPEN).exclude(stage=Stage.CONCERN):
        due = (
            complaint.response_due_on
            if complaint.stage == Stage.FORMAL
            else complaint.review_due_on
        )
        if due is not None and due <= by:
            rows.append((complaint, due))
    return sorted(rows, key=lambda row: row[1])
