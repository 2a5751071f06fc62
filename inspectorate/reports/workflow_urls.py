from django.urls import URLPattern, URLResolver, path

from inspectorate.reports import workflow_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_list, name="list"),
    path("events/<int:event_pk>/", views.event_reports, name="event-reports"),
    path("events/<int:event_pk>/start/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/approve/", views.report_qa_approve, name="qa-approve"),
    path("<int:pk>/send-back/", views.report_qa_return, name="qa-return"),
    path("<int:pk>/factual-accuracy/", views.report_factual_accuracy, name="factual-accuracy"),
    path("<int:pk>/comments/add/", views.comment_add, name="comment-add"),
    path("comments/<int:pk>/respond/", views.comment_respond, name="comment-respond"),
    path("comments/<int:pk>/change/", views.comment_change, name="comment-change"),
    path("comments/<int:pk>/withdraw/", views.comment_withdraw, name="comment-withdraw"),
    path("<int:pk>/finalise/", views.report_finalise, name="finalise"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
]
