"""A new charter version does not wipe the check-ins: a point carried into it keeps its
history, a point dropped from it stays in the trend, marked retired."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from improvement import selectors, services
from improvement.models import Checkin
from improvement.services import CheckinAnswer
from tests.charter.conftest import POINTS, make_published


def _answer_all(team, people, version, week, answer="yes"):
    for person in people:
        services.checkin_submit(
            team=team,
            user=person,
            week=week,
            answers=[CheckinAnswer(p.pk, answer) for p in version.points.all()],
        )


def _republish(team, manager):
    """Version 2 rewords "Helpful", drops "Patient" and adds "Honest"."""
    return make_published(
        team,
        manager,
        [
            ("Helpful", "Take every chance to give advice that really helps"),
            ("Honest", "Say plainly what we know and what we don't"),
        ],
    )


def test_the_trend_keeps_past_weeks_when_a_new_version_is_published(
    member_client, team, manager, lead, member
):
    first = make_published(team, manager)
    last_week = selectors.team_week(team=team) - timedelta(weeks=1)
    _answer_all(team, [manager, lead, member], first, last_week)
    _republish(team, manager)

    response = member_client.get(reverse("improvement:checkin_team", args=[team.slug]))
    trends = {t.point.keyword: t for t in response.context["trends"]}
    assert list(trends) == ["Helpful", "Honest", "Patient"]
    assert trends["Helpful"].weeks[0][1:] == (100, 3)  # last week, carried over
    assert not trends["Helpful"].retired
    assert trends["Honest"].weeks[0][1:] == (None, 0)  # new point: no history
    assert trends["Patient"].retired and trends["Patient"].weeks[0][1:] == (100, 3)
    content = response.content.decode()
    assert "retired: no longer in the charter" in content
    assert "Did you take a chance to be patient today?" in content


def test_a_point_without_answers_in_the_eight_weeks_leaves_the_trend(
    member_client, team, manager, lead, member
):
    first = make_published(team, manager)
    long_ago = selectors.team_week(team=team) - timedelta(weeks=12)
    _answer_all(team, [manager, lead, member], first, long_ago)
    _republish(team, manager)
    weeks, trends, _people = selectors.team_trends(team=team)
    assert [t.point.keyword for t in trends] == ["Helpful", "Honest"]


def test_an_answer_given_before_the_new_version_counts_for_the_point_it_carries_on(
    member_client, team, manager, member
):
    first = make_published(team, manager)
    week = selectors.team_week(team=team)
    _answer_all(team, [member], first, week)
    second = _republish(team, manager)
    helpful = second.points.get(keyword="Helpful")

    page = member_client.get(reverse("improvement:checkin", args=[team.slug]))
    assert page.context["answered"] == 1  # "Helpful" carried on; "Honest" still to answer
    assert page.context["form"][f"answer_{helpful.pk}"].initial == "yes"

    services.checkin_submit(
        team=team, user=member, week=week, answers=[CheckinAnswer(helpful.pk, "not_yet")]
    )
    rows = Checkin.objects.filter(user=member, week=week, lineage=helpful.lineage)
    assert [(r.point_id, r.answer) for r in rows] == [(helpful.pk, "not_yet")]


def test_people_to_remind_count_only_answers_to_the_current_points(team, manager, member):
    first = make_published(team, manager, POINTS)
    week = selectors.team_week(team=team)
    _answer_all(team, [member], first, week)
    assert member.pk not in selectors.people_to_remind(team=team, week=week)
    _republish(team, manager)  # "Honest" is new: one question left for everyone
    assert member.pk in selectors.people_to_remind(team=team, week=week)
    now = timezone.now()
    assert selectors.answers_this_week(user=member, teams=[team], now=now) == {team.pk: 1}
