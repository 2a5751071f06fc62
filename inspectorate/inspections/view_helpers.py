"""What the inspection record's views share: the tab context, a service's refusal put on a
form, and the response status of a form page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest

from inspectorate.audit.services import access_record
from inspectorate.inspections.tabs import event_tabs
from inspectorate.programme.models import Event


def tab_context(request: HttpRequest, event: Event, tab: str, **values: Any) -> dict[str, Any]:
    return {"event": event, **event_tabs(event, request.user, tab), **values}


def apply_errors(form: Form, error: ValidationError) -> None:
    """A service's refusal, on the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def form_status(form: Form, stale: bool = False) -> int:
    """409 when someone else saved first, 400 when the form has errors, else 200."""
    return 409 if stale else 400 if form.errors else 200


def log_confidential_read(request: HttpRequest, event: Event) -> None:
    """Every read of an unannounced event's record is logged (PG-3)."""
    if event.is_confidential():
        access_record(actor=request.user, record=event, path=request.path)
