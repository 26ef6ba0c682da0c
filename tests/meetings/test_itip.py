"""E-mail invitations follow iTIP (RFC 5546): one UID per message. The series is one
recurring event (RRULE, EXDATE, RECURRENCE-ID overrides) and an occurrence's update is
the series' UID with that occurrence's RECURRENCE-ID."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import Occurrence

from .factories import edit_series

PARIS = ZoneInfo("Europe/Paris")
SERIES_UID = "steering-series-{pk}@localhost"


def _calendars(subject_start: str) -> list[tuple[Calendar, str]]:
    found = []
    for message in mail.outbox:
        if message.subject.startswith(f"[Cocharter] {subject_start}"):
            [(_name, content, mimetype)] = message.attachments
            found.append((Calendar.from_ical(content), mimetype))
    assert found, f"no message starting with {subject_start!r}"
    return found


def _dates(event, name: str) -> set[datetime]:
    values = event.get(name)
    if values is None:
        return set()
    lists = values if isinstance(values, list) else [values]
    return {d.dt for value in lists for d in value.dts}


def _expand(cal: Calendar, until: datetime) -> dict[datetime, datetime]:
    """What a calendar shows up to `until`: {RECURRENCE-ID: start}, overrides applied."""
    master = next(e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e)
    start = master["DTSTART"].dt
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
    instances = set(rule.between(start, until, inc=True)) | {start}
    instances |= _dates(master, "RDATE")
    instances -= _dates(master, "EXDATE")
    shown = {i: i for i in instances}
    for event in cal.walk("VEVENT"):
        if "RECURRENCE-ID" in event:
            shown[event["RECURRENCE-ID"].dt] = event["DTSTART"].dt
    return shown


def test_the_invitation_is_one_recurring_event_with_its_time_zone(
    meeting, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit_series(meeting)
    [(cal, mimetype), *_] = _calendars("Updated")
    assert "method=REQUEST" in mimetype and str(cal["METHOD"]) == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == SERIES_UID.format(pk=meeting.pk)
    assert event["RRULE"].to_ical().decode() == meeting.rrule
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt.astimezone(PARIS).time() == time(10, 0)
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(hours=1)
    assert "EXDATE" not in event and "RECURRENCE-ID" not in event
    assert int(event["SEQUENCE"]) == 1
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(event["ATTENDEE"]).startswith("mailto:") and "ORGANIZER" in event


def test_a_series_update_carries_its_cancelled_and_moved_occurrences(
    meeting, django_capture_on_commit_callbacks
):
    occurrences = list(meeting.occurrences.order_by("starts_at"))
    moved, cancelled = occurrences[1], occurrences[2]
    new_start = moved.starts_at + timedelta(days=1, hours=2)
    services.occurrence_move(occurrence=moved, starts_at=new_start, duration_minutes=30)
    services.occurrence_cancel(occurrence=cancelled)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit_series(meeting, title="Steering")
    [(cal, _mimetype), *_] = _calendars("Updated")
    events = cal.walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {SERIES_UID.format(pk=meeting.pk)}
    [master] = [e for e in events if "RECURRENCE-ID" not in e]
    [override] = [e for e in events if "RECURRENCE-ID" in e]
    assert _dates(master, "EXDATE") == {cancelled.original_start}
    assert override["RECURRENCE-ID"].dt == moved.original_start
    assert override["RECURRENCE-ID"].params["TZID"] == "Europe/Paris"
    assert override["DTSTART"].dt == new_start
    assert override["DTEND"].dt == new_start + timedelta(minutes=30)
    # One series-wide SEQUENCE, above every earlier message's (move 1, cancel 1, edit 1).
    assert {int(e["SEQUENCE"]) for e in events} == {3}
    # What the calendar shows is exactly what takes place.
    last = occurrences[-1].original_start
    expected = {
        o.original_start: o.starts_at for o in meeting.occurrences.filter(status="scheduled")
    }
    assert _expand(cal, last) == expected


def test_moving_one_occurrence_sends_the_series_uid_with_its_recurrence_id(
    meeting, django_capture_on_commit_callbacks
):
    occurrence = meeting.occurrences.order_by("starts_at")[3]
    new_start = occurrence.starts_at + timedelta(hours=3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_move(occurrence=occurrence, starts_at=new_start)
    [(cal, mimetype), *_] = _calendars("Moved")
    assert "method=REQUEST" in mimetype and str(cal["METHOD"]) == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == SERIES_UID.format(pk=meeting.pk)
    assert event["RECURRENCE-ID"].dt == occurrence.original_start
    assert (event["DTSTART"].dt, str(event["STATUS"])) == (new_start, "CONFIRMED")
    assert int(event["SEQUENCE"]) == 1
    assert cal.walk("VTIMEZONE") and "RRULE" not in event


def test_cancelling_one_occurrence_cancels_its_recurrence_id_only(
    meeting, django_capture_on_commit_callbacks
):
    occurrence = meeting.occurrences.order_by("starts_at")[2]
    services.occurrence_move(occurrence=occurrence, starts_at=occurrence.starts_at)  # seq 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_cancel(occurrence=occurrence)
    [(cal, mimetype), *_] = _calendars("Cancelled")
    assert "method=CANCEL" in mimetype and str(cal["METHOD"]) == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == SERIES_UID.format(pk=meeting.pk)
    assert event["RECURRENCE-ID"].dt == occurrence.original_start
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 2)


def test_a_cancelled_series_that_already_met_ends_at_its_last_meeting(
    meeting, django_capture_on_commit_callbacks
):
    # The series started four weeks ago: its first three meetings took place.
    start = meeting.start_date - timedelta(weeks=4)
    meeting.start_date = start
    meeting.save(update_fields=["start_date"])
    held = []
    for weeks in (0, 1, 2):
        local = datetime.combine(start + timedelta(weeks=weeks), time(10, 0), tzinfo=PARIS)
        held.append(
            Occurrence.objects.create(
                meeting=meeting,
                original_start=local,
                starts_at=local,
                ends_at=local + timedelta(hours=1),
            )
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting)
    [(cal, mimetype), *_] = _calendars("Cancelled")
    assert "method=REQUEST" in mimetype  # keeps the meetings that took place
    [event] = cal.walk("VEVENT")
    until = event["RRULE"]["UNTIL"][0]
    assert until == held[-1].original_start and until.tzinfo is not None
    assert _expand(cal, timezone.now() + timedelta(days=400)) == {
        o.original_start: o.starts_at for o in held
    }


def test_an_occurrence_the_rule_does_not_give_is_an_rdate(
    meeting, django_capture_on_commit_callbacks
):
    # Held three days ago at 15:00, under an earlier rule: not an instance of this one.
    day = timezone.localdate() - timedelta(days=3)
    at = datetime.combine(day, time(15, 0), tzinfo=PARIS)
    past = Occurrence.objects.create(
        meeting=meeting, original_start=at, starts_at=at, ends_at=at + timedelta(hours=1)
    )
    meeting.start_date = past.starts_at.astimezone(PARIS).date() - timedelta(days=7)
    meeting.save(update_fields=["start_date"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit_series(meeting)
    [(cal, _mimetype), *_] = _calendars("Updated")
    [master] = cal.walk("VEVENT")
    assert _dates(master, "RDATE") == {at}
    shown = _expand(cal, meeting.occurrences.order_by("-original_start")[0].original_start)
    expected = {
        o.original_start: o.starts_at for o in meeting.occurrences.filter(status="scheduled")
    }
    assert shown == expected


def test_a_counted_rule_is_sent_with_the_until_of_its_last_meeting(
    team, manager, django_capture_on_commit_callbacks
):
    from .factories import weekly_meeting

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = weekly_meeting(
            team, created_by=manager, frequency="custom", custom_rule="FREQ=WEEKLY;COUNT=4"
        )
    [(cal, _mimetype), *_] = _calendars("Invitation")
    [master] = cal.walk("VEVENT")
    assert "COUNT" not in master["RRULE"]
    last = meeting.occurrences.order_by("-starts_at")[0]
    assert master["RRULE"]["UNTIL"][0] == last.starts_at
    assert _expand(cal, last.starts_at + timedelta(days=60)) == {
        o.original_start: o.starts_at for o in meeting.occurrences.all()
    }
