"""Rows of the improvement app out of range (`manage.py check_values`)."""

from django.db.models import F, Q
from django.db.models.functions import TruncDate

from config.ranges import Finding, loose_days, stored_check

from .models import DUE_DATES, ChangeIdea


@stored_check
def due_dates():
    """A change idea's due date, against the day it was written (DUE_DATES)."""
    found = ChangeIdea.objects.annotate(day=TruncDate("created_at")).filter(
        Q(due_date__gt=F("day") + loose_days(DUE_DATES.ahead))
        | Q(due_date__lt=F("day") - loose_days(DUE_DATES.back))
    )
    for idea in found:
        why = DUE_DATES.refusal(idea.due_date, idea.day)
        if not why:
            continue
        yield Finding(
            "improvement.ChangeIdea",
            idea.pk,
            f"due {idea.due_date}, written {idea.day}",
            why,
        )
