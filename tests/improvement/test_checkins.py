"""Weekly check-ins: each person answers the charter's coaching questions; the team sees
aggregates only, and the examples their authors chose to share."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from charter.models import Charter, CharterPoint, CharterVersion
from improvement import selectors, services
from improvement.models import Checkin, CheckinIndicator, CheckinSettings
from improvement.services import CheckinAnswer
from meetings.models import SteeringMeeting
from notifications import services as outbox
from notifications.models import OPTIONAL_KINDS, Reminder
from tests.factories import MembershipFactory


@pytest.fixture
def points(team, manager):
    charter = Charter.objects.create(team=team)
    old = CharterVersion.objects.create(charter=charter, number=1, published_by=manager)
    CharterPoint.objects.create(
        version=old, position=1, keyword="Old", statement="Old", coaching_question="Old?"
    )
    version = CharterVersion.objects.create(charter=charter, number=2, published_by=manager)
    return [
        CharterPoint.objects.create(
            version=version,
            position=1,
            keyword="Helpful",
            statement="Take every chance to give advice that helps.",
            coaching_question="Did you take a chance to be helpful this week?",
        ),
        CharterPoint.objects.create(
            version=version,
            position=2,
            keyword="Responsive",
            statement="Call back the same day.",
            coaching_question="Did you call every client back the same day?",
        ),
    ]


def _url(name, team):
    return reverse(f"improvement:{name}", args=[team.slug])


def _answer(team, user, point, answer="yes", example="", share=False, week=None):
    week = week or selectors.team_week(team=team)
    return services.checkin_submit(
        team=team,
        user=user,
        week=week,
        answers=[CheckinAnswer(point.pk, answer, example, share)],
    )


def test_the_checkin_asks_the_current_points_questions(member_client, team, points):
    html = member_client.get(_url("checkin", team)).content.decode()
    assert "Did you take a chance to be helpful this week?" in html
    assert "Old?" not in html


def test_a_member_answers_and_can_correct_the_same_week(member_client, member, team, points):
    p1, p2 = points
    data = {
        f"answer_{p1.pk}": "yes",
        f"example_{p1.pk}": "Explained the new tariff to Mrs B.",
        f"share_{p1.pk}": "on",
        f"answer_{p2.pk}": "not_yet",
    }
    assert member_client.post(_url("checkin", team), data).status_code == 302
    member_client.post(_url("checkin", team), {**data, f"answer_{p2.pk}": "yes"})
    rows = Checkin.objects.filter(user=member).order_by("point__position")
    assert [(r.answer, r.share_example) for r in rows] == [("yes", True), ("yes", False)]


def test_an_empty_checkin_rerenders_with_an_error(member_client, team, points):
    response = member_client.post(_url("checkin", team), {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Answer at least one question." in response.content.decode()
    assert "<html" not in response.content.decode()
    bad = member_client.post(_url("checkin", team), {f"answer_{points[0].pk}": "maybe"})
    assert bad.status_code == 200 and not Checkin.objects.exists()


def test_one_answer_per_person_point_and_week(team, member, points):
    _answer(team, member, points[0])
    week = selectors.team_week(team=team)
    with pytest.raises(IntegrityError), transaction.atomic():
        Checkin.objects.create(
            team=team,
            user=member,
            point=points[0],
            lineage=points[0].lineage,
            week=week,
            answer="yes",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Checkin.objects.create(
            team=team,
            user=member,
            point=points[1],
            lineage=points[1].lineage,
            week=week + timedelta(days=2),
            answer="yes",
        )


def test_without_charter_the_page_explains(member_client, team):
    html = member_client.get(_url("checkin", team)).content.decode()
    assert "no published charter yet" in html


# Privacy


def test_members_see_only_their_own_history(member_client, lead_client, member, lead, team, points):
    _answer(team, member, points[0], "not_yet", "Forgot Mr K's call", share=False)
    _answer(team, lead, points[0], "yes", "Lead's private note", share=False)
    mine = member_client.get(_url("checkin_history", team)).content.decode()
    assert "Forgot Mr K&#x27;s call" in mine and "Lead&#x27;s private note" not in mine


def test_a_manager_never_sees_one_persons_answers(manager_client, member, team, points):
    _answer(team, member, points[0], "not_yet", "Private: I rushed Mrs D.", share=False)
    _answer(team, member, points[1], "yes", "Shared: called back Mr P.", share=True)
    for name in ("checkin_team", "checkin_history", "checkin"):
        html = manager_client.get(_url(name, team)).content.decode()
        assert "Private: I rushed Mrs D." not in html
    team_page = manager_client.get(_url("checkin_team", team)).content.decode()
    assert "Shared: called back Mr P." in team_page
    # One answer is not enough to show a share of "yes": it would reveal it.
    assert "100 %" not in team_page and "0 %" not in team_page


def test_the_team_sees_the_share_of_yes_once_enough_people_answered(
    member_client, team, points, member, lead, manager
):
    last_week = selectors.team_week(team=team) - timedelta(weeks=1)
    for person, answer in ((member, "yes"), (lead, "yes"), (manager, "not_yet")):
        _answer(team, person, points[0], answer, week=last_week)
    html = member_client.get(_url("checkin_team", team)).content.decode()
    assert "67 %" in html


def test_the_week_in_progress_is_left_out_of_the_team_trend(
    member_client, team, points, member, lead, manager
):
    this_week = selectors.team_week(team=team)
    for person, answer in ((member, "yes"), (lead, "not_yet"), (manager, "not_yet")):
        _answer(team, person, points[0], answer)
    weeks, trends, people = selectors.team_trends(team=team)
    assert this_week not in weeks and weeks[0] == this_week - timedelta(weeks=1)
    assert len(weeks) == 8 and [n for _week, n in people] == [0] * 8
    html = member_client.get(_url("checkin_team", team)).content.decode()
    assert "33 %" not in html and this_week.strftime("%d/%m") not in html


def test_team_trend_in_constant_queries(member_client, team, points, django_assert_max_num_queries):
    people = [MembershipFactory(team=team).user for _ in range(8)]
    this_week = selectors.team_week(team=team)
    for n in range(1, 9):
        for person in people:
            for point in points:
                _answer(team, person, point, "yes", "ex", True, week=this_week - timedelta(weeks=n))
    with django_assert_max_num_queries(10):
        response = member_client.get(_url("checkin_team", team))
    assert response.content.decode().count("100 %") == 16


def test_history_in_constant_queries(
    member_client, member, team, points, django_assert_max_num_queries
):
    this_week = selectors.team_week(team=team)
    for n in range(10):
        for point in points:
            _answer(team, member, point, week=this_week - timedelta(weeks=n))
    with django_assert_max_num_queries(8):
        response = member_client.get(_url("checkin_history", team))
    assert response.content.decode().count("Week of") == 10


# Home page, reminders, indicators


def test_home_asks_from_the_check_in_day_on(member_client, member, team, points):
    today = selectors.team_week(team=team)  # a Monday
    CheckinSettings.objects.create(team=team, weekday=0)
    html = member_client.get(reverse("home")).content.decode()
    assert "Your weekly check-in" in html and "2 questions about the charter" in html
    _answer(team, member, points[0])
    _answer(team, member, points[1])
    assert "Your weekly check-in" not in member_client.get(reverse("home")).content.decode()
    assert today.weekday() == 0


def test_reminders_go_once_through_the_meetings_reminders(
    team, points, member, lead, manager, django_capture_on_commit_callbacks
):
    now = timezone.now()
    today = timezone.localtime(now, ZoneInfo(team.time_zone))
    CheckinSettings.objects.create(team=team, weekday=today.weekday(), reminder_hour=0)
    week = selectors.team_week(team=team)
    _answer(team, manager, points[0], week=week)
    _answer(team, manager, points[1], week=week)
    assert services.checkin_reminders_plan(now=now - timedelta(days=1)) == 0  # not the day
    services.checkin_reminders_plan(now=now)
    services.checkin_reminders_plan(now=now + timedelta(seconds=1))
    rows = Reminder.objects.filter(kind="checkin")
    assert sorted(rows.values_list("user", flat=True)) == sorted([member.pk, lead.pk])
    services.checkin_reminders_set(team=team, user=lead, wanted=False)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.reminders_dispatch_due()
    # The lead opted out after being planned: skipped at send time. Sent exactly once.
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Did you take a chance to be helpful this week?" in mail.outbox[0].body
    assert not outbox.reminder_send(reminder_id=rows.get(user=member).pk)


def test_the_steering_agenda_carries_the_ideas_follow_up(team, member):
    from improvement.steering import follow_up_section
    from meetings.models import Occurrence
    from tests.improvement.factories import ChangeIdeaFactory

    ChangeIdeaFactory(team=team, owner=member, title="Same-day call back")
    occurrence = Occurrence(meeting=SteeringMeeting(team=team), starts_at=timezone.now())
    section = follow_up_section(occurrence, None)
    assert [line.text for line in section.lines] == ["Same-day call back — Mia Member"]


def test_reminder_opt_out_from_the_page(member_client, member, team):
    member_client.post(_url("checkin_reminders", team), {})
    assert not selectors.wants_checkin_reminders(team=team, user=member)
    member_client.post(_url("checkin_reminders", team), {"wanted": "on"})
    assert selectors.wants_checkin_reminders(team=team, user=member)


def _enable_indicators(manager_client, team) -> dict:
    manager_client.post(_url("checkin_indicators", team))
    manager_client.post(_url("checkin_indicators", team))  # twice: still two
    return {row.kind: row.indicator for row in CheckinIndicator.objects.filter(team=team)}


def test_checkins_feed_two_indicators_once_the_week_is_over(
    manager_client, team, points, member, lead, manager, django_capture_on_commit_callbacks
):
    rows = _enable_indicators(manager_client, team)
    assert set(rows) == {"participation", "yes_rate"}
    people = [member, lead, manager, MembershipFactory(team=team).user]
    with django_capture_on_commit_callbacks(execute=True):
        for person, answer in zip(people[:3], ("yes", "not_yet", "yes"), strict=True):
            _answer(team, person, points[0], answer)
    # Nothing while the week is going on: each answer would show in the values.
    assert not rows["participation"].measurements.exists()
    next_week = timezone.now() + timedelta(weeks=1)
    services.checkin_weeks_record(now=next_week)
    services.checkin_weeks_record(now=next_week + timedelta(hours=1))  # every hour: once
    week = selectors.team_week(team=team)
    participation = rows["participation"].measurements.get()
    assert (participation.period_start, participation.value) == (week, Decimal("75.0"))
    assert rows["yes_rate"].measurements.get().value == Decimal("66.7")


def test_a_week_with_fewer_than_three_people_gives_no_value(
    manager_client, team, points, member, lead
):
    rows = _enable_indicators(manager_client, team)
    _answer(team, member, points[0], "yes")
    _answer(team, member, points[1], "not_yet")
    _answer(team, lead, points[0], "not_yet")
    services.checkin_weeks_record(now=timezone.now() + timedelta(weeks=1))
    for indicator in rows.values():
        assert not indicator.measurements.exists()


def test_the_indicator_page_never_shows_an_earlier_check_in_value(
    manager_client, member_client, team, points, member, lead, manager
):
    from indicators.models import Indicator, MeasurementRevision

    rows = _enable_indicators(manager_client, team)
    Indicator.objects.filter(team=team).update(status=Indicator.Status.ADOPTED)
    week = selectors.team_week(team=team)
    for person in (member, lead, manager):
        _answer(team, person, points[0], "yes")
    services.checkin_weeks_record(now=timezone.now() + timedelta(weeks=1))
    # A late answer counted for that week (the week's figures change after all).
    Checkin.objects.filter(user=manager).update(answer="not_yet")
    services.checkin_weeks_record(now=timezone.now() + timedelta(weeks=1, hours=1))
    assert rows["yes_rate"].measurements.get(period_start=week).value == Decimal("66.7")
    assert not MeasurementRevision.objects.exists()
    url = reverse("indicators:detail", args=[team.slug, rows["yes_rate"].pk])
    html = member_client.get(url).content.decode()
    assert "No value has been corrected." in html and "was 100" not in html
    assert "66.7" in html


def test_the_beat_records_the_previous_week(settings):
    assert settings.CELERY_BEAT_SCHEDULE["improvement-checkin-indicators"]["task"] == (
        "improvement.record_checkin_weeks"
    )


def test_managers_choose_the_check_in_day(manager_client, team):
    response = manager_client.post(
        _url("checkin_settings", team), {"weekday": 1, "reminder_hour": 9}
    )
    assert response.status_code == 302
    assert CheckinSettings.objects.get(team=team).weekday == 1
    assert (
        manager_client.post(
            _url("checkin_settings", team), {"weekday": 9, "reminder_hour": 30}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("name", ["checkin_history", "checkin_team"])
def test_checkin_pages_refuse_post(member_client, team, name):
    assert member_client.post(_url(name, team)).status_code == 405


def test_home_checkin_prompt_in_constant_queries(client, member, django_assert_max_num_queries):
    for n in range(6):
        other = MembershipFactory(user=member).team
        CheckinSettings.objects.create(team=other, weekday=0)
        version = CharterVersion.objects.create(
            charter=Charter.objects.create(team=other), number=1
        )
        CharterPoint.objects.create(
            version=version, position=1, keyword="k", statement="s", coaching_question=f"Q{n}?"
        )
    client.force_login(member)
    with django_assert_max_num_queries(12):  # 10, and two for the coaching card
        html = client.get(reverse("home")).content.decode()
    assert html.count("1 question about the charter") == 6


def test_the_steering_meeting_page_shows_the_ideas_follow_up(
    manager_client, manager, member, team, django_assert_max_num_queries
):
    from tests.improvement.factories import ChangeIdeaFactory
    from tests.meetings.factories import first_occurrence, weekly_meeting

    occurrence = first_occurrence(weekly_meeting(team, created_by=manager))
    for n in range(12):
        ChangeIdeaFactory(team=team, owner=member, title=f"Idea number {n}")
    url = reverse("meetings:occurrence", args=[team.slug, occurrence.pk])
    with django_assert_max_num_queries(30):
        html = manager_client.get(url).content.decode()
    assert "Ideas follow-up (about ten minutes)" in html
    assert html.count("Idea number") == 12


# One switch per kind of e-mail, consistent with the team pages


def _second_team_with_a_charter(member):
    other = MembershipFactory(user=member).team
    version = CharterVersion.objects.create(charter=Charter.objects.create(team=other), number=1)
    CharterPoint.objects.create(
        version=version, position=1, keyword="k", statement="s", coaching_question="Q?"
    )
    return other


def test_my_reminders_offers_check_ins_and_gap_summaries_and_lists_the_next_check_in(
    member_client, member, team, points, django_assert_max_num_queries
):
    CheckinSettings.objects.create(team=team, weekday=2, reminder_hour=9)
    with django_assert_max_num_queries(12):
        page = member_client.get(reverse("meetings:my_reminders")).content.decode()
    assert "Weekly check-ins" in page and "Gap-analysis meeting summaries" in page
    assert f"Weekly check-in · {team.name}" in page
    assert ">checkin<" not in page and "gap_summary<" not in page


def test_a_check_in_turned_off_everywhere_shows_on_the_team_page_and_comes_back_for_one_team(
    member_client, member, team, points
):
    other = _second_team_with_a_charter(member)
    enabled = [k.value for k in OPTIONAL_KINDS if k != "checkin"]
    member_client.post(reverse("meetings:my_reminders"), {"enabled": enabled})
    assert not selectors.wants_checkin_reminders(team=team, user=member)
    page = member_client.get(_url("checkin", team)).content.decode()
    assert 'id="wanted" data-autosubmit>' in page  # unticked
    assert "turned off for all your teams" in page
    # Ticking it here turns it on for this team only.
    member_client.post(_url("checkin_reminders", team), {"wanted": "on"})
    assert selectors.wants_checkin_reminders(team=team, user=member)
    assert not selectors.wants_checkin_reminders(team=other, user=member)
    from notifications import selectors as notification_selectors

    assert notification_selectors.kind_enabled(user=member, kind="checkin")


def test_gap_summaries_turned_off_everywhere_show_on_the_gap_page(member_client, member, team):

    outbox.reminder_preference_set(user=member, kind="gap_summary", enabled=False)
    assert not selectors.wants_summary_emails(team=team, user=member)
    page = member_client.get(reverse("improvement:gap_list", args=[team.slug])).content.decode()
    assert "turned off for all your teams" in page
    member_client.post(reverse("improvement:summary_emails", args=[team.slug]), {"wanted": "on"})
    assert selectors.wants_summary_emails(team=team, user=member)
