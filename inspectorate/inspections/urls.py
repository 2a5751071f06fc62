from django.urls import URLPattern, URLResolver, include, path

from inspectorate.inspections import open_data_views

app_name = "inspections"

# Each part keeps its own URL module, included here: fieldwork (briefing, evidence,
# observations, meetings), judgements, and findings (concerns, recommendations, IRP follow-up).
urlpatterns: list[URLPattern | URLResolver] = [
    path("open-data/judgements.csv", open_data_views.judgements_csv, name="open-data-judgements"),
    path("", include("inspectorate.inspections.fieldwork_urls")),
    path("", include("inspectorate.inspections.judgement_urls")),
    path("", include("inspectorate.inspections.findings_urls")),
]
