"""The public pages: published reports, searchable by establishment, kind and year, each as
HTML (the text frozen when it was published) and PDF. No sign-in; nothing unpublished."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from inspectorate.reports import selectors
from inspectorate.reports.forms import PublicSearchForm

PAGE_SIZE = 20
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)


def body_of(html: str) -> str:
    """The content of a whole HTML document (or the fragment as it is), to show in a page."""
    found = BODY.search(html)
    return found.group(1) if found else html


@login_not_required
@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    form = PublicSearchForm(request.GET or None, years=selectors.publication_years())
    search = selectors.PublicSearch()
    if form.is_valid():
        data = form.cleaned_data
        search = selectors.PublicSearch(
            establishment=data["establishment"], kind=data["kind"], year=data["year"]
        )
    page = Paginator(selectors.published_reports(search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "reports/public/list.html", context)


@login_not_required
@require_GET
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.published_report(pk)
    # The snapshot is the app's own rendering of the report, frozen at publication.
    body = mark_safe(body_of(report.published_html))
    context = {
        "report": report,
        "body": body,
        "has_title": "<h1" in body,  # the document's own title is the page's heading
        "pdf": selectors.public_pdf(report),
    }
    return render(request, "reports/public/detail.html", context)


@login_not_required
@require_GET
def published_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.published_report(pk)
    render_ = selectors.public_pdf(report)
    if render_ is None or render_.content is None:
        raise Http404("The PDF of this report is not ready yet.")
    response = HttpResponse(bytes(render_.content), content_type="application/pdf")
    name = f"{report.event.establishment.code}-{report.kind}-{report.published_on}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
