"""Indicator statuses on the agenda, and measurement reminders to an indicator's owner."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from meetings import services
from meetings.indicators import measurement_reminders_plan
from notifications import services as outbox
from notifications.models import Reminder
from tests.indicators.factories import IndicatorFactory, MeasurementFactory, TargetFactory

from .factories import first_occurrence, past_occurrence

DUE, OVERDUE = Reminder.Kind.MEASUREMENT_DUE, Reminder.Kind.MEASUREMENT_OVERDUE
# A Tuesday: last complete week started Monday 9 November 2026; its value is due since
# Monday 09:00 and overdue from Wednesday 09:00.
NOW = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
LAST_WEEK = date(2026, 11, 9)


def test_the_agenda_lists_indicator_statuses_off_track_and_stale_first(
    member_client, meeting, member
):
    on_track = IndicatorFactory(team=meeting.team, name="Calls answered")
    off_track = IndicatorFactory(team=meeting.team, name="First reply in 4 hours")
    for indicator, value in ((on_track, 95), (off_track, 50)):
        TargetFactory(indicator=indicator, value=Decimal(80))
        MeasurementFactory(indicator=indicator, value=Decimal(value), period_start=date(2020, 1, 6))
    IndicatorFactory(team=meeting.team, name="Retired one", status=Indicator.Status.RETIRED)
    occurrence = first_occurrence(meeting)
    past_occurrence(meeting)
    page = member_client.get(
        reverse("meetings:occurrence", args=[meeting.team.slug, occurrence.pk])
    ).content.decode()
    section = page[page.index('id="agenda-indicators"') :]
    assert "Indicator statuses" in section and "Retired one" not in section
    assert section.index("First reply in 4 hours") < section.index("Calls answered")
    assert "Off track" in section and "since the last meeting" in section


def test_the_agenda_query_count_does_not_grow_with_indicators(
    member_client, meeting, django_assert_max_num_queries
):
    for _n in range(6):
        indicator = IndicatorFactory(team=meeting.team)
        MeasurementFactory(indicator=indicator)
    past_occurrence(meeting)
    url = reverse("meetings:occurrence", args=[meeting.team.slug, first_occurrence(meeting).pk])
    with django_assert_max_num_queries(20):
        assert member_client.get(url).status_code == 200


def test_a_missing_value_plans_one_due_and_one_overdue_reminder_per_period(team, member):
    indicator = IndicatorFactory(team=team, owner=member)
    IndicatorFactory(team=team, owner=member, source=Indicator.Source.API)  # arrives alone
    IndicatorFactory(team=team, owner=None)
    measurement_reminders_plan(now=NOW)
    measurement_reminders_plan(now=NOW + timedelta(hours=1))
    rows = Reminder.objects.filter(kind__in=[DUE, OVERDUE])
    assert rows.count() == 2
    due = rows.get(kind=DUE)
    assert (due.user, due.subject) == (member, f"indicator:{indicator.pk}:{LAST_WEEK}")
    assert due.due_at == datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # Monday 09:00 Paris
    assert rows.get(kind=OVERDUE).due_at == due.due_at + timedelta(days=2)


def test_a_value_entered_in_time_cancels_nothing_but_sends_nothing(
    team, member, django_capture_on_commit_callbacks
):
    indicator = IndicatorFactory(team=team, owner=member)
    measurement_reminders_plan(now=NOW)
    due = Reminder.objects.get(kind=DUE)
    MeasurementFactory(indicator=indicator, period_start=LAST_WEEK)
    mail.outbox.clear()
    assert outbox.reminder_send(reminder_id=due.pk) is False
    assert Reminder.objects.get(pk=due.pk).status == "skipped"
    assert not mail.outbox
    measurement_reminders_plan(now=NOW)  # the value is there: nothing new to plan
    assert Reminder.objects.filter(kind__in=[DUE, OVERDUE]).count() == 2


def test_the_owner_gets_the_due_then_the_overdue_reminder_once_each(team, member):
    IndicatorFactory(team=team, owner=member, name="Satisfaction")
    measurement_reminders_plan(now=NOW)
    # Both just due (the "due" one before the value is overdue).
    Reminder.objects.update(due_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    for reminder in Reminder.objects.filter(kind__in=[DUE, OVERDUE]):
        assert outbox.reminder_send(reminder_id=reminder.pk) is True
        assert outbox.reminder_send(reminder_id=reminder.pk) is False
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2
    assert subjects[0].startswith("[Cocharter] Due: the value of Satisfaction")
    assert subjects[1].startswith("[Cocharter] Overdue: the value of Satisfaction")
    assert mail.outbox[0].to == [member.email]


def test_the_beat_refresh_plans_measurement_reminders(team, member):
    IndicatorFactory(team=team, owner=member)
    services.meetings_refresh(now=NOW)
    assert Reminder.objects.filter(kind=DUE, user=member).count() == 1


def test_planning_after_the_overdue_time_plans_only_the_overdue_reminder(team, member):
    IndicatorFactory(team=team, owner=member)
    # Thursday: the value of last week has been overdue since Wednesday.
    measurement_reminders_plan(now=NOW + timedelta(days=2))
    assert list(Reminder.objects.values_list("kind", flat=True)) == [OVERDUE]


def test_a_due_reminder_still_waiting_once_the_value_is_overdue_is_not_sent(team, member):
    IndicatorFactory(team=team, owner=member, name="Satisfaction")
    measurement_reminders_plan(now=NOW)
    # The worker was down: both go out together, days late.
    Reminder.objects.filter(kind=DUE).update(due_at=timezone.now() - timedelta(days=3))
    Reminder.objects.filter(kind=OVERDUE).update(due_at=timezone.now() - timedelta(days=1))
    mail.outbox.clear()
    for reminder in Reminder.objects.order_by("due_at"):
        outbox.reminder_send(reminder_id=reminder.pk)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["[Cocharter] Overdue"]
    assert Reminder.objects.get(kind=DUE).status == "skipped"


def test_the_agenda_of_the_next_meeting_says_what_the_dashboard_says(
    member_client, meeting, member
):
    """A weekly value for last week, entered today, the day after the previous meeting:
    the dashboard shows it fresh; so does the agenda, which counts it as new."""
    from indicators import selectors as indicator_selectors

    indicator = IndicatorFactory(team=meeting.team, name="Calls answered")
    TargetFactory(indicator=indicator, value=Decimal(80))
    today = indicator_selectors.team_today(meeting.team)
    last_week = today - timedelta(days=today.weekday() + 7)
    MeasurementFactory(indicator=indicator, value=Decimal(90), period_start=last_week)
    occurrence = first_occurrence(meeting)  # next week
    past_occurrence(meeting, days_ago=1)
    (card,) = indicator_selectors.dashboard_cards(team=meeting.team)
    assert not card.stale

    page = member_client.get(
        reverse("meetings:occurrence", args=[meeting.team.slug, occurrence.pk])
    ).content.decode()
    section = page[page.index('id="agenda-indicators"') :]
    assert "1 new value since the last meeting" in section
    assert "no recent value" not in section
    assert "On track" in section
