from django.urls import URLPattern, URLResolver, path

from inspectorate.programme.teams import views as team_views

# Included by programme/urls.py, in the "programme" namespace.
urlpatterns: list[URLPattern | URLResolver] = [
    path("events/<int:event_pk>/team/", team_views.team_manage, name="team"),
    path("events/<int:event_pk>/team/add/", team_views.team_member_add, name="team-add"),
    path(
        "events/<int:event_pk>/team/<int:member_pk>/remove/",
        team_views.team_member_remove,
        name="team-remove",
    ),
]
