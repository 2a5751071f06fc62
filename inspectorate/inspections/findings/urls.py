from django.urls import URLPattern, URLResolver, path

from inspectorate.inspections.findings import views

# Included by inspections/urls.py, in the "inspections" namespace. `kind` is one of
# "concerns", "recommendations", "positive-practice" (anything else is a 404).
urlpatterns: list[URLPattern | URLResolver] = [
    path("events/<int:event_pk>/findings/", views.findings, name="findings"),
    path("events/<int:event_pk>/findings/<slug:kind>/add/", views.finding_add, name="finding-add"),
    path(
        "events/<int:event_pk>/findings/<slug:kind>/<int:pk>/edit/",
        views.finding_edit,
        name="finding-edit",
    ),
    path(
        "events/<int:event_pk>/findings/<slug:kind>/<int:pk>/delete/",
        views.finding_delete,
        name="finding-delete",
    ),
    path(
        "events/<int:event_pk>/findings/<slug:kind>/<int:pk>/move/",
        views.finding_move,
        name="finding-move",
    ),
    path("events/<int:event_pk>/follow-ups/", views.follow_ups, name="follow-ups"),
    path(
        "events/<int:event_pk>/follow-ups/select/",
        views.follow_up_select,
        name="follow-up-select",
    ),
    path(
        "events/<int:event_pk>/follow-ups/themes/add/",
        views.follow_up_theme_add,
        name="follow-up-theme-add",
    ),
    path(
        "events/<int:event_pk>/follow-ups/<int:pk>/narrative/",
        views.follow_up_narrative,
        name="follow-up-narrative",
    ),
    path(
        "events/<int:event_pk>/follow-ups/<int:pk>/judgement/",
        views.follow_up_judgement,
        name="follow-up-judgement",
    ),
    path(
        "events/<int:event_pk>/follow-ups/<int:pk>/remove/",
        views.follow_up_remove,
        name="follow-up-remove",
    ),
    path(
        "events/<int:event_pk>/follow-ups/<int:pk>/move/",
        views.follow_up_move,
        name="follow-up-move",
    ),
]
