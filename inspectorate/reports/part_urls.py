from inspectorate.lib.routes import routes
from inspectorate.reports import part_views as views

urlpatterns = routes(
    """
    <int:pk>/parts/             report_parts    parts
    <int:pk>/parts/signature/   signature_edit  parts-signature
    <int:pk>/parts/team/        team_edit       parts-team
    <int:pk>/parts/glossary/    glossary_edit   parts-glossary
    <int:pk>/parts/about/       about_edit      parts-about
    <int:pk>/parts/references/  items_edit      parts-references
    """,
    views,
)
