from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from inspectorate.accounts.session_state import admin_permission
from inspectorate.api.versions import to_current_version
from inspectorate.shell import views as shell_views

# The admin signs in through the service's own sign-in (throttled, two-factor for staff).
admin.site.login = login_not_required(  # type: ignore[method-assign,assignment]
    RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True)
)
admin.site.site_header = "Inspectorate administration"
# Besides the two-factor middleware: the admin itself opens only to a fully signed-in session.
admin.site.has_permission = admin_permission  # type: ignore[method-assign]

urlpatterns = [
    path("", include("inspectorate.shell.urls")),
    path("", include("inspectorate.accounts.urls")),
    path("establishments/", include("inspectorate.estate.urls")),
    path("inspectors/", include("inspectorate.inspectors.urls")),
    path("frameworks/", include("inspectorate.frameworks.urls")),
    path("programme/", include("inspectorate.programme.urls")),
    path("planner/", include("inspectorate.planner.urls")),
    path("inspections/", include("inspectorate.inspections.urls")),
    path("support-and-challenge/", include("inspectorate.improvement.urls")),
    path("alerts/", include("inspectorate.safeguarding.urls")),
    path("complaints/", include("inspectorate.complaints.urls")),
    path("calendar/", include("inspectorate.calendars.urls")),
    path("reports/", include("inspectorate.reports.urls")),
    path("retention/", include("inspectorate.retention.urls")),
    path("imports/", include("inspectorate.imports.urls")),
    path("api/v1/", include("inspectorate.api.urls")),
    # The unversioned paths of before /api/v1/: 308 keeps the method and body of a write
    # (after it, so only what v1 does not answer comes here).
    re_path(r"^api/(?P<rest>.*)$", to_current_version, name="api-unversioned"),
    path("admin/", admin.site.urls),
]

handler403 = shell_views.forbidden
handler404 = shell_views.not_found
handler500 = shell_views.server_error
