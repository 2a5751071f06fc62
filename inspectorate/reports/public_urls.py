from inspectorate.lib.routes import routes
from inspectorate.reports import public_views as views

urlpatterns = routes(
    """
    published/               published_list    public-list
    published/<int:pk>/      published_detail  public-report
    published/<int:pk>/pdf/  published_pdf     public-pdf
    """,
    views,
)
