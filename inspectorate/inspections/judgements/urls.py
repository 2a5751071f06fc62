from inspectorate.inspections.judgements import views
from inspectorate.lib.routes import routes

# Included by inspections/urls.py, in the "inspections" namespace.
urlpatterns = routes(
    """
    judgements/                          judgements           judgements
    judgements/aspects/<int:aspect_pk>/  judgement_record     judgement-record
    judgements/moderate/                 judgements_moderate  judgements-moderate
    judgements/<int:pk>/correct/         judgement_correct    judgement-correct
    """,
    views,
    prefix="events/<int:event_pk>/",
)
