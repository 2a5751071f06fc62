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
from inspectorate.lib.routes import register

app_name = "api"


class Router(DefaultRouter):
    APIRootView = views.ApiRoot
    # No `.json` suffix routes: every answer is JSON already, and the extra actions did not
    # take the suffix's `format` argument (the URL walk found them answering 500).
    include_format_suffixes = False


router = Router()
register(
    router,
    """
    establishments         EstablishmentViewSet        establishment
    inspectors             InspectorViewSet            inspector
    providers              ProviderViewSet             provider
    contracts              ContractViewSet             contract
    unavailability         UnavailabilityViewSet       unavailability
    conflicts              ConflictViewSet             conflict
    programmes             ProgrammeViewSet            programme
    events                 EventViewSet                event
    team-members           TeamMemberViewSet           team-member
    milestones             MilestoneViewSet            milestone
    programme-amendments   AmendmentViewSet            programme-amendment
    notifications          NotificationViewSet         notification
    judgements             JudgementViewSet            judgement
    recommendations        RecommendationWriteViewSet  recommendation
    follow-ups             FollowUpWriteViewSet        follow-up
    improvement-cases      ImprovementCaseViewSet      improvement-case
    improvement-letters    ImprovementLetterViewSet    improvement-letter
    complaints             ComplaintViewSet            complaint
    evidence               EvidenceViewSet             evidence
    observations           ObservationViewSet          observation
    meetings               MeetingViewSet              meeting
    briefings              BriefingViewSet             briefing
    concerns               ConcernViewSet              concern
    positive-practice      PositivePracticeViewSet     positive-practice
    alerts                 AlertViewSet                alert
    reports                ReportViewSet               report
    report-comments        CommentViewSet              report-comment
    letter-templates       LetterTemplateViewSet       letter-template
    tokens                 ApiTokenViewSet             token
    access-events          AccessEventViewSet          access-event
    audit                  AuditViewSet                audit
    plan-runs              PlanRunViewSet              plan-run
    calendar-feeds         CalendarFeedViewSet         calendar-feed
    frameworks             FrameworkViewSet            framework
    framework-assessments  AssessmentViewSet           framework-assessment
    imports/reports        ReportImportViewSet         report-import
    """,
    views_estate,
    views_programme,
    views,
    views_judgements,
    views_fieldwork,
    views_improvement,
    views_complaints,
    views_alerts,
    views_reports,
    views_letters,
    views_audit,
    views_planner,
    views_calendars,
    views_frameworks,
    views_imports,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", views.ApiSchema.as_view(), name="schema"),
    path("docs/", views.api_docs, name="docs"),
    path("docs/swagger/", views.SwaggerDocs.as_view(), name="swagger"),
    path("tokens/manage/", views.tokens_page, name="tokens-page"),
    *router.urls,
]
