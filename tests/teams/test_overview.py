"""The team's home page is its overview: the charter's current version, this week's
check-in, the next meeting, indicators off target and open actions, with one obvious next
step for each person, in a constant number of queries."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charter import services as charter_services
from improvement.models import ChangeIdea
from meetings import services as meeting_services
from tests.charter.conftest import make_published, make_workshop
from tests.factories import MembershipFactory
from tests.indicators.factories import IndicatorFactory, MeasurementFactory, TargetFactory


def _url(team):
    return reverse("teams:team", args=[team.slug])


def _next_step(response):
    step = response.context["next_step"]
    return step.action.label if step else None


def _fill(team, manager, member, n: int):
    """A team with `n` of everything the overview summarises."""
    for i in range(n):
        indicator = IndicatorFactory(team=team, name=f"Indicator {i}", owner=member)
        TargetFactory(indicator=indicator, value=Decimal(80))
        MeasurementFactory(indicator=indicator, value=Decimal(50), period_start=date(2026, 1, 5))
        ChangeIdea.objects.create(
            team=team, title=f"Idea {i}", focus_area="timeliness", owner=member
        )
        MembershipFactory(team=team)


def test_the_overview_shows_every_practice(member_client, team, manager, member):
    version = make_published(team, manager)
    charter_services.charter_endorse(version=version, user=member)
    meeting_services.meeting_schedule(
        team=team,
        created_by=manager,
        title="Weekly steering",
        frequency="weekly",
        start_date=timezone.localdate() + timedelta(days=1),
        start_time=time(9, 30),
        duration_minutes=45,
    )
    _fill(team, manager, member, 2)
    response = member_client.get(_url(team))
    keys = [panel.key for panel in response.context["panels"]]
    assert keys == ["charter", "checkin", "indicators", "meeting", "ideas"]
    page = response.content.decode()
    assert "Version 1, published on" in page and "Helpful" in page
    assert "This week&#x27;s check-in" in page or "This week's check-in" in page
    assert "Weekly steering" in page
    assert "Indicator 0" in page and "Off track" in page
    assert "Concrete idea" in page


def test_the_overview_takes_the_same_queries_whatever_the_amount_of_data(
    member_client, team, manager, member, django_assert_max_num_queries
):
    make_published(team, manager)
    _fill(team, manager, member, 2)
    with CaptureQueriesContext(connection) as few:
        member_client.get(_url(team))
    _fill(team, manager, member, 20)
    with CaptureQueriesContext(connection) as many:
        member_client.get(_url(team))
    assert len(many) == len(few)
    with django_assert_max_num_queries(16):
        assert member_client.get(_url(team)).status_code == 200


def test_a_manager_of_a_new_team_starts_the_charter_workshop(manager_client, team):
    assert _next_step(manager_client.get(_url(team))) == "Start the charter workshop"


def test_a_member_of_a_new_team_logs_what_they_notice(member_client, team):
    assert _next_step(member_client.get(_url(team))) == "Log a client contact you noticed"


def test_during_a_workshop_the_manager_runs_it_and_members_join(
    manager_client, member_client, team, manager
):
    make_workshop(team, manager)
    assert _next_step(manager_client.get(_url(team))) == "Run the workshop"
    assert _next_step(member_client.get(_url(team))) == "Join the workshop"


def test_a_member_who_has_not_committed_is_asked_to(member_client, team, manager, member):
    version = make_published(team, manager)
    assert _next_step(member_client.get(_url(team))) == "Commit to the charter"
    charter_services.charter_endorse(version=version, user=member)
    assert _next_step(member_client.get(_url(team))) != "Commit to the charter"


def test_the_owner_of_an_indicator_without_a_recent_value_is_asked_for_it(
    member_client, team, manager, member
):
    version = make_published(team, manager)
    charter_services.charter_endorse(version=version, user=member)
    IndicatorFactory(team=team, name="Calls answered", owner=member)
    response = member_client.get(_url(team))
    labels = [p.action.label for p in response.context["panels"] if p.urgent]
    assert "Enter the value of Calls answered" in labels


def test_the_overview_refuses_other_methods(member_client, team):
    assert member_client.post(_url(team)).status_code == 405
