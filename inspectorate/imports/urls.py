from django.urls import path

from inspectorate.imports import report_views

app_name = "imports"

urlpatterns = [
    path("reports/", report_views.report_upload, name="reports"),
    path("reports/confirm/", report_views.report_confirm, name="report-confirm"),
]
