from inspectorate.lib.routes import routes
from inspectorate.programme.milestones import views as milestone_views

urlpatterns = routes(
    """
    deadlines/                       milestone_dashboard           milestone-dashboard
    milestones/<int:pk>/met/         milestone_mark_met            milestone-mark-met
    milestones/<int:pk>/met-on/      milestone_record_met          milestone-record-met
    milestones/<int:pk>/reopen/      milestone_reopen              milestone-reopen
    milestones/<int:pk>/impossible/  milestone_explain_impossible  milestone-explain-impossible
    milestones/<int:pk>/override/    milestone_override            milestone-override
    """,
    milestone_views,
)
