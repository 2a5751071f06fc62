from django.urls import URLPattern, URLResolver, include, path

from inspectorate.lib.routes import routes
from inspectorate.programme import consultation_views, views

app_name = "programme"

programme_routes = routes(
    """
    ""                                        programme_list               list
    current/                                  programme_current            current
    new/                                      programme_create             create
    notifications/                            notification_list            notifications
    notifications/read/                       notifications_read_all       notifications-read-all
    notifications/<int:pk>/read/              notification_read            notification-read
    history/new/                              history_record               history-record
    events/<int:pk>/                          event_detail                 event-detail
    events/<int:pk>/move/                     event_move                   event-move
    events/<int:pk>/cancel/                   event_cancel                 event-cancel
    events/<int:pk>/announce/                 event_announce               event-announce
    <int:year>/                               programme_detail             detail
    <int:year>/consultation/                  programme_open_consultation  open-consultation
    <int:year>/consultation/response/         consultation_respond         consultation-respond
    <int:year>/consultation/challenges/       consultation_challenge       consultation-challenge
    consultation/challenges/<int:pk>/answer/  challenge_answer             challenge-answer
    <int:year>/confirm/                       programme_confirm            confirm
    <int:year>/calendar/                      programme_calendar           calendar
    <int:year>/events.csv                     programme_export             export
    <int:year>/events.xlsx                    programme_export_xlsx        export-xlsx
    <int:year>/events/new/                    event_schedule               event-schedule
    """,
    views,
    consultation_views,
)

# Each part of the programme keeps its own URL module (teams, milestones), included here.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("inspectorate.programme.teams.urls")),
    path("", include("inspectorate.programme.milestones.urls")),
    *programme_routes,
]
