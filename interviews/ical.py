"""The interviewer's calendar event, the way meetings/ical.py writes its own: one
VEVENT with a stable UID and a SEQUENCE that grows with each new date, times in the
team's time zone with its VTIMEZONE.

The stakeholder's name stays out of the event (calendars are often shared): the event
names the client group and links to the interview page, behind the team's login."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from meetings.ical import site_host

from .models import Interview


def interview_uid(interview: Interview) -> str:
    return f"interview-{interview.pk}@{site_host()}"


def interview_url(interview: Interview) -> str:
    return settings.SITE_URL + reverse(
        "interviews:interview", args=[interview.team.slug, interview.pk]
    )


def interview_calendar(interview: Interview, *, method: str | None = None) -> bytes:
    tz = ZoneInfo(str(interview.team.time_zone))
    start = interview.scheduled_at.astimezone(tz)
    event = Event()
    event.add("uid", interview_uid(interview))
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now())
    event.add(
        "summary",
        _("Client interview · %(group)s · %(team)s")
        % {"group": interview.stakeholder.client_group.name, "team": interview.team.name},
    )
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=interview.duration_minutes))
    cancelled = interview.status == Interview.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    url = interview_url(interview)
    event.add("url", url)
    event.add("description", url)
    cal = Calendar()
    cal.add("prodid", "-//Cocharter//Client interviews//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
