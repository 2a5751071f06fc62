from django.urls import URLPattern, URLResolver

app_name = "estate"

urlpatterns: list[URLPattern | URLResolver] = []  # this app's screens come with its issue
