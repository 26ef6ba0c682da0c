from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Reminder

from .factories import weekly_meeting


def sent_counts() -> Counter:
    """How many e-mails each reminder produced, from the header every message carries."""
    return Counter(int(m.extra_headers["X-Cocharter-Reminder"]) for m in mail.outbox)


def make_due(**filters) -> list[int]:
    """Makes the matching pending reminders due a minute ago; returns their ids."""
    rows = Reminder.objects.filter(status=Reminder.Status.PENDING, **filters)
    ids = list(rows.values_list("pk", flat=True))
    Reminder.objects.filter(pk__in=ids).update(due_at=timezone.now() - timedelta(minutes=1))
    return ids


@pytest.fixture
def meeting(team, manager, lead, member, django_capture_on_commit_callbacks):
    """A weekly meeting of the whole team; its invitations are already sent."""
    with django_capture_on_commit_callbacks(execute=True):
        meeting = weekly_meeting(team, created_by=manager)
    mail.outbox.clear()
    return meeting
