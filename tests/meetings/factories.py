from datetime import date, time, timedelta

from django.utils import timezone

from meetings import services
from meetings.models import Occurrence, SteeringMeeting


def weekly_meeting(
    team, *, created_by=None, start: date | None = None, **kwargs
) -> SteeringMeeting:
    """A weekly meeting of the team, Tuesdays 10:00 local, starting next week."""
    start = start or (timezone.localdate() + timedelta(days=7))
    values = {
        "title": "Weekly steering",
        "frequency": "weekly",
        "start_date": start,
        "start_time": time(10, 0),
        "duration_minutes": 60,
        "location": "Room 4",
    }
    values.update(kwargs)
    return services.meeting_schedule(team=team, created_by=created_by, **values)


def edit_series(meeting: SteeringMeeting, **changes) -> SteeringMeeting:
    """Saves the series' edit form with its current schedule, but for `changes`."""
    values = {
        "title": meeting.title,
        "frequency": meeting.frequency,
        "start_date": meeting.start_date,
        "start_time": meeting.start_time,
        "duration_minutes": meeting.duration_minutes,
    }
    values.update(changes)
    return services.meeting_update(meeting=meeting, **values)


def first_occurrence(meeting: SteeringMeeting) -> Occurrence:
    return meeting.occurrences.order_by("starts_at").first()


def past_occurrence(meeting: SteeringMeeting, *, days_ago: int = 7) -> Occurrence:
    start = timezone.now() - timedelta(days=days_ago)
    return Occurrence.objects.create(
        meeting=meeting, original_start=start, starts_at=start, ends_at=start + timedelta(hours=1)
    )
