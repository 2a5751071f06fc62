from inspectorate.imports import report_views
from inspectorate.lib.routes import routes

app_name = "imports"

urlpatterns = routes(
    """
    reports/          report_upload   reports
    reports/confirm/  report_confirm  report-confirm
    """,
    report_views,
)
