from inspectorate.lib.routes import routes
from inspectorate.reports import word_views as views

urlpatterns = routes(
    """
    <int:pk>/comments/word/          word_upload   word-upload
    <int:pk>/comments/word/confirm/  word_confirm  word-confirm
    """,
    views,
)
