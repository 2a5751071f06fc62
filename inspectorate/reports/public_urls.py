from django.urls import URLPattern, URLResolver, path

from inspectorate.reports import public_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("published/", views.published_list, name="public-list"),
    path("published/<int:pk>/", views.published_detail, name="public-report"),
    path("published/<int:pk>/pdf/", views.published_pdf, name="public-pdf"),
]
