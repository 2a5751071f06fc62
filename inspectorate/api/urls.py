from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from inspectorate.api import views
from inspectorate.api.alerts import views as views_alerts
from inspectorate.api.audit import views as views_audit
from inspectorate.api.calendars import views as views_calendars
from inspectorate.api.complaints import views as views_complaints
from inspectorate.api.estate import views as views_estate
from inspectorate.api.fieldwork import views as views_fieldwork
from inspectorate.api.frameworks import views as views_frameworks
from inspectorate.api.imports import views as views_imports
from inspectorate.api.improvement import views as views_improvement
from inspectorate.api.judgements import views as views_judgements
from inspectorate.api.letters import views as views_letters
from inspectorate.api.planner import views as views_planner
from inspectorate.api.programme import views as views_programme
from inspectorate.api.reports import views as views_reports

app_name = "api"


class Router(DefaultRouter):
    APIRootView = views.ApiRoot
    # No `.json` suffix routes: every answer is JSON already, and the extra actions did not
    # take the suffix's `format` argument (the URL walk found them answering 500).
    include_format_suffixes = False


router = Router()
router.register("establishments", views_estate.EstablishmentViewSet, basename="establishment")
router.register("inspectors", views_estate.InspectorViewSet, basename="inspector")
router.register("providers", views_estate.ProviderViewSet, basename="provider")
router.register("contracts", views_estate.ContractViewSet, basename="contract")
router.register("unavailability", views_estate.UnavailabilityViewSet, basename="unavailability")
router.register("conflicts", views_estate.ConflictViewSet, basename="conflict")
router.register("programmes", views_programme.ProgrammeViewSet, basename="programme")
router.register("events", views.EventViewSet, basename="event")
router.register("team-members", views.TeamMemberViewSet, basename="team-member")
router.register("milestones", views_programme.MilestoneViewSet, basename="milestone")
router.register(
    "programme-amendments", views_programme.AmendmentViewSet, basename="programme-amendment"
)
router.register("notifications", views_programme.NotificationViewSet, basename="notification")
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
router.register("evidence", views_fieldwork.EvidenceViewSet, basename="evidence")
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
router.register("letter-templates", views_letters.LetterTemplateViewSet, basename="letter-template")
router.register("tokens", views.ApiTokenViewSet, basename="token")
router.register("access-events", views_audit.AccessEventViewSet, basename="access-event")
router.register("audit", views_audit.AuditViewSet, basename="audit")
router.register("plan-runs", views_planner.PlanRunViewSet, basename="plan-run")
router.register("calendar-feeds", views_calendars.CalendarFeedViewSet, basename="calendar-feed")
router.register("frameworks", views_frameworks.FrameworkViewSet, basename="framework")
router.register(
    "framework-assessments",
    views_frameworks.AssessmentViewSet,
    basename="framework-assessment",
)
router.register("imports/reports", views_imports.ReportImportViewSet, basename="report-import")

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", views.ApiSchema.as_view(), name="schema"),
    path("docs/", views.api_docs, name="docs"),
    path("docs/swagger/", views.SwaggerDocs.as_view(), name="swagger"),
    path("tokens/manage/", views.tokens_page, name="tokens-page"),
    *router.urls,
]
