"""Reminders are rows, planned idempotently, dispatched after commit, sent once."""

from datetime import time, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import Occurrence, SteeringMeeting
from notifications import services as outbox
from notifications import tasks
from notifications.models import Reminder, ReminderPreference

from .conftest import make_due, sent_counts
from .factories import edit_series, first_occurrence, weekly_meeting

MEETING = Reminder.Kind.MEETING


def test_scheduling_plans_one_reminder_per_occurrence_person_and_offset(meeting):
    upcoming = meeting.occurrences.count()
    assert upcoming == 13  # a quarter of weekly meetings
    assert Reminder.objects.filter(kind=MEETING).count() == upcoming * 3 * 2
    reminder = Reminder.objects.filter(kind=MEETING, offset_minutes=60).first()
    assert reminder.due_at == reminder.occurrence.starts_at - timedelta(hours=1)
    # The participants are invited (one message each, with the series' calendar).
    assert Reminder.objects.filter(kind=Reminder.Kind.MEETING_UPDATE).count() == 3


def test_planning_again_creates_nothing_new(meeting):
    before = Reminder.objects.count()
    services.occurrences_materialise(meeting=meeting)
    services.meetings_refresh()
    assert Reminder.objects.count() == before


def test_a_person_who_joins_the_team_gets_reminders_at_the_next_refresh(meeting, team):
    from tests.factories import MembershipFactory

    newcomer = MembershipFactory(team=team).user
    services.meetings_refresh()
    assert Reminder.objects.filter(user=newcomer, kind=MEETING).count() == 13 * 2


def test_a_reminder_is_sent_once_when_the_dispatcher_runs_twice(
    meeting, django_capture_on_commit_callbacks
):
    ids = make_due(kind=MEETING, occurrence=first_occurrence(meeting))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.reminders_dispatch_due()
    with django_capture_on_commit_callbacks(execute=True):
        second = outbox.reminders_dispatch_due()
    assert first == len(ids) == 6 and second == 0
    assert sent_counts() == {pk: 1 for pk in ids}
    assert set(Reminder.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}


def test_a_reminder_is_sent_once_when_its_task_is_delivered_twice(meeting):
    [pk] = make_due(kind=MEETING, offset_minutes=60, occurrence=first_occurrence(meeting))[:1]
    mail.outbox.clear()
    assert tasks.send_reminder.apply(args=[pk]).get() is True
    assert tasks.send_reminder.apply(args=[pk]).get() is False
    assert sent_counts() == {pk: 1}


def test_the_reminder_carries_the_agenda_and_a_link(meeting, member):
    occurrence = first_occurrence(meeting)
    services.agenda_item_add(occurrence=occurrence, author=member, text="Survey results")
    [pk] = make_due(kind=MEETING, user=member, offset_minutes=60, occurrence=occurrence)
    mail.outbox.clear()
    outbox.reminder_send(reminder_id=pk)
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "Reminder: Weekly steering" in message.subject
    assert "Survey results" in message.body
    assert f"/meetings/{occurrence.pk}/" in message.body


def test_a_reminder_of_a_cancelled_occurrence_is_not_sent(
    meeting, member, django_capture_on_commit_callbacks
):
    occurrence = first_occurrence(meeting)
    ids = make_due(kind=MEETING, occurrence=occurrence)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_cancel(occurrence=occurrence)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.reminders_dispatch_due()
    assert not set(sent_counts()) & set(ids)
    assert set(Reminder.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "cancelled"
    }
    # An update goes out instead, with a calendar cancellation.
    updates = [m for m in mail.outbox if m.subject.startswith("[Cocharter] Cancelled")]
    assert len(updates) == 3
    name, content, mimetype = updates[0].attachments[0]
    assert "method=CANCEL" in mimetype
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_a_claimed_reminder_of_an_occurrence_cancelled_meanwhile_is_not_sent(meeting):
    occurrence = first_occurrence(meeting)
    [pk] = make_due(kind=MEETING, offset_minutes=60, occurrence=occurrence)[:1]
    Occurrence.objects.filter(pk=occurrence.pk).update(status="cancelled")
    mail.outbox.clear()
    assert outbox.reminder_send(reminder_id=pk) is False
    assert not mail.outbox
    assert Reminder.objects.get(pk=pk).status == "cancelled"


