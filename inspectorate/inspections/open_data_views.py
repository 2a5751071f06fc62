"""Open data: public, no sign-in; published inspections only. A page describing the files
(their data dictionary and licence), the files, and the dictionary as CSVW JSON."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from inspectorate.inspections import open_data
from inspectorate.lib.csv_views import csv_download


def _download(dataset: open_data.Dataset) -> Callable[[HttpRequest], HttpResponse]:
    """The view of one of the files, pointing at its data dictionary."""

    @login_not_required
    @require_GET
    def download(request: HttpRequest) -> HttpResponse:
        response = csv_download(dataset.filename, dataset.csv())
        response["Link"] = f'<{reverse("inspections:open-data-dictionary")}>; rel="describedby"'
        return response

    return download


judgements_csv = _download(open_data.JUDGEMENTS)
healthy_prison_tests_csv = _download(open_data.HEALTHY_PRISONS)
irp_progress_csv = _download(open_data.IRP_PROGRESS)


@login_not_required
@require_GET
def dictionary_json(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri(reverse("inspections:open-data"))
    return JsonResponse(open_data.dictionary(base), json_dumps_params={"indent": 2})


@login_not_required
@require_GET
def open_data_page(request: HttpRequest) -> HttpResponse:
    files = [
        (dataset, reverse(f"inspections:open-data-{dataset.slug}"))
        for dataset in open_data.DATASETS
    ]
    context = {
        "files": files,
        "licence": open_data.LICENCE,
        "licence_url": open_data.LICENCE_URL,
        "publisher": open_data.PUBLISHER,
    }
    return render(request, "inspections/open_data.html", context)
