from inspectorate.lib.routes import routes
from inspectorate.reports import letter_views as views

urlpatterns = routes(
    """
    letters/             letter_list  letters
    letters/<str:kind>/  letter_edit  letter-edit
    """,
    views,
)
