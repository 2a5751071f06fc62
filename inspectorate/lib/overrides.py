"""'Normally' rules (RULES.md): a write that breaks one goes ahead only with a recorded reason.

A service that finds such a rule not met, and no reason given, raises `OverrideNeeded` and
writes nothing. It is a refusal (a ValidationError, each warning coded `override_needed`),
so whatever shows refusals shows it: the API answers 400 with each warning on the field it
names, and a form page (`lib.form_views.submit`) puts the warnings on the form and asks for
the reason. A form that asks in its own words is an `AsksForReason`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError

OVERRIDE_NEEDED = "override_needed"

Warnings = TypeVar("Warnings", bound=Mapping[str, str] | Sequence[str])


def _warning(text: str) -> ValidationError:
    return ValidationError(text, code=OVERRIDE_NEEDED)


class OverrideNeeded(ValidationError, Generic[Warnings]):
    """A 'normally' rule is not met: nothing was written, and the write goes ahead only
    with a recorded reason.

    `warnings` is what the rules say, as the service gave them: by field (a field's name,
    or "__all__" for the write as a whole), or a list about the write as a whole.
    `api_hint`, when given, is said after each warning in the API's answer."""

    def __init__(self, warnings: Warnings, *, api_hint: str = "") -> None:
        self.warnings = warnings
        self.api_hint = api_hint
        if isinstance(warnings, Mapping):
            super().__init__({field: _warning(text) for field, text in warnings.items()})
        else:
            super().__init__([_warning(text) for text in warnings])

    def __str__(self) -> str:
        return "; ".join(self.messages)


class AsksForReason(forms.Form):
    """A form that, when a 'normally' rule warns, lists the warnings (`warnings`, shown by
    the page while `needs_override`) and asks for the reason on `reason_field`."""

    reason_field = "override_reason"
    reason_prompt = "Enter why, to go ahead despite the warning"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_override = False
        self.warnings: list[str] = []

    def ask_for_override(self, warnings: Sequence[str]) -> None:
        """Show the warnings and ask for the reason to go ahead."""
        self.needs_override = True
        self.warnings = list(warnings)
        self.add_error(self.reason_field, self.reason_request(self.warnings))

    def reason_request(self, warnings: Sequence[str]) -> str:
        """What the reason field says: the prompt (the page lists the warnings above)."""
        return self.reason_prompt
