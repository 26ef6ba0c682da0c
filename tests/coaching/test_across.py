import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching import services
from teams.models import Role
from tests.factories import MembershipFactory, TeamFactory

from .factories import OneToOneFactory, answered, make_objective

pytestmark = pytest.mark.django_db


def _coached_team(lead, n: int):
    team = TeamFactory(name=f"Team {n}")
    MembershipFactory(team=team, user=lead, role=Role.LEAD)
    manager = MembershipFactory(team=team, role=Role.MANAGER).user
    member = MembershipFactory(team=team, role=Role.MEMBER).user
    talk = answered(OneToOneFactory(team=team, manager=manager, member=member))
    on_track = make_objective(talk, agreed=True)
    services.progress_add(objective=on_track, author=member, status="on_track", body="ok")
    make_objective(talk, agreed=True)
    make_objective(talk, agreed=False)
    services.coaching_moment_log(team=team, coach=manager, minutes=40, on=timezone.localdate())
    services.modelling_feedback_give(
        team=team, author=member, leader=manager, shown="yes", example="x"
    )
    return team


def test_the_lead_sees_coaching_per_team_in_counts(client, django_user_model):
    lead = MembershipFactory(role=Role.LEAD).user
    _coached_team(lead, 1)
    client.force_login(lead)
    response = client.get(reverse("coaching:across"))
    row = next(r for r in response.context["rows"] if r.team.name == "Team 1")
    assert (row.one_to_ones, row.agreed, row.on_track, row.feedback) == (1, 2, 1, 1)
    assert sorted(t.minutes_per_week for t in row.leaders) == [0, 10]


def test_an_old_one_to_one_does_not_count_for_the_last_30_days(client):
    lead = MembershipFactory(role=Role.LEAD).user
    team = _coached_team(lead, 1)
    talk = OneToOneFactory(team=team, held_on=timezone.localdate() - datetime.timedelta(days=45))
    MembershipFactory(team=team, user=talk.member)
    client.force_login(lead)
    row = next(r for r in client.get(reverse("coaching:across")).context["rows"] if r.team == team)
    assert row.one_to_ones == 1


@pytest.mark.parametrize("teams", [1, 4])
def test_the_page_reads_in_a_constant_number_of_queries(teams, client, django_assert_num_queries):
    lead = MembershipFactory(role=Role.LEAD).user
    for n in range(teams):
        _coached_team(lead, n)
    client.force_login(lead)
    # session, user, teams, then five reads: the same for one team or four
    with django_assert_num_queries(7):
        assert client.get(reverse("coaching:across")).status_code == 200


@pytest.mark.parametrize("teams", [1, 4])
def test_the_lead_dashboard_shows_coaching_per_team_in_constant_queries(
    teams, client, django_assert_max_num_queries
):
    lead = MembershipFactory(role=Role.LEAD).user
    for n in range(teams):
        _coached_team(lead, n)
    client.force_login(lead)
    url = reverse("indicators:lead_dashboard")
    with django_assert_max_num_queries(14):  # the indicators' table and coaching's five
        html = client.get(url).content.decode()
    assert "Coaching and modelling" in html
    assert html.count('<th scope="row">Team ') >= teams
