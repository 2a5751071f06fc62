"""What every form page does with a service's answer: a refusal (ValidationError) goes on
the form, by field where it names one; a stale write (StaleVersion) keeps what the user
typed, carries the version now saved and answers 409."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

from inspectorate.lib.versions import StaleVersion

FormT = TypeVar("FormT", bound=BaseForm)


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's refusal, on the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def restaled(
    form_class: Callable[[Any], FormT], request: HttpRequest, error: StaleVersion
) -> FormT:
    """The user's values kept, now carrying the saved version, with the refusal on top:
    saving again is then a deliberate choice, made having seen the other change."""
    data = request.POST.copy()
    data["version"] = str(error.record.version)
    form = form_class(data)
    form.is_valid()
    form.add_error(None, str(error))
    return form


def form_status(form: BaseForm, stale: bool = False) -> int:
    """409 when someone else saved first, 400 when the form has errors, else 200."""
    return 409 if stale else 400 if form.errors else 200
