from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from charter.models import CharterVersion, Step, Vote, Workshop
from teams.models import Team

from .access import CASES


@pytest.fixture
def world(team, manager, lead, member, outsider):
    return SimpleNamespace(team=team, manager=manager, lead=lead, member=member, outsider=outsider)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_charter_url_refuses_an_unexpected_method(name, world, manager_client):
    url = reverse(name, kwargs=CASES[name].kwargs(world))
    assert manager_client.put(url).status_code == 405
    refused = "get" if CASES[name].method == "post" else "patch"
    assert getattr(manager_client, refused)(url).status_code == 405


def test_demo_data_has_a_charter_and_a_workshop_at_the_vote_step(db):
    call_command("seed_demo")
    team = Team.objects.get(slug="service-desk")
    first, version = CharterVersion.objects.filter(charter__team=team).order_by("number")
    assert 5 <= version.points.count() <= 6
    assert version.endorsements.count() >= 3
    # The revision shows what a new version keeps: a reworded point keeps its lineage,
    # a dropped one is retired, a new one starts its own.
    before = {p.keyword.lower(): p.lineage for p in first.points.all()}
    after = {p.keyword.lower(): p.lineage for p in version.points.all()}
    assert after["reliable"] == before["reliable"] and "proactive" not in after
    assert after["clear"] not in before.values()
    current = Workshop.objects.get(team=team, published_at=None)
    assert current.step == Step.VOTE
    assert Vote.objects.filter(workshop=current).exists()
    assert team.observations.count() >= 8


def test_diff_page_query_count_does_not_grow(
    member_client, team, manager, django_assert_max_num_queries
):
    from .conftest import make_published

    points = [(f"k{n}", f"Take every chance number {n} to help our clients") for n in range(6)]
    for _ in range(8):
        make_published(team, manager, points)
    url = reverse("charter:charter_diff", args=[team.slug])
    with django_assert_max_num_queries(10):
        response = member_client.get(url, {"from": 1, "to": 8})
    assert len(response.context["changes"]) == 6


def test_export_query_count_does_not_grow(
    member_client, team, manager, django_assert_max_num_queries
):
    from .conftest import make_workshop, put_keywords

    workshop = make_workshop(team, manager, step=Step.SELECT)
    put_keywords(workshop, *[f"keyword {n}" for n in range(30)])
    for fmt in ("csv", "md"):
        url = reverse("charter:workshop_export", args=[team.slug, workshop.pk, fmt])
        with django_assert_max_num_queries(5):
            assert member_client.get(url).status_code == 200
