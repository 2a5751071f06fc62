from inspectorate.complaints import views
from inspectorate.lib.routes import routes

app_name = "complaints"

urlpatterns = routes(
    """
    ""                            complaint_list    list
    events/<int:event_pk>/raise/  complaint_raise   raise
    <int:pk>/                     complaint_detail  detail
    <int:pk>/reply/               lead_reply        reply
    <int:pk>/formal/              make_formal       formal
    <int:pk>/respond/             respond           respond
    <int:pk>/review/              request_review    review
    <int:pk>/review/respond/      review_respond    review-respond
    """,
    views,
)
