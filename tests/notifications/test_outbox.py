"""The outbox in one process: what a request does when the broker is down, the sent mark
when the database session dies after a send, and the text of every e-mail in English and
French (no HTML escaping in a plain-text part)."""

from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerDown

from charter.models import Step
from meetings.models import Occurrence
from notifications import emails
from notifications import services as outbox
from notifications.models import Reminder
from teams.models import Invitation
from tests.charter.conftest import make_published, make_workshop, put_keywords
from tests.meetings.conftest import make_due
from tests.meetings.factories import first_occurrence, weekly_meeting


@pytest.fixture
def broker_down():
    """Queuing fails as with Redis refusing connections; tasks are not run eagerly."""
    from config.celery import app

    app.conf.task_always_eager = False
    refused = BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(app, "producer_or_acquire", side_effect=refused):
        yield
    app.conf.task_always_eager = True


def _send_all() -> None:
    for pk in Reminder.objects.filter(status="pending").values_list("pk", flat=True):
        outbox.reminder_send(reminder_id=pk)


def _publishable(team, manager):
    workshop = make_workshop(team, manager, step=Step.PUBLISH)
    (item,) = put_keywords(workshop, "Helpful")
    item.selected, item.statement, item.coaching_question = True, "We don't wait.", "Did you?"
    item.save()
    return workshop


def test_publishing_with_the_broker_down_answers_and_the_rows_wait(
    manager_client, team, manager, member, lead, broker_down, django_capture_on_commit_callbacks
):
    workshop = _publishable(team, manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("charter:publish", args=[team.slug, workshop.pk]))
    assert response.status_code == 302
    rows = Reminder.objects.filter(kind=Reminder.Kind.CHARTER_PUBLISHED)
    assert sorted(rows.values_list("user__email", flat=True)) == sorted(
        u.email for u in (manager, member, lead)
    )
    assert mail.outbox == []
    _send_all()  # what the beat's dispatcher does once the broker is back
    _send_all()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (manager, member, lead))


def test_inviting_with_the_broker_down_answers_and_the_row_waits(
    manager_client, team, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("teams:invitation_create", args=[team.slug]),
            {"email": "n@example.com", "role": "member"},
        )
    assert response.status_code == 302
    [row] = Reminder.objects.filter(kind=Reminder.Kind.INVITATION)
    assert row.email == "n@example.com" and row.user is None and row.status == "pending"
    _send_all()
    [message] = mail.outbox
    assert message.to == ["n@example.com"]
    assert Invitation.objects.get().token in message.body


def test_a_revoked_invitation_is_not_sent_from_the_outbox(team, manager):
    from teams import services

    invitation = services.invitation_create(
        team=team, email="r@example.com", role="member", invited_by=manager
    )
    services.invitation_revoke(invitation=invitation)
    _send_all()
    assert mail.outbox == []
    assert Reminder.objects.get(kind=Reminder.Kind.INVITATION).status == "skipped"


@pytest.mark.django_db(transaction=True)
def test_the_sent_mark_holds_when_the_session_is_terminated_after_the_send(
    team, manager, member, lead, caplog
):
    with mock.patch.object(outbox, "dispatch_soon"):  # the sends happen below
        make_published(team, manager)
    ids = list(Reminder.objects.filter(kind="charter_published").values_list("pk", flat=True))
    deliver = emails.deliver

    def deliver_then_lose_the_session(message, reminder):
        deliver(message, reminder)
        # As an operator's pg_terminate_backend, or a failover, right after the SMTP send.
        pid = connection.connection.info.backend_pid
        import psycopg

        settings_dict = connection.settings_dict
        with psycopg.connect(
            host=settings_dict["HOST"],
            port=settings_dict["PORT"],
            user=settings_dict["USER"],
            dbname=settings_dict["NAME"],
            autocommit=True,
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    with mock.patch.object(emails, "deliver", deliver_then_lose_the_session):
        for pk in ids:
            assert outbox.reminder_send(reminder_id=pk) is True
    assert set(Reminder.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
    assert caplog.text.count("sent failed; retrying") == len(ids)
    # Nothing left to send again when the lease ends.
    for pk in ids:
        assert outbox.reminder_send(reminder_id=pk) is False
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (manager, member, lead))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_e_mail_reads_as_plain_text_in_both_languages(
    language, team, manager, member, django_capture_on_commit_callbacks
):
    """Names with an apostrophe, an ampersand and angle brackets come out as typed."""
    tricky = "L'équipe <Bob> & co"
    team.name = tricky
    team.save()
    member.language = language
    member.display_name = "Zoë O'Neil"
    member.save()
    manager.language = language
    manager.save()
    workshop = _publishable(team, manager)
    from charter import services as charter_services
    from teams import services as team_services

    with django_capture_on_commit_callbacks(execute=True):
        charter_services.charter_publish(workshop=workshop, by=manager)
        team_services.invitation_create(
            team=team, email="x@example.com", role="member", invited_by=manager
        )
        meeting = weekly_meeting(team, created_by=manager, title="Don't & <skip>")
    occurrence: Occurrence = first_occurrence(meeting)
    make_due(kind=Reminder.Kind.MEETING, occurrence=occurrence, user=member)
    from meetings import services as meeting_services

    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.minutes_save(
            occurrence=occurrence,
            where_we_stand="We're fine & <ready>",
            what_works="",
            holding_back="",
            decisions="",
            attendees=[member],
        )
        meeting_services.minutes_send(occurrence=occurrence)
    _send_all()
    sent_kinds = set(
        Reminder.objects.filter(status="sent").values_list("kind", flat=True).distinct()
    )
    assert {"charter_published", "invitation", "meeting_update", "meeting", "minutes"} <= sent_kinds
    for message in mail.outbox:
        for text in (message.subject, message.body):
            for escaped in ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;"):
                assert escaped not in text, (message.subject, escaped)
    bodies = "\n".join(m.body for m in mail.outbox)
    assert tricky in bodies
    assert "Don't & <skip>" in bodies
    if language == "fr":
        assert "Bonjour" in bodies


def test_saving_what_i_receive_says_it_is_saved_in_both_languages(member_client, member):
    url = reverse("meetings:my_reminders")
    response = member_client.post(url, {"enabled": ["minutes"]}, headers={"HX-Request": "true"})
    assert "Your reminder settings are saved." in response.content.decode()
    member.language = "fr"
    member.save()
    response = member_client.post(
        url, {"enabled": ["minutes"]}, headers={"HX-Request": "true", "Accept-Language": "fr"}
    )
    assert "Vos réglages de rappels sont enregistrés." in response.content.decode()
    # Without htmx, the page after the redirect says it.
    follow = member_client.post(url, {"enabled": ["minutes"]}, follow=True)
    assert follow.redirect_chain
    assert "Vos réglages de rappels sont enregistrés." in follow.content.decode()
