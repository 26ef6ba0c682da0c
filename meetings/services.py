"""Writes for steering meetings, their occurrences, minutes, calendar feeds and reminders.

Meeting reminders are rows of the outbox (notifications/models.py): they are planned
here, idempotently (a unique constraint absorbs repeats), and sent by the notifications
app like every other message.
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from notifications import services as notifications
from notifications.models import Reminder
from teams.models import Team

from .models import AgendaItem, CalendarFeed, Occurrence, SteeringMeeting
from .recurrence import rule_for, series_starts, to_utc

logger = logging.getLogger(__name__)

HORIZON = timedelta(days=getattr(settings, "MEETINGS_HORIZON_DAYS", 91))


def horizon_end(*, now: datetime, tz_name: str) -> datetime:
    """The end of the last local day planned ahead: a whole day, so what is planned does
    not depend on the hour the planner happens to run."""
    last_day = timezone.localdate(now, ZoneInfo(tz_name)) + HORIZON
    return local_to_utc(day=last_day + timedelta(days=1), at=time(0, 0), tz_name=tz_name)


# Participants -----------------------------------------------------------------------


def meeting_participants(*, meeting: SteeringMeeting) -> list[User]:
    """The people a meeting is for: the whole team, or the chosen members still in it."""
    people = User.objects.filter(memberships__team_id=meeting.team_id, is_active=True)
    if not meeting.everyone:
        people = people.filter(steering_meetings=meeting)
    return list(people.distinct().order_by("display_name", "pk"))


# Series -----------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    team: Team,
    created_by: User | None,
    title: str,
    frequency: str,
    start_date: date,
    start_time: time,
    duration_minutes: int = 60,
    custom_rule: str = "",
    location: str = "",
    everyone: bool = True,
    participants: Iterable[User] = (),
    reminder_offsets: Sequence[int] | None = None,
    since: datetime | None = None,
) -> SteeringMeeting:
    """Schedules a recurring meeting in the team's time zone, materialises its next
    occurrences, plans their reminders and invites the participants (after commit)."""
    meeting = SteeringMeeting.objects.create(
        team=team,
        created_by=created_by,
        title=title,
        frequency=frequency,
        rrule=rule_for(frequency, start_date, custom_rule),
        start_date=start_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        time_zone=team.time_zone,
        location=location,
        everyone=everyone,
        reminder_offsets=sorted(set(reminder_offsets or [24 * 60, 60]), reverse=True),
    )
    if not everyone:
        meeting.participants.set(participants)
    occurrences_materialise(meeting=meeting, since=since)
    _notify_series(meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: SteeringMeeting,
    title: str,
    frequency: str,
    start_date: date,
    start_time: time,
    duration_minutes: int,
    custom_rule: str = "",
    location: str = "",
    everyone: bool = True,
    participants: Iterable[User] = (),
    reminder_offsets: Sequence[int] | None = None,
) -> SteeringMeeting:
    """Edits the whole series: future occurrences that were not moved one by one follow
    the new schedule (same UID, higher SEQUENCE), and participants get an update.

    The series takes the team's current time zone, the one the form speaks of: a series
    keeps the zone it was scheduled in until it is edited after the team changed zone.
    """
    meeting = SteeringMeeting.objects.select_for_update().select_related("team").get(pk=meeting.pk)
    meeting.time_zone = meeting.team.time_zone
    meeting.title = title
    meeting.frequency = frequency
    meeting.rrule = rule_for(frequency, start_date, custom_rule)
    meeting.start_date = start_date
    meeting.start_time = start_time
    meeting.duration_minutes = duration_minutes
    meeting.location = location
    meeting.everyone = everyone
    meeting.reminder_offsets = sorted(set(reminder_offsets or [24 * 60, 60]), reverse=True)
    meeting.version = F("version") + 1
    meeting.save()
    meeting.refresh_from_db(fields=["version"])
    meeting.participants.set([] if everyone else participants)
    occurrences_materialise(meeting=meeting, reschedule=True)
    _notify_series(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: SteeringMeeting) -> SteeringMeeting:
    """Cancels the series: every future occurrence is cancelled, its pending reminders
    too, and participants get a calendar cancellation."""
    now = timezone.now()
    meeting = SteeringMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        return meeting
    meeting.cancelled_at = now
    meeting.version = F("version") + 1
    meeting.save(update_fields=["cancelled_at", "version"])
    meeting.refresh_from_db(fields=["version"])
    future = meeting.occurrences.filter(starts_at__gt=now, status=Occurrence.Status.SCHEDULED)
    future_ids = list(future.values_list("pk", flat=True))
    future.update(status=Occurrence.Status.CANCELLED, sequence=F("sequence") + 1)
    notifications.cancel_pending(Q(occurrence_id__in=future_ids) & ~Q(kind=Reminder.Kind.MINUTES))
    _notify_series(meeting)
    return meeting


def occurrences_materialise(
    *,
    meeting: SteeringMeeting,
    since: datetime | None = None,
    until: datetime | None = None,
    reschedule: bool = False,
) -> list[Occurrence]:
    """Creates the series' occurrences up to the horizon and plans their reminders.

    With `reschedule`, future occurrences that were not moved individually follow the
    series' current rule (matched by local date); those the rule no longer produces are
    cancelled. Safe to run concurrently: the unique (series, original start) absorbs
    repeats. Returns the series' future occurrences.
    """
    now = timezone.now()
    if meeting.is_cancelled:
        return []
    tz = ZoneInfo(meeting.time_zone)
    since = since or now
    until = until or horizon_end(now=now, tz_name=meeting.time_zone)
    starts = series_starts(meeting, since=since, until=until)
    length = timedelta(minutes=meeting.duration_minutes)
    if reschedule:
        starts = _reschedule_future(meeting, starts, length, tz, now)
    Occurrence.objects.bulk_create(
        [
            Occurrence(meeting=meeting, original_start=s, starts_at=s, ends_at=s + length)
            for s in starts
        ],
        ignore_conflicts=True,
    )
    upcoming = list(meeting.occurrences.filter(starts_at__gt=now))
    reminders_plan(meeting=meeting, occurrences=upcoming, now=now)
    return upcoming


def _reschedule_future(
    meeting: SteeringMeeting,
    starts: list[datetime],
    length: timedelta,
    tz: ZoneInfo,
    now: datetime,
) -> list[datetime]:
    """Moves unmoved future occurrences onto the new rule; returns the starts still to
    create."""
    wanted = {s.astimezone(tz).date(): s for s in starts if s > now}
    for occurrence in meeting.occurrences.filter(starts_at__gt=now).order_by("starts_at"):
        if occurrence.is_moved:
            wanted.pop(occurrence.starts_at.astimezone(tz).date(), None)
            continue
        new_start = wanted.pop(occurrence.original_start.astimezone(tz).date(), None)
        if new_start is None:
            if not occurrence.is_cancelled:
                occurrence.status = Occurrence.Status.CANCELLED
                occurrence.sequence += 1
                occurrence.save(update_fields=["status", "sequence", "updated_at"])
            continue
        if (occurrence.starts_at, occurrence.ends_at) != (new_start, new_start + length):
            occurrence.original_start = occurrence.starts_at = new_start
            occurrence.ends_at = new_start + length
            occurrence.sequence += 1
            occurrence.save()
    return sorted(wanted.values())


# One occurrence ---------------------------------------------------------------------


@transaction.atomic
def occurrence_move(
    *, occurrence: Occurrence, starts_at: datetime, duration_minutes: int | None = None
) -> Occurrence:
    """Moves one occurrence (a cancelled one is scheduled again): pending reminders are
    re-timed and participants get a calendar update instead of a stale reminder."""
    occurrence = (
        Occurrence.objects.select_for_update().select_related("meeting").get(pk=occurrence.pk)
    )
    length = (
        timedelta(minutes=duration_minutes)
        if duration_minutes
        else occurrence.ends_at - occurrence.starts_at
    )
    occurrence.starts_at = starts_at
    occurrence.ends_at = starts_at + length
    occurrence.status = Occurrence.Status.SCHEDULED
    occurrence.sequence += 1
    occurrence.save()
    reminders_plan(meeting=occurrence.meeting, occurrences=[occurrence])
    _notify_occurrence(occurrence)
    return occurrence


@transaction.atomic
def occurrence_cancel(*, occurrence: Occurrence) -> Occurrence:
    """Cancels one occurrence: its pending reminders are cancelled and participants get a
    calendar cancellation."""
    occurrence = (
        Occurrence.objects.select_for_update().select_related("meeting").get(pk=occurrence.pk)
    )
    if occurrence.is_cancelled:
        return occurrence
    occurrence.status = Occurrence.Status.CANCELLED
    occurrence.sequence += 1
    occurrence.save(update_fields=["status", "sequence", "updated_at"])
    notifications.cancel_pending(Q(occurrence=occurrence, kind=Reminder.Kind.MEETING))
    _notify_occurrence(occurrence)
    return occurrence


@transaction.atomic
def agenda_item_add(*, occurrence: Occurrence, author: User, text: str) -> AgendaItem:
    """Adds an item to the occurrence's agenda (and marks the occurrence changed, so
    reminders built from now on include it)."""
    item = AgendaItem.objects.create(occurrence=occurrence, author=author, text=text.strip())
    Occurrence.objects.filter(pk=occurrence.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    """Removes an item from the agenda (and marks the occurrence changed)."""
    Occurrence.objects.filter(pk=item.occurrence_id).update(updated_at=timezone.now())
    item.delete()


@transaction.atomic
def minutes_save(
    *,
    occurrence: Occurrence,
    where_we_stand: str,
    what_works: str,
    holding_back: str,
    decisions: str,
    attendees: Iterable[User],
) -> Occurrence:
    """Records the minutes and who attended; a change makes a new version of the minutes
    (which can be sent again as a correction), saving them unchanged does not."""
    saved = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    texts = {
        "where_we_stand": where_we_stand,
        "what_works": what_works,
        "holding_back": holding_back,
        "decisions": decisions,
    }
    attendees = list(attendees)
    changed = any(getattr(saved, name) != value for name, value in texts.items()) or {
        p.pk for p in attendees
    } != set(saved.attendees.values_list("pk", flat=True))
    if not changed:
        return occurrence
    for name, value in texts.items():
        setattr(occurrence, name, value)
    occurrence.minutes_updated_at = timezone.now()
    occurrence.minutes_version = saved.minutes_version + 1
    occurrence.save(update_fields=[*texts, "minutes_updated_at", "minutes_version", "updated_at"])
    occurrence.attendees.set(attendees)
    return occurrence


@transaction.atomic
def minutes_send(*, occurrence: Occurrence) -> int:
    """E-mails the current version of the minutes to the participants (after commit):
    once per person and version, so a correction goes out again, a repeat does not."""
    now = timezone.now()
    version = (
        Occurrence.objects.select_for_update()
        .values_list("minutes_version", flat=True)
        .get(pk=occurrence.pk)
    )
    people = meeting_participants(meeting=occurrence.meeting)
    Reminder.objects.bulk_create(
        [
            Reminder(
                user=user,
                kind=Reminder.Kind.MINUTES,
                subject=f"minutes:{occurrence.pk}:v{version}",
                occurrence=occurrence,
                meeting_id=occurrence.meeting_id,
                due_at=now,
            )
            for user in people
        ],
        ignore_conflicts=True,
    )
    Occurrence.objects.filter(pk=occurrence.pk).update(minutes_sent_at=now)
    occurrence.minutes_sent_at = now
    notifications.dispatch_soon()
    return len(people)


# Calendar feeds ---------------------------------------------------------------------


def calendar_feed_get(*, team: Team | None = None, user: User | None = None) -> CalendarFeed:
    """The feed of a team or a person, created on first use."""
    lookup = {"team": team} if team is not None else {"user": user}
    feed, _created = CalendarFeed.objects.get_or_create(**lookup)
    return feed


def calendar_feed_regenerate(*, team: Team | None = None, user: User | None = None) -> CalendarFeed:
    """Gives the feed a new secret URL: the old one stops working at once."""
    feed = calendar_feed_get(team=team, user=user)
    feed.token = CalendarFeed._meta.get_field("token").default()
    feed.save(update_fields=["token"])
    return feed


# Reminders --------------------------------------------------------------------------


def reminder_subject(occurrence: Occurrence) -> str:
    """What a meeting reminder is about: the occurrence at its current start.

    A moved occurrence is a new subject, so it gets fresh reminders even for offsets
    already sent for its old time; back at a time already reminded, it finds the rows of
    that time, sent or not, so no timing is ever reminded twice.
    """
    return f"occurrence:{occurrence.pk}@{occurrence.starts_at.astimezone(UTC):%Y%m%dT%H%MZ}"


def reminders_plan(
    *,
    meeting: SteeringMeeting,
    occurrences: Sequence[Occurrence],
    now: datetime | None = None,
) -> None:
    """Makes the meeting reminders of these occurrences match the series: one per
    (occurrence at its current start, participant, offset) still in the future.

    In a fixed number of queries, however many occurrences: rows of another start, of
    a cancelled occurrence, of people or offsets no longer wanted are cancelled; a
    cancelled row that is wanted again (the occurrence was put back) is pending again.
    """
    now = now or timezone.now()
    people = meeting_participants(meeting=meeting)
    offsets = sorted({int(o) for o in meeting.reminder_offsets})
    scheduled = [o for o in occurrences if not o.is_cancelled and not meeting.is_cancelled]
    wanted = [
        (o, offset, o.starts_at - timedelta(minutes=offset))
        for o in scheduled
        for offset in offsets
        if o.starts_at - timedelta(minutes=offset) > now
    ]
    Reminder.objects.bulk_create(
        [
            Reminder(
                user=user,
                kind=Reminder.Kind.MEETING,
                subject=reminder_subject(o),
                offset_minutes=offset,
                occurrence=o,
                meeting=meeting,
                due_at=due,
            )
            for o, offset, due in wanted
            for user in people
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    rows = Reminder.objects.filter(occurrence__in=occurrences, kind=Reminder.Kind.MEETING)
    current = [reminder_subject(o) for o in scheduled]
    if wanted:
        # Every (subject, person, offset) combination here is wanted, and its subject
        # and offset fix its due time: the filter names exactly the wanted rows.
        rows.filter(
            status=Reminder.Status.CANCELLED,
            subject__in=current,
            user__in=people,
            offset_minutes__in=offsets,
            due_at__gt=now,
        ).update(status=Reminder.Status.PENDING, dispatched_at=None)
    rows.filter(status=Reminder.Status.PENDING).filter(
        ~Q(subject__in=current) | ~Q(offset_minutes__in=offsets) | ~Q(user__in=people)
    ).update(status=Reminder.Status.CANCELLED)


def _notify(meeting: SteeringMeeting, subject: str, occurrence: Occurrence | None) -> None:
    now = timezone.now()
    Reminder.objects.bulk_create(
        [
            Reminder(
                user=user,
                kind=Reminder.Kind.MEETING_UPDATE,
                subject=subject,
                occurrence=occurrence,
                meeting=meeting,
                due_at=now,
            )
            for user in meeting_participants(meeting=meeting)
        ],
        ignore_conflicts=True,
    )
    notifications.dispatch_soon()


def _notify_occurrence(occurrence: Occurrence) -> None:
    subject = f"occurrence:{occurrence.pk}:v{occurrence.sequence}"
    _notify(occurrence.meeting, subject, occurrence)


def _notify_series(meeting: SteeringMeeting) -> None:
    _notify(meeting, f"meeting:{meeting.pk}:v{meeting.version}", None)


def meetings_refresh(*, now: datetime | None = None) -> int:
    """Keeps every active series materialised up to the horizon, with its reminders
    planned (people who joined since get theirs), and plans the measurement reminders.
    Run by the beat every hour."""
    count = 0
    for meeting in SteeringMeeting.objects.filter(cancelled_at__isnull=True):
        with transaction.atomic():
            occurrences_materialise(meeting=meeting)
        count += 1
    if apps.is_installed("indicators"):
        from .indicators import measurement_reminders_plan

        measurement_reminders_plan(now=now)
    return count


def local_to_utc(*, day: date, at: time, tz_name: str) -> datetime:
    """A wall-clock date and time in a zone as a UTC instant."""
    return to_utc(datetime.combine(day, at), ZoneInfo(tz_name))
