from django.urls import path

from inspectorate.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("events/<int:event_pk>/raise/", views.complaint_raise, name="raise"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/reply/", views.lead_reply, name="reply"),
    path("<int:pk>/formal/", views.make_formal, name="formal"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/review/", views.request_review, name="review"),
    path("<int:pk>/review/respond/", views.review_respond, name="review-respond"),
]
