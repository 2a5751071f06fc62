"""Error messages that name their field, for every form of the service.

Django's defaults ("This field is required.", "Select a valid choice. … is not one of the
available choices.") do not say which field is wrong; GOV.UK asks for a message that does
("Enter your comment", "Select the outcome from the list"). A form may write its own
messages; every message it leaves at Django's default is replaced here, once, when the app
registry is ready (shell.apps), so a new form is covered without anyone remembering to.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

from django import forms
from django.forms.utils import pretty_name

from inspectorate.lib.wording import lower_first

DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])
DJANGO_INVALID_CHOICE = str(forms.ChoiceField.default_error_messages["invalid_choice"])
DJANGO_MODEL_INVALID_CHOICE = str(forms.ModelChoiceField.default_error_messages["invalid_choice"])
DJANGO_INVALID_NUMBER = str(forms.IntegerField.default_error_messages["invalid"])
CHOSEN = (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField)


def _label(name: str, field: forms.Field) -> str:
    return lower_first(str(field.label or pretty_name(name)).removesuffix(" (optional)"))


def name_the_field(name: str, field: forms.Field) -> None:
    """Replace `field`'s default messages with ones naming it."""
    messages = field.error_messages
    label = _label(name, field)
    if str(messages.get("required", "")) == DJANGO_REQUIRED:
        verb = "Select" if isinstance(field, CHOSEN) else "Enter"
        messages["required"] = f"{verb} {label}"
    if str(messages.get("invalid_choice", "")) in (
        DJANGO_INVALID_CHOICE,
        DJANGO_MODEL_INVALID_CHOICE,
    ):
        messages["invalid_choice"] = f"Select {label} from the list"
    _name_the_limits(field, label)


def _name_the_limits(field: forms.Field, label: str) -> None:
    """Django's validators say "Ensure this value has at most 200 characters", "Null
    characters are not allowed.": which value? A message the form wrote itself is kept."""
    messages = field.error_messages
    name = label[:1].upper() + label[1:]
    if isinstance(field, forms.CharField):
        messages.setdefault(
            "null_characters_not_allowed", f"{name} must not contain a null character"
        )
        if isinstance(field.max_length, int):
            messages.setdefault(
                "max_length", f"{name} must be {field.max_length} characters or fewer"
            )
        if isinstance(field.min_length, int):
            messages.setdefault(
                "min_length", f"{name} must be {field.min_length} characters or more"
            )
    if isinstance(field, forms.IntegerField):
        if isinstance(field.max_value, int):
            messages.setdefault("max_value", f"{name} must be {field.max_value} or less")
        if isinstance(field.min_value, int):
            messages.setdefault("min_value", f"{name} must be {field.min_value} or more")
        if str(messages.get("invalid", "")) == DJANGO_INVALID_NUMBER:
            messages["invalid"] = f"{name} must be a whole number"


def form_classes(package: ModuleType) -> Iterator[type[forms.BaseForm]]:
    """Every form class defined in a `forms` module of `package` (tests excepted)."""
    for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        last = module.name.rsplit(".", 1)[-1]
        if ".tests" in module.name or "forms" not in last:
            continue
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.name
            ):
                yield value


def name_every_field(package: ModuleType) -> None:
    for form in form_classes(package):
        for name, field in form.base_fields.items():  # type: ignore[attr-defined]
            name_the_field(name, field)
