"""iCalendar for steering meetings: feeds and e-mail attachments.

Each occurrence is its own VEVENT with a stable UID, so a moved occurrence (higher
SEQUENCE) or a cancelled one (STATUS:CANCELLED) replaces the event calendars already
hold. Times carry the series' time zone, with its VTIMEZONE definition included.
"""

from collections.abc import Iterable
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from .models import Occurrence


def _host() -> str:
    return urlparse(settings.SITE_URL).hostname or "cocharter"


def occurrence_uid(occurrence: Occurrence) -> str:
    return f"steering-{occurrence.pk}@{_host()}"


def occurrence_url(occurrence: Occurrence) -> str:
    path = reverse("meetings:occurrence", args=[occurrence.meeting.team.slug, occurrence.pk])
    return settings.SITE_URL + path


def occurrence_event(occurrence: Occurrence, *, cancel: bool = False) -> Event:
    meeting = occurrence.meeting
    tz = ZoneInfo(meeting.time_zone)
    event = Event()
    event.add("uid", occurrence_uid(occurrence))
    event.add("sequence", occurrence.sequence)
    event.add("dtstamp", timezone.now())
    event.add("last-modified", occurrence.updated_at or timezone.now())
    event.add("dtstart", occurrence.starts_at.astimezone(tz))
    event.add("dtend", occurrence.ends_at.astimezone(tz))
    event.add("summary", f"{meeting.title} · {meeting.team.name}")
    if meeting.location:
        event.add("location", meeting.location)
    url = occurrence_url(occurrence)
    event.add("url", url)
    event.add("description", url)
    cancelled = cancel or occurrence.is_cancelled or meeting.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar(
    occurrences: Iterable[Occurrence],
    *,
    name: str,
    method: str | None = None,
    attendee: str | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per occurrence and the VTIMEZONEs they use.

    With `method` (REQUEST or CANCEL) it is an iTIP message for an e-mail invitation;
    without, a feed.
    """
    cal = Calendar()
    cal.add("prodid", "-//Cocharter//Steering meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    organizer = vCalAddress(f"mailto:{_from_address()}")
    organizer.params["cn"] = "Cocharter"
    for occurrence in occurrences:
        event = occurrence_event(occurrence, cancel=method == "CANCEL")
        if method:
            event.add("organizer", organizer)
            if attendee:
                event.add("attendee", vCalAddress(f"mailto:{attendee}"))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _from_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
