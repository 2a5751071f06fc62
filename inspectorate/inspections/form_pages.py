"""How the inspection record's form pages post to a service and show the answer.

`submitted` is `lib.form_views.submit` that also understands a 'normally' rule's warning
(OverrideNeeded): the form shows the warning and asks for a reason to go ahead. `tab_form`
renders the form page within the event's tabs, with the status the outcome calls for
(400 with errors, 409 when someone else saved first).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspectorate.inspections.common import OverrideNeeded
from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import Submission, apply_errors, submit
from inspectorate.programme.models import Event

T = TypeVar("T")


class AsksForOverride(Protocol):
    """A form that can show a 'normally' rule's warnings and ask for the reason to go on."""

    def ask_for_override(self, warnings: Mapping[str, str]) -> None: ...


class _Warned(ValidationError):
    """OverrideNeeded carried through `submit` as a refusal, to reach the form."""

    def __init__(self, warning: OverrideNeeded) -> None:
        self.warnings = warning.warnings
        super().__init__(str(warning))


def _refused(form: Any, error: ValidationError) -> None:
    if isinstance(error, _Warned):
        asking: AsksForOverride = form
        asking.ask_for_override(error.warnings)
    else:
        apply_errors(form, error)


def submitted(
    request: HttpRequest,
    make_form: Callable[[Any], BaseForm],
    save: Callable[[dict[str, Any]], T],
) -> Submission[T]:
    """`submit`, where the service's OverrideNeeded asks the form for a reason."""

    def save_or_warn(data: dict[str, Any]) -> T:
        try:
            return save(data)
        except OverrideNeeded as warning:
            raise _Warned(warning) from warning

    return submit(request, make_form, save_or_warn, refused=_refused)


def tab_form(
    request: HttpRequest,
    event: Event,
    tab: str,
    template: str,
    outcome: Submission[Any],
    **values: Any,
) -> HttpResponse:
    """The form page again, under the event's `tab`: the outcome's form (unless `values`
    names another) and `values`, answered 200, 400 or 409 as the outcome calls for."""
    context = tab_context(request, event, tab, **{"form": outcome.form, **values})
    return render(request, template, context, status=outcome.status)


def latest(outcome: Submission[Any], record: T) -> T:
    """The record as now saved when someone else saved first, else `record`."""
    return outcome.stale.record if outcome.stale is not None else record
