"""Writes for steering meetings, their occurrences, minutes, calendar feeds and reminders.

Reminders are rows (see `Reminder`). Planning them is idempotent (a unique constraint
absorbs repeats); `reminders_dispatch_due` hands due rows to the queue after commit; and
`reminder_send` claims a row before sending, so each message goes out once.
"""

import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from config import sql
from teams.models import Team

from .models import (
    AgendaItem,
    CalendarFeed,
    Occurrence,
    Reminder,
    ReminderPreference,
    SteeringMeeting,
)
from .recurrence import rule_for, series_starts, to_utc

logger = logging.getLogger(__name__)

HORIZON = timedelta(days=getattr(settings, "MEETINGS_HORIZON_DAYS", 91))


def horizon_end(*, now: datetime, tz_name: str) -> datetime:
    """The end of the last local day planned ahead: a whole day, so what is planned does
    not depend on the hour the planner happens to run."""
    last_day = timezone.localdate(now, ZoneInfo(tz_name)) + HORIZON
    return local_to_utc(day=last_day + timedelta(days=1), at=time(0, 0), tz_name=tz_name)


def _setting_seconds(name: str, default: int) -> timedelta:
    return timedelta(seconds=getattr(settings, name, default))


def reminder_lease() -> timedelta:
    """How long a claimed row may stay unsent before it is considered lost."""
    return _setting_seconds("MEETINGS_REMINDER_LEASE_SECONDS", 10 * 60)


def redispatch_after() -> timedelta:
    """How long a dispatched row may wait in the queue before it is queued again."""
    return _setting_seconds("MEETINGS_REDISPATCH_SECONDS", 5 * 60)


MAX_ATTEMPTS = 6
DISPATCH_BATCH = 20_000


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
    _cancel_pending(Q(occurrence_id__in=future_ids) & ~Q(kind=Reminder.Kind.MINUTES))
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
    _cancel_pending(Q(occurrence=occurrence, kind=Reminder.Kind.MEETING))
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
    _dispatch_soon()
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


def _cancel_pending(condition: Q) -> int:
    return Reminder.objects.filter(condition, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.CANCELLED
    )


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
    _dispatch_soon()


def _notify_occurrence(occurrence: Occurrence) -> None:
    subject = f"occurrence:{occurrence.pk}:v{occurrence.sequence}"
    _notify(occurrence.meeting, subject, occurrence)


def _notify_series(meeting: SteeringMeeting) -> None:
    _notify(meeting, f"meeting:{meeting.pk}:v{meeting.version}", None)


def _dispatch_soon() -> None:
    """Sends messages due now without waiting for the next beat (after commit)."""
    from .tasks import dispatch_due_reminders

    transaction.on_commit(lambda: _enqueue(dispatch_due_reminders, [()]))


def _enqueue(task, argument_lists: Iterable[tuple]) -> int:
    """Queues the task once per argument tuple through one producer; stops at the first
    broker failure (the rows stay pending and the dispatcher queues them again later)."""
    count = 0
    try:
        with task.app.producer_or_acquire() as producer:
            for args in argument_lists:
                task.apply_async(args, producer=producer)
                count += 1
    except Exception:
        logger.exception("Could not queue %s; the dispatcher will try again.", task.name)
    return count


def reminders_dispatch_due(*, now: datetime | None = None, limit: int = DISPATCH_BATCH) -> int:
    """Queues one send task per due reminder, after commit; returns how many.

    Rows are locked with SKIP LOCKED and stamped `dispatched_at`, so two dispatchers at
    the same moment share the work instead of both queuing it, and a row is queued
    again only if it is still pending a while later (its message was lost). A row
    claimed by a worker that died is released once its lease has expired.
    """
    now = now or timezone.now()
    Reminder.objects.filter(
        status=Reminder.Status.SENDING, claimed_at__lt=now - reminder_lease()
    ).update(status=Reminder.Status.PENDING, claim=None, claimed_at=None, dispatched_at=None)
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.PENDING, due_at__lte=now)
            .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - redispatch_after()))
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(dispatched_at=now)
            from .tasks import send_reminder

            transaction.on_commit(lambda: _enqueue(send_reminder, [(pk,) for pk in ids]))
    return len(ids)


def _release(reminder_id: int, claim: uuid.UUID, status: str) -> None:
    Reminder.objects.filter(pk=reminder_id, claim=claim).update(
        status=status, claim=None, claimed_at=None
    )


