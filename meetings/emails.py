"""The e-mails of the meetings' kinds of reminder: the reminder of a meeting, its
invitations and changes, its minutes. Registered with the outbox (notifications/emails.py)
by `register()`, which MeetingsConfig.ready calls.
"""

import time
from datetime import datetime

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config import formats, sql
from notifications import emails
from notifications.emails import Built
from notifications.models import Reminder
from teams.models import Team

from . import ical, selectors
from .models import Occurrence, SteeringMeeting
from .services import reminder_subject

ICS_REQUEST = "text/calendar; charset=utf-8; method=REQUEST"
ICS_CANCEL = "text/calendar; charset=utf-8; method=CANCEL"


def register() -> None:
    kinds = (Reminder.Kind.MEETING, Reminder.Kind.MEETING_UPDATE, Reminder.Kind.MINUTES)
    for kind in kinds:
        emails.register_builder(kind, _build, prepare=_prepare, check=_check)


def _prepare(reminder: Reminder) -> None:
    """The occurrence or the series with its meeting and team, in one prepared
    statement: it runs for every meeting e-mail, and through the ORM building the query
    cost more than rendering the message (config/sql.py)."""
    if reminder.occurrence_id:
        with sql.prepared_cursor() as cursor:
            cursor.execute(_OCCURRENCE, [reminder.occurrence_id])
            row = cursor.fetchone()
        occurrence = None
        if row is not None:
            occurrence, meeting, team = sql.instances(row, Occurrence, SteeringMeeting, Team)
            meeting.team = team
            occurrence.meeting = meeting
        reminder.occurrence = occurrence
        if occurrence is not None and occurrence.meeting_id == reminder.meeting_id:
            reminder.meeting = occurrence.meeting
            return
    if reminder.meeting_id:
        with sql.prepared_cursor() as cursor:
            cursor.execute(_SERIES, [reminder.meeting_id])
            row = cursor.fetchone()
        meeting = None
        if row is not None:
            meeting, team = sql.instances(row, SteeringMeeting, Team)
            meeting.team = team
        reminder.meeting = meeting


_OCCURRENCE = (
    f"SELECT {sql.columns(Occurrence, 'o')}, {sql.columns(SteeringMeeting, 'm')}, "
    f"{sql.columns(Team, 't')} FROM {Occurrence._meta.db_table} o "
    f"JOIN {SteeringMeeting._meta.db_table} m ON m.id = o.meeting_id "
    f"JOIN {Team._meta.db_table} t ON t.id = m.team_id WHERE o.id = %s"
)
_SERIES = (
    f"SELECT {sql.columns(SteeringMeeting, 'm')}, {sql.columns(Team, 't')} "
    f"FROM {SteeringMeeting._meta.db_table} m "
    f"JOIN {Team._meta.db_table} t ON t.id = m.team_id WHERE m.id = %s"
)


def _check(reminder: Reminder, now: datetime) -> str | None:
    """A meeting reminder of a cancelled or moved occurrence, or one already begun, is
    cancelled rather than sent."""
    if reminder.kind != Reminder.Kind.MEETING:
        return None
    occurrence = reminder.occurrence
    if occurrence is None or occurrence.is_cancelled or occurrence.meeting.is_cancelled:
        return Reminder.Status.CANCELLED
    if occurrence.starts_at <= now or reminder.subject != reminder_subject(occurrence):
        return Reminder.Status.CANCELLED
    return None


def _build(reminder: Reminder) -> Built | None:
    """In the meeting team's time zone (named in the text), the person's language."""
    meeting = reminder.occurrence.meeting if reminder.occurrence else reminder.meeting
    if meeting is None:
        return None
    with timezone.override(meeting.team.time_zone):
        return _build_kind(reminder)


def _build_kind(reminder: Reminder) -> Built | None:
    if reminder.kind == Reminder.Kind.MEETING:
        return _meeting_reminder(reminder)
    if reminder.kind == Reminder.Kind.MINUTES:
        return _minutes(reminder)
    if reminder.kind == Reminder.Kind.MEETING_UPDATE:
        if reminder.occurrence_id:
            return _occurrence_update(reminder)
        return _series_update(reminder)
    return None


def _context(reminder: Reminder, occurrence: Occurrence | None, **extra) -> dict:
    return {
        "reminder": reminder,
        "user": reminder.user,
        "occurrence": occurrence,
        "meeting": occurrence.meeting if occurrence else reminder.meeting,
        "url": ical.occurrence_url(occurrence) if occurrence else "",
        "preferences_url": settings.SITE_URL + reverse("meetings:my_reminders"),
        "zone": formats.zone_name(),
        **extra,
    }


