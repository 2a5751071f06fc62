from django.urls import URLPattern, URLResolver, path

from inspectorate.reports import document_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/document/", views.document_page, name="document"),
    path("<int:pk>/document/pdf/", views.pdf_request, name="pdf-request"),
    path("<int:pk>/document/pdf/status/", views.pdf_status, name="pdf-status"),
    path("pdf/<int:pk>/", views.pdf_download, name="pdf-download"),
    path("<int:pk>/document/word/", views.docx, name="docx"),
]
