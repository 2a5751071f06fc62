from django.urls import URLPattern, URLResolver, include, path

from inspectorate.inspections import open_data_views

app_name = "inspections"

# Each part keeps its own URL module, included here: fieldwork (briefing, evidence,
# observations, meetings), judgements, and findings (concerns, recommendations, IRP follow-up).
urlpatterns: list[URLPattern | URLResolver] = [
    path("open-data/", open_data_views.open_data_page, name="open-data"),
    path("open-data/judgements.csv", open_data_views.judgements_csv, name="open-data-judgements"),
    path(
        "open-data/healthy-prison-tests.csv",
        open_data_views.healthy_prison_tests_csv,
        name="open-data-healthy-prison-tests",
    ),
    path(
        "open-data/irp-progress.csv",
        open_data_views.irp_progress_csv,
        name="open-data-irp-progress",
    ),
    path(
        "open-data/dictionary.json",
        open_data_views.dictionary_json,
        name="open-data-dictionary",
    ),
    path("", include("inspectorate.inspections.fieldwork.urls")),
    path("", include("inspectorate.inspections.judgements.urls")),
    path("", include("inspectorate.inspections.findings.urls")),
]