# Reminders of one occurrence go out together (one per participant and offset): a worker
# process builds its agenda once per language, and again when the occurrence changes
# (adding or removing an item touches it) or after AGENDA_CACHE_SECONDS.
AGENDA_CACHE_SECONDS = 30
_agendas: dict[tuple[int, str], tuple[float, object, selectors.Agenda]] = {}


def _agenda(occurrence: Occurrence) -> selectors.Agenda:
    key = (occurrence.pk, translation.get_language())
    now = time.monotonic()
    hit = _agendas.get(key)
    if hit and hit[0] > now and hit[1] == occurrence.updated_at:
        return hit[2]
    agenda = selectors.agenda_for(occurrence=occurrence)
    if len(_agendas) > 500:
        _agendas.clear()
    _agendas[key] = (now + AGENDA_CACHE_SECONDS, occurrence.updated_at, agenda)
    return agenda


def _meeting_reminder(reminder: Reminder) -> Built:
    occurrence = reminder.occurrence
    agenda = _agenda(occurrence)
    context = _context(reminder, occurrence, agenda=agenda)
    subject = _("Reminder: %(title)s, %(when)s") % {
        "title": occurrence.meeting.title,
        "when": _when(occurrence),
    }
    return subject, emails.render_text("meetings/email/reminder.txt", context), []


def _occurrence_update(reminder: Reminder) -> Built:
    occurrence = reminder.occurrence
    cancelled = occurrence.is_cancelled or occurrence.meeting.is_cancelled
    values = {"title": occurrence.meeting.title, "when": _when(occurrence)}
    if cancelled:
        subject = _("Cancelled: %(title)s, %(when)s") % values
    else:
        subject = _("Moved: %(title)s, now %(when)s") % values
    context = _context(reminder, occurrence, cancelled=cancelled)
    body = emails.render_text("meetings/email/occurrence_update.txt", context)
    sequences = occurrence.meeting.occurrences.aggregate(total=Sum("sequence"))["total"] or 0
    ics, method = ical.occurrence_message(
        occurrence,
        sequence=ical.series_sequence(occurrence.meeting, sequences),
        attendee=reminder.user.email,
    )
    return subject, body, [("meeting.ics", ics, ICS_CANCEL if method == "CANCEL" else ICS_REQUEST)]


def _series_update(reminder: Reminder) -> Built:
    meeting: SteeringMeeting = reminder.meeting
    now = timezone.now()
    occurrences = list(meeting.occurrences.select_related("meeting__team"))
    if meeting.is_cancelled:
        subject = _("Cancelled: %(title)s (every meeting)") % {"title": meeting.title}
    elif reminder.subject.endswith(":v0"):
        subject = _("Invitation: %(title)s") % {"title": meeting.title}
    else:
        subject = _("Updated: %(title)s") % {"title": meeting.title}
    ics, method = ical.series_message(meeting, occurrences, attendee=reminder.user.email)
    upcoming = [o for o in occurrences if o.starts_at > now and not o.is_cancelled][:6]
    context = _context(reminder, None, upcoming=upcoming, cancelled=meeting.is_cancelled)
    context["url"] = ical.series_url(meeting)
    body = emails.render_text("meetings/email/series_update.txt", context)
    mimetype = ICS_CANCEL if method == "CANCEL" else ICS_REQUEST
    return subject, body, [("meetings.ics", ics, mimetype)]


def _minutes(reminder: Reminder) -> Built:
    occurrence = selectors.occurrence_with_people(occurrence=reminder.occurrence)
    # A correction for whoever already received a version of these minutes.
    corrected = (
        Reminder.objects.filter(
            occurrence_id=occurrence.pk,
            kind=Reminder.Kind.MINUTES,
            user_id=reminder.user_id,
            status=Reminder.Status.SENT,
        )
        .exclude(pk=reminder.pk)
        .exists()
    )
    values = {"title": occurrence.meeting.title, "when": _when(occurrence)}
    if corrected:
        subject = _("Corrected minutes: %(title)s, %(when)s") % values
    else:
        subject = _("Minutes: %(title)s, %(when)s") % values
    context = _context(
        reminder, occurrence, attendees=list(occurrence.attendees.all()), corrected=corrected
    )
    return subject, emails.render_text("meetings/email/minutes.txt", context), []


def _when(occurrence: Occurrence) -> str:
    return f"{formats.when(occurrence.starts_at)} ({formats.zone_name()})"
