from inspectorate.inspections.findings import views
from inspectorate.lib.routes import routes

# Included by inspections/urls.py, in the "inspections" namespace. `kind` is one of
# "concerns", "recommendations", "positive-practice" (anything else is a 404).
urlpatterns = routes(
    """
    findings/                              findings             findings
    findings/<slug:kind>/add/              finding_add          finding-add
    findings/<slug:kind>/<int:pk>/edit/    finding_edit         finding-edit
    findings/<slug:kind>/<int:pk>/delete/  finding_delete       finding-delete
    findings/<slug:kind>/<int:pk>/move/    finding_move         finding-move
    follow-ups/                            follow_ups           follow-ups
    follow-ups/select/                     follow_up_select     follow-up-select
    follow-ups/themes/add/                 follow_up_theme_add  follow-up-theme-add
    follow-ups/<int:pk>/narrative/         follow_up_narrative  follow-up-narrative
    follow-ups/<int:pk>/judgement/         follow_up_judgement  follow-up-judgement
    follow-ups/<int:pk>/remove/            follow_up_remove     follow-up-remove
    follow-ups/<int:pk>/move/              follow_up_move       follow-up-move
    """,
    views,
    prefix="events/<int:event_pk>/",
)