def reminder_send(*, reminder_id: int) -> bool:
    """Claims the reminder, sends it and marks it sent; True if this call sent it.

    The claim is a conditional UPDATE (pending -> sending): a second delivery of the
    same task, or a second task for the same row, finds nothing to claim. If sending
    fails the row goes back to pending (or failed after MAX_ATTEMPTS) and the error is
    raised, so the task retries.
    """
    from . import emails

    claim = uuid.uuid4()
    now = timezone.now()
    # Plain, prepared SQL (config/sql.py) for the three statements every reminder runs:
    # through the ORM, building them cost more than rendering and sending the message.
    claim_value = sql.param(Reminder, "claim", claim)
    with sql.prepared_cursor() as cursor:
        at = sql.param(Reminder, "claimed_at", now)
        cursor.execute(_REMINDER_CLAIM, [claim_value, at, reminder_id, at])
        if not cursor.rowcount:
            return False
        cursor.execute(_REMINDER_TO_SEND, [reminder_id])
        row = cursor.fetchone()
    reminder = _reminder_from_row(row)
    skip = _skip_status(reminder, now)
    if skip:
        _release(reminder_id, claim, skip)
        return False
    try:
        emails.deliver(emails.reminder_message(reminder), reminder)
    except emails.NothingToSend:
        _release(reminder_id, claim, Reminder.Status.SKIPPED)
        return False
    except Exception:
        failed = reminder.attempts >= MAX_ATTEMPTS
        _release(reminder_id, claim, Reminder.Status.FAILED if failed else Reminder.Status.PENDING)
        raise
    with sql.prepared_cursor() as cursor:
        cursor.execute(
            _REMINDER_SENT,
            [sql.param(Reminder, "sent_at", timezone.now()), reminder_id, claim_value],
        )
    return True


_REMINDER_CLAIM = (
    f"UPDATE {Reminder._meta.db_table} SET status = '{Reminder.Status.SENDING}', claim = %s, "
    "claimed_at = %s, attempts = attempts + 1 "
    f"WHERE id = %s AND status = '{Reminder.Status.PENDING}' AND due_at <= %s"
)
_REMINDER_SENT = (
    f"UPDATE {Reminder._meta.db_table} SET status = '{Reminder.Status.SENT}', sent_at = %s "
    "WHERE id = %s AND claim = %s"
)
# The reminder with its person, its occurrence's meeting and team, its meeting and team,
# and whether the person turned this kind off.
_REMINDER_TO_SEND = (
    f"SELECT {sql.columns(Reminder, 'r')}, {sql.columns(User, 'u')}, "
    f"{sql.columns(Occurrence, 'o')}, {sql.columns(SteeringMeeting, 'om')}, "
    f"{sql.columns(Team, 'ot')}, {sql.columns(SteeringMeeting, 'm')}, "
    f"{sql.columns(Team, 'mt')}, EXISTS (SELECT 1 FROM {ReminderPreference._meta.db_table} p "
    "WHERE p.user_id = r.user_id AND p.kind = r.kind AND NOT p.enabled) "
    f"FROM {Reminder._meta.db_table} r JOIN {User._meta.db_table} u ON u.id = r.user_id "
    f"LEFT JOIN {Occurrence._meta.db_table} o ON o.id = r.occurrence_id "
    f"LEFT JOIN {SteeringMeeting._meta.db_table} om ON om.id = o.meeting_id "
    f"LEFT JOIN {Team._meta.db_table} ot ON ot.id = om.team_id "
    f"LEFT JOIN {SteeringMeeting._meta.db_table} m ON m.id = r.meeting_id "
    f"LEFT JOIN {Team._meta.db_table} mt ON mt.id = m.team_id "
    "WHERE r.id = %s"
)


def _reminder_from_row(row: tuple) -> Reminder:
    reminder, user, occurrence, occurrence_meeting, occurrence_team, meeting, team = sql.instances(
        row, Reminder, User, Occurrence, SteeringMeeting, Team, SteeringMeeting, Team
    )
    reminder.user = user
    if occurrence is not None:
        occurrence_meeting.team = occurrence_team
        occurrence.meeting = occurrence_meeting
    reminder.occurrence = occurrence
    if meeting is not None:
        meeting.team = team
    reminder.meeting = meeting
    reminder.turned_off = row[-1]
    return reminder


def _skip_status(reminder: Reminder, now: datetime) -> str | None:
    """Why a claimed reminder must not go out after all, as the status to record."""
    if reminder.turned_off or not reminder.user.is_active:
        return Reminder.Status.SKIPPED
    if reminder.kind == Reminder.Kind.MEETING:
        occurrence = reminder.occurrence
        if occurrence is None or occurrence.is_cancelled or occurrence.meeting.is_cancelled:
            return Reminder.Status.CANCELLED
        if occurrence.starts_at <= now or reminder.subject != reminder_subject(occurrence):
            return Reminder.Status.CANCELLED
    return None


def reminder_preferences_save(*, user: User, enabled_kinds: Iterable[str]) -> None:
    """Turns each kind of reminder on or off for the person."""
    enabled = set(enabled_kinds)
    for kind in Reminder.Kind.values:
        reminder_preference_set(user=user, kind=kind, enabled=kind in enabled)


def reminder_preference_set(*, user: User, kind: str, enabled: bool) -> None:
    """Turns one kind of reminder on or off for the person, in all their teams."""
    ReminderPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": enabled})


def reminders_add(*, rows: Sequence[Reminder]) -> int:
    """Adds reminder rows for other apps (a row already there is left as it is, so
    adding twice sends once) and sends those due now without waiting for the beat."""
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    if any(row.due_at <= timezone.now() for row in rows):
        _dispatch_soon()
    return len(rows)


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
