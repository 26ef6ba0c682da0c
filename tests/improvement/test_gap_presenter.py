"""The gap-analysis meeting on the projector: answers arrive face down, show their text
once revealed, grouped, the highlighted ones marked, the hidden ones left out."""

import pytest
from django.urls import reverse

from improvement.models import GapMeeting, Question, Step

from .factories import GapAnswerFactory, GapMeetingFactory

pytestmark = pytest.mark.django_db


def _url(meeting) -> str:
    return reverse("improvement:gap_present", args=[meeting.team.slug, meeting.pk])


def test_answers_arrive_face_down_until_the_reveal(manager_client, team, member):
    meeting = GapMeetingFactory(team=team)
    GapAnswerFactory(meeting=meeting, author=member, body="Fewer calls back")
    html = manager_client.get(_url(meeting)).content.decode()
    assert "What is the major benefit if we make progress here?" in html
    assert "1 answer" in html and "face-down" in html
    assert "Fewer calls back" not in html


def test_revealed_answers_are_grouped_and_highlighted(manager_client, team, member):
    meeting = GapMeetingFactory(team=team, revealed_benefit=True)
    GapAnswerFactory(meeting=meeting, author=member, body="Calm clients", group_label="Trust")
    GapAnswerFactory(meeting=meeting, author=member, body="Faster", highlighted=True)
    GapAnswerFactory(meeting=meeting, author=member, body="A secret", hidden=True)
    html = manager_client.get(_url(meeting)).content.decode()
    assert "Calm clients" in html and "Trust" in html
    assert 'answer-card highlighted">' in html and "Faster" in html
    assert "A secret" not in html
    assert member.display_name not in html  # the room sees the answers, not their authors


def test_the_wrap_up_shows_each_question_with_its_answers(manager_client, team, member):
    meeting = GapMeetingFactory(team=team, step=Step.WRAPUP)
    GapAnswerFactory(meeting=meeting, author=member, question=Question.ACTIONS, body="Call back")
    html = manager_client.get(_url(meeting)).content.decode()
    assert "What we will try" in html and "Call back" in html


def test_a_poll_with_the_current_version_gets_204(manager_client, team):
    meeting = GapMeetingFactory(team=team)
    version = manager_client.get(_url(meeting)).context["version"]
    poll = manager_client.get(_url(meeting), {"v": version}, headers={"HX-Request": "true"})
    assert poll.status_code == 204
    GapMeeting.objects.filter(pk=meeting.pk).update(revealed_benefit=True)
    fresh = manager_client.get(_url(meeting), {"v": "0-stale"}, headers={"HX-Request": "true"})
    assert fresh.status_code == 200
    assert fresh.content.decode().lstrip().startswith('<section id="screen"')


def test_the_presenter_is_the_facilitators(member_client, outsider_client, team):
    meeting = GapMeetingFactory(team=team)
    assert member_client.get(_url(meeting)).status_code == 403
    assert outsider_client.get(_url(meeting)).status_code == 404


def test_the_page_queries_do_not_grow_with_answers(
    manager_client, team, member, django_assert_max_num_queries
):
    meeting = GapMeetingFactory(team=team, revealed_benefit=True)
    GapAnswerFactory.create_batch(15, meeting=meeting, author=member)
    with django_assert_max_num_queries(10):
        assert manager_client.get(_url(meeting)).status_code == 200
