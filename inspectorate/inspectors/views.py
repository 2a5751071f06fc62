"""Inspectors' screens: the list, a profile with vetting, conflicts and calendar, the DBS
warnings, forms for leave, conflicts and vetting, and the CSV import and export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.permissions import require, requires
from inspectorate.accounts.signed_in import by_signed_in_user, signed_in_user
from inspectorate.audit.services import access_record
from inspectorate.inspectors import selectors, services
from inspectorate.inspectors.forms import (
    ConflictForm,
    InspectorFilterForm,
    UnavailabilityForm,
    VettingForm,
)
from inspectorate.inspectors.models import Inspector, Unavailability
from inspectorate.lib.csv_views import csv_download, csv_import_page
from inspectorate.lib.form_views import (
    button_action,
    form_page,
    posted_version,
    saved_then_redirect,
    stale_as_refusal,
)
from inspectorate.lib.models import attributes

PAGE_SIZE = 25
_CANNOT_SEE = "You cannot see this page."


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    require(request.user, perm, obj, _CANNOT_SEE)


def _inspector(request: HttpRequest, pk: int) -> Inspector:
    _require(request, "inspectors.view_inspector")
    return get_object_or_404(Inspector.objects.visible_to(request.user), pk=pk)


@require_GET
@requires("inspectors.view_inspector", _CANNOT_SEE)
def inspector_list(request: HttpRequest) -> HttpResponse:
    form = InspectorFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    today = timezone.localdate()
    inspectors = selectors.inspector_list(
        user=request.user,
        today=today,
        organisation=filters.get("organisation", ""),
        grade=filters.get("grade", ""),
        region=filters.get("region", ""),
        specialism=filters.get("specialism", ""),
        dbs_status=filters.get("dbs_status", ""),
    )
    page = Paginator(inspectors, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(inspector, inspector.dbs_status(today)) for inspector in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": urlencode(filters),
        "can_manage": request.user.has_perm("inspectors.manage_inspectors"),
    }
    return render(request, "inspectors/list.html", context)


@require_GET
def inspector_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = _inspector(request, pk)
    today = timezone.localdate()
    access_record(actor=signed_in_user(request), record=inspector, path=request.path)  # DP-1
    conflicts = inspector.conflicts.select_related("establishment", "provider").order_by(
        "-starts_on"
    )
    user = request.user
    context = {
        "inspector": inspector,
        "dbs_status": inspector.dbs_status(today),
        "dbs_checks": list(inspector.dbs_checks.order_by("-issued_on")),
        "conflicts": list(conflicts),
        "months": selectors.inspector_calendar(inspector, user=user, today=today),
        "can_add_leave": user.has_perm("inspectors.add_unavailability", inspector),
        "can_declare_conflict": user.has_perm("inspectors.declare_conflict", inspector),
        "can_manage": user.has_perm("inspectors.manage_inspectors", inspector),
    }
    return render(request, "inspectors/detail.html", context)


@require_GET
@requires("inspectors.view_dbs_warnings", _CANNOT_SEE)
def dbs_warnings(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    warnings = selectors.dbs_warnings(user=request.user, today=today)
    return render(request, "inspectors/dbs_warnings.html", {"warnings": warnings, "today": today})


def _inspector_form_view(
    permission: str,
    form_class: type[BaseForm],
    service: Callable[..., object],
    *,
    done: str,
    template: str,
    initial: Callable[[Inspector], dict[str, Any]] | None = None,
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page of a form about one inspector, for holders of `permission` on them: the
    form's values go to `service` (with the actor and the inspector), then `done` (with
    {name}) is said on their profile. A stale version is refused on the form like any other
    refusal (400)."""

    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        inspector = _inspector(request, pk)
        _require(request, permission, inspector)
        values = initial(inspector) if initial else None
        return form_page(
            request,
            lambda data: form_class(data, initial=values),
            stale_as_refusal(by_signed_in_user(request, service, inspector=inspector)),
            done=lambda _: saved_then_redirect(
                request, done.format(name=inspector.name), "inspectors:detail", pk=inspector.pk
            ),
            template=template,
            context={"inspector": inspector},
        )

    return view


unavailability_add = _inspector_form_view(
    "inspectors.add_unavailability",
    UnavailabilityForm,
    services.unavailability_add,
    done="Unavailability recorded for {name}.",
    template="inspectors/unavailability_form.html",
)


@require_POST
def unavailability_remove(request: HttpRequest, pk: int, unavailability_pk: int) -> HttpResponse:
    inspector = _inspector(request, pk)
    unavailability = get_object_or_404(
        Unavailability.objects.visible_to(request.user), pk=unavailability_pk, inspector=inspector
    )
    button_action(
        request,
        lambda: services.unavailability_remove(
            actor=signed_in_user(request),
            unavailability=unavailability,
            version=posted_version(request),
        ),
        f"Removed: {unavailability}.",
    )
    return redirect("inspectors:detail", pk=inspector.pk)


conflict_declare = _inspector_form_view(
    "inspectors.declare_conflict",
    ConflictForm,
    services.conflict_declare,
    done="Conflict of interest recorded for {name}.",
    template="inspectors/conflict_form.html",
)

vetting_update = _inspector_form_view(
    "inspectors.manage_inspectors",
    VettingForm,
    services.inspector_vetting_update,
    done="Vetting updated for {name}.",
    template="inspectors/vetting_form.html",
    initial=lambda inspector: attributes(inspector, *VettingForm.base_fields),
)


@require_http_methods(["GET", "POST"])
@requires("inspectors.manage_inspectors", _CANNOT_SEE)
def inspectors_import(request: HttpRequest) -> HttpResponse:
    return csv_import_page(
        request,
        title="Import inspectors",
        columns=services.COLUMNS,
        importer=services.inspectors_import,
        back_url=reverse("inspectors:list"),
    )


@require_GET
@requires("inspectors.manage_inspectors", _CANNOT_SEE)
def inspectors_export(request: HttpRequest) -> HttpResponse:
    text = services.inspectors_export(actor=signed_in_user(request), path=request.path)
    return csv_download("inspectors.csv", text)
