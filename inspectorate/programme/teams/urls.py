from inspectorate.lib.routes import routes
from inspectorate.programme.teams import views as team_views

# Included by programme/urls.py, in the "programme" namespace.
urlpatterns = routes(
    """
    team/                         team_manage         team
    team/add/                     team_member_add     team-add
    team/<int:member_pk>/remove/  team_member_remove  team-remove
    """,
    team_views,
    prefix="events/<int:event_pk>/",
)
