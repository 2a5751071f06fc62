from django.urls import path

from inspectorate.safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("", views.alert_list, name="alert-list"),
    path("events/<int:event_pk>/raise/", views.alert_raise, name="alert-raise"),
    path("<int:pk>/", views.alert_detail, name="alert-detail"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("<int:pk>/actions/", views.alert_action, name="alert-action"),
    path("<int:pk>/close/", views.alert_close, name="alert-close"),
]
