from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from inspectorate.api import views

app_name = "api"


class Router(DefaultRouter):
    APIRootView = views.ApiRoot


router = Router()
router.register("establishments", views.EstablishmentViewSet, basename="establishment")
router.register("inspectors", views.InspectorViewSet, basename="inspector")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("events", views.EventViewSet, basename="event")
router.register("team-members", views.TeamMemberViewSet, basename="team-member")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("judgements", views.JudgementViewSet, basename="judgement")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("improvement-cases", views.ImprovementCaseViewSet, basename="improvement-case")
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("tokens", views.ApiTokenViewSet, basename="token")

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", views.ApiSchema.as_view(), name="schema"),
    path("docs/", views.api_docs, name="docs"),
    path("tokens/manage/", views.tokens_page, name="tokens-page"),
    *router.urls,
]
