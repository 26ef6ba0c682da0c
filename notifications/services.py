"""Writes of the outbox: adding reminder rows, dispatching due ones, sending one.

Planning is idempotent (a unique constraint absorbs repeats); `reminders_dispatch_due`
hands due rows to the queue after commit; `reminder_send` claims a row before sending
and marks it sent after, retrying that mark until it holds, so each message goes out
once (docs/operations.md says what remains: one window no system closes).
"""

import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from config import sql

from . import emails, queue
from .models import OPTIONAL_KINDS, Reminder, ReminderPreference

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
DISPATCH_BATCH = 20_000
# How long the sender keeps retrying the "sent" mark when the database is unreachable
# right after the SMTP send (beyond, the lease ends and the row is sent again with the
# same Message-ID).
SENT_MARK_RETRY_SECONDS = 120


def _setting_seconds(name: str, default: int) -> timedelta:
    return timedelta(seconds=getattr(settings, name, default))


def reminder_lease() -> timedelta:
    """How long a claimed row may stay unsent before it is considered lost."""
    return _setting_seconds("MEETINGS_REMINDER_LEASE_SECONDS", 10 * 60)


def redispatch_after() -> timedelta:
    """How long a dispatched row may wait in the queue before it is queued again."""
    return _setting_seconds("MEETINGS_REDISPATCH_SECONDS", 5 * 60)


def cancel_pending(condition: Q) -> int:
    return Reminder.objects.filter(condition, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.CANCELLED
    )


def reminders_add(*, rows: Sequence[Reminder]) -> int:
    """Adds reminder rows (a row already there is left as it is, so adding twice sends
    once) and sends those due now without waiting for the beat."""
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    if any(row.due_at <= timezone.now() for row in rows):
        dispatch_soon()
    return len(rows)


def dispatch_soon() -> None:
    """Sends messages due now without waiting for the next beat (after commit; a broker
    that is down is logged and the beat finds the rows later)."""
    transaction.on_commit(lambda: queue.enqueue(queue.DISPATCH_DUE, [()]))


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
            transaction.on_commit(lambda: queue.enqueue(queue.SEND, [(pk,) for pk in ids]))
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
    emails.prepare(reminder)
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
    _mark_sent(reminder_id, claim_value)
    return True


def _mark_sent(reminder_id: int, claim_value) -> None:
    """Marks the row sent, retrying while the database is unreachable: the message is
    out, and a row left "sending" would go out again when its lease ends."""
    deadline = time.monotonic() + SENT_MARK_RETRY_SECONDS
    pause = 0.2
    while True:
        try:
            with sql.prepared_cursor() as cursor:
                cursor.execute(
                    _REMINDER_SENT,
                    [sql.param(Reminder, "sent_at", timezone.now()), reminder_id, claim_value],
                )
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() > deadline:
                raise
            logger.warning("Marking reminder %s sent failed; retrying", reminder_id)
            # A new session on the next try (the old one was terminated or dropped).
            connection.close()
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


_REMINDER_CLAIM = (
    f"UPDATE {Reminder._meta.db_table} SET status = '{Reminder.Status.SENDING}', claim = %s, "
    "claimed_at = %s, attempts = attempts + 1 "
    f"WHERE id = %s AND status = '{Reminder.Status.PENDING}' AND due_at <= %s"
)
_REMINDER_SENT = (
    f"UPDATE {Reminder._meta.db_table} SET status = '{Reminder.Status.SENT}', sent_at = %s "
    "WHERE id = %s AND claim = %s"
)
# The reminder with its person (none for a message to an address), and whether the
# person turned this kind off; what the kind's message needs is loaded by its `prepare`
# (notifications/emails.py).
_REMINDER_TO_SEND = (
    f"SELECT {sql.columns(Reminder, 'r')}, {sql.columns(User, 'u')}, "
    f"EXISTS (SELECT 1 FROM {ReminderPreference._meta.db_table} p "
    "WHERE p.user_id = r.user_id AND p.kind = r.kind AND NOT p.enabled) "
    f"FROM {Reminder._meta.db_table} r LEFT JOIN {User._meta.db_table} u ON u.id = r.user_id "
    "WHERE r.id = %s"
)


def _reminder_from_row(row: tuple) -> Reminder:
    reminder, user = sql.instances(row, Reminder, User)
    reminder.user = user
    reminder.turned_off = row[-1]
    return reminder


def _skip_status(reminder: Reminder, now: datetime) -> str | None:
    """Why a claimed reminder must not go out after all, as the status to record."""
    if reminder.user is not None and (reminder.turned_off or not reminder.user.is_active):
        return Reminder.Status.SKIPPED
    return emails.check(reminder, now)


def reminder_preferences_save(*, user: User, enabled_kinds: Iterable[str]) -> None:
    """Turns each kind of reminder on or off for the person."""
    enabled = set(enabled_kinds)
    for kind in OPTIONAL_KINDS:
        reminder_preference_set(user=user, kind=kind, enabled=kind in enabled)


def reminder_preference_set(*, user: User, kind: str, enabled: bool) -> None:
    """Turns one kind of reminder on or off for the person, in all their teams."""
    ReminderPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": enabled})
