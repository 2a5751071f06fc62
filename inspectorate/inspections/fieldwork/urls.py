from inspectorate.inspections.fieldwork import views
from inspectorate.lib.routes import routes

# The event's fieldwork (namespace "inspections"): the briefing (IN-1), evidence forms (IN-7),
# observations (IN-8) and meetings (IN-3, IN-4).
urlpatterns = routes(
    """
    briefing/               briefing          briefing
    evidence/               evidence_list     evidence-list
    evidence/new/           evidence_add      evidence-add
    evidence/<int:pk>/      evidence_edit     evidence-edit
    observations/           observation_list  observation-list
    observations/new/       observation_add   observation-add
    observations/<int:pk>/  observation_edit  observation-edit
    meetings/               meeting_list      meeting-list
    meetings/new/           meeting_add       meeting-add
    meetings/<int:pk>/      meeting_edit      meeting-edit
    """,
    views,
    prefix="events/<int:event_pk>/",
)
