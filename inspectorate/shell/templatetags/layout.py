"""Page layout tags for base.html."""

from __future__ import annotations

from django import template
from django.template.base import NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class BeforeContentNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        content = self.nodelist.render(context).strip()
        if not content or content.startswith("<nav"):
            return mark_safe(content)  # nothing, or already a landmark (breadcrumbs)
        return format_html(
            '<nav class="app-before-content" aria-label="Back">{}</nav>', mark_safe(content)
        )


@register.tag
def before_main(parser: Parser, token: Token) -> BeforeContentNode:
    """`{% before_main %}…{% endbefore_main %}`: what GOV.UK puts between the header and
    <main> (a back link) goes in a navigation landmark, so that no content is outside one (axe:
    region); GOV.UK Frontend leaves it outside any. Empty, it renders nothing, not an empty
    landmark."""
    nodelist = parser.parse(("endbefore_main",))
    parser.delete_first_token()
    return BeforeContentNode(nodelist)
