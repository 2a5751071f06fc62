"""Pieces shared by the models of every app: the versioned record, the span of days and its
check, the queryset that shows the rows meeting a condition, the optional link and the link
to the user who did something, the check that a field holds a known value, and choices'
labels. Constraint helpers take the constraint's name: tables keep the names they have."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Self, TypeVar, overload

from django.conf import settings
from django.db import models
from django.db.models import F, Q

ModelT = TypeVar("ModelT", bound=models.Model)


class Versioned(models.Model):
    """A record written under optimistic concurrency: each write names the `version` it read
    (inspectorate.lib.versions) and saving bumps it."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class DatedSpan(models.Model):
    """Some whole days, from `starts_on` to `ends_on` inclusive. The model's Meta adds the
    check `ends_on_or_after_start` under the name its table has always had."""

    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        abstract = True


def ends_on_or_after_start(
    name: str, message: str | None = None, *, open_ended: bool = False
) -> models.CheckConstraint:
    """The check that `ends_on` is not before `starts_on`. With `open_ended`, an empty
    `ends_on` (the span still running) passes too. Without `message`, Django's own words."""
    in_order = Q(ends_on__gte=F("starts_on"))
    return models.CheckConstraint(
        name=name,
        condition=Q(ends_on__isnull=True) | in_order if open_ended else in_order,
        violation_error_message=message,
    )


class ConditionQuerySet(models.QuerySet[ModelT]):
    """A queryset whose `visible_to` is decided by a condition on its rows (a `*_filter`
    function of the app): see `meeting`."""

    def meeting(self, condition: Q | None, *, distinct: bool = True) -> Self:
        """None: no row. An empty Q: every row. Otherwise the rows meeting `condition`, each
        once (`distinct`, as the condition may reach through to-many relations)."""
        if condition is None:
            return self.none()
        if not condition:
            return self
        rows = self.filter(condition)
        return rows.distinct() if distinct else rows


def attributes(source: object, *names: str) -> dict[str, Any]:
    """`names` with their values on `source`, to create a record from a definition or spec
    whose attributes are named as the model's fields."""
    return {name: getattr(source, name) for name in names}


def labels_of(choices: type[models.TextChoices], values: Iterable[str]) -> list[str]:
    """The labels of `values` in the order given, leaving out any that are not `choices`
    (a value stored before its choice was withdrawn)."""
    return [choices(value).label for value in values if value in choices.values]


@overload
def optional_link(
    to: type[ModelT],
    related_name: str = ...,
    *,
    on_delete: Callable[..., None] = ...,
    **options: Any,
) -> models.ForeignKey[ModelT | None, ModelT | None]: ...


@overload
def optional_link(
    to: str,
    related_name: str = ...,
    *,
    on_delete: Callable[..., None] = ...,
    **options: Any,
) -> models.ForeignKey[Any, Any]: ...


def optional_link(
    to: type[models.Model] | str,
    related_name: str = "+",
    *,
    on_delete: Callable[..., None] = models.PROTECT,
    **options: Any,
) -> models.ForeignKey[Any, Any]:
    """A link that may be empty: a nullable foreign key, not required in forms. Like every
    link here it protects what it points to unless `on_delete` says otherwise."""
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=on_delete, related_name=related_name, **options
    )


def user_link(related_name: str = "+", *, optional: bool = False) -> models.ForeignKey[Any, Any]:
    """The user who did something (`recorded_by`, `sent_by`): a link to the account that
    protects it, with no way back from the user unless `related_name` names one."""
    if optional:
        return optional_link(settings.AUTH_USER_MODEL, related_name)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name=related_name
    )


def one_of(
    name: str, field: str, values: Iterable[str], message: str | None = None
) -> models.CheckConstraint:
    """The check that `field` holds one of `values` (a choices class's, say): the database
    refuses what the code does not know."""
    return models.CheckConstraint(
        name=name, condition=Q(**{f"{field}__in": list(values)}), violation_error_message=message
    )
