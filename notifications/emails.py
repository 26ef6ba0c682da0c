"""The e-mail each kind of reminder becomes, and the one way messages leave.

Apps register their kinds: `register_builder(kind, build, prepare=..., check=...)`.
`build(reminder)` returns (subject, body, attachments) or None to skip it; `prepare`
loads what the builder and the check read (one query, instead of one per attribute);
`check(reminder, now)` returns the status to record when the message must not go out
after all (the meeting was cancelled, moved), or None.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from smtplib import SMTPServerDisconnected
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation

from .models import Reminder

logger = logging.getLogger(__name__)

Attachment = tuple[str, bytes, str]
Built = tuple[str, str, list[Attachment]]
Builder = Callable[[Reminder], Built | None]
Prepare = Callable[[Reminder], None]
Check = Callable[[Reminder, datetime], str | None]


@dataclass(frozen=True)
class Kind:
    build: Builder
    prepare: Prepare | None = None
    check: Check | None = None


_KINDS: dict[str, Kind] = {}


def register_builder(
    kind: str, build: Builder, *, prepare: Prepare | None = None, check: Check | None = None
) -> None:
    _KINDS[kind] = Kind(build, prepare, check)


def prepare(reminder: Reminder) -> None:
    kind = _KINDS.get(reminder.kind)
    if kind and kind.prepare:
        kind.prepare(reminder)


def check(reminder: Reminder, now: datetime) -> str | None:
    kind = _KINDS.get(reminder.kind)
    return kind.check(reminder, now) if kind and kind.check else None


class NothingToSend(Exception):
    """The reminder has no message after all (its builder returned None)."""


def site_host() -> str:
    """The site's host name, which makes Message-IDs (and calendar UIDs) unique."""
    return urlparse(settings.SITE_URL).hostname or "cocharter"


def message_id(reminder: Reminder) -> str:
    """The same for every attempt: if a worker dies between sending and marking the row
    sent, the one resend carries the same id and mail systems drop it."""
    return f"<reminder-{reminder.pk}@{site_host()}>"


def reminder_message(reminder: Reminder) -> EmailMessage:
    """The e-mail of the row, built in the person's language and time zone (for a
    message to an address, the site's; its builder may choose another)."""
    user = reminder.user
    kind = _KINDS.get(reminder.kind)
    language = (user.language if user else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        with timezone.override(user.time_zone if user else settings.TIME_ZONE):
            built = kind.build(reminder) if kind else None
    if built is None:
        raise NothingToSend
    subject, body, attachments = built
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email if user else reminder.email],
        headers={"X-Cocharter-Reminder": str(reminder.pk), "Message-ID": message_id(reminder)},
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


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


def render_text(template_name: str, context: dict) -> str:
    """A plain-text part: rendered without HTML escaping ("don't", not "don&#x27;t")."""
    from django.template import Context, engines

    template = engines["django"].get_template(template_name).template
    return template.render(Context(context, autoescape=False))
