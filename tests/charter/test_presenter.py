"""The presenter screens: what the projector shows of a workshop, the short join link,
and "present the charter" one point per screen."""

import pytest
from django.urls import reverse

from charter import services
from charter.models import Step, Workshop, WorkshopKeyword
from teams.models import Role
from tests.factories import MembershipFactory

from .conftest import make_published, make_workshop, put_keywords

pytestmark = pytest.mark.django_db


def _url(workshop) -> str:
    return reverse("charter:workshop_present", args=[workshop.team.slug, workshop.pk])


def test_the_first_step_shows_the_join_code_and_qr_large(manager_client, team, manager):
    workshop = make_workshop(team, manager)
    response = manager_client.get(_url(workshop))
    assert response.status_code == 200
    html = response.content.decode()
    short = reverse("charter:workshop_short", args=[workshop.pk])
    assert f"testserver{short}" in html
    assert "qr-big" in html and "<svg" in html
    assert "join-corner" not in html
    assert "Review observations" in html


def test_later_steps_keep_the_join_code_small_in_a_corner(manager_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    put_keywords(workshop, "Patient")
    html = manager_client.get(_url(workshop)).content.decode()
    assert "join-corner" in html and "qr-big" not in html
    assert "Patient" in html


def test_a_blind_vote_shows_dots_cast_against_dots_available(manager_client, team, manager, member):
    workshop = make_workshop(team, manager, step=Step.VOTE, dots_per_person=3)
    items = put_keywords(workshop, "Patient", "Honest")
    services.participant_join(workshop=workshop, user=member)
    services.participant_join(workshop=workshop, user=manager)
    services.vote_cast(workshop=workshop, user=member, keyword_id=items[0].pk)
    html = manager_client.get(_url(workshop)).content.decode()
    assert "1 of 6 dots cast" in html
    assert 'class="bars' not in html  # no totals before the reveal


def test_after_the_reveal_bars_rank_keywords_and_mark_ties(manager_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.VOTE, dots_per_person=3)
    patient, honest, kind = put_keywords(workshop, "Patient", "Honest", "Kind")
    people = [manager, *(MembershipFactory(team=team, role=Role.MEMBER).user for _ in "ab")]
    for user in people:
        services.participant_join(workshop=workshop, user=user)
        services.vote_cast(workshop=workshop, user=user, keyword_id=patient.pk)
    services.vote_cast(workshop=workshop, user=people[1], keyword_id=honest.pk)
    services.vote_cast(workshop=workshop, user=people[2], keyword_id=kind.pk)
    Workshop.objects.filter(pk=workshop.pk).update(step=Step.SELECT)
    WorkshopKeyword.objects.filter(pk=patient.pk).update(selected=True)
    html = manager_client.get(_url(workshop)).content.decode()
    assert '<progress class="bar" value="3" max="3"' in html
    assert html.count("bar-row tied") == 2
    assert "bar-row selected" in html


def test_a_poll_with_the_current_version_gets_204(manager_client, team, manager):
    workshop = make_workshop(team, manager)
    first = manager_client.get(_url(workshop))
    version = first.context["version"]
    poll = manager_client.get(_url(workshop), {"v": version}, headers={"HX-Request": "true"})
    assert poll.status_code == 204
    services.participant_join(workshop=workshop, user=manager)  # bumps after commit
    changed = manager_client.get(_url(workshop), {"v": version}, headers={"HX-Request": "true"})
    assert changed.status_code in (200, 204)


def test_a_changed_poll_answers_the_screen_fragment(
    manager_client, team, manager, django_capture_on_commit_callbacks
):
    workshop = make_workshop(team, manager)
    version = manager_client.get(_url(workshop)).context["version"]
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_join(workshop=workshop, user=manager)
    poll = manager_client.get(_url(workshop), {"v": version}, headers={"HX-Request": "true"})
    assert poll.status_code == 200
    html = poll.content.decode()
    assert html.lstrip().startswith('<section id="screen"')
    assert "<html" not in html


def test_the_presenter_is_the_facilitators(
    member_client, lead_client, outsider_client, team, manager
):
    workshop = make_workshop(team, manager)
    assert member_client.get(_url(workshop)).status_code == 403
    assert lead_client.get(_url(workshop)).status_code == 403
    assert outsider_client.get(_url(workshop)).status_code == 404


def test_the_presenter_page_queries_do_not_grow_with_keywords(
    manager_client, team, manager, django_assert_max_num_queries
):
    workshop = make_workshop(team, manager, step=Step.SELECT)
    put_keywords(workshop, *(f"word{i}" for i in range(20)))
    with django_assert_max_num_queries(12):
        assert manager_client.get(_url(workshop)).status_code == 200


def test_the_short_link_takes_a_member_to_the_workshop(
    member_client, outsider_client, team, manager
):
    workshop = make_workshop(team, manager)
    url = reverse("charter:workshop_short", args=[workshop.pk])
    response = member_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("charter:workshop", args=[team.slug, workshop.pk])
    assert outsider_client.get(url).status_code == 404
    assert member_client.get(reverse("charter:workshop_short", args=[999999])).status_code == 404


def test_present_the_charter_shows_one_point_per_screen(member_client, team, manager):
    make_published(team, manager)
    url = reverse("charter:charter_present", args=[team.slug])
    first = member_client.get(url).content.decode()
    assert "Helpful" in first and "Patient" not in first
    assert "Did you take a chance to be helpful today?" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = member_client.get(url, {"p": "2"}).content.decode()
    assert "Patient" in second and 'rel="prev"' in second and 'rel="next"' not in second
    # Out of range or not a number: the nearest point, never an error.
    assert "Patient" in member_client.get(url, {"p": "99"}).content.decode()
    assert "Helpful" in member_client.get(url, {"p": "x"}).content.decode()
    assert member_client.get(url, {"version": "7"}).status_code == 404


def test_present_the_charter_before_any_is_published(member_client, team):
    response = member_client.get(reverse("charter:charter_present", args=[team.slug]))
    assert response.status_code == 200
    assert "No charter published yet" in response.content.decode()
