from inspectorate.lib.routes import routes
from inspectorate.reports import document_views as views

urlpatterns = routes(
    """
    <int:pk>/document/             document_page  document
    <int:pk>/document/pdf/         pdf_request    pdf-request
    <int:pk>/document/pdf/status/  pdf_status     pdf-status
    pdf/<int:pk>/                  pdf_download   pdf-download
    <int:pk>/document/word/        docx           docx
    """,
    views,
)
