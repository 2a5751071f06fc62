from django.urls import URLPattern, URLResolver, include, path

from inspectorate.inspections import open_data_views
from inspectorate.lib.routes import routes

app_name = "inspections"

# Each part keeps its own URL module, included here: fieldwork (briefing, evidence,
# observations, meetings), judgements, and findings (concerns, recommendations, IRP follow-up).
urlpatterns: list[URLPattern | URLResolver] = [
    *routes(
        """
        open-data/                          open_data_page            open-data
        open-data/judgements.csv            judgements_csv            open-data-judgements
        open-data/healthy-prison-tests.csv  healthy_prison_tests_csv  open-data-healthy-prison-tests
        open-data/irp-progress.csv          irp_progress_csv          open-data-irp-progress
        open-data/dictionary.json           dictionary_json           open-data-dictionary
        """,
        open_data_views,
    ),
    path("", include("inspectorate.inspections.fieldwork.urls")),
    path("", include("inspectorate.inspections.judgements.urls")),
    path("", include("inspectorate.inspections.findings.urls")),
]
