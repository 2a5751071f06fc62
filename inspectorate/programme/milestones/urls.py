from django.urls import URLPattern, URLResolver, path

from inspectorate.programme.milestones import views as milestone_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("deadlines/", milestone_views.milestone_dashboard, name="milestone-dashboard"),
    path("milestones/<int:pk>/met/", milestone_views.milestone_mark_met, name="milestone-mark-met"),
    path(
        "milestones/<int:pk>/met-on/",
        milestone_views.milestone_record_met,
        name="milestone-record-met",
    ),
    path("milestones/<int:pk>/reopen/", milestone_views.milestone_reopen, name="milestone-reopen"),
    path(
        "milestones/<int:pk>/impossible/",
        milestone_views.milestone_explain_impossible,
        name="milestone-explain-impossible",
    ),
    path(
        "milestones/<int:pk>/override/",
        milestone_views.milestone_override,
        name="milestone-override",
    ),
]
