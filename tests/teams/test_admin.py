from django.contrib import admin
from django.test import Client

from teams.models import Membership, Role, Team
from tests.factories import UserFactory


def _staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_cannot_take_away_the_last_manager(team, manager):
    membership = Membership.objects.get(team=team, user=manager)
    client = _staff_client()
    url = f"/admin/teams/team/{team.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organisation": team.organisation.pk,
            "name": team.name,
            "slug": team.slug,
            "time_zone": team.time_zone,
            # What an editable inline would take: a new role and a deletion.
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-team": team.pk,
            "memberships-0-role": Role.MEMBER,
            "memberships-0-DELETE": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER


def test_the_membership_inline_only_shows_who_is_in_the_team(rf, db):
    inline = admin.site._registry[Team].inlines[0](Team, admin.site)
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert "role" in inline.get_readonly_fields(request)
    assert not inline.has_add_permission(request)
    assert not inline.has_change_permission(request)
    assert not inline.has_delete_permission(request)
