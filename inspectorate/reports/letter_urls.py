from django.urls import URLPattern, URLResolver, path

from inspectorate.reports import letter_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("letters/", views.letter_list, name="letters"),
    path("letters/<str:kind>/", views.letter_edit, name="letter-edit"),
]
