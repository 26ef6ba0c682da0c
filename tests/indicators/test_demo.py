from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from indicators import metrics
from indicators.models import Indicator, Opinion, ReviewNote, SurveyAnswer
from indicators.selectors import dashboard_cards, lead_dashboard, lead_teams
from teams.models import Team


def test_the_demo_has_four_adopted_indicators_one_stale_one_fed_by_a_survey(db):
    call_command("seed_demo")
    team = Team.objects.get(name="Service Desk")
    cards = dashboard_cards(team=team)
    assert len(cards) == 4
    assert sum(c.stale for c in cards) == 1
    assert all(len(c.history) == 12 for c in cards)
    survey_card = next(c for c in cards if c.indicator.source == Indicator.Source.SURVEY)
    assert survey_card.latest.answer_count > 0
    assert SurveyAnswer.objects.exists()
    proposal = team.indicators.get(status=Indicator.Status.PROPOSED)
    assert Opinion.objects.filter(indicator=proposal).count() == 3
    assert ReviewNote.objects.filter(team=team).count() == 3
    assert metrics.ON_TRACK in {c.status for c in cards}


def test_luc_the_lead_sees_two_teams_on_the_lead_dashboard(db):
    call_command("seed_demo")
    from accounts.models import User

    luc = User.objects.get(email__startswith="luc@")
    rows = lead_dashboard(teams=list(lead_teams(user=luc)))
    assert [r.team.name for r in rows] == ["Service Desk", "Field Planning"]
    client = Client()
    client.force_login(luc)
    assert b"Field Planning" in client.get(reverse("indicators:lead_dashboard")).content


def test_the_demo_indicators_show_charter_points(db):
    call_command("seed_demo")
    team = Team.objects.get(name="Service Desk")
    assert team.indicators.filter(charter_points__isnull=False).distinct().count() == 3


def test_the_demo_survey_has_charter_point_ratings(db):
    from indicators.models import SurveyPointRating

    call_command("seed_demo")
    assert SurveyPointRating.objects.exists()
