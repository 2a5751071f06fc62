from inspectorate.lib.routes import routes
from inspectorate.planner import views

app_name = "planner"

urlpatterns = routes(
    """
    <int:year>/              planner_home  home
    runs/<int:pk>/           run_detail    run
    runs/<int:pk>/progress/  run_progress  progress
    runs/<int:pk>/stop/      run_stop      stop
    runs/<int:pk>/accept/    run_accept    accept
    """,
    views,
)
