"""Reads about establishments, providers and contracts: each a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from inspectorate.estate.csv_schema import CONTRACT_COLUMNS, ESTABLISHMENT_COLUMNS
from inspectorate.estate.models import Establishment, Provider, ProviderContract, RegisterFact

# The estate's pure rules, re-exported for callers that look for them among its reads.
from inspectorate.estate.policy import education_inspectorate as education_inspectorate
from inspectorate.estate.policy import exceeds_on_site_maximum as exceeds_on_site_maximum
from inspectorate.estate.policy import probation_team_size_bounds as probation_team_size_bounds
from inspectorate.lib.csvio import write_csv

ESTABLISHMENTS_PER_PAGE = 25
PROVIDERS_PER_PAGE = 50
PUBLIC_SECTOR = "public"


class LastJudgement(models.TextChoices):
    """The overall judgement at an establishment's latest inspection, for the list filter.

    The grades follow JG-2; the inspections issue may replace these with its own grade
    constants as long as the values stay the stored grade values.
    """

    NOT_INSPECTED = "none", "Not yet inspected"
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    SATISFACTORY = "satisfactory", "Satisfactory"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


def last_judgement_expression() -> Any:
    """The SQL expression for an establishment's latest published overall judgement (NULL:
    none yet): a correlated subquery, so the list, its filter and its CSV stay one query per
    page whatever the rows. Only published judgements count: a draft grade is confidential."""
    from inspectorate.inspections.constants import Stage
    from inspectorate.inspections.models import Judgement

    return Subquery(
        Judgement.objects.filter(
            event__establishment=OuterRef("pk"),
            event__inspection__stage=Stage.PUBLISHED,
            aspect__code="OE",
            follow_up__isnull=True,
        )
        .order_by("-event__starts_on")
        .values("level__slug")[:1],
        output_field=models.CharField(),
    )


@dataclass(frozen=True)
class EstablishmentFilters:
    """What the establishment list is narrowed to; empty strings mean 'any'."""

    q: str = ""
    kind: str = ""
    nation: str = ""
    operator: str = ""  # PUBLIC_SECTOR, or a contractor's name
    region: str = ""
    status: str = ""
    last_judgement: str = ""

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def establishment_search(user: Any, filters: EstablishmentFilters) -> QuerySet[Establishment]:
    """Establishments `user` may see, narrowed by `filters`, annotated with `last_judgement`."""
    queryset = Establishment.objects.visible_to(user).annotate(
        last_judgement=last_judgement_expression()
    )
    if filters.q:
        queryset = queryset.filter(Q(name__icontains=filters.q) | Q(code__iexact=filters.q))
    for name in ("kind", "nation", "region", "status"):
        value = getattr(filters, name)
        if value:
            queryset = queryset.filter(**{name: value})
    if filters.operator == PUBLIC_SECTOR:
        queryset = queryset.filter(operator="")
    elif filters.operator:
        queryset = queryset.filter(operator=filters.operator)
    if filters.last_judgement == LastJudgement.NOT_INSPECTED:
        queryset = queryset.filter(last_judgement__isnull=True)
    elif filters.last_judgement:
        queryset = queryset.filter(last_judgement=filters.last_judgement)
    return queryset.order_by("name", "code")


def last_judgement_label(value: str | None) -> str:
    if not value:
        return str(LastJudgement.NOT_INSPECTED.label)
    try:
        return str(LastJudgement(value).label)
    except ValueError:
        return value.replace("_", " ").capitalize()


def establishment_page(
    user: Any, filters: EstablishmentFilters, page_number: str | int | None
) -> Page[Establishment]:
    """One page of the list (two queries: the count and the rows), with judgement labels."""
    paginator = Paginator(establishment_search(user, filters), ESTABLISHMENTS_PER_PAGE)
    page = paginator.get_page(page_number)
    rows = list(page.object_list)
    for establishment in rows:
        establishment.last_judgement_label = last_judgement_label(establishment.last_judgement)
    page.object_list = rows
    return page


def operator_choices() -> list[tuple[str, str]]:
    """The operator filter's options: public sector, then each contractor (one query)."""
    contractors = (
        Establishment.objects.exclude(operator="")
        .order_by("operator")
        .values_list("operator", flat=True)
        .distinct()
    )
    return [(PUBLIC_SECTOR, "Public sector"), *((name, name) for name in contractors)]


def establishment_for(user: Any, code: str) -> Establishment:
    """The establishment with `code` if `user` may see it: 404 if none, 403 if not theirs."""
    establishment = Establishment.objects.filter(code=code).first()
    if establishment is None:
        raise Http404("No establishment has that code.")
    if not Establishment.objects.visible_to(user).filter(pk=establishment.pk).exists():
        raise PermissionDenied("You can only see your own establishment.")
    return establishment


