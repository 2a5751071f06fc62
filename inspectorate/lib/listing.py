"""Filters and paging for the long lists: one GET form per list whose bad values are reported
on their field and ignored (the list still shows, never a 500), and one page of the rows with
the links GOV.UK pagination shows. The reports list, complaints, alerts, improvement cases and
a programme's events all use it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

T = TypeVar("T")
M = TypeVar("M", bound=Model)

PER_PAGE = 25

# Day first, as people in the UK write a date; ISO as a date picker or a bookmark sends it.
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d.%m.%Y", "%Y-%m-%d"]


def page_of(
    rows: QuerySet[Any, T] | Sequence[T], number: str | None, per_page: int | None = None
) -> Page[T]:
    """The page `number` of `rows`: the first for a number that is not one, the last for one
    past the end."""
    return Paginator(rows, per_page or PER_PAGE).get_page(number)


def paging(page: Page[Any]) -> dict[str, Any]:
    """What `estate/includes/pagination.html` needs besides its label."""
    links = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return {"page": page, "page_links": links}


def list_page(
    request: HttpRequest,
    form: ListFilterForm,
    search: Callable[[dict[str, Any]], QuerySet[Any] | Sequence[Any]],
    template: str,
    rows_name: str,
    **context: Any,
) -> HttpResponse:
    """A filtered list's page: one page of the rows `search` finds for the form's values,
    shown under `rows_name` with the form, the paging links and `context`."""
    page = page_of(search(form.values()), request.GET.get("page"))
    page_context = {**paging(page), "form": form, rows_name: page.object_list, **context}
    return render(request, template, page_context)


class ListFilterForm(forms.Form):
    """The GET filters of a list. Every field is optional; a value that is not one of the
    choices, not a date or too long is reported on its field (naming it) and left out."""

    # The field names a list fills in when the query string does not name them.
    defaults: dict[str, str] = {}

    def __init__(self, query: QueryDict, *, user: Any = None) -> None:
        data = query.copy()
        for name, value in self.defaults.items():
            if name not in data:
                data[name] = value
        super().__init__(data)
        if getattr(user, "is_establishment_user", False):
            # An establishment's user sees only its own records: no establishment to choose.
            self.fields.pop("establishment", None)
        for field in self.fields.values():
            label = str(field.label or "").lower()
            field.required = False
            field.error_messages["null_characters_not_allowed"] = (
                f"The {label} must not contain a null character"
            )
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = (
                    f"Choose the {label} from the list: “%(value)s” is not one of them"
                )
            elif isinstance(field, forms.DateField):
                field.input_formats = DATE_FORMATS
                field.error_messages["invalid"] = (
                    f"{field.label} must be a real date, like 31/3/2026"
                )
            elif isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = (
                    f"The {label} must be {field.max_length} characters or fewer"
                )

    def values(self) -> dict[str, Any]:
        """The valid, non-empty values, by field name."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in cleaned.items()
            if name not in self.errors and value not in (None, "")
        }

    @property
    def active(self) -> bool:
        """Whether a filter narrows the list beyond its defaults."""
        values = self.values()
        return any(str(values.get(name, "")) != self.defaults.get(name, "") for name in self.fields)


def establishment_field() -> forms.CharField:
    return forms.CharField(label="Establishment name or code", max_length=100)


def establishment_match(text: str, path: str = "event__establishment") -> Q:
    """Rows whose establishment (reached by `path`) has `text` in its name or as its code."""
    return Q(**{f"{path}__name__icontains": text}) | Q(**{f"{path}__code__iexact": text})


def narrowed(
    rows: QuerySet[M],
    filters: Mapping[str, Any],
    lookups: Mapping[str, str],
    establishment_path: str = "event__establishment",
) -> QuerySet[M]:
    """`rows` narrowed by a filter form's values: the establishment (name or code, reached by
    `establishment_path`) and each value named in `lookups` (filter name -> field lookup)."""
    if "establishment" in filters:
        rows = rows.filter(establishment_match(filters["establishment"], establishment_path))
    for name, lookup in lookups.items():
        if name in filters:
            rows = rows.filter(**{lookup: filters[name]})
    return rows


def date_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, help_text="For example, 31/3/2026")


class AccessFilterForm(ListFilterForm):
    """The audit trail's views of confidential records."""

    person = forms.CharField(label="Person", max_length=100)
    record = forms.CharField(label="Record", max_length=100)
