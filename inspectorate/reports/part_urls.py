from django.urls import URLPattern, URLResolver, path

from inspectorate.reports import part_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/parts/", views.report_parts, name="parts"),
    path("<int:pk>/parts/signature/", views.signature_edit, name="parts-signature"),
    path("<int:pk>/parts/team/", views.team_edit, name="parts-team"),
    path("<int:pk>/parts/glossary/", views.glossary_edit, name="parts-glossary"),
    path("<int:pk>/parts/about/", views.about_edit, name="parts-about"),
    path("<int:pk>/parts/references/", views.items_edit, name="parts-references"),
]
