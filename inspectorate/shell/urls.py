from django.urls import path

from inspectorate.shell import views

app_name = "shell"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", views.search_page, name="search"),
    path("directory/", views.section, {"section": "directory"}, name="directory"),
    path("administration/", views.section, {"section": "administration"}, name="administration"),
    path("audit/", views.audit_trail, name="audit-trail"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
