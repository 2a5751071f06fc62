"""Open data: public, no sign-in; published inspections only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from inspectorate.imports.views import csv_download
from inspectorate.inspections.open_data import published_judgements_csv


@login_not_required
@require_GET
def judgements_csv(request: HttpRequest) -> HttpResponse:
    return csv_download("published-judgements.csv", published_judgements_csv())
