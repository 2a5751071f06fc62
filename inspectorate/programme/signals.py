"""Signals the programme sends so that milestones, teams and notifications follow events.

Sent inside the writing transaction by programme services: receivers write in it too, so a
failure rolls the whole change back.
"""

from django.dispatch import Signal

# kwargs: event, actor. Sent after an event is created, or its dates or kind change.
event_dates_changed = Signal()
# kwargs: event, actor. Sent after a team member is added or removed.
team_changed = Signal()
