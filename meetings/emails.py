"""The e-mail each kind of reminder becomes.

Other apps add kinds with `register_builder(kind, builder)`: a builder takes the
Reminder and returns (subject, body, attachments) or None to skip it.
"""

import logging
import threading
import time
from collections.abc import Callable
from smtplib import SMTPServerDisconnected

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import ical, selectors
from .models import Occurrence, Reminder, SteeringMeeting

logger = logging.getLogger(__name__)

Attachment = tuple[str, bytes, str]
Built = tuple[str, str, list[Attachment]]
Builder = Callable[[Reminder], Built | None]

_BUILDERS: dict[str, Builder] = {}

ICS_REQUEST = "text/calendar; charset=utf-8; method=REQUEST"
ICS_CANCEL = "text/calendar; charset=utf-8; method=CANCEL"


def register_builder(kind: str, builder: Builder) -> None:
    _BUILDERS[kind] = builder


class NothingToSend(Exception):
    """The reminder has no message after all (its builder returned None)."""


def reminder_message(reminder: Reminder) -> EmailMessage:
    user = reminder.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        with timezone.override(user.time_zone):
            built = _build(reminder)
    if built is None:
        raise NothingToSend
    subject, body, attachments = built
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "X-Cocharter-Reminder": str(reminder.pk),
            # The same for every attempt: if a worker dies between sending and marking
            # the row sent, the one resend carries the same id and mail systems drop it.
            "Message-ID": f"<reminder-{reminder.pk}@{_mail_domain()}>",
        },
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def _mail_domain() -> str:
    return ical.site_host()


# One mail connection per worker thread, kept open between reminders: opening an SMTP
# session (TCP, TLS, AUTH) for each of thousands of messages would cost more than
# building them. It is closed after CONNECTION_IDLE_SECONDS without use, and a send
# that finds it dropped by the server opens a new one once.
CONNECTION_IDLE_SECONDS = 30
_connections = threading.local()


def deliver(message: EmailMessage, reminder: Reminder) -> None:
    try:
        _send(message, _connection())
    except SMTPServerDisconnected:
        # The server closed the idle session: one new session, then any error counts.
        _send(message, _connection(fresh=True))


def _connection(*, fresh: bool = False):
    now = time.monotonic()
    connection = getattr(_connections, "current", None)
    if connection is not None and (fresh or now - _connections.used_at > CONNECTION_IDLE_SECONDS):
        _forget(connection)
        connection = None
    if connection is None:
        connection = get_connection()
        connection.open()
        _connections.current = connection
    _connections.used_at = now
    return connection


def _send(message: EmailMessage, connection) -> None:
    message.connection = connection
    try:
        message.send()
    except Exception:
        _forget(connection)
        raise


def _forget(connection) -> None:
    _connections.current = None
    _close_quietly(connection)


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the mail connection failed", exc_info=True)


def _build(reminder: Reminder) -> Built | None:
    if reminder.kind in _BUILDERS:
        return _BUILDERS[reminder.kind](reminder)
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
    return subject, render_to_string("meetings/email/reminder.txt", context), []


def _occurrence_update(reminder: Reminder) -> Built:
    occurrence = reminder.occurrence
    cancelled = occurrence.is_cancelled or occurrence.meeting.is_cancelled
    values = {"title": occurrence.meeting.title, "when": _when(occurrence)}
    if cancelled:
        subject = _("Cancelled: %(title)s, %(when)s") % values
    else:
        subject = _("Moved: %(title)s, now %(when)s") % values
    context = _context(reminder, occurrence, cancelled=cancelled)
    body = render_to_string("meetings/email/occurrence_update.txt", context)
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
    body = render_to_string("meetings/email/series_update.txt", context)
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
    return subject, render_to_string("meetings/email/minutes.txt", context), []


def _when(occurrence: Occurrence) -> str:
    from django.utils.formats import date_format

    local = timezone.localtime(occurrence.starts_at)
    return f"{date_format(local, 'DATE_FORMAT')} {date_format(local, 'TIME_FORMAT')}"
