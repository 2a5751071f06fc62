from inspectorate.lib.routes import routes
from inspectorate.retention import views

app_name = "retention"

urlpatterns = routes(
    """
    ""               approvals       approvals
    subject-access/  subject_access  subject-access
    """,
    views,
)
