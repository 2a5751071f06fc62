"""What every form page does with a service's answer: a refusal (ValidationError) goes on
the form, by field where it names one; a 'normally' rule's warning (OverrideNeeded) goes on
the form too, which then asks for the reason; a stale write (StaleVersion) keeps what the
user typed, carries the version now saved and answers 409."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from inspectorate.lib.models import attributes
from inspectorate.lib.overrides import AsksForReason, OverrideNeeded
from inspectorate.lib.versions import StaleVersion

FormT = TypeVar("FormT", bound=BaseForm)


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's refusal, on the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def ask_for_reason(form: BaseForm, warning: OverrideNeeded[Any]) -> None:
    """A 'normally' rule's warnings on the form: a form that asks for the reason in its own
    words (AsksForReason) lists them and asks; on any other, each is on the field it names
    (or above the form)."""
    if isinstance(form, AsksForReason):
        form.ask_for_override(warning.messages)
    else:
        apply_errors(form, warning)


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


T = TypeVar("T")


@dataclass
class Submission(Generic[T]):
    """What came of a form page's request: the form to show again (with its errors, or
    restaled after someone else's save), or the service's result once saved."""

    form: BaseForm
    result: T | None = None
    saved: bool = False
    stale: StaleVersion | None = None
    needs_reason: bool = False

    @property
    def status(self) -> int:
        return form_status(self.form, stale=self.stale is not None)


def submit(
    request: HttpRequest,
    make_form: Callable[[Any], FormT],
    save: Callable[[dict[str, Any]], T],
    refused: Callable[[FormT, ValidationError], None] = apply_errors,
) -> Submission[T]:
    """The one way a page posts a form to a service.

    `make_form(data)` builds the form (bound to the POST, or unbound on GET); a valid POST
    calls `save(cleaned_data)`. A refusal goes on the form through `refused`; a 'normally'
    rule's warning goes on the form, which asks for the reason (`needs_reason`); a stale
    write keeps what the user typed with the version now saved (409)."""
    form = make_form(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return Submission(form)
    try:
        result = save(form.cleaned_data)
    except StaleVersion as error:
        return Submission(restaled(make_form, request, error), stale=error)
    except OverrideNeeded as warning:
        ask_for_reason(form, warning)
        return Submission(form, needs_reason=True)
    except ValidationError as error:
        refused(form, error)
        return Submission(form)
    return Submission(form, result=result, saved=True)


def form_page(
    request: HttpRequest,
    make_form: Callable[[Any], FormT],
    save: Callable[[dict[str, Any]], T],
    *,
    done: Callable[[T], HttpResponse],
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form page whose only outcomes are `done(result)` once saved, or the page again
    with the form (400 with its errors, 409 when stale) and `needs_reason` (whether a
    'normally' rule asks for the reason to go ahead)."""
    outcome = submit(request, make_form, save)
    if outcome.saved:
        return done(cast(T, outcome.result))
    page = {**(context or {}), "form": outcome.form, "needs_reason": outcome.needs_reason}
    return render(request, template, page, status=outcome.status)


def saved_then_redirect(
    request: HttpRequest, message: str, to: str, *args: Any, **kwargs: Any
) -> HttpResponse:
    """The success of most form pages: say what was saved, and go back to the record."""
    messages.success(request, message)
    return redirect(to, *args, **kwargs)


def posted_version(request: HttpRequest) -> int:
    """The version a button's form carried (-1 when missing or not a number: then the
    service refuses it as stale)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def button_action(request: HttpRequest, act: Callable[[], object], success: str) -> None:
    """A one-button POST (no form to show again): the service's refusal, stale included,
    becomes an error message; otherwise `success` is said. The caller redirects."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


def stale_as_refusal(save: Callable[[dict[str, Any]], T]) -> Callable[[dict[str, Any]], T]:
    """`save` for a page that shows a stale write like any other refusal: on the form as
    typed (400), rather than restaled with the saved version (409)."""

    def saving(data: dict[str, Any]) -> T:
        try:
            return save(data)
        except StaleVersion as error:
            raise ValidationError(error) from error

    return saving


def at_version(
    form_class: Callable[..., FormT], record: Any, *fields: str
) -> Callable[[Any], FormT]:
    """`make_form` for an edit of `record`: its form, opened at the record's saved version,
    with `fields` (named alike on the form and the record) as saved."""
    return partial(
        form_class,
        initial={"version": record.version, **attributes(record, *fields)},
    )
