from django.urls import URLPattern, URLResolver, path

from inspectorate.planner import views

app_name = "planner"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:year>/", views.planner_home, name="home"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="progress"),
    path("runs/<int:pk>/stop/", views.run_stop, name="stop"),
    path("runs/<int:pk>/accept/", views.run_accept, name="accept"),
]
