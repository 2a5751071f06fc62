"""Who may raise and handle safeguarding and sanctions alerts (SG-1, SG-2).

Who may *see* an alert is `Alert.objects.visible_to` (the programme coordinators, and the
people who raised it or are on its escalation ladder).
"""

from __future__ import annotations

from typing import Any

import rules

from inspectorate.accounts.permissions import condition, grant, is_users, permission
from inspectorate.accounts.roles import Duty
from inspectorate.inspections.rules import is_on_event_team
from inspectorate.safeguarding.models import Alert

is_on_the_event_team = condition(
    is_on_event_team, "is_on_the_event_team", "On the team of the event."
)


@rules.predicate
def is_on_the_ladder(user: Any, alert: Any) -> bool:
    """On the alert's escalation ladder."""
    return isinstance(alert, Alert) and user.pk in alert.ladder


raised_the_alert = is_users(
    Alert, "raised_by_id", "raised_the_alert", "The person who raised the alert."
)


# The people on an alert's escalation ladder, and administrators.
ALERT_HANDLERS = (grant(when=is_on_the_ladder), grant(Duty.ADMINISTERS))

permission(
    "safeguarding.raise_alert",
    grant(when=is_on_the_event_team),
    rule_ids=("SG-1",),
    text="Raise a safeguarding or sanctions alert about an event.",
)
permission(
    "safeguarding.handle_alert",
    *ALERT_HANDLERS,
    rule_ids=("SG-1",),
    text="Acknowledge and close an alert.",
)
permission(
    "safeguarding.record_alert_action",
    *ALERT_HANDLERS,
    grant(when=raised_the_alert),
    rule_ids=("SG-1",),
    text="Record what was done about an alert.",
)
permission(
    "safeguarding.view_alerts_to_acknowledge",
    grant(Duty.STAFF),
    rule_ids=("SG-1",),
    text="See the alerts awaiting the user's acknowledgement on the dashboard.",
)
permission(
    "safeguarding.follow_alerts",
    grant(Duty.FOLLOWS_ALERTS),
    text="Alerts in the menu (quality assurance reaches the list from its address).",
)
