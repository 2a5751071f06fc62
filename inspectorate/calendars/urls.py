from inspectorate.calendars import views
from inspectorate.lib.routes import routes

app_name = "calendars"

urlpatterns = routes(
    """
    ""               feed_settings  settings
    <str:token>.ics  feed           feed
    """,
    views,
)
