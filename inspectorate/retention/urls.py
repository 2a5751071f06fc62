from django.urls import path

from inspectorate.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.approvals, name="approvals"),
    path("subject-access/", views.subject_access, name="subject-access"),
]
