"""Rows of the charter app out of range (`manage.py check_values`)."""

from datetime import timedelta

from django.db.models import F, Q
from django.db.models.functions import TruncDate

from config.ranges import Finding, loose_days, stored_check

from .models import OBSERVED_ON, Observation


@stored_check
def observation_days():
    """An observation's day, against the day it was logged (OBSERVED_ON)."""
    back, ahead = OBSERVED_ON.back, OBSERVED_ON.ahead
    found = Observation.objects.annotate(day=TruncDate("created_at")).filter(
        Q(observed_on__gt=F("day") + loose_days(ahead))
        | Q(observed_on__lt=F("day") - loose_days(back))
    )
    for observation in found:
        # A day of slack: `day` is in UTC, the person's day may already be the next.
        why = OBSERVED_ON.refusal(observation.observed_on, observation.day + timedelta(days=1))
        if not why:
            continue
        yield Finding(
            "charter.Observation",
            observation.pk,
            f"observed on {observation.observed_on}, logged {observation.day}",
            why,
        )
