"""Establishment and provider screens: thin, the selectors read and the services write."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.estate import selectors, services
from inspectorate.estate.csv_schema import CONTRACT_COLUMNS, ESTABLISHMENT_COLUMNS
from inspectorate.estate.forms import ContractForm, EstablishmentFilterForm, EstablishmentForm
from inspectorate.estate.models import Establishment, ProviderContract
from inspectorate.estate.pages import establishment_page
from inspectorate.lib.csv_views import csv_download, csv_import_page
from inspectorate.lib.form_views import apply_errors, form_status, restaled
from inspectorate.lib.versions import StaleVersion


def _require(request: HttpRequest, permission: str, reason: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(reason)


def _page_links(page: Any) -> list[int | str]:
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@require_GET
def establishment_list(request: HttpRequest) -> HttpResponse:
    _require(
        request,
        "estate.view_establishment_list",
        "Only inspectorate staff see the list of establishments.",
    )
    form = EstablishmentFilterForm(request.GET or None, operators=selectors.operator_choices())
    filters = form.filters() if request.GET else selectors.EstablishmentFilters()
    page = selectors.establishment_page(request.user, filters, request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "page_links": _page_links(page),
        "can_import": request.user.has_perm("estate.import_establishments"),
        "can_export": request.user.has_perm("estate.export_establishments"),
    }
    return render(request, "estate/establishment_list.html", context)


@require_GET
def establishment_detail(request: HttpRequest, code: str) -> HttpResponse:
    establishment = selectors.establishment_for(request.user, code)
    context = {
        "establishment": establishment,
        "closure": establishment.closure_text() if establishment.is_closed else "",
        "facts": selectors.register_facts(request.user, establishment),
        "inspectorate": establishment.education_inspectorate,
        "contracts": selectors.establishment_contracts(establishment),
        "timeline": selectors.establishment_timeline(establishment, request.user),
        "can_edit": request.user.has_perm("estate.change_establishment"),
        "can_change_contracts": request.user.has_perm("estate.change_contract"),
        "today": timezone.localdate(),
        # The recommendation chain and the improvement cases (their apps register them).
        **establishment_page.context(establishment, request.user),
    }
    return render(request, "estate/establishment_detail.html", context)


@require_http_methods(["GET", "POST"])
def establishment_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require(
        request,
        "estate.change_establishment",
        "Only programme coordinators and system administrators change establishments.",
    )
    establishment = selectors.establishment_for(request.user, code)
    stale: Establishment | None = None
    if request.method == "POST":
        form = EstablishmentForm(request.POST)
        if form.is_valid():
            try:
                services.establishment_update(
                    actor=signed_in_user(request),
                    establishment=establishment,
                    version=form.cleaned_data["version"],
                    values=form.cleaned_data,
                )
            except StaleVersion as error:
                stale = cast(Establishment, error.record)
                form = restaled(EstablishmentForm, request, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"{establishment.name} saved")
                return redirect("estate:establishment-detail", code=establishment.code)
    else:
        form = EstablishmentForm.for_establishment(establishment)
    context = {
        "establishment": stale or establishment,
        "form": form,
        "differences": _differences(form, stale) if stale else [],
    }
    status = form_status(form, stale is not None)
    return render(request, "estate/establishment_edit.html", context, status=status)


def _differences(form: EstablishmentForm, current: Establishment) -> list[dict[str, str]]:
    """Each field where what the user typed differs from what is now saved."""
    rows = []
    for name in services.EDITABLE_FIELDS:
        mine = form.cleaned_data.get(name)
        saved = getattr(current, name)
        if (mine or None) != (saved or None):
            field = form.fields[name]
            display = getattr(current, f"get_{name}_display", None)
            rows.append(
                {
                    "label": str(field.label),
                    "saved": str((display() if display else saved) or "Not set"),
                    "mine": _display(field, mine),
                }
            )
    return rows


def _display(field: Any, value: Any) -> str:
    if value in (None, ""):
        return "Not set"
    choices = dict(getattr(field, "choices", []) or [])
    return str(choices.get(value, value))


@require_GET
def establishment_export(request: HttpRequest) -> HttpResponse:
    _require(
        request, "estate.export_establishments", "Only inspectorate staff export establishments."
    )
    return csv_download("establishments.csv", selectors.establishments_export_csv(request.user))


@require_http_methods(["GET", "POST"])
def establishment_import(request: HttpRequest) -> HttpResponse:
    _require(
        request,
        "estate.import_establishments",
        "Only programme coordinators and system administrators import establishments.",
    )
    return csv_import_page(
        request,
        title="Import establishments",
        columns=ESTABLISHMENT_COLUMNS,
        importer=services.establishments_import,
        back_url=reverse("estate:establishment-list"),
    )


@require_GET
def contract_export(request: HttpRequest) -> HttpResponse:
    _require(request, "estate.export_establishments", "Only inspectorate staff export contracts.")
    return csv_download("provider-contracts.csv", selectors.contracts_export_csv(request.user))


@require_http_methods(["GET", "POST"])
def contract_import(request: HttpRequest) -> HttpResponse:
    _require(
        request,
        "estate.import_establishments",
        "Only programme coordinators and system administrators import provider contracts.",
    )
    return csv_import_page(
        request,
        title="Import provider contracts",
        columns=CONTRACT_COLUMNS,
        importer=services.contracts_import,
        back_url=reverse("estate:provider-list"),
    )


@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    """Add a provider's contract at an establishment, or edit one (with its version)."""
    _require(
        request,
        "estate.change_contract",
        "Only programme coordinators and system administrators change provider contracts.",
    )
    establishment = selectors.establishment_for(request.user, code)
    contract: ProviderContract | None = None
    stale = False
    if pk is not None:
        contract = get_object_or_404(
            ProviderContract.objects.select_related("provider", "establishment"),
            pk=pk,
            establishment=establishment,
        )
    if request.method == "POST":
        form = ContractForm(request.POST)
        if form.is_valid():
            try:
                if contract is None:
                    services.contract_create(
                        actor=signed_in_user(request),
                        establishment=establishment,
                        values=form.cleaned_data,
                    )
                else:
                    services.contract_update(
                        actor=signed_in_user(request),
                        contract=contract,
                        version=form.cleaned_data["version"] or 0,
                        values=form.cleaned_data,
                    )
            except StaleVersion as error:
                stale = True
                form = restaled(ContractForm, request, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Contract at {establishment.name} saved")
                return redirect("estate:establishment-detail", code=establishment.code)
    else:
        form = ContractForm.for_contract(contract) if contract else ContractForm()
    context = {
        "establishment": establishment,
        "contract": contract,
        "form": form,
        "provider_names": selectors.provider_names(),
    }
    return render(request, "estate/contract_edit.html", context, status=form_status(form, stale))


@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    _require(
        request, "estate.view_provider_list", "Only inspectorate staff see the list of providers."
    )
    page = selectors.provider_page(request.user, request.GET.get("page"))
    context = {
        "page": page,
        "page_links": _page_links(page),
        "can_import": request.user.has_perm("estate.import_establishments"),
        "can_export": request.user.has_perm("estate.export_establishments"),
    }
    return render(request, "estate/provider_list.html", context)


@require_GET
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_for(request.user, pk)
    context = {
        "provider": provider,
        "contracts": selectors.provider_contracts(provider, request.user),
    }
    return render(request, "estate/provider_detail.html", context)
