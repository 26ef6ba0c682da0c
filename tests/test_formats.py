"""One format: dates, times and numbers in the active language's formats (English and
French), times in the team's time zone with the zone named where people span zones, and
each indicator's values with its own precision."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from config import formats
from improvement.models import ChangeIdea, PhaseChange
from tests.indicators.factories import (
    IndicatorFactory,
    MeasurementFactory,
    TargetFactory,
    WallLinkFactory,
)
from tests.meetings.factories import first_occurrence, weekly_meeting

# 13:30 UTC: 14:30 in Paris, 08:30 in New York.
MOMENT = datetime(2026, 12, 4, 13, 30, tzinfo=UTC)


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Dec. 4, 2026 | December 4 | Friday, Dec. 4, 2026 | 2:30 p.m. | "
            "Dec. 4, 2026, 2:30 p.m. | 64.50 | 64.5",
        ),
        (
            "fr",
            "4 décembre 2026 | 4 décembre | Vendredi 4 décembre 2026 | 14:30 | "
            "4 décembre 2026 14:30 | 64,50 | 64,5",
        ),
    ],
)
def test_every_page_uses_the_languages_formats(language, expected):
    formats.team_time(time_zone="Europe/Paris", name_zone=False)
    try:
        with translation.override(language):
            text = _render(
                "{{ m|day }} | {{ m|day_short }} | {{ m|weekday }} | {{ m|clock }} | "
                "{{ m|moment }} | {{ v|number:2 }} | {{ v|number:1 }}",
                m=MOMENT,
                v=Decimal("64.50"),
            )
    finally:
        timezone.deactivate()
    assert text == expected


def test_a_time_names_its_zone_where_people_span_zones():
    formats.team_time(time_zone="Europe/Paris", name_zone=True)
    try:
        with translation.override("en"):
            assert _render("{{ m|clock }}", m=MOMENT) == "2:30 p.m. Paris time"
        with translation.override("fr"):
            assert _render("{{ m|clock }}", m=MOMENT) == "14:30 heure de Paris"
    finally:
        formats.reset()
        timezone.deactivate()


def test_relative_times_where_people_scan(member_client, team, member):
    with time_machine.travel(MOMENT, tick=False):
        text = _render("{{ m|ago }}", m=MOMENT - timedelta(days=3))
    assert ">3\xa0days ago</time>" in text and 'title="' in text


@pytest.fixture
def idea(team, member):
    idea = ChangeIdea.objects.create(
        team=team, title="Call back before noon", focus_area="timeliness", owner=member
    )
    PhaseChange.objects.create(idea=idea, from_phase="idea", to_phase="test", by=member, at=MOMENT)
    return idea


def test_a_team_page_shows_times_in_the_teams_zone(member_client, team, member, idea):
    """The member lives in New York, the team in Paris: the idea's history reads in
    Paris time, named, since the team's people are not all in one zone."""
    team.time_zone = "Europe/Paris"
    team.save()
    User.objects.filter(pk=member.pk).update(time_zone="America/New_York")
    page = member_client.get(reverse("improvement:idea", args=[team.slug, idea.pk])).text
    assert "Dec. 4, 2026, 2:30 p.m. Paris time" in page


def test_a_team_in_one_zone_reads_times_without_naming_it(member_client, team, member, idea):
    team.time_zone = "Europe/Paris"
    team.save()
    User.objects.filter(memberships__team=team).update(time_zone="Europe/Paris")
    page = member_client.get(reverse("improvement:idea", args=[team.slug, idea.pk])).text
    assert "Dec. 4, 2026, 2:30 p.m." in page
    assert "Paris time" not in page


def test_the_wall_screen_shows_the_teams_time_not_the_servers(client, team):
    team.time_zone = "America/New_York"
    team.save()
    link = WallLinkFactory(team=team)
    with time_machine.travel(MOMENT, tick=False):
        page = client.get(reverse("indicators:wall", args=[link.token])).text
    assert "Dec. 4, 2026, 8:30 a.m." in page
    assert "1:30 p.m." not in page  # UTC, the server's


@pytest.fixture
def precise(team):
    indicator = IndicatorFactory(team=team, name="Satisfied clients", decimals=1)
    TargetFactory(indicator=indicator, value=Decimal("80"))
    MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 23), value=Decimal("64.50"))
    MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 16), value=Decimal("60"))
    return indicator


@pytest.mark.parametrize(
    ("language", "value", "target"), [("en", "64.5", "80.0"), ("fr", "64,5", "80,0")]
)
def test_an_indicator_reads_with_its_own_precision_everywhere(
    member_client, member, team, precise, language, value, target
):
    User.objects.filter(pk=member.pk).update(language=language)
    dashboard = member_client.get(reverse("indicators:dashboard", args=[team.slug])).text
    detail = member_client.get(reverse("indicators:detail", args=[team.slug, precise.pk])).text
    for page in (dashboard, detail):
        assert f'<span class="value">{value}</span>' in page
        assert target in page
        assert "64.50" not in page and "64,50" not in page
    assert f"<td>{'60.0' if language == 'en' else '60,0'}</td>" in detail


def test_the_agenda_reads_values_like_the_dashboard(member_client, team, precise):
    meeting = weekly_meeting(team)
    occurrence = first_occurrence(meeting)
    page = member_client.get(reverse("meetings:occurrence", args=[team.slug, occurrence.pk])).text
    assert "latest 64.5 (Week of Nov. 23, 2026)" in page
    assert "target 80.0" in page


def test_an_indicator_without_a_precision_takes_its_units(team):
    assert IndicatorFactory(team=team, unit="percent", decimals=None).precision == 1
    assert IndicatorFactory(team=team, unit="count", decimals=None).precision == 0
    assert IndicatorFactory(team=team, unit="minutes", decimals=2).precision == 2


def test_a_team_page_in_french_reads_french_dates_and_times(member_client, team, member, idea):
    User.objects.filter(memberships__team=team).update(time_zone="Europe/Paris", language="fr")
    page = member_client.get(reverse("improvement:idea", args=[team.slug, idea.pk])).text
    assert "4 décembre 2026 14:30" in page
    assert "Dec. 4" not in page and "12/04/2026" not in page and "04/12/2026" not in page
