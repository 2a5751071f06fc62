from django.urls import URLPattern, URLResolver, path

from inspectorate.reports import word_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/comments/word/", views.word_upload, name="word-upload"),
    path("<int:pk>/comments/word/confirm/", views.word_confirm, name="word-confirm"),
]
