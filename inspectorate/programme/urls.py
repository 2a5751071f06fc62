from django.urls import URLPattern, URLResolver, include, path

app_name = "programme"

# Each part of the programme keeps its own URL module (teams, milestones), included here.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("inspectorate.programme.team_urls")),
    path("", include("inspectorate.programme.milestone_urls")),
]
