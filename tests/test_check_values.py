"""`manage.py check_values` lists the rows stored out of range before the rules (issue
25), so an operator can repair them; it says so and exits 0 when there are none."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from charter.models import Observation
from charter.services import observation_create
from improvement.models import ChangeIdea
from indicators.models import Indicator, IndicatorTarget, Measurement
from meetings.models import SteeringMeeting
from tests.improvement.factories import ChangeIdeaFactory
from tests.indicators.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.meetings.factories import weekly_meeting


def _run() -> str:
    out = StringIO()
    call_command("check_values", stdout=out)
    return out.getvalue()


def test_a_clean_database_has_no_row_out_of_range(team, member):
    indicator = IndicatorFactory(team=team)
    MeasurementFactory(indicator=indicator, period_start=timezone.localdate() - timedelta(days=7))
    assert "No row out of range." in _run()


def test_rows_written_before_the_rules_are_listed_with_why(team, member, manager):
    today = timezone.localdate()
    percent = IndicatorFactory(team=team, name="Answered", unit="percent", baseline=120)
    count = IndicatorFactory(team=team, name="Calls", unit="count")
    minutes = IndicatorFactory(team=team, name="Reply time", unit="minutes")
    future = MeasurementFactory(indicator=percent, period_start=today + timedelta(days=400))
    high = MeasurementFactory(indicator=percent, period_start=today, value=Decimal(150))
    half = MeasurementFactory(indicator=count, period_start=today, value=Decimal("2.5"))
    ancient = MeasurementFactory(indicator=minutes, period_start=today.replace(year=1926))
    target = TargetFactory(indicator=minutes, value=Decimal(-5))
    observation = observation_create(
        team=team, author=member, reaction="glad", behaviour="x", keywords=["kind"]
    )
    Observation.objects.filter(pk=observation.pk).update(observed_on=today + timedelta(days=30))
    idea = ChangeIdeaFactory(team=team, owner=member)
    ChangeIdea.objects.filter(pk=idea.pk).update(due_date=today.replace(year=today.year + 40))
    meeting = weekly_meeting(team, created_by=manager)
    SteeringMeeting.objects.filter(pk=meeting.pk).update(start_date=today.replace(year=1900))

    stdout = StringIO()
    with pytest.raises(CommandError, match="9 row"):
        call_command("check_values", stdout=stdout)
    lines = stdout.getvalue()
    for label, pk, why in [
        ("indicators.Measurement", future.pk, "has not begun yet"),
        ("indicators.Measurement", high.pk, "between 0 and 100"),
        ("indicators.Measurement", half.pk, "whole number"),
        ("indicators.Measurement", ancient.pk, "too long ago"),
        ("indicators.Indicator", percent.pk, "between 0 and 100"),
        ("indicators.IndicatorTarget", target.pk, "cannot be negative"),
        ("charter.Observation", observation.pk, "not in the future"),
        ("improvement.ChangeIdea", idea.pk, "Choose a day up to"),
        ("meetings.SteeringMeeting", meeting.pk, "Choose a day from"),
    ]:
        matching = [line for line in lines.splitlines() if line.startswith(f"{label} #{pk}:")]
        assert any(why in line for line in matching), (label, why, lines)
    assert Indicator.objects.filter(pk=percent.pk, baseline=120).exists()  # listed, not changed
    assert IndicatorTarget.objects.filter(pk=target.pk).exists()
    assert Measurement.objects.count() == 4


def test_the_demo_data_keeps_every_rule(db, capsys):
    call_command("seed_demo")
    assert "No row out of range." in _run()
