"""`{% idempotency_token %}`: beside `{% csrf_token %}` in every POST form (a builtin)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from inspectorate.lib import idempotency

register = template.Library()


@register.simple_tag
def idempotency_token() -> SafeString:
    """A hidden field with a new token: a repeat of this form's submission writes once."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">',
        idempotency.FORM_FIELD,
        idempotency.new_token(),
    )
