from inspectorate.lib.routes import routes
from inspectorate.reports import workflow_views as views

urlpatterns = routes(
    """
    ""                            report_list              list
    events/<int:event_pk>/        event_reports            event-reports
    events/<int:event_pk>/start/  report_create            create
    <int:pk>/                     report_detail            detail
    <int:pk>/edit/                report_edit              edit
    <int:pk>/submit/              report_submit            submit
    <int:pk>/approve/             report_qa_approve        qa-approve
    <int:pk>/send-back/           report_qa_return         qa-return
    <int:pk>/factual-accuracy/    report_factual_accuracy  factual-accuracy
    <int:pk>/comments/add/        comment_add              comment-add
    comments/<int:pk>/respond/    comment_respond          comment-respond
    comments/<int:pk>/change/     comment_change           comment-change
    comments/<int:pk>/withdraw/   comment_withdraw         comment-withdraw
    <int:pk>/finalise/            report_finalise          finalise
    <int:pk>/publish/             report_publish           publish
    """,
    views,
)
