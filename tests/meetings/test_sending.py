"""How a reminder leaves: one mail session reused across messages and a Message-ID that
stays the same for every attempt (the worker's database session: test_reliability)."""

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from notifications import emails
from notifications import services as outbox

from .conftest import make_due
from .factories import first_occurrence


class CountingBackend(EmailBackend):
    """The locmem backend, counting the sessions it opens; can drop the first send."""

    opened = 0
    drop_next = 0

    def open(self):
        type(self).opened += 1
        return True

    def send_messages(self, messages):
        if type(self).drop_next:
            type(self).drop_next -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = CountingBackend.drop_next = 0
    emails._connections.current = None
    yield CountingBackend
    emails._connections.current = None


def _send_due(meeting, count):

    ids = make_due(occurrence=first_occurrence(meeting), kind="meeting")[:count]
    mail.outbox.clear()
    for pk in ids:
        assert outbox.reminder_send(reminder_id=pk)
    return ids


def test_reminders_share_one_mail_session(meeting, counting):
    ids = _send_due(meeting, 4)
    assert len(mail.outbox) == len(ids) == 4
    assert counting.opened == 1


def test_a_session_the_server_dropped_is_opened_again_once(meeting, counting):
    _send_due(meeting, 1)
    counting.drop_next = 1
    _send_due(meeting, 1)
    assert len(mail.outbox) == 1
    assert counting.opened == 2


def test_a_session_idle_for_too_long_is_not_reused(meeting, counting, monkeypatch):
    _send_due(meeting, 1)
    monkeypatch.setattr(emails, "CONNECTION_IDLE_SECONDS", -1)
    _send_due(meeting, 1)
    assert counting.opened == 2


def test_every_attempt_of_a_reminder_carries_the_same_message_id(meeting, settings):
    settings.SITE_URL = "https://cocharter.example"
    [pk] = _send_due(meeting, 1)
    [message] = mail.outbox
    assert message.message()["Message-ID"] == f"<reminder-{pk}@cocharter.example>"
