"""iCalendar for steering meetings: e-mail invitations (iTIP) and subscription feeds.

Invitations follow RFC 5546, one UID per message: the series is one recurring event, a
master VEVENT with the series' RRULE, EXDATE for the occurrences that do not take place
and a VEVENT with RECURRENCE-ID for each occurrence moved on its own; the update of one
occurrence is that occurrence's RECURRENCE-ID component alone. Every component of a
series carries the series' SEQUENCE, which grows with every change to it.

Feeds are not iTIP: they list each occurrence as its own VEVENT with its own stable UID
(and no RRULE), exactly as the meetings are in the database, past ones included. A
subscribed calendar is a calendar of its own, so it never merges with the invitations.

Times carry the series' time zone, with its VTIMEZONE definition included.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vRecur

from .models import Occurrence, SteeringMeeting
from .recurrence import series_starts, to_utc


def site_host() -> str:
    """The site's host name, which makes calendar UIDs and Message-IDs unique."""
    return urlparse(settings.SITE_URL).hostname or "cocharter"


def occurrence_uid(occurrence: Occurrence) -> str:
    return f"steering-{occurrence.pk}@{site_host()}"


def occurrence_url(occurrence: Occurrence) -> str:
    path = reverse("meetings:occurrence", args=[occurrence.meeting.team.slug, occurrence.pk])
    return settings.SITE_URL + path


def occurrence_event(occurrence: Occurrence) -> Event:
    """One occurrence as a feed event of its own (not iTIP: no RECURRENCE-ID)."""
    meeting = occurrence.meeting
    tz = ZoneInfo(meeting.time_zone)
    event = _event(
        meeting,
        uid=occurrence_uid(occurrence),
        sequence=occurrence.sequence,
        url=occurrence_url(occurrence),
    )
    event.add("last-modified", occurrence.updated_at or timezone.now())
    event.add("dtstart", occurrence.starts_at.astimezone(tz))
    event.add("dtend", occurrence.ends_at.astimezone(tz))
    cancelled = occurrence.is_cancelled or meeting.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _event(meeting: SteeringMeeting, *, uid: str, sequence: int, url: str) -> Event:
    """What every event of a series says, in feeds and invitations alike."""
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("summary", f"{meeting.title} · {meeting.team.name}")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", url)
    event.add("description", url)
    return event


def calendar(occurrences: Iterable[Occurrence], *, name: str) -> bytes:
    """A feed (or a downloaded file): one VEVENT per occurrence and the VTIMEZONEs they
    use, cancelled occurrences included so subscribed calendars remove them."""
    return _calendar([occurrence_event(o) for o in occurrences], name=name)


