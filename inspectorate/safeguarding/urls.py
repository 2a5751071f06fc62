from inspectorate.lib.routes import routes
from inspectorate.safeguarding import views

app_name = "safeguarding"

urlpatterns = routes(
    """
    ""                            alert_list         alert-list
    events/<int:event_pk>/raise/  alert_raise        alert-raise
    <int:pk>/                     alert_detail       alert-detail
    <int:pk>/acknowledge/         alert_acknowledge  alert-acknowledge
    <int:pk>/actions/             alert_action       alert-action
    <int:pk>/close/               alert_close        alert-close
    """,
    views,
)
