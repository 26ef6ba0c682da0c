from datetime import date

import pytest
from django.utils import translation

from indicators.templatetags.indicator_tags import period

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("weekly", "Week of Nov. 23, 2026"),
        ("monthly", "November 2026"),
        ("quarterly", "Q4 2026"),
        ("daily", "Monday, Nov. 23, 2026"),
    ],
)
def test_a_period_reads_the_way_people_speak_of_it(frequency, expected):
    with translation.override("en"):
        assert period(MONDAY, frequency) == expected


def test_a_day_inside_a_period_names_the_whole_period():
    with translation.override("en"):
        assert period(date(2026, 11, 26), "weekly") == "Week of Nov. 23, 2026"
        assert period("2026-08-14", "quarterly") == "Q3 2026"


def test_a_period_is_localised():
    with translation.override("fr"):
        assert period(MONDAY, "monthly") == "novembre 2026"


def test_no_period_shows_a_dash():
    assert period(None, "weekly") == "–"
    assert period("", "weekly") == "–"
