from django.urls import URLPattern, URLResolver

app_name = "frameworks"

urlpatterns: list[URLPattern | URLResolver] = []  # this app's screens come with its issue
