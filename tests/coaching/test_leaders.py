import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching import selectors, services
from coaching.models import CoachingMoment, ModellingFeedback
from teams.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_lead_logs_a_coaching_moment_in_one_post(lead_client, team, lead, member):
    url = reverse("coaching:log", args=[team.slug])
    data = {"person": member.pk, "minutes": "10", "on": timezone.localdate().isoformat()}
    assert lead_client.post(url, data).status_code == 302
    moment = CoachingMoment.objects.get()
    assert (moment.coach, moment.person, moment.minutes) == (lead, member, 10)


def test_a_moment_with_the_whole_team_names_nobody(manager_client, team):
    url = reverse("coaching:log", args=[team.slug])
    data = {"minutes": "20", "on": timezone.localdate().isoformat(), "note": "Team huddle"}
    assert manager_client.post(url, data).status_code == 302
    assert CoachingMoment.objects.get().person is None


def test_minutes_out_of_range_are_refused_next_to_the_field(manager_client, team):
    url = reverse("coaching:log", args=[team.slug])
    response = manager_client.post(url, {"minutes": "0", "on": timezone.localdate().isoformat()})
    assert "minutes" in response.context["form"].errors
    assert not CoachingMoment.objects.exists()


def test_a_leader_sees_their_coaching_time_per_week(team, lead):
    today = datetime.date(2026, 12, 9)  # a Wednesday
    for days_ago, minutes in ((0, 10), (1, 15), (7, 30)):
        services.coaching_moment_log(
            team=team, coach=lead, minutes=minutes, on=today - datetime.timedelta(days=days_ago)
        )
    weeks = selectors.weekly_minutes(user=lead, today=today)
    assert [w.minutes for w in weeks[-2:]] == [30, 25]
    assert weeks[-1].monday == datetime.date(2026, 12, 7)


def test_anonymous_feedback_keeps_no_author(member_client, team, lead):
    url = reverse("coaching:feedback", args=[team.slug])
    data = {"leader": lead.pk, "shown": "partly", "example": "Rushed the end", "anonymous": "on"}
    assert member_client.post(url, data).status_code == 302
    assert ModellingFeedback.objects.get().author is None


def test_the_leader_reads_the_feedback_about_them_and_nobody_else_does(
    team, lead, member, manager, lead_client, manager_client
):
    services.modelling_feedback_give(
        team=team, author=member, leader=lead, shown="yes", example="Called back at once"
    )
    url = reverse("coaching:feedback", args=[team.slug])
    assert "Called back at once" in lead_client.get(url).content.decode()
    assert "Called back at once" not in manager_client.get(url).content.decode()


def test_a_member_cannot_give_feedback_about_a_member(member_client, team, member):
    other = MembershipFactory(team=team, role=Role.MEMBER).user
    url = reverse("coaching:feedback", args=[team.slug])
    response = member_client.post(url, {"leader": other.pk, "shown": "yes", "example": "x"})
    assert "leader" in response.context["form"].errors


def test_an_org_admin_sees_counts_per_leader_only_from_three_answers(
    team, lead, member, manager, manager_client
):
    url = reverse("coaching:leaders", args=[team.organisation.slug])
    for shown in ("yes", "no"):
        services.modelling_feedback_give(
            team=team, author=member, leader=lead, shown=shown, example="Private example"
        )
    page = manager_client.get(url)
    (summary,) = page.context["summaries"]
    assert (summary.shown, summary.yes, summary.no) == (False, 0, 0)
    assert "Private example" not in page.content.decode()
    services.modelling_feedback_give(
        team=team, author=member, leader=lead, shown="yes", example="Private example"
    )
    (summary,) = manager_client.get(url).context["summaries"]
    assert (summary.answers, summary.yes, summary.no) == (3, 2, 1)
