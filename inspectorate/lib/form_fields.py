"""Field factories and accessors the forms share, so that a form says only what differs."""

from typing import Any

from django import forms


def choice_of(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, typed as one, for setting its choices per request."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def single_choice_field(
    label: str,
    *,
    required_message: str | None = None,
    invalid_message: str | None = None,
    radio: bool = False,
    **kwargs: Any,
) -> forms.ChoiceField:
    """A choice field saying `required_message` when nothing is chosen and `invalid_message`
    for a value not offered; `radio` shows the choices as radio buttons."""
    messages = {
        key: message
        for key, message in (("required", required_message), ("invalid_choice", invalid_message))
        if message is not None
    }
    if radio:
        kwargs["widget"] = forms.RadioSelect
    return forms.ChoiceField(label=label, error_messages=messages, **kwargs)


def text_area(label: str, *, max_length: int, required: bool = True, **kwargs: Any) -> Any:
    """A free-text field typed in a text area, at most `max_length` characters."""
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea, **kwargs
    )
