"""Sent twice, saved once (config/once.py): a double tap or Back then Send on a form that
creates something saves one thing and says the second was already saved; two forms sent
with the same words are two things."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from charter.models import Observation
from improvement.models import ChangeIdea, GapAnswer, Step
from tests.improvement.factories import GapMeetingFactory


def _token(client, url) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="once"[^>]*value="([^"]+)"', html).group(1)


def _observation(team):
    return {
        "reaction": "Reassured",
        "behaviour": "Explained the delay honestly",
        "keywords_text": "patient",
        "observed_on": timezone.localdate().isoformat(),
    }


def test_an_observation_sent_twice_is_recorded_once(member_client, team):
    url = reverse("charter:observation_create", args=[team.slug])
    data = {**_observation(team), "once": _token(member_client, url)}
    assert member_client.post(url, data).status_code == 302
    again = member_client.post(url, data, follow=True)
    assert Observation.objects.count() == 1
    assert "already recorded" in again.content.decode()
    # A new blank form is a new observation, even with the same words.
    member_client.post(url, {**_observation(team), "once": _token(member_client, url)})
    assert Observation.objects.count() == 2


def test_a_form_with_errors_keeps_its_token_and_counts_once_when_corrected(member_client, team):
    url = reverse("charter:observation_create", args=[team.slug])
    token = _token(member_client, url)
    wrong = member_client.post(url, {**_observation(team), "behaviour": "", "once": token})
    assert wrong.status_code == 200 and f'value="{token}"' in wrong.content.decode()
    member_client.post(url, {**_observation(team), "once": token})
    member_client.post(url, {**_observation(team), "once": token})
    assert Observation.objects.count() == 1


def test_a_page_that_sends_no_token_is_not_refused(member_client, team):
    url = reverse("charter:observation_create", args=[team.slug])
    member_client.post(url, _observation(team))
    member_client.post(url, _observation(team))
    assert Observation.objects.count() == 2


def test_the_token_is_each_persons_own(member_client, lead_client, team):
    url = reverse("charter:observation_create", args=[team.slug])
    data = {**_observation(team), "once": "the-same-token-on-two-phones"}
    member_client.post(url, data)
    lead_client.post(url, data)
    assert Observation.objects.count() == 2


def test_an_idea_sent_twice_is_added_once(member_client, member, team):
    url = reverse("improvement:idea_create", args=[team.slug])
    data = {
        "title": "Call back voicemails the same day",
        "focus_area": "timeliness",
        "owner": member.pk,
        "once": _token(member_client, url),
    }
    member_client.post(url, data)
    again = member_client.post(url, data, follow=True)
    assert ChangeIdea.objects.count() == 1
    assert "already added" in again.content.decode()


@pytest.fixture
def meeting(team, manager):
    return GapMeetingFactory(team=team, facilitator=manager, step=Step.BENEFIT)


def test_a_gap_answer_tapped_twice_is_posted_once(meeting, member_client, team):
    page = reverse("improvement:gap_meeting", args=[team.slug, meeting.pk])
    url = reverse("improvement:gap_answer", args=[team.slug, meeting.pk])
    data = {
        "question": "benefit",
        "body": "Fewer repeat calls",
        "once": _token(member_client, page),
    }
    first = member_client.post(url, data, HTTP_HX_REQUEST="true")
    second = member_client.post(url, data, HTTP_HX_REQUEST="true")
    assert first.status_code == second.status_code == 200
    assert GapAnswer.objects.count() == 1
    # The next answer box has a token of its own.
    assert data["once"] not in second.content.decode()
