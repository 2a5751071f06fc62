"""`counted` and `inline` filters (builtins): the wording helpers of `inspectorate.lib.wording`."""

from __future__ import annotations

from django import template

from inspectorate.lib import wording

register = template.Library()


@register.filter
def counted(count: int | str | None, nouns: str) -> str:
    """`{{ n|counted:"minute" }}` or, for an irregular plural, `{{ n|counted:"person,people" }}`.
    An unknown count (None, such as a PDF's pages before it is counted) prints nothing, as a
    template variable that resolves to nothing would, rather than failing the page."""
    if count is None or count == "":
        return ""
    noun, _, plural = nouns.partition(",")
    return wording.count_noun(int(count), noun, plural)


@register.filter
def inline(label: object) -> str:
    """`{{ event.get_kind_display|inline }}`: a label inside a sentence, names kept capital."""
    return wording.lower_first(str(label))
