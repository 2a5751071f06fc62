from django.urls import path

from inspectorate.lib.routes import routes
from inspectorate.shell import views

app_name = "shell"

urlpatterns = [
    *routes(
        """
        ""          home         home
        dashboard/  dashboard    dashboard
        search/     search_page  search
        """,
        views,
    ),
    path("directory/", views.section, {"section": "directory"}, name="directory"),
    path("administration/", views.section, {"section": "administration"}, name="administration"),
    *routes(
        """
        audit/          audit_trail    audit-trail
        healthz         healthz        healthz
        readyz          readyz         readyz
        accessibility/  accessibility  accessibility
        privacy/        privacy        privacy
        """,
        views,
    ),
]
