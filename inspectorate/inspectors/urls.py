from django.urls import URLPattern, URLResolver, path

from inspectorate.inspectors import views

app_name = "inspectors"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inspector_list, name="list"),
    path("dbs-warnings/", views.dbs_warnings, name="dbs-warnings"),
    path("import/", views.inspectors_import, name="import"),
    path("export.csv", views.inspectors_export, name="export"),
    path("<int:pk>/", views.inspector_detail, name="detail"),
    path("<int:pk>/vetting/", views.vetting_update, name="vetting"),
    path("<int:pk>/unavailability/new/", views.unavailability_add, name="unavailability-add"),
    path(
        "<int:pk>/unavailability/<int:unavailability_pk>/remove/",
        views.unavailability_remove,
        name="unavailability-remove",
    ),
    path("<int:pk>/conflicts/new/", views.conflict_declare, name="conflict-add"),
]
