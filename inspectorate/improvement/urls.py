from django.urls import path

from inspectorate.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/hmi/", views.case_assign, name="case-assign"),
    path("<int:pk>/details/", views.case_details, name="case-details"),
    path("<int:pk>/contacts/new/", views.contact_add, name="contact-add"),
    path("<int:pk>/contacts/<int:contact_pk>/letter/", views.letter_edit, name="letter-edit"),
    path("<int:pk>/contacts/<int:contact_pk>/letter/send/", views.letter_send, name="letter-send"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/letter/checked/",
        views.letter_check,
        name="letter-check",
    ),
    path("<int:pk>/actions/<int:action_pk>/done/", views.action_done, name="action-done"),
    path("<int:pk>/actions/<int:action_pk>/reopen/", views.action_reopen, name="action-reopen"),
    path("<int:pk>/insufficient-progress/", views.insufficient_progress, name="insufficient"),
    path("<int:pk>/bring-forward/", views.bring_forward, name="bring-forward"),
]
