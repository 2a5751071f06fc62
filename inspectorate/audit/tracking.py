"""`audited`: the one way a domain model joins the audit trail.

It tracks inserts, updates and deletes with django-pghistory triggers into an append-only
event table, and chains every event row (see chain.py). A test checks that every model of
the project's apps is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pghistory
from django.db import models

from inspectorate.audit.chain import chain_trigger

ModelT = TypeVar("ModelT", bound=type[models.Model])


def audited(*, exclude: list[str] | None = None) -> Callable[[ModelT], ModelT]:
    """Class decorator: record every insert, update and delete of the model.

    `exclude` names fields whose values are not copied into the events (secrets, or
    bookkeeping that changes on every sign-in); changes to them alone make no event.
    """
    update = pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=exclude or []))
    tracker = pghistory.track(
        pghistory.InsertEvent(),
        update,
        pghistory.DeleteEvent(),
        exclude=exclude,
        # pghistory would name the relation "events": free that name for the domain.
        obj_field=pghistory.ObjForeignKey(
            related_name="audit_events", related_query_name="audit_event"
        ),
        append_only=True,
        meta={"triggers": [chain_trigger()]},
    )
    return tracker