def _calendar(events: Iterable[Event], *, name: str, method: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Cocharter//Steering meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


# Invitations (iTIP) ------------------------------------------------------------------

# How many rule instances a series message looks at, past ones included.
MAX_INSTANCES = 5000


def series_uid(meeting: SteeringMeeting) -> str:
    return f"steering-series-{meeting.pk}@{site_host()}"


def series_sequence(meeting: SteeringMeeting, occurrence_sequences: int) -> int:
    """The series' SEQUENCE: its own version plus its occurrences' sequences, so any
    change to the series or to one occurrence makes it grow, and it never goes down."""
    return meeting.version + occurrence_sequences


def series_url(meeting: SteeringMeeting) -> str:
    return settings.SITE_URL + reverse("meetings:list", args=[meeting.team.slug])


def _itip(method: str, events: list[Event], *, name: str, attendee: str | None) -> bytes:
    organizer = vCalAddress(f"mailto:{_from_address()}")
    organizer.params["cn"] = "Cocharter"
    for event in events:
        event.add("organizer", organizer)
        if attendee:
            event.add("attendee", vCalAddress(f"mailto:{attendee}"))
    return _calendar(events, name=name, method=method)


def _override(occurrence: Occurrence, *, sequence: int, status: str) -> Event:
    """The component of one occurrence of the series: its RECURRENCE-ID is the start the
    rule gave it, its DTSTART where it is now."""
    tz = ZoneInfo(occurrence.meeting.time_zone)
    event = _event(
        occurrence.meeting,
        uid=series_uid(occurrence.meeting),
        sequence=sequence,
        url=occurrence_url(occurrence),
    )
    event.add("recurrence-id", occurrence.original_start.astimezone(tz))
    event.add("dtstart", occurrence.starts_at.astimezone(tz))
    event.add("dtend", occurrence.ends_at.astimezone(tz))
    event.add("status", status)
    return event


def _anchor(meeting: SteeringMeeting) -> datetime:
    return to_utc(
        datetime.combine(meeting.start_date, meeting.start_time), ZoneInfo(meeting.time_zone)
    )


def _rule_for_calendar(meeting: SteeringMeeting, tz: ZoneInfo) -> vRecur:
    """The series' RRULE for a VEVENT whose DTSTART has a TZID: UNTIL in UTC (RFC 5545),
    at the instant dateutil reads it as (a bare date is that day at 00:00); a COUNT
    becomes the UNTIL of its last instance, so DTSTART may be any instance."""
    recur = vRecur.from_ical(meeting.rrule)
    if "COUNT" in recur:
        anchor = _anchor(meeting)
        last = series_starts(
            meeting,
            since=anchor,
            until=anchor.replace(year=anchor.year + 400),
            limit=int(recur["COUNT"][0]),
        )
        if last:
            recur.pop("COUNT")
            recur["UNTIL"] = [last[-1]]
    if "UNTIL" in recur:
        until = recur["UNTIL"][0]
        if not isinstance(until, datetime):
            until = datetime.combine(until, datetime.min.time())
        if until.tzinfo is None:
            until = to_utc(until, tz)
        recur["UNTIL"] = [until.astimezone(UTC)]
    return recur


def _series_start(meeting: SteeringMeeting, occurrences: Sequence[Occurrence]) -> datetime:
    """The master's DTSTART, always one of the rule's instances: the last one at or
    before the series' first stored occurrence (so a long-running series does not list
    every week before it was created as an EXDATE), else the rule's first."""
    anchor = _anchor(meeting)
    first = min((o.original_start for o in occurrences), default=anchor)
    before = series_starts(meeting, since=anchor, until=max(first, anchor), limit=MAX_INSTANCES)
    if before:
        return before[-1]
    after = series_starts(meeting, since=anchor, until=anchor + timedelta(days=3660), limit=1)
    return after[0] if after else anchor


def series_message(
    meeting: SteeringMeeting, occurrences: Sequence[Occurrence], *, attendee: str | None
) -> tuple[bytes, str]:
    """The iTIP message of the whole series and its METHOD (REQUEST or CANCEL).

    `occurrences` are all the series' occurrences. The rule's instances up to the last
    stored one that do not take place (cancelled, or never created) become EXDATEs;
    a stored occurrence the rule does not give (an older rule's) becomes an RDATE; a
    moved or resized one gets its RECURRENCE-ID component. A cancelled series whose
    meetings have started ends at the last one held (calendars keep the past ones);
    one that never met is cancelled as a whole.
    """
    tz = ZoneInfo(meeting.time_zone)
    uid = series_uid(meeting)
    sequence = series_sequence(meeting, sum(o.sequence for o in occurrences))
    length = timedelta(minutes=meeting.duration_minutes)
    held = {o.original_start: o for o in occurrences if not o.is_cancelled}
    dtstart = _series_start(meeting, occurrences)
    master = _event(meeting, uid=uid, sequence=sequence, url=series_url(meeting))
    master.add("dtstart", dtstart.astimezone(tz))
    master.add("dtend", (dtstart + length).astimezone(tz))
    recur = _rule_for_calendar(meeting, tz)
    if meeting.is_cancelled and not held:
        master.add("rrule", recur)
        master.add("status", "CANCELLED")
        return _itip("CANCEL", [master], name=meeting.title, attendee=attendee), "CANCEL"
    if meeting.is_cancelled:
        end = max(held)
        recur["UNTIL"] = [end.astimezone(UTC)]
    else:
        end = max(o.original_start for o in occurrences) if occurrences else dtstart
    master.add("rrule", recur)
    instances = set(series_starts(meeting, since=dtstart, until=end, limit=MAX_INSTANCES))
    exdates = sorted(i for i in instances if i not in held)
    rdates = sorted(s for s in held if s not in instances and dtstart < s <= end)
    if exdates:
        master.add("exdate", [d.astimezone(tz) for d in exdates])
    if rdates:
        master.add("rdate", [d.astimezone(tz) for d in rdates])
    master.add("status", "CONFIRMED")
    overrides = [
        _override(o, sequence=sequence, status="CONFIRMED")
        for start, o in sorted(held.items())
        if (start in instances or start in rdates)
        and (o.starts_at != start or o.ends_at - o.starts_at != length)
    ]
    events = [master, *overrides]
    return _itip("REQUEST", events, name=meeting.title, attendee=attendee), "REQUEST"


def occurrence_message(
    occurrence: Occurrence, *, sequence: int, attendee: str | None
) -> tuple[bytes, str]:
    """The iTIP message of one occurrence of the series (moved, put back or cancelled):
    the series' UID with the occurrence's RECURRENCE-ID, and its METHOD."""
    cancelled = occurrence.is_cancelled or occurrence.meeting.is_cancelled
    method = "CANCEL" if cancelled else "REQUEST"
    event = _override(
        occurrence, sequence=sequence, status="CANCELLED" if cancelled else "CONFIRMED"
    )
    return _itip(method, [event], name=occurrence.meeting.title, attendee=attendee), method


def _from_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
