"""'Today' for a team is the team's local day, not the server's (UTC)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators import selectors, services
from indicators.forms import MeasurementForm

from .factories import MeasurementFactory, SurveyFactory

# Sunday 29 November 2026, 23:30 in UTC: already Monday 30 November in Paris.
LATE_SUNDAY_UTC = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
PARIS_MONDAY = date(2026, 11, 30)


@pytest.fixture
def late_sunday(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LATE_SUNDAY_UTC)
    assert timezone.localdate() == date(2026, 11, 29)  # the server's day


def test_today_is_the_teams_local_day(team, late_sunday):
    assert team.time_zone == "Europe/Paris"
    assert selectors.team_today(team) == PARIS_MONDAY


def test_a_survey_answer_counts_for_the_teams_current_week(team, late_sunday):
    survey = SurveyFactory(team=team)
    answer = services.survey_answer_submit(survey=survey, score=5, comment="", nonce="n1")
    assert answer.period_start == PARIS_MONDAY
    assert survey.indicator.measurements.get().period_start == PARIS_MONDAY


def test_staleness_follows_the_teams_calendar(team, indicator, late_sunday):
    # The week of 16 November is the last complete one on Sunday, not on Monday.
    MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 16), value=Decimal(90))
    assert selectors.dashboard_cards(team=team)[0].stale
    assert selectors.indicator_detail(indicator=indicator)["card"].stale
    row = selectors.lead_dashboard(teams=[team])[0]
    assert row.cards[0].stale


def test_the_entry_form_offers_the_teams_last_complete_period(team, indicator, late_sunday):
    form = MeasurementForm(indicator=indicator)
    assert form.fields["day"].initial == date(2026, 11, 23)


def test_a_proposals_first_target_starts_in_the_teams_current_period(team, member, late_sunday):
    indicator = services.indicator_propose(
        team=team,
        proposer=member,
        name="Answered within 4 hours",
        client_question="Did someone get back to me the same day?",
        unit="percent",
        direction="higher",
        frequency="weekly",
        target=Decimal(85),
    )
    assert indicator.targets.get().valid_from == PARIS_MONDAY


def test_the_cached_dashboards_turn_over_with_the_teams_day(team, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 29, 22, 30, tzinfo=UTC))
    before = selectors.dashboards_version(teams=[team])
    monkeypatch.setattr(timezone, "now", lambda: LATE_SUNDAY_UTC)  # midnight in Paris
    assert selectors.dashboards_version(teams=[team]) != before


def test_the_review_form_starts_on_the_teams_day(member_client, member, team, late_sunday):
    member.time_zone = "America/New_York"  # the person's own zone shows their times
    member.save()
    response = member_client.get(reverse("indicators:reviews", args=[team.slug]))
    assert response.context["form"].fields["period_start"].initial == PARIS_MONDAY
