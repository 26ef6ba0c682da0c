"""Meetings keep their wall-clock time across daylight-saving changes."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from meetings import services
from meetings.recurrence import clean_custom_rule, local_starts, rule_for
from tests.factories import TeamFactory


@pytest.mark.parametrize(
    "tz_name, first, last",
    [
        # Europe/Paris: summer time from 29 March, winter time from 25 October 2026.
        ("Europe/Paris", date(2026, 3, 17), date(2026, 11, 3)),
        # America/New_York: daylight time from 8 March, standard time from 1 November.
        ("America/New_York", date(2026, 2, 24), date(2026, 11, 17)),
    ],
)
def test_a_weekly_meeting_keeps_its_local_time_across_both_dst_changes(tz_name, first, last):
    tz = ZoneInfo(tz_name)
    starts = local_starts(
        rule=rule_for("weekly", first),
        start_date=first,
        start_time=time(10, 0),
        tz_name=tz_name,
        since=datetime(2026, 1, 1, tzinfo=UTC),
        until=datetime.combine(last, time(23), tzinfo=tz),
    )
    assert starts[0].astimezone(tz).date() == first
    assert starts[-1].astimezone(tz).date() == last
    assert {s.astimezone(tz).time() for s in starts} == {time(10, 0)}
    assert {s.astimezone(tz).weekday() for s in starts} == {1}
    # ... while the UTC instant shifts by an hour twice.
    assert len({s.astimezone(UTC).time() for s in starts}) == 2
    assert all(s.tzinfo == UTC for s in starts)


@pytest.mark.parametrize("tz_name", ["Europe/Paris", "America/New_York"])
def test_scheduled_occurrences_stay_at_ten_local_through_march_and_october(db, tz_name):
    team = TeamFactory(time_zone=tz_name)
    meeting = services.meeting_schedule(
        team=team,
        created_by=None,
        title="Steering",
        frequency="weekly",
        start_date=date(2026, 3, 2),
        start_time=time(10, 0),
        since=datetime(2026, 3, 1, tzinfo=UTC),
        # no reminders in the past are planned, and nothing else depends on today
    )
    occurrences = meeting.occurrences.filter(starts_at__lt=datetime(2026, 11, 30, tzinfo=UTC))
    tz = ZoneInfo(tz_name)
    local = [o.starts_at.astimezone(tz) for o in occurrences]
    assert local, "occurrences were materialised"
    assert {d.time() for d in local} == {time(10, 0)}
    assert {o.ends_at - o.starts_at for o in occurrences} == {
        occurrences[0].ends_at - occurrences[0].starts_at
    }


def test_monthly_means_the_same_weekday_of_the_month():
    assert rule_for("monthly", date(2026, 12, 1)) == "FREQ=MONTHLY;BYDAY=1TU"
    assert rule_for("monthly", date(2026, 12, 29)) == "FREQ=MONTHLY;BYDAY=-1TU"
    starts = local_starts(
        rule="FREQ=MONTHLY;BYDAY=1TU",
        start_date=date(2026, 12, 1),
        start_time=time(9, 30),
        tz_name="Europe/Paris",
        since=datetime(2026, 11, 1, tzinfo=UTC),
        until=datetime(2027, 3, 31, tzinfo=UTC),
    )
    days = [s.astimezone(ZoneInfo("Europe/Paris")).date() for s in starts]
    assert days == [date(2026, 12, 1), date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2)]


def test_every_two_weeks_skips_a_week():
    starts = local_starts(
        rule=rule_for("biweekly", date(2026, 1, 6)),
        start_date=date(2026, 1, 6),
        start_time=time(14, 0),
        tz_name="Europe/Paris",
        since=datetime(2026, 1, 1, tzinfo=UTC),
        until=datetime(2026, 2, 28, tzinfo=UTC),
    )
    assert [s.day for s in starts] == [6, 20, 3, 17]


def test_a_time_skipped_by_the_spring_change_moves_forward():
    starts = local_starts(
        rule="FREQ=DAILY;COUNT=3",
        start_date=date(2026, 3, 28),
        start_time=time(2, 30),
        tz_name="Europe/Paris",
        since=datetime(2026, 3, 1, tzinfo=UTC),
        until=datetime(2026, 4, 1, tzinfo=UTC),
    )
    local = [s.astimezone(ZoneInfo("Europe/Paris")).time() for s in starts]
    assert local == [time(2, 30), time(3, 30), time(2, 30)]


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "garbage",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=HOURLY",
        "FREQ=MINUTELY;INTERVAL=5",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;INTERVAL=-1",
        "FREQ=WEEKLY;UNTIL=tomorrow",
        "DTSTART:20260101T000000\nRRULE:FREQ=DAILY",
    ],
)
def test_a_bad_custom_rule_is_a_validation_error(rule):
    with pytest.raises(ValidationError):
        clean_custom_rule(rule)


def test_a_custom_rule_may_carry_the_rrule_prefix():
    assert clean_custom_rule(" RRULE:FREQ=MONTHLY;BYDAY=-1FR ") == "FREQ=MONTHLY;BYDAY=-1FR"


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYHOUR=" + ",".join(str(h) for h in range(24)),
        "FREQ=WEEKLY;BYDAY=TU;BYMINUTE=0,30",
        "FREQ=DAILY;BYSECOND=0,1",
        "FREQ=YEARLY;BYEASTER=0",
    ],
)
def test_a_rule_that_repeats_within_a_day_or_is_not_standard_is_refused(rule):
    with pytest.raises(ValidationError):
        clean_custom_rule(rule)


def test_a_rule_with_a_day_set_position_stays_at_most_daily():
    # The last weekday of the month: BYSETPOS picks days, never times of day.
    assert clean_custom_rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")


def test_a_rule_that_never_matches_is_refused_quickly():
    import time as clock

    # CPU time of this process, not the wall clock: other work on the machine must not
    # make a bounded search look unbounded.
    started = clock.process_time()
    with pytest.raises(ValidationError) as error:
        clean_custom_rule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    assert clock.process_time() - started < 1.5
    assert "never" in str(error.value)


def test_the_search_for_starts_is_bounded_even_for_a_rule_without_any():
    import time as clock

    started = clock.process_time()
    starts = local_starts(
        rule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        start_date=date(2026, 1, 1),
        start_time=time(10, 0),
        tz_name="Europe/Paris",
        since=datetime(2026, 1, 1, tzinfo=UTC),
        until=datetime(2026, 6, 1, tzinfo=UTC),
    )
    assert starts == [] and clock.process_time() - started < 1.5


def test_the_bounded_search_gives_the_same_starts_as_the_rule():
    from dateutil.rrule import rrulestr

    rule = "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR;UNTIL=20271231T000000"
    starts = local_starts(
        rule=rule,
        start_date=date(2026, 1, 30),
        start_time=time(9, 0),
        tz_name="UTC",
        since=datetime(2026, 1, 1, tzinfo=UTC),
        until=datetime(2029, 1, 1, tzinfo=UTC),
    )
    expected = list(rrulestr(rule, dtstart=datetime(2026, 1, 30, 9, 0)))
    assert [s.replace(tzinfo=None) for s in starts] == expected
    assert len(expected) == 12


def test_a_schedule_without_a_meeting_in_the_horizon_is_a_form_error(db):
    import time as clock

    from meetings.forms import MeetingForm

    team = TeamFactory()
    started = clock.process_time()
    form = MeetingForm(
        {
            "title": "Steering",
            "frequency": "custom",
            "custom_rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=1",
            "start_date": "2024-01-01",
            "start_time": "10:00",
            "duration_minutes": "60",
            "everyone": "on",
        },
        team=team,
    )
    assert not form.is_valid()
    assert clock.process_time() - started < 1.5
    assert "no meeting in the coming three months" in str(form.errors)
