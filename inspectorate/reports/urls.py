"""Report URLs: each part of the reports app keeps its own module of routes."""

from django.urls import URLPattern, URLResolver

from inspectorate.reports import (
    document_urls,
    letter_urls,
    part_urls,
    public_urls,
    word_urls,
    workflow_urls,
)

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    *workflow_urls.urlpatterns,
    *part_urls.urlpatterns,
    *document_urls.urlpatterns,
    *word_urls.urlpatterns,
    *letter_urls.urlpatterns,
    *public_urls.urlpatterns,
]
