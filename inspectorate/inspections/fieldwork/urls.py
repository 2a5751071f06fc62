from django.urls import URLPattern, URLResolver, path

from inspectorate.inspections.fieldwork import views

# The event's fieldwork (namespace "inspections"): the briefing (IN-1), evidence forms (IN-7),
# observations (IN-8) and meetings (IN-3, IN-4).
urlpatterns: list[URLPattern | URLResolver] = [
    path("events/<int:event_pk>/briefing/", views.briefing, name="briefing"),
    path("events/<int:event_pk>/evidence/", views.evidence_list, name="evidence-list"),
    path("events/<int:event_pk>/evidence/new/", views.evidence_add, name="evidence-add"),
    path("events/<int:event_pk>/evidence/<int:pk>/", views.evidence_edit, name="evidence-edit"),
    path("events/<int:event_pk>/observations/", views.observation_list, name="observation-list"),
    path("events/<int:event_pk>/observations/new/", views.observation_add, name="observation-add"),
    path(
        "events/<int:event_pk>/observations/<int:pk>/",
        views.observation_edit,
        name="observation-edit",
    ),
    path("events/<int:event_pk>/meetings/", views.meeting_list, name="meeting-list"),
    path("events/<int:event_pk>/meetings/new/", views.meeting_add, name="meeting-add"),
    path("events/<int:event_pk>/meetings/<int:pk>/", views.meeting_edit, name="meeting-edit"),
]
