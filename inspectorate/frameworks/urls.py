from django.urls import URLPattern, URLResolver, path

from inspectorate.frameworks import views

app_name = "frameworks"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.framework_index, name="list"),
    path("calculator/", views.calculator, name="calculator"),
    path("assessments/", views.assessment_index, name="assessment-list"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path(
        "assessments/<int:pk>/judgements/<int:decision_pk>/",
        views.decision_change,
        name="decision-change",
    ),
    path("<slug:slug>/<str:version>/", views.framework_detail, name="detail"),
]
