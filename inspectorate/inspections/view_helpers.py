"""What the inspection record's views share: the tab context and the log of confidential
reads. A service's refusal on a form and a form page's status are `inspectorate.lib.form_views`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.audit.services import access_record
from inspectorate.inspections.tabs import event_tabs
from inspectorate.programme.models import Event


def tab_context(request: HttpRequest, event: Event, tab: str, **values: Any) -> dict[str, Any]:
    return {"event": event, **event_tabs(event, request.user, tab), **values}


def log_confidential_read(request: HttpRequest, event: Event) -> None:
    """Every read of an unannounced event's record is logged (PG-3)."""
    if event.is_confidential():
        access_record(actor=signed_in_user(request), record=event, path=request.path)
