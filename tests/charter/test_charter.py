import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from charter import services
from charter.models import CharterPoint, CharterVersion, Endorsement, Step, Workshop
from tests.factories import MembershipFactory

from .conftest import POINTS, make_published, make_workshop, put_keywords

HX = {"HX-Request": "true"}


def _charter_url(team, name="charter"):
    return reverse(f"charter:{name}", args=[team.slug])


def test_publish_creates_the_next_version_and_mails_the_team_after_commit(
    team, manager, member, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = make_published(team, manager)
    assert mail.outbox == []  # nothing leaves before the commit
    # After the commit the dispatcher queues the outbox rows (one per member), which
    # queues their sending after its own commit.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert version.number == 1
    assert [p.keyword for p in version.points.all()] == ["Helpful", "Patient"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (manager, member, lead))
    assert "Take every chance to give our clients advice" in mail.outbox[0].body


def test_publishing_again_never_edits_an_old_version(team, manager):
    first = make_published(team, manager)
    second = make_published(
        team, manager, [("Honest", "Say plainly what we know and what we don't")]
    )
    assert (first.number, second.number) == (1, 2)
    assert [p.keyword for p in first.points.all()] == ["Helpful", "Patient"]
    assert [p.keyword for p in second.points.all()] == ["Honest"]


def test_a_workshop_publishes_once(team, manager):
    version = make_published(team, manager)
    with pytest.raises(ValidationError, match="already published"):
        services.charter_publish(workshop=version.workshop, by=manager)


def test_a_charter_has_at_most_six_points(team, manager):
    with pytest.raises(ValidationError, match="at most 6 points"):
        make_published(
            team, manager, [(f"k{n}", f"Do the thing number {n} for clients") for n in range(7)]
        )
    assert not CharterVersion.objects.exists()


def test_the_database_refuses_a_seventh_point_and_a_duplicate_version(team, manager):
    version = make_published(team, manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterPoint.objects.create(version=version, position=7, keyword="x", statement="y")
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterVersion.objects.create(charter=version.charter, number=1)


def test_publish_needs_a_retained_point(team, manager):
    workshop = make_workshop(team, manager, step=Step.PUBLISH)
    (item,) = put_keywords(workshop, "Helpful")
    item.selected = True
    item.save()
    with pytest.raises(ValidationError, match="at least one keyword"):
        services.charter_publish(workshop=workshop, by=manager)


def test_publish_view_redirects_to_the_charter(manager_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.PUBLISH)
    for label, statement in POINTS:
        (item,) = put_keywords(workshop, label)
        item.selected, item.statement, item.coaching_question = True, statement, "Did you?"
        item.save()
    url = reverse("charter:publish", args=[team.slug, workshop.pk])
    response = manager_client.post(url)
    assert response.status_code == 302 and response["Location"] == _charter_url(team)
    assert Workshop.objects.get(pk=workshop.pk).is_finished
    again = manager_client.post(url, headers=HX)
    assert again.status_code == 302  # refused with a message, back to the facilitator page


def test_charter_page_shows_points_questions_and_who_endorsed(member_client, team, manager, lead):
    version = make_published(team, manager)
    services.charter_endorse(version=version, user=lead)
    content = member_client.get(_charter_url(team)).content.decode()
    assert "Let the client finish explaining" in content
    assert "Did you take a chance to be patient today?" in content
    assert lead.display_name in content
    assert "I commit to this charter" in content


def test_member_commits_once_and_gets_the_fragment(member_client, team, manager, member):
    version = make_published(team, manager)
    url = reverse("charter:charter_endorse", args=[team.slug, version.number])
    response = member_client.post(url, headers=HX)
    member_client.post(url)
    assert response.status_code == 200 and b'id="endorsements"' in response.content
    assert b"<html" not in response.content
    assert Endorsement.objects.filter(user=member).count() == 1


def test_endorsing_an_unknown_version_is_a_404(member_client, team, manager):
    make_published(team, manager)
    url = reverse("charter:charter_endorse", args=[team.slug, 9])
    assert member_client.post(url).status_code == 404


def test_empty_charter_page_explains_where_it_comes_from(member_client, team):
    response = member_client.get(_charter_url(team))
    assert b"has not published its charter yet" in response.content


def test_diff_shows_added_removed_and_changed_points(member_client, team, manager):
    make_published(team, manager)
    make_published(
        team,
        manager,
        [
            ("Helpful", "Take every chance to give advice that really helps"),
            ("Honest", "Say plainly what we know and what we don't"),
        ],
    )
    response = member_client.get(_charter_url(team, "charter_diff"), {"from": 1, "to": 2})
    kinds = {c.keyword: c.kind for c in response.context["changes"]}
    assert kinds == {"Helpful": "changed", "Honest": "added", "Patient": "removed"}
    assert member_client.get(_charter_url(team, "charter_diff"), {"to": 7}).status_code == 404


def test_older_versions_stay_readable(member_client, team, manager):
    make_published(team, manager)
    make_published(team, manager, [("Honest", "Say plainly what we know and what we don't")])
    response = member_client.get(_charter_url(team), {"version": 1})
    assert b"Let the client finish explaining" in response.content


def test_public_link_is_read_only_and_revocable(client, manager_client, team, manager):
    make_published(team, manager)
    manager_client.post(_charter_url(team, "charter_share"), {"action": "enable"})
    token = team.charter.__class__.objects.get(team=team).share_token
    public = reverse("charter:public", args=[token])
    response = client.get(public)
    assert response.status_code == 200
    assert b"Take every chance" in response.content
    assert (
        b"I commit" not in response.content
        and b'<form method="post" action="/t/' not in response.content
    )
    manager_client.post(_charter_url(team, "charter_share"), {"action": "revoke"})
    assert client.get(public).status_code == 404


@pytest.mark.parametrize("token", ["%00", "abc%00def", "%C3%A9t%C3%A9", "a.b", "a%20b"])
def test_a_public_link_with_odd_characters_is_a_404_not_a_500(client, team, manager, token):
    make_published(team, manager)
    services.charter_share(team=team, enable=True)
    assert client.get(f"/c/{token}/").status_code == 404


def test_public_charter_page_query_count_does_not_grow(
    client, team, manager, django_assert_max_num_queries
):
    points = [
        (f"Keyword {n}", f"Take every chance number {n} to help our clients") for n in range(6)
    ]
    for _ in range(3):
        version = make_published(team, manager, points)
    for _ in range(20):
        services.charter_endorse(version=version, user=MembershipFactory(team=team).user)
    token = services.charter_share(team=team, enable=True).share_token
    with django_assert_max_num_queries(4):
        response = client.get(reverse("charter:public", args=[token]))
    assert response.content.count(b'class="point-statement"') == 6


def test_charter_page_query_count_does_not_grow(
    member_client, team, manager, django_assert_max_num_queries
):
    for _ in range(5):
        version = make_published(team, manager)
    for _ in range(30):
        services.charter_endorse(version=version, user=MembershipFactory(team=team).user)
    with django_assert_max_num_queries(10):
        response = member_client.get(_charter_url(team))
    assert response.content.count(b'class="badge"') >= 30


def test_charter_pages_reject_wrong_methods(member_client, team):
    assert member_client.post(_charter_url(team)).status_code == 405
    assert member_client.get(_charter_url(team, "charter_share")).status_code == 405


def test_the_database_refuses_to_edit_a_published_point(team, manager):
    version = make_published(team, manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterPoint.objects.filter(version=version).update(statement="Be nice")
    assert not CharterPoint.objects.filter(statement="Be nice").exists()