def test_moving_an_occurrence_re_times_its_reminders_and_sends_an_update(
    meeting, django_capture_on_commit_callbacks
):
    occurrence = first_occurrence(meeting)
    new_start = occurrence.starts_at + timedelta(days=2, hours=3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_move(occurrence=occurrence, starts_at=new_start)
    dues = set(
        Reminder.objects.filter(occurrence=occurrence, kind=MEETING, status="pending").values_list(
            "offset_minutes", "due_at"
        )
    )
    assert dues == {
        (60, new_start - timedelta(hours=1)),
        (1440, new_start - timedelta(days=1)),
    }
    moved = [m for m in mail.outbox if m.subject.startswith("[Cocharter] Moved")]
    assert len(moved) == 3
    event = Calendar.from_ical(moved[0].attachments[0][1]).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt == new_start
    occurrence.refresh_from_db()
    assert occurrence.is_moved and occurrence.ends_at == new_start + timedelta(hours=1)


def test_moving_an_occurrence_close_to_now_cancels_the_reminders_already_past(meeting):
    occurrence = first_occurrence(meeting)
    soon = timezone.now() + timedelta(hours=3)
    services.occurrence_move(occurrence=occurrence, starts_at=soon)
    rows = Reminder.objects.filter(occurrence=occurrence, kind=MEETING)
    assert set(rows.filter(status="pending").values_list("offset_minutes", "due_at")) == {
        (60, soon - timedelta(hours=1))
    }
    assert not rows.filter(offset_minutes=1440).exclude(status="cancelled").exists()


def test_a_person_who_turned_a_kind_off_does_not_get_it(meeting, member):
    outbox.reminder_preferences_save(user=member, enabled_kinds=["minutes"])
    [pk] = make_due(kind=MEETING, user=member, offset_minutes=60)[:1]
    mail.outbox.clear()
    assert outbox.reminder_send(reminder_id=pk) is False
    assert not mail.outbox
    assert Reminder.objects.get(pk=pk).status == "skipped"
    # Every kind one can turn off, but the minutes.
    assert ReminderPreference.objects.filter(user=member, enabled=False).count() == 9


def test_a_reminder_not_yet_due_is_not_sent(meeting):
    pk = Reminder.objects.filter(kind=MEETING).first().pk
    assert outbox.reminder_send(reminder_id=pk) is False
    assert Reminder.objects.get(pk=pk).status == "pending"


def test_a_worker_lost_mid_send_is_retried_after_the_lease(
    meeting, member, django_capture_on_commit_callbacks
):
    occurrence = first_occurrence(meeting)
    [pk] = make_due(kind=MEETING, offset_minutes=60, occurrence=occurrence, user=member)
    # What a worker killed between its claim and the send leaves behind:
    Reminder.objects.filter(pk=pk).update(
        status="sending", claimed_at=timezone.now(), claim="1" * 32, dispatched_at=timezone.now()
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.reminders_dispatch_due()
    assert not mail.outbox, "the lease has not expired: maybe the worker is still sending"
    later = timezone.now() + outbox.reminder_lease() + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.reminders_dispatch_due(now=later) >= 1
    assert sent_counts()[pk] == 1


def test_a_failed_send_goes_back_to_pending_then_fails_for_good(meeting, monkeypatch):
    from notifications import emails

    def broken(message, reminder):
        raise SMTPException("mail server down")

    monkeypatch.setattr(emails, "deliver", broken)
    [pk] = make_due(kind=MEETING, offset_minutes=60)[:1]
    with pytest.raises(SMTPException):
        outbox.reminder_send(reminder_id=pk)
    reminder = Reminder.objects.get(pk=pk)
    assert (reminder.status, reminder.attempts, reminder.claim) == ("pending", 1, None)
    Reminder.objects.filter(pk=pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
    with pytest.raises(SMTPException):
        outbox.reminder_send(reminder_id=pk)
    assert Reminder.objects.get(pk=pk).status == "failed"


def test_the_send_task_retries_a_bounded_number_of_times():
    task = tasks.send_reminder
    assert task.max_retries == 5
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert SMTPException in task.autoretry_for


def test_the_beat_runs_the_dispatcher_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["dispatch-due-reminders"]
    assert entry == {"task": "notifications.dispatch_due_reminders", "schedule": 60.0}


def test_a_reminder_exists_once_per_subject_person_kind_and_offset(meeting, member):
    from django.db import IntegrityError, transaction

    existing = Reminder.objects.filter(kind=MEETING, user=member).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            user=member,
            kind=MEETING,
            subject=existing.subject,
            offset_minutes=existing.offset_minutes,
            due_at=existing.due_at,
        )


def test_editing_the_series_moves_unmoved_occurrences_and_keeps_their_identity(
    meeting, team, django_capture_on_commit_callbacks
):
    from datetime import time

    occurrences = list(meeting.occurrences.order_by("starts_at"))
    moved = occurrences[1]
    services.occurrence_move(occurrence=moved, starts_at=moved.starts_at + timedelta(hours=5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit_series(meeting, title="Steering", start_time=time(14, 0), duration_minutes=45)
    first = Occurrence.objects.get(pk=occurrences[0].pk)
    assert timezone.localtime(first.starts_at, first.starts_at.tzinfo)
    from zoneinfo import ZoneInfo

    local = first.starts_at.astimezone(ZoneInfo(team.time_zone))
    assert (local.hour, local.minute, first.sequence) == (14, 0, 1)
    assert first.ends_at - first.starts_at == timedelta(minutes=45)
    untouched = Occurrence.objects.get(pk=moved.pk)
    assert untouched.starts_at == moved.starts_at + timedelta(hours=5)
    assert meeting.occurrences.count() == len(occurrences)
    assert len([m for m in mail.outbox if "Updated: Steering" in m.subject]) == 3


def test_cancelling_the_series_cancels_every_coming_occurrence_and_reminder(
    meeting, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting)
    assert set(meeting.occurrences.values_list("status", flat=True)) == {"cancelled"}
    assert not Reminder.objects.filter(kind=MEETING, status="pending").exists()
    [message, *_] = [m for m in mail.outbox if "every meeting" in m.subject]
    cal = Calendar.from_ical(message.attachments[0][1])
    assert str(cal["METHOD"]) == "CANCEL"
    [series] = cal.walk("VEVENT")  # the whole series, one UID
    assert str(series["STATUS"]) == "CANCELLED" and "RECURRENCE-ID" not in series


def test_minutes_go_to_each_participant_once(meeting, member, django_capture_on_commit_callbacks):
    occurrence = first_occurrence(meeting)
    services.minutes_save(
        occurrence=occurrence,
        where_we_stand="Two indicators on track",
        what_works="Daily huddle",
        holding_back="Late parts",
        decisions="Ask logistics",
        attendees=[member],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_send(occurrence=occurrence)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_send(occurrence=occurrence)
    minutes = [m for m in mail.outbox if m.subject.startswith("[Cocharter] Minutes")]
    assert len(minutes) == 3
    assert "Late parts" in minutes[0].body and member.display_name in minutes[0].body


def test_a_series_for_chosen_participants_reminds_only_them(team, manager, lead, member):
    meeting = weekly_meeting(team, everyone=False, participants=[lead])
    assert set(Reminder.objects.filter(meeting=meeting).values_list("user", flat=True)) == {lead.pk}


def test_an_item_added_after_a_first_reminder_is_in_the_next_one(meeting, member, lead):
    occurrence = first_occurrence(meeting)
    [first, second] = make_due(kind=MEETING, offset_minutes=60, occurrence=occurrence)[:2]
    mail.outbox.clear()
    outbox.reminder_send(reminder_id=first)
    services.agenda_item_add(occurrence=occurrence, author=lead, text="A late addition")
    outbox.reminder_send(reminder_id=second)
    assert "A late addition" not in mail.outbox[0].body
    assert "A late addition" in mail.outbox[1].body


# Re-planning a changed occurrence


def _meeting_rows(occurrence, **filters):
    return Reminder.objects.filter(occurrence=occurrence, kind=MEETING, **filters)


def test_an_occurrence_cancelled_then_rescheduled_gets_its_reminders_back(meeting, member):
    occurrence = first_occurrence(meeting)
    services.occurrence_cancel(occurrence=occurrence)
    assert not _meeting_rows(occurrence, status="pending").exists()
    services.occurrence_move(occurrence=occurrence, starts_at=occurrence.starts_at)
    pending = _meeting_rows(occurrence, status="pending", user=member)
    assert sorted(pending.values_list("offset_minutes", "due_at")) == [
        (60, occurrence.starts_at - timedelta(hours=1)),
        (1440, occurrence.starts_at - timedelta(days=1)),
    ]


def test_an_occurrence_moved_after_its_day_before_reminder_gets_one_for_the_new_date(
    meeting, member
):
    occurrence = first_occurrence(meeting)
    [sent] = make_due(kind=MEETING, occurrence=occurrence, user=member, offset_minutes=1440)
    mail.outbox.clear()
    assert outbox.reminder_send(reminder_id=sent) is True
    new_start = occurrence.starts_at + timedelta(days=3)
    services.occurrence_move(occurrence=occurrence, starts_at=new_start)
    rows = _meeting_rows(occurrence, user=member)
    assert sorted(rows.filter(status="pending").values_list("offset_minutes", "due_at")) == [
        (60, new_start - timedelta(hours=1)),
        (1440, new_start - timedelta(days=1)),
    ]
    assert rows.get(pk=sent).status == "sent"


def test_a_reminder_already_sent_is_never_sent_again_for_the_same_time(meeting, member):
    occurrence = first_occurrence(meeting)
    start = occurrence.starts_at
    # The day-before reminder went out; the meeting is then cancelled and put back at the
    # same time, before the hour-before reminder.
    Reminder.objects.filter(occurrence=occurrence, kind=MEETING, offset_minutes=1440).update(
        status="sent", sent_at=timezone.now()
    )
    services.occurrence_cancel(occurrence=occurrence)
    services.occurrence_move(occurrence=occurrence, starts_at=start + timedelta(days=1))
    services.occurrence_move(occurrence=occurrence, starts_at=start)
    services.meetings_refresh()
    day_before = _meeting_rows(occurrence, user=member, offset_minutes=1440)
    assert list(day_before.filter(due_at=start - timedelta(days=1)).values_list("status")) == [
        ("sent",)
    ]
    assert not day_before.filter(status="pending").exists()
    # The hour-before one is wanted once, pending.
    assert _meeting_rows(occurrence, user=member, offset_minutes=60, status="pending").count() == 1


def test_a_stale_reminder_of_a_moved_occurrence_is_not_sent(meeting, member):
    occurrence = first_occurrence(meeting)
    [pk] = make_due(kind=MEETING, occurrence=occurrence, user=member, offset_minutes=60)
    # Planned for the old time and claimed before the planner could cancel it.
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=occurrence.starts_at + timedelta(hours=4),
        ends_at=occurrence.ends_at + timedelta(hours=4),
    )
    mail.outbox.clear()
    assert outbox.reminder_send(reminder_id=pk) is False
    assert not mail.outbox and Reminder.objects.get(pk=pk).status == "cancelled"


def test_refreshing_a_series_runs_the_same_queries_whatever_its_length(
    team, manager, lead, member, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    weekly_meeting(team, created_by=manager)
    with CaptureQueriesContext(connection) as one_series:
        services.meetings_refresh()
    services.meeting_update(
        meeting=SteeringMeeting.objects.get(),
        title="Twice a week",
        frequency="custom",
        custom_rule="FREQ=WEEKLY;BYDAY=TU,TH",
        start_date=timezone.localdate() + timedelta(days=7),
        start_time=time(10, 0),
        duration_minutes=60,
    )
    with django_assert_max_num_queries(len(one_series)):
        services.meetings_refresh()
    assert len(one_series) <= 10
