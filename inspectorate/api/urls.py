from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from inspectorate.api import (
    views,
    views_alerts,
    views_complaints,
    views_fieldwork,
    views_improvement,
    views_judgements,
    views_reports,
)

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
router.register("judgements", views_judgements.JudgementViewSet, basename="judgement")
router.register(
    "recommendations", views_fieldwork.RecommendationWriteViewSet, basename="recommendation"
)
router.register("follow-ups", views_fieldwork.FollowUpWriteViewSet, basename="follow-up")
router.register(
    "improvement-cases", views_improvement.ImprovementCaseViewSet, basename="improvement-case"
)
router.register(
    "improvement-letters",
    views_improvement.ImprovementLetterViewSet,
    basename="improvement-letter",
)
router.register("complaints", views_complaints.ComplaintViewSet, basename="complaint")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("observations", views_fieldwork.ObservationViewSet, basename="observation")
router.register("meetings", views_fieldwork.MeetingViewSet, basename="meeting")
router.register("briefings", views_fieldwork.BriefingViewSet, basename="briefing")
router.register("concerns", views_fieldwork.ConcernViewSet, basename="concern")
router.register(
    "positive-practice", views_fieldwork.PositivePracticeViewSet, basename="positive-practice"
)
router.register("alerts", views_alerts.AlertViewSet, basename="alert")
router.register("reports", views_reports.ReportViewSet, basename="report")
router.register("report-comments", views_reports.CommentViewSet, basename="report-comment")
router.register("tokens", views.ApiTokenViewSet, basename="token")

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", views.ApiSchema.as_view(), name="schema"),
    path("docs/", views.api_docs, name="docs"),
    path("tokens/manage/", views.tokens_page, name="tokens-page"),
    *router.urls,
]
