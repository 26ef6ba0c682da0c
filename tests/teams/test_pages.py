import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams.models import ClientGroup, Membership, Role, Team
from tests.factories import ClientGroupFactory, MembershipFactory, TeamFactory, UserFactory


def test_home_shows_my_teams(member_client, team):
    response = member_client.get(reverse("home"))
    assert response.status_code == 200
    assert team.name in response.content.decode()


def test_home_explains_the_next_step_to_someone_without_team(client, django_user_model):
    user = django_user_model.objects.create_user(email="solo@example.com", display_name="Solo")
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "You are not in a team yet." in html
    assert "Start an organisation" in html


def test_home_does_not_grow_queries_with_teams(
    client, django_user_model, django_assert_max_num_queries
):
    user = django_user_model.objects.create_user(email="busy@example.com", display_name="Busy")
    for _ in range(15):
        MembershipFactory(user=user, role=Role.MEMBER)
    client.force_login(user)
    # 10: with the coaching card's two reads (the person's one-to-ones and objectives).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="card"') == 15


def test_plain_members_do_not_see_the_cross_team_dashboard_link(member_client):
    html = member_client.get(reverse("home")).content.decode()
    assert "Indicators across teams" not in html


@pytest.mark.parametrize("who", ["lead_client", "manager_client"])
def test_leads_and_managers_see_the_cross_team_dashboard_link(request, who):
    html = request.getfixturevalue(who).get(reverse("home")).content.decode()
    assert "Indicators across teams" in html


def test_an_org_admin_without_a_team_sees_the_cross_team_dashboard_link(client, db):
    from teams import services

    admin = UserFactory()
    services.organisation_create(name="Acme", admin=admin)
    client.force_login(admin)
    assert "Indicators across teams" in client.get(reverse("home")).content.decode()


def _a_busy_team_for(user):
    """A team where everything the home page lists waits for `user`: a workshop in
    progress, a check-in due, an idea of theirs, the next steering meetings."""
    from improvement.models import CheckinSettings
    from tests.charter.conftest import make_published, make_workshop
    from tests.improvement.factories import ChangeIdeaFactory
    from tests.meetings.factories import weekly_meeting

    team = MembershipFactory(user=user, role=Role.LEAD).team
    manager = MembershipFactory(team=team, role=Role.MANAGER).user
    make_published(team, manager)
    CheckinSettings.objects.create(team=team, weekday=0)  # due every day of the week
    make_workshop(team, manager)
    ChangeIdeaFactory(team=team, owner=user)
    weekly_meeting(team, created_by=manager)
    return team


def _home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_home_queries_stay_the_same_with_everything_waiting(client, db):
    user = UserFactory()
    client.force_login(user)
    _a_busy_team_for(user)
    few, html = _home_queries(client)
    for section in (
        "Waiting for you",
        "Your weekly check-in",
        "My ideas waiting for a next step",
        "Next steering meetings",
    ):
        assert section in html, section
    for _ in range(5):
        _a_busy_team_for(user)
    many, html = _home_queries(client)
    assert html.count("1 question about the charter") + html.count("2 questions") == 6
    assert many == few
    # User, memberships, invitations, org admin, workshops, check-ins (2), ideas,
    # meetings and coaching (2: one-to-ones, objectives; the session is in Redis):
    # pinned, so a new home section shows its cost.
    assert many <= 11, f"the home page now takes {many} queries"


def test_team_page_lists_people_and_clients_in_constant_queries(
    member_client, team, django_assert_max_num_queries
):
    for _ in range(10):
        MembershipFactory(team=team)
        ClientGroupFactory(team=team)
    # The overview's panels (tests/teams/test_overview.py) are part of the page.
    with django_assert_max_num_queries(11):
        response = member_client.get(reverse("teams:team", args=[team.slug]))
    assert response.status_code == 200


def test_people_page_in_constant_queries(manager_client, team, django_assert_max_num_queries):
    for _ in range(12):
        MembershipFactory(team=team)
    with django_assert_max_num_queries(12):
        response = manager_client.get(reverse("teams:members", args=[team.slug]))
    assert response.content.decode().count("<tr>") == 12 + 1 + 1  # header + the manager


