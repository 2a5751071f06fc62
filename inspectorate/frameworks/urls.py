from inspectorate.frameworks import views
from inspectorate.lib.routes import routes

app_name = "frameworks"

urlpatterns = routes(
    """
    ""                                                  framework_index    list
    calculator/                                         calculator         calculator
    assessments/                                        assessment_index   assessment-list
    assessments/<int:pk>/                               assessment_detail  assessment-detail
    assessments/<int:pk>/judgements/<int:decision_pk>/  decision_change    decision-change
    <slug:slug>/<str:version>/                          framework_detail   detail
    """,
    views,
)
