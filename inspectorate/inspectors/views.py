"""Inspectors' screens: the list, a profile with vetting, conflicts and calendar, the DBS
warnings, forms for leave, conflicts and vetting, and the CSV import and export."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.signed_in import signed_in_user
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
    apply_errors,
    button_action,
    form_page,
    posted_version,
    saved_then_redirect,
)

PAGE_SIZE = 25


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied("You cannot see this page.")


def _inspector(request: HttpRequest, pk: int) -> Inspector:
    _require(request, "inspectors.view_inspector")
    return get_object_or_404(Inspector.objects.visible_to(request.user), pk=pk)


@require_GET
def inspector_list(request: HttpRequest) -> HttpResponse:
    _require(request, "inspectors.view_inspector")
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
def dbs_warnings(request: HttpRequest) -> HttpResponse:
    _require(request, "inspectors.view_dbs_warnings")
    today = timezone.localdate()
    warnings = selectors.dbs_warnings(user=request.user, today=today)
    return render(request, "inspectors/dbs_warnings.html", {"warnings": warnings, "today": today})


@require_http_methods(["GET", "POST"])
def unavailability_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = _inspector(request, pk)
    _require(request, "inspectors.add_unavailability", inspector)
    return form_page(
        request,
        UnavailabilityForm,
        lambda data: services.unavailability_add(
            actor=signed_in_user(request), inspector=inspector, **data
        ),
        done=lambda _: saved_then_redirect(
            request,
            f"Unavailability recorded for {inspector.name}.",
            "inspectors:detail",
            pk=inspector.pk,
        ),
        template="inspectors/unavailability_form.html",
        context={"inspector": inspector},
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


@require_http_methods(["GET", "POST"])
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = _inspector(request, pk)
    _require(request, "inspectors.declare_conflict", inspector)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conflict_declare(
                actor=signed_in_user(request),
                inspector=inspector,
                establishment=data["establishment"],
                provider=data["provider"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Conflict of interest recorded for {inspector.name}.")
            return redirect("inspectors:detail", pk=inspector.pk)
    status = 400 if form.errors else 200
    context = {"inspector": inspector, "form": form}
    return render(request, "inspectors/conflict_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def vetting_update(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = _inspector(request, pk)
    _require(request, "inspectors.manage_inspectors", inspector)
    initial = {
        "version": inspector.version,
        "dbs_level": inspector.dbs_level,
        "dbs_checked_on": inspector.dbs_checked_on,
        "dbs_renewal_due_on": inspector.dbs_renewal_due_on,
        "clearance": inspector.clearance,
    }
    form = VettingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspector_vetting_update(
                actor=signed_in_user(request),
                inspector=inspector,
                version=data["version"],
                dbs_level=data["dbs_level"],
                dbs_checked_on=data["dbs_checked_on"],
                dbs_renewal_due_on=data["dbs_renewal_due_on"],
                clearance=data["clearance"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Vetting updated for {inspector.name}.")
            return redirect("inspectors:detail", pk=inspector.pk)
    status = 400 if form.errors else 200
    context = {"inspector": inspector, "form": form}
    return render(request, "inspectors/vetting_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def inspectors_import(request: HttpRequest) -> HttpResponse:
    _require(request, "inspectors.manage_inspectors")
    return csv_import_page(
        request,
        title="Import inspectors",
        columns=services.COLUMNS,
        importer=services.inspectors_import,
        back_url=reverse("inspectors:list"),
    )


@require_GET
def inspectors_export(request: HttpRequest) -> HttpResponse:
    _require(request, "inspectors.manage_inspectors")
    text = services.inspectors_export(actor=signed_in_user(request), path=request.path)
    return csv_download("inspectors.csv", text)
