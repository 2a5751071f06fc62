from django.urls import URLPattern, URLResolver, path

from inspectorate.inspections.judgements import views

# Included by inspections/urls.py, in the "inspections" namespace.
urlpatterns: list[URLPattern | URLResolver] = [
    path("events/<int:event_pk>/judgements/", views.judgements, name="judgements"),
    path(
        "events/<int:event_pk>/judgements/aspects/<int:aspect_pk>/",
        views.judgement_record,
        name="judgement-record",
    ),
    path(
        "events/<int:event_pk>/judgements/moderate/",
        views.judgements_moderate,
        name="judgements-moderate",
    ),
    path(
        "events/<int:event_pk>/judgements/<int:pk>/correct/",
        views.judgement_correct,
        name="judgement-correct",
    ),
]
