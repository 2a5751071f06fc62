from django.urls import URLPattern, URLResolver

app_name = "inspectors"

urlpatterns: list[URLPattern | URLResolver] = []  # this app's screens come with its issue
