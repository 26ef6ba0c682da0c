"""The clients' words where decisions are taken: the workshop (projector too), the
charter point's page, change ideas."""

import pytest
from django.urls import reverse

from charter.models import Keyword, Step
from charter.services import charter_share, observation_create
from tests.charter.conftest import make_published, make_workshop

from .factories import HighlightFactory, InterviewFactory, StakeholderFactory


def _quote(team, text, label, **person):
    stakeholder = StakeholderFactory(team=team, **person)
    interview = InterviewFactory(team=team, stakeholder=stakeholder)
    highlight = HighlightFactory(interview=interview, text=text)
    keyword, _ = Keyword.objects.get_or_create(
        team=team, normalised=label.lower(), defaults={"label": label}
    )
    highlight.keywords.add(keyword)
    return highlight


def test_the_workshop_projector_shows_quotes_beside_observations_names_masked(
    manager_client, team, manager
):
    observation_create(
        team=team, author=manager, reaction="Relieved", behaviour="x", keywords=["Helpful"]
    )
    _quote(
        team,
        "Paula Client said it was helpful, write paula@acme.test",
        "Helpful",
        name="Paula Client",
    )
    workshop = make_workshop(team, manager, step=Step.OBSERVE)
    page = manager_client.get(reverse("charter:workshop_run", args=[team.slug, workshop.pk]))
    text = page.content.decode()
    assert "What our clients said" in text
    assert "1 observation" in text and "1 client quote" in text
    assert "Paula" not in text and "acme.test" not in text


def test_the_points_page_tells_its_story(member_client, team, manager):
    version = make_published(team, manager)
    point = version.points.get(keyword="Helpful")
    observation_create(
        team=team, author=manager, reaction="Glad", behaviour="Advice", keywords=["helpful"]
    )
    highlight = _quote(team, "They always give good advice", "Unrelated")
    highlight.point_lineage = point.lineage
    highlight.save()
    url = reverse("interviews:point", args=[team.slug, point.lineage])
    page = member_client.get(url).content.decode()
    assert "They always give good advice" in page
    assert "Advice" in page
    assert point.statement in page


@pytest.mark.parametrize("n", [1, 6])
def test_the_points_page_reads_a_fixed_number_of_queries(
    member_client, team, manager, n, django_assert_max_num_queries
):
    version = make_published(team, manager)
    point = version.points.get(keyword="Helpful")
    for i in range(n):
        _quote(team, f"Quote {i}", "Helpful")
    url = reverse("interviews:point", args=[team.slug, point.lineage])
    with django_assert_max_num_queries(18):
        page = member_client.get(url).content.decode()
    assert f"Quote {n - 1}" in page


def test_the_public_charter_page_shows_no_client_words_nor_story_link(client, team, manager):
    make_published(team, manager)
    _quote(team, "Secret words", "Helpful")
    charter = charter_share(team=team, enable=True)
    page = client.get(reverse("charter:public", args=[charter.share_token])).content.decode()
    assert "Secret words" not in page and "Its story" not in page


def test_the_charter_page_links_each_point_to_its_story(member_client, team, manager):
    version = make_published(team, manager)
    page = member_client.get(reverse("charter:charter", args=[team.slug])).content.decode()
    point = version.points.first()
    assert reverse("interviews:point", args=[team.slug, point.lineage]) in page


def test_a_highlight_becomes_a_prefilled_change_idea(member_client, team):
    highlight = _quote(team, "Tell me who owns my request", "Clear")
    url = reverse("interviews:interview", args=[team.slug, highlight.interview_id])
    page = member_client.get(url).content.decode()
    assert "Make it a change idea" in page
    idea_url = reverse("improvement:idea_create", args=[team.slug]) + "?title=Tell+me"
    assert 'value="Tell me"' in member_client.get(idea_url).content.decode()
