"""Rows of the meetings app out of range (`manage.py check_values`)."""

from django.db.models import F, Q
from django.db.models.functions import TruncDate

from config.ranges import Finding, loose_days, stored_check

from .models import FIRST_MEETING, SteeringMeeting


@stored_check
def first_meetings():
    """A series' first day, against the day it was planned (FIRST_MEETING)."""
    window = FIRST_MEETING
    found = SteeringMeeting.objects.annotate(day=TruncDate("created_at")).filter(
        Q(start_date__gt=F("day") + loose_days(window.ahead))
        | Q(start_date__lt=F("day") - loose_days(window.back))
    )
    for meeting in found:
        why = window.refusal(meeting.start_date, meeting.day)
        if not why:
            continue
        yield Finding(
            "meetings.SteeringMeeting",
            meeting.pk,
            f"first meeting {meeting.start_date}, planned {meeting.day}",
            why,
        )
