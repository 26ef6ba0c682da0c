from datetime import date
from decimal import Decimal

import pytest

from indicators import metrics
from indicators.metrics import AT_RISK, NO_DATA, NO_TARGET, OFF_TRACK, ON_TRACK, Target

D = Decimal


def target(value=None, low=None, high=None, valid_from=date(2026, 1, 5)):
    return Target(valid_from, value, low, high)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("85", ON_TRACK), ("90", ON_TRACK), ("76.5", AT_RISK), ("80", AT_RISK), ("76", OFF_TRACK)],
)
def test_higher_is_better_is_at_risk_within_ten_percent_below_target(value, expected):
    assert metrics.status(D(value), "higher", target(D(85))) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("60", ON_TRACK), ("30", ON_TRACK), ("66", AT_RISK), ("66.1", OFF_TRACK)],
)
def test_lower_is_better_is_at_risk_within_ten_percent_above_target(value, expected):
    assert metrics.status(D(value), "lower", target(D(60))) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", ON_TRACK), ("5", ON_TRACK), ("2.8", AT_RISK), ("5.2", AT_RISK), ("6", OFF_TRACK)],
)
def test_range_is_at_risk_within_ten_percent_of_its_width_outside(value, expected):
    assert metrics.status(D(value), "range", target(low=D(3), high=D(5))) == expected


def test_no_value_and_no_target_have_their_own_statuses():
    assert metrics.status(None, "higher", target(D(1))) == NO_DATA
    assert metrics.status(D(1), "higher", None) == NO_TARGET
    assert metrics.status(D(1), "range", target(D(1))) == NO_TARGET


@pytest.mark.parametrize(
    ("frequency", "day", "start"),
    [
        ("daily", date(2026, 11, 25), date(2026, 11, 25)),
        ("weekly", date(2026, 11, 26), date(2026, 11, 23)),
        ("monthly", date(2026, 11, 26), date(2026, 11, 1)),
        ("quarterly", date(2026, 11, 26), date(2026, 10, 1)),
        ("quarterly", date(2026, 3, 31), date(2026, 1, 1)),
    ],
)
def test_period_start(frequency, day, start):
    assert metrics.period_start(day, frequency) == start


def test_a_weekly_indicator_is_stale_without_a_value_for_last_week():
    today = date(2026, 11, 25)  # a Wednesday; last week started on 16 November
    assert not metrics.is_stale(date(2026, 11, 23), "weekly", today)
    assert not metrics.is_stale(date(2026, 11, 16), "weekly", today)
    assert metrics.is_stale(date(2026, 11, 9), "weekly", today)
    assert metrics.is_stale(None, "weekly", today)


def test_a_monthly_indicator_is_stale_without_a_value_for_last_month():
    today = date(2026, 11, 25)
    assert not metrics.is_stale(date(2026, 10, 1), "monthly", today)
    assert metrics.is_stale(date(2026, 9, 1), "monthly", today)


def test_the_target_of_a_period_is_the_latest_one_started_before_it():
    targets = [
        target(D(90), valid_from=date(2026, 6, 1)),
        target(D(80), valid_from=date(2026, 1, 5)),
    ]
    assert metrics.target_for(targets, date(2026, 3, 2)).value == D(80)
    assert metrics.target_for(targets, date(2026, 6, 1)).value == D(90)
    assert metrics.target_for(targets, date(2026, 12, 1)).value == D(90)
    # Before the first target, the first target applies.
    assert metrics.target_for(targets, date(2025, 1, 1)).value == D(80)
    assert metrics.target_for([], date(2025, 1, 1)) is None


def test_satisfaction_is_the_share_of_four_and_five():
    assert metrics.satisfaction([5, 4, 3, 1]) == D("50.0")
    assert metrics.satisfaction([5, 5, 2]) == D("66.7")
    assert metrics.satisfaction([]) is None


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12.5", D("12.50")), ("12,5", D("12.50")), (" 1 200 ", D("1200.00")), ("-3", D("-3.00"))],
)
def test_parse_decimal_reads_numbers_as_people_type_them(raw, value):
    assert metrics.parse_decimal(raw) == value


@pytest.mark.parametrize("raw", ["", "abc", "NaN", "inf", "1e20", "12.5.3"])
def test_parse_decimal_refuses_what_is_not_a_number(raw):
    assert metrics.parse_decimal(raw) is None
