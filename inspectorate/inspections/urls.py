from django.urls import URLPattern, URLResolver, include, path

app_name = "inspections"

# Each part keeps its own URL module, included here: fieldwork (briefing, evidence,
# observations, meetings), judgements, and findings (concerns, recommendations, IRP follow-up).
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("inspectorate.inspections.fieldwork_urls")),
    path("", include("inspectorate.inspections.judgement_urls")),
    path("", include("inspectorate.inspections.findings_urls")),
]
