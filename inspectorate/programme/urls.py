from django.urls import URLPattern, URLResolver, include, path

from inspectorate.programme import consultation_views, views

app_name = "programme"

# Each part of the programme keeps its own URL module (teams, milestones), included here.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("inspectorate.programme.teams.urls")),
    path("", include("inspectorate.programme.milestones.urls")),
    path("", views.programme_list, name="list"),
    path("current/", views.programme_current, name="current"),
    path("new/", views.programme_create, name="create"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("history/new/", views.history_record, name="history-record"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/move/", views.event_move, name="event-move"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<int:pk>/announce/", views.event_announce, name="event-announce"),
    path("<int:year>/", views.programme_detail, name="detail"),
    path("<int:year>/consultation/", views.programme_open_consultation, name="open-consultation"),
    path(
        "<int:year>/consultation/response/",
        consultation_views.consultation_respond,
        name="consultation-respond",
    ),
    path(
        "<int:year>/consultation/challenges/",
        consultation_views.consultation_challenge,
        name="consultation-challenge",
    ),
    path(
        "consultation/challenges/<int:pk>/answer/",
        consultation_views.challenge_answer,
        name="challenge-answer",
    ),
    path("<int:year>/confirm/", views.programme_confirm, name="confirm"),
    path("<int:year>/calendar/", views.programme_calendar, name="calendar"),
    path("<int:year>/events.csv", views.programme_export, name="export"),
    path("<int:year>/events.xlsx", views.programme_export_xlsx, name="export-xlsx"),
    path("<int:year>/events/new/", views.event_schedule, name="event-schedule"),
]
