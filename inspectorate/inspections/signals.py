"""Signals the inspections app sends, inside the writing transaction: receivers write in it
too, so a failure rolls the whole change back."""

from django.dispatch import Signal

# kwargs: judgement, actor. Sent after a judgement is recorded, changed or corrected.
judgement_recorded = Signal()

# kwargs: inspection, actor. Sent when an inspection's outcome is published with its report.
inspection_published = Signal()
