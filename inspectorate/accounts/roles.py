"""The roles, and what each is for: the one place a role is defined.

A role is who a person is in the service. A duty is a part of the work: every permission in
an app's ``rules.py`` is granted to duties, never to roles by name, so adding a role is
adding it here (its label, and the duties it takes on), its migration for the choices, and
its demo user. ``docs/access-matrix.md`` is generated from this table and the permissions.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    HMIP_COORDINATOR = "hmip_coordinator", "HMI Prisons programme coordinator"
    HMIP_TEAM_LEADER = "hmip_team_leader", "HMI Prisons team leader"
    HMIP_INSPECTOR = "hmip_inspector", "HMI Prisons inspector"
    OFSTED_SCHEDULER = "ofsted_scheduler", "Ofsted scheduler"
    OFSTED_LEAD_INSPECTOR = "ofsted_lead_inspector", "Ofsted lead inspector"
    OFSTED_INSPECTOR = "ofsted_inspector", "Ofsted inspector"
    IMPROVEMENT_HMI = "improvement_hmi", "Improvement HMI"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
    ESTABLISHMENT_USER = "establishment_user", "Establishment user"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


class Duty(StrEnum):
    """A part of the work that permissions are granted to."""

    STAFF = "staff"  # works for an inspectorate (not an inspected establishment)
    ESTABLISHMENT = "establishment"  # works at one inspected establishment
    SEES_WHOLE_PROGRAMME = "sees_whole_programme"  # the confidential programme (PG-3)
    WRITES_PROGRAMME = "writes_programme"
    SCHEDULES_OFSTED = "schedules_ofsted"  # Ofsted's own inspections and visits (PG-7)
    RECORDS_HISTORY = "records_history"  # past events, exempt from planning rules (HI-1)
    INSPECTS = "inspects"  # may be placed on an inspection team
    ASSURES_QUALITY = "assures_quality"
    READS_ALL_FINDINGS = "reads_all_findings"  # any inspection's findings and drafts
    READS_PUBLISHED_FINDINGS = "reads_published_findings"
    PUBLISHES_REPORTS = "publishes_reports"
    HMIP_REPORTING = "hmip_reporting"  # writes the HMI Prisons side of a joint report
    OFSTED_REPORTING = "ofsted_reporting"  # writes the Ofsted side of a joint report
    EDITS_LETTER_TEMPLATES = "edits_letter_templates"
    ANSWERS_COMPLAINTS = "answers_complaints"
    READS_COMPLAINTS = "reads_complaints"
    WORKS_IMPROVEMENT_CASES = "works_improvement_cases"
    ASSIGNS_IMPROVEMENT_CASES = "assigns_improvement_cases"
    IMPROVEMENT_HMI = "improvement_hmi"  # may be assigned an improvement case
    READS_SAFEGUARDING = "reads_safeguarding"
    ASSESSES = "assesses"  # records framework assessments
    OVERRIDES_ASSESSMENTS = "overrides_assessments"
    MANAGES_HMIP_PLACES = "manages_hmip_places"  # staffs HMI Prisons places on a team
    MANAGES_EDUCATION_PLACES = "manages_education_places"  # staffs Ofsted and Estyn places
    READS_AUDIT_TRAIL = "reads_audit_trail"
    ADMINISTERS = "administers"  # users, reference data, retention, the operator's pages
    # New duties are added below.
    STARTS_REPORTS = "starts_reports"  # starts any event's report, besides the event's leads
    LEADS_INSPECTIONS = "leads_inspections"  # holds a lead inspector's role (CP-1 deadlines)
    FOLLOWS_COMPLAINTS = "follows_complaints"  # complaints in the menu (not administrators')
    FOLLOWS_ALERTS = "follows_alerts"  # alerts in the menu (quality assurance reads reports)
    KEEPS_INSPECTOR_RECORDS = "keeps_inspector_records"  # vetting, conflicts, leave, imports
    LEADS_HMIP_TEAMS = "leads_hmip_teams"  # leads HMI Prisons inspection teams (dashboard)
    LEADS_OFSTED_TEAMS = "leads_ofsted_teams"  # leads Ofsted's part of inspections (dashboard)
    TAKES_ASSIGNMENTS = "takes_assignments"  # is placed on teams as a member (dashboard)
    COORDINATES_PROGRAMME = "coordinates_programme"  # answers for the programme's deadlines


_R = Role

DUTIES: dict[Duty, frozenset[Role]] = {
    Duty.STAFF: frozenset(Role) - {_R.ESTABLISHMENT_USER},
    Duty.ESTABLISHMENT: frozenset({_R.ESTABLISHMENT_USER}),
    Duty.SEES_WHOLE_PROGRAMME: frozenset(
        {_R.HMIP_COORDINATOR, _R.HMIP_TEAM_LEADER, _R.OFSTED_SCHEDULER}
    ),
    Duty.WRITES_PROGRAMME: frozenset(
        {_R.HMIP_COORDINATOR, _R.HMIP_TEAM_LEADER, _R.SYSTEM_ADMINISTRATOR}
    ),
    Duty.SCHEDULES_OFSTED: frozenset({_R.OFSTED_SCHEDULER}),
    Duty.RECORDS_HISTORY: frozenset({_R.HMIP_COORDINATOR, _R.SYSTEM_ADMINISTRATOR}),
    Duty.INSPECTS: frozenset(
        {_R.HMIP_TEAM_LEADER, _R.HMIP_INSPECTOR, _R.OFSTED_LEAD_INSPECTOR, _R.OFSTED_INSPECTOR}
    ),
    Duty.ASSURES_QUALITY: frozenset({_R.QUALITY_ASSURANCE}),
    Duty.READS_ALL_FINDINGS: frozenset(
        {_R.HMIP_COORDINATOR, _R.HMIP_TEAM_LEADER, _R.OFSTED_SCHEDULER, _R.QUALITY_ASSURANCE}
    ),
    Duty.READS_PUBLISHED_FINDINGS: frozenset({_R.IMPROVEMENT_HMI}),
    Duty.PUBLISHES_REPORTS: frozenset({_R.HMIP_COORDINATOR, _R.OFSTED_SCHEDULER}),
    Duty.HMIP_REPORTING: frozenset({_R.HMIP_COORDINATOR, _R.HMIP_TEAM_LEADER, _R.HMIP_INSPECTOR}),
    Duty.OFSTED_REPORTING: frozenset(
        {_R.OFSTED_SCHEDULER, _R.OFSTED_LEAD_INSPECTOR, _R.OFSTED_INSPECTOR}
    ),
    Duty.EDITS_LETTER_TEMPLATES: frozenset({_R.SYSTEM_ADMINISTRATOR}),
    Duty.ANSWERS_COMPLAINTS: frozenset({_R.HMIP_COORDINATOR, _R.SYSTEM_ADMINISTRATOR}),
    Duty.READS_COMPLAINTS: frozenset(
        {_R.HMIP_COORDINATOR, _R.QUALITY_ASSURANCE, _R.SYSTEM_ADMINISTRATOR}
    ),
    Duty.WORKS_IMPROVEMENT_CASES: frozenset(
        {
            _R.HMIP_COORDINATOR,
            _R.HMIP_TEAM_LEADER,
            _R.OFSTED_SCHEDULER,
            _R.IMPROVEMENT_HMI,
            _R.QUALITY_ASSURANCE,
            _R.SYSTEM_ADMINISTRATOR,
        }
    ),
    Duty.ASSIGNS_IMPROVEMENT_CASES: frozenset(
        {_R.OFSTED_SCHEDULER, _R.IMPROVEMENT_HMI, _R.SYSTEM_ADMINISTRATOR}
    ),
    Duty.IMPROVEMENT_HMI: frozenset({_R.IMPROVEMENT_HMI}),
    Duty.READS_SAFEGUARDING: frozenset({_R.HMIP_COORDINATOR}),
    Duty.ASSESSES: frozenset({_R.OFSTED_LEAD_INSPECTOR, _R.HMIP_TEAM_LEADER, _R.QUALITY_ASSURANCE}),
    Duty.OVERRIDES_ASSESSMENTS: frozenset({_R.OFSTED_LEAD_INSPECTOR, _R.HMIP_TEAM_LEADER}),
    Duty.MANAGES_HMIP_PLACES: frozenset(
        {_R.HMIP_COORDINATOR, _R.HMIP_TEAM_LEADER, _R.SYSTEM_ADMINISTRATOR}
    ),
    Duty.MANAGES_EDUCATION_PLACES: frozenset({_R.OFSTED_SCHEDULER, _R.HMIP_COORDINATOR}),
    Duty.READS_AUDIT_TRAIL: frozenset({_R.SYSTEM_ADMINISTRATOR, _R.QUALITY_ASSURANCE}),
    Duty.ADMINISTERS: frozenset({_R.SYSTEM_ADMINISTRATOR}),
    # New duties are added below, one entry each, with a comment naming what they are for.
    # Starts any event's report, besides its leads (reports.create).
    Duty.STARTS_REPORTS: frozenset({_R.HMIP_COORDINATOR}),
    # The team leader and the Ofsted lead inspector: answer for their inspections' complaints.
    Duty.LEADS_INSPECTIONS: frozenset({_R.HMIP_TEAM_LEADER, _R.OFSTED_LEAD_INSPECTOR}),
    # Who has complaints in the menu: administrators reach them from Administration.
    Duty.FOLLOWS_COMPLAINTS: frozenset(
        {
            _R.HMIP_COORDINATOR,
            _R.HMIP_TEAM_LEADER,
            _R.OFSTED_LEAD_INSPECTOR,
            _R.QUALITY_ASSURANCE,
            _R.ESTABLISHMENT_USER,
        }
    ),
    # Who has alerts in the menu: every staff role but quality assurance.
    Duty.FOLLOWS_ALERTS: frozenset(Role) - {_R.ESTABLISHMENT_USER, _R.QUALITY_ASSURANCE},
    # Keeps inspectors' records: vetting, conflicts of interest, leave, DBS warnings.
    Duty.KEEPS_INSPECTOR_RECORDS: frozenset(
        {_R.HMIP_COORDINATOR, _R.OFSTED_SCHEDULER, _R.SYSTEM_ADMINISTRATOR}
    ),
    # Answers for the programme's own deadlines, and stands in for an empty team leader place.
    # Whose dashboards list the inspections they lead, or the places they are given.
    Duty.LEADS_HMIP_TEAMS: frozenset({_R.HMIP_TEAM_LEADER}),
    Duty.LEADS_OFSTED_TEAMS: frozenset({_R.OFSTED_LEAD_INSPECTOR}),
    Duty.TAKES_ASSIGNMENTS: frozenset({_R.HMIP_INSPECTOR, _R.OFSTED_INSPECTOR}),
    Duty.COORDINATES_PROGRAMME: frozenset({_R.HMIP_COORDINATOR}),
}


def roles_with(*duties: Duty) -> frozenset[Role]:
    """Every role that takes on any of `duties`."""
    return frozenset().union(*(DUTIES[duty] for duty in duties))


def duties_of(role: Role | str) -> frozenset[Duty]:
    return frozenset(duty for duty, roles in DUTIES.items() if role in roles)