def test_org_admin_creates_a_team_and_becomes_its_manager(manager_client, manager, team):
    response = manager_client.post(
        reverse("teams:team_create", args=[team.organisation.slug]),
        {"name": "Field Support", "time_zone": "America/New_York"},
    )
    new = Team.objects.get(name="Field Support")
    assert response.url == reverse("teams:members", args=[new.slug])
    assert Membership.objects.get(team=new, user=manager).role == Role.MANAGER
    assert new.time_zone == "America/New_York"


def test_team_slugs_stay_unique(manager_client, manager, team):
    for _ in range(2):
        manager_client.post(
            reverse("teams:team_create", args=[team.organisation.slug]),
            {"name": "Help Desk", "time_zone": "Europe/Paris"},
        )
    assert sorted(Team.objects.filter(name="Help Desk").values_list("slug", flat=True)) == [
        "help-desk",
        "help-desk-2",
    ]


def test_team_form_errors_rerender(manager_client, team):
    response = manager_client.post(
        reverse("teams:team_create", args=[team.organisation.slug]),
        {"name": "", "time_zone": "Mars/Base"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_org_page_lists_teams_in_constant_queries(
    manager_client, team, django_assert_max_num_queries
):
    for _ in range(10):
        MembershipFactory(team=TeamFactory(organisation=team.organisation))
    with django_assert_max_num_queries(12):
        response = manager_client.get(reverse("teams:organisation", args=[team.organisation.slug]))
    assert response.status_code == 200


def test_department_names_are_unique_per_organisation(manager_client, team):
    url = reverse("teams:department_create", args=[team.organisation.slug])
    manager_client.post(url, {"name": "Support"})
    response = manager_client.post(url, {"name": "support"}, follow=True)
    assert "already has a department" in response.content.decode()
    assert team.organisation.departments.count() == 1


def test_manager_adds_and_edits_a_client_group(manager_client, team):
    manager_client.post(
        reverse("teams:client_group_create", args=[team.slug]),
        {
            "name": "Accounting",
            "kind": "internal",
            "description": "Colleagues who ask for invoices",
        },
    )
    group = ClientGroup.objects.get(team=team)
    manager_client.post(
        reverse("teams:client_group_edit", args=[team.slug, group.pk]),
        {"name": "Finance", "kind": "internal"},
    )
    group.refresh_from_db()
    assert group.name == "Finance"


def test_client_group_names_are_unique_per_team(manager_client, team):
    ClientGroupFactory(team=team, name="Accounting")
    response = manager_client.post(
        reverse("teams:client_group_create", args=[team.slug]),
        {"name": "accounting", "kind": "internal"},
    )
    assert response.status_code == 200
    assert "already has a client group" in response.content.decode()


def _observation_about(group, author):
    from charter.services import observation_create

    return observation_create(
        team=group.team,
        author=author,
        reaction="Relieved",
        behaviour="We called back the same day",
        keywords=["Reliable"],
        client_group=group,
    )


def test_removing_a_client_group_asks_first_and_says_what_names_it(manager_client, manager, team):
    from tests.indicators.factories import IndicatorFactory

    group = ClientGroupFactory(team=team, name="Accounting")
    _observation_about(group, manager)
    IndicatorFactory(team=team, client_group=group)
    IndicatorFactory(team=team, client_group=group)
    response = manager_client.get(reverse("teams:client_group_remove", args=[team.slug, group.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Remove the client group Accounting?" in html
    assert "1 observation names it." in html
    assert "2 indicators are about it." in html
    assert "0 surveys were sent to it." in html
    assert "Yes, remove" in html
    assert ClientGroup.objects.filter(pk=group.pk).exists()


def test_the_edit_page_links_to_the_confirmation(manager_client, team):
    group = ClientGroupFactory(team=team)
    html = manager_client.get(
        reverse("teams:client_group_edit", args=[team.slug, group.pk])
    ).content.decode()
    assert reverse("teams:client_group_remove", args=[team.slug, group.pk]) in html


def test_manager_removes_a_client_group_and_what_named_it_stays(manager_client, manager, team):
    from tests.indicators.factories import IndicatorFactory

    group = ClientGroupFactory(team=team)
    observation = _observation_about(group, manager)
    indicator = IndicatorFactory(team=team, client_group=group)
    response = manager_client.post(
        reverse("teams:client_group_remove", args=[team.slug, group.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("teams:team", args=[team.slug])
    assert "removed" in response.content.decode()
    assert not ClientGroup.objects.filter(pk=group.pk).exists()
    observation.refresh_from_db()
    indicator.refresh_from_db()
    assert observation.client_group is None and indicator.client_group is None


def test_a_client_group_with_surveys_cannot_be_removed(manager_client, team):
    from tests.indicators.factories import SurveyFactory

    survey = SurveyFactory(team=team)
    url = reverse("teams:client_group_remove", args=[team.slug, survey.client_group.pk])
    page = manager_client.get(url).content.decode()
    assert "1 survey was sent to it." in page
    assert "cannot be removed" in page and "Yes, remove" not in page
    response = manager_client.post(url)
    assert response.status_code == 200
    assert response.content.decode().count("cannot be removed") == 1  # said once, not twice
    assert ClientGroup.objects.filter(pk=survey.client_group.pk).exists()
    assert survey.__class__.objects.filter(pk=survey.pk).exists()


def test_a_protected_client_group_is_refused_with_a_message(team, monkeypatch):
    # Another relation (or a survey created meanwhile) may PROTECT the group.
    from django.core.exceptions import ValidationError
    from django.db.models import ProtectedError

    from teams import services

    group = ClientGroupFactory(team=team)

    def protected(self, *args, **kwargs):
        raise ProtectedError("protected", set())

    monkeypatch.setattr(ClientGroup, "delete", protected)
    with pytest.raises(ValidationError, match="cannot be removed"):
        services.client_group_delete(group=group)


def test_the_old_delete_button_of_the_edit_form_no_longer_deletes(manager_client, team):
    group = ClientGroupFactory(team=team)
    manager_client.post(
        reverse("teams:client_group_edit", args=[team.slug, group.pk]), {"delete": "1"}
    )
    assert ClientGroup.objects.filter(pk=group.pk).exists()


def test_a_client_group_of_another_team_is_404(manager_client, team):
    other = ClientGroupFactory()
    assert (
        manager_client.get(
            reverse("teams:client_group_edit", args=[team.slug, other.pk])
        ).status_code
        == 404
    )


def test_team_settings_save(manager_client, team):
    manager_client.post(
        reverse("teams:settings", args=[team.slug]), {"name": "Desk", "time_zone": "UTC"}
    )
    team.refresh_from_db()
    assert (team.name, team.time_zone) == ("Desk", "UTC")


def test_pages_refuse_unexpected_methods(manager_client, team):
    assert manager_client.delete(reverse("teams:team", args=[team.slug])).status_code == 405
    assert (
        manager_client.get(reverse("teams:invitation_create", args=[team.slug])).status_code == 405
    )
    assert manager_client.get(reverse("teams:member_role", args=[team.slug, 1])).status_code == 405


def test_org_admin_grants_and_withdraws_admin_rights(manager_client, manager, member, team):
    org = team.organisation
    target = org.members.get(user=member)
    url = reverse("teams:organisation_admin", args=[org.slug, target.pk])
    manager_client.post(url, {"is_admin": "1"})
    target.refresh_from_db()
    assert target.is_admin
    manager_client.post(url, {"is_admin": "0"})
    target.refresh_from_db()
    assert not target.is_admin


def test_the_last_org_admin_keeps_the_rights(manager_client, manager, team):
    me = team.organisation.members.get(user=manager)
    response = manager_client.post(
        reverse("teams:organisation_admin", args=[team.organisation.slug, me.pk]),
        {"is_admin": "0"},
        follow=True,
    )
    assert "at least one admin" in response.content.decode()
    me.refresh_from_db()
    assert me.is_admin
