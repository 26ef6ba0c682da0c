import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from teams import services
from teams.models import Membership, Role
from tests.factories import MembershipFactory


def _membership(team, user):
    return Membership.objects.get(team=team, user=user)


def test_the_last_manager_cannot_step_down(team, manager):
    with pytest.raises(ValidationError, match="at least one manager"):
        services.membership_change_role(membership=_membership(team, manager), role=Role.MEMBER)
    assert _membership(team, manager).role == Role.MANAGER


def test_the_last_manager_cannot_leave(team, manager):
    with pytest.raises(ValidationError, match="at least one manager"):
        services.membership_remove(membership=_membership(team, manager))


def test_a_manager_can_step_down_once_another_is_named(team, manager, lead):
    services.membership_change_role(membership=_membership(team, lead), role=Role.MANAGER)
    services.membership_change_role(membership=_membership(team, manager), role=Role.MEMBER)
    assert _membership(team, manager).role == Role.MEMBER


def test_an_unknown_role_is_refused(team, member):
    with pytest.raises(ValidationError):
        services.membership_change_role(membership=_membership(team, member), role="king")


@pytest.mark.django_db(transaction=True)
def test_two_managers_stepping_down_at_once_leave_one_manager():
    a = MembershipFactory(role=Role.MANAGER)
    b = MembershipFactory(team=a.team, role=Role.MANAGER)
    barrier = threading.Barrier(2)
    errors = []

    def step_down(membership):
        try:
            barrier.wait()
            services.membership_change_role(membership=membership, role=Role.MEMBER)
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(m,)) for m in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 1
    assert Membership.objects.filter(team=a.team, role=Role.MANAGER).count() == 1


def test_manager_changes_a_role(manager_client, team, member):
    target = _membership(team, member)
    response = manager_client.post(
        reverse("teams:member_role", args=[team.slug, target.pk]), {"role": "lead"}
    )
    assert response.status_code == 302
    assert _membership(team, member).role == Role.LEAD


def test_removing_asks_for_confirmation_first(manager_client, team, member):
    target = _membership(team, member)
    url = reverse("teams:member_remove", args=[team.slug, target.pk])
    response = manager_client.get(url)
    assert "Yes, remove" in response.content.decode()
    assert Membership.objects.filter(pk=target.pk).exists()
    manager_client.post(url)
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_the_last_manager_sees_why_she_cannot_leave(manager_client, team):
    response = manager_client.post(reverse("teams:leave", args=[team.slug]), follow=True)
    assert "at least one manager" in response.content.decode()


def test_a_member_leaves(member_client, team, member):
    response = member_client.post(reverse("teams:leave", args=[team.slug]))
    assert response.status_code == 302
    assert not Membership.objects.filter(team=team, user=member).exists()


def test_a_team_from_another_organisation_is_invisible(outsider_client, team):
    assert outsider_client.get(reverse("teams:team", args=[team.slug])).status_code == 404
    assert outsider_client.get(reverse("teams:team", args=["does-not-exist"])).status_code == 404