def register_facts(user: Any, establishment: Establishment) -> list[RegisterFact]:
    """Where each fact of the register about `establishment` comes from: for staff only
    (an establishment's own users see its details, not the register's working)."""
    if not getattr(user, "has_staff_role", False):
        return []
    return list(establishment.facts.order_by("position"))


@dataclass
class ContractGroups:
    current: list[ProviderContract] = field(default_factory=list)
    future: list[ProviderContract] = field(default_factory=list)
    past: list[ProviderContract] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.current or self.future or self.past)


def contract_state(contract: ProviderContract, today: date) -> str:
    if contract.starts_on > today:
        return "future"
    if contract.ends_on is not None and contract.ends_on < today:
        return "past"
    return "current"


def group_contracts(contracts: Iterable[ProviderContract], today: date) -> ContractGroups:
    groups = ContractGroups()
    for contract in contracts:
        getattr(groups, contract_state(contract, today)).append(contract)
    return groups


def establishment_contracts(
    establishment: Establishment, today: date | None = None
) -> ContractGroups:
    """Its providers' contracts, current, starting later and past (one query)."""
    contracts = (
        ProviderContract.objects.filter(establishment=establishment)
        .select_related("provider")
        .order_by("-starts_on", "provider__name", "service")
    )
    return group_contracts(contracts, today or timezone.localdate())


# The inspection history timeline -------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    """One dated entry of an establishment's inspection history."""

    on: date
    title: str
    description: str = ""
    url: str = ""
    tag: str = ""  # a short status shown as a GOV.UK tag, such as 'Published'


TimelineSource = Callable[[Establishment, Any], Iterable[TimelineEvent]]
TIMELINE_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    """Add a source of timeline events (the plug-in point for the inspections issue).

    A source takes (establishment, user) and yields the TimelineEvents that user may see,
    in a fixed number of queries. Register it from the app's AppConfig.ready(), or use this
    as a decorator in a module that ready() imports.
    """
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)
    return source


def establishment_timeline(establishment: Establishment, user: Any) -> list[TimelineEvent]:
    """Every registered source's events for `establishment`, newest first (none yet)."""
    events = [event for source in TIMELINE_SOURCES for event in source(establishment, user)]
    return sorted(events, key=lambda event: event.on, reverse=True)


# Providers -----------------------------------------------------------------------------


def provider_page(user: Any, page_number: str | int | None) -> Page[Provider]:
    """Providers `user` may see, with their current and all-time contract counts."""
    today = timezone.localdate()
    current = Q(contracts__starts_on__lte=today) & (
        Q(contracts__ends_on__isnull=True) | Q(contracts__ends_on__gte=today)
    )
    providers = (
        Provider.objects.visible_to(user)
        .annotate(
            contract_count=Count("contracts", distinct=True),
            current_count=Count("contracts", filter=current, distinct=True),
            establishment_count=Count("contracts__establishment", distinct=True),
        )
        .order_by("name")
    )
    return Paginator(providers, PROVIDERS_PER_PAGE).get_page(page_number)


def provider_names() -> list[str]:
    """Every provider's name, for the contract form's suggestions (one query)."""
    return list(Provider.objects.order_by("name").values_list("name", flat=True))


def provider_for(user: Any, pk: int) -> Provider:
    """The provider if `user` may see it: 404 if none, 403 if not."""
    provider = Provider.objects.filter(pk=pk).first()
    if provider is None:
        raise Http404("No such provider.")
    if not Provider.objects.visible_to(user).filter(pk=pk).exists():
        raise PermissionDenied("You cannot see this provider.")
    return provider


def provider_contracts(provider: Provider, user: Any, today: date | None = None) -> ContractGroups:
    """The provider's contracts at establishments `user` may see (one query)."""
    contracts = (
        ProviderContract.objects.filter(
            provider=provider, establishment__in=Establishment.objects.visible_to(user)
        )
        .select_related("establishment")
        .order_by("establishment__name", "-starts_on", "service")
    )
    return group_contracts(contracts, today or timezone.localdate())


# Exports -------------------------------------------------------------------------------


def establishments_export_csv(user: Any) -> str:
    """Every establishment `user` may see, in the import's columns (round-trips)."""
    names = [column.name for column in ESTABLISHMENT_COLUMNS]
    rows = Establishment.objects.visible_to(user).order_by("code").values_list(*names)
    return write_csv(names, rows)


def contracts_export_csv(user: Any) -> str:
    """Every contract at establishments `user` may see, in the import's columns."""
    rows = (
        ProviderContract.objects.filter(establishment__in=Establishment.objects.visible_to(user))
        .order_by("establishment__code", "provider__name", "service", "starts_on")
        .values_list(
            "establishment__code",
            "provider__name",
            "provider__ukprn",
            "service",
            "contract_name",
            "starts_on",
            "ends_on",
        )
    )
    return write_csv([column.name for column in CONTRACT_COLUMNS], rows)
