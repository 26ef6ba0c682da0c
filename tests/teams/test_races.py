"""Two people doing the same thing at the same moment get an answer, never a 500."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from teams import services
from teams.models import ClientGroup, Department, Membership, Organisation, Role, Team
from tests.factories import ClientGroupFactory, MembershipFactory, UserFactory


def _run_at_once(*calls):
    """Runs each call in its own thread and database connection; returns the errors."""
    errors = []

    def run(call):
        try:
            call()
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def _slug_checks_meet(monkeypatch, parties: int):
    # Both requests find the slug free before either inserts: the race the unique
    # index settles.
    real = services._unique_slug
    barrier = threading.Barrier(parties, timeout=10)
    waited = threading.local()

    def unique_slug(model, name):
        slug = real(model, name)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return slug

    monkeypatch.setattr(services, "_unique_slug", unique_slug)


@pytest.mark.django_db(transaction=True)
def test_two_organisations_of_the_same_name_at_once_get_two_slugs(monkeypatch):
    ada, bob = UserFactory(), UserFactory()
    _slug_checks_meet(monkeypatch, 2)
    errors = _run_at_once(
        lambda: services.organisation_create(name="Acme Water", admin=ada),
        lambda: services.organisation_create(name="Acme Water", admin=bob),
    )
    assert errors == []
    slugs = sorted(Organisation.objects.values_list("slug", flat=True))
    assert slugs == ["acme-water", "acme-water-2"]


@pytest.mark.django_db(transaction=True)
def test_two_teams_of_the_same_name_at_once_get_two_slugs(monkeypatch):
    a = MembershipFactory(role=Role.MANAGER)
    b = MembershipFactory(team__organisation=a.team.organisation, role=Role.MANAGER)
    organisation = a.team.organisation
    _slug_checks_meet(monkeypatch, 2)
    errors = _run_at_once(
        *(
            lambda user=user: services.team_create(
                organisation=organisation, name="Billing", creator=user
            )
            for user in (a.user, b.user)
        )
    )
    assert errors == []
    teams = Team.objects.filter(name="Billing")
    assert sorted(teams.values_list("slug", flat=True)) == ["billing", "billing-2"]
    assert Membership.objects.filter(team__in=teams, role=Role.MANAGER).count() == 2


def test_a_slug_taken_since_the_check_moves_on_to_the_next(team, manager, monkeypatch):
    Organisation.objects.create(name="Acme", slug="acme")
    real = services._unique_slug
    answers = iter(["acme"])  # what the check saw before someone else inserted
    monkeypatch.setattr(
        services, "_unique_slug", lambda model, name: next(answers, None) or real(model, name)
    )
    organisation = services.organisation_create(name="Acme", admin=manager)
    assert organisation.slug == "acme-2"


def test_a_department_added_since_the_check_is_refused_with_a_message(team, monkeypatch):
    Department.objects.create(organisation=team.organisation, name="Support")
    # The name check ran before the other request inserted the same name.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError, match="already has a department"):
        services.department_create(organisation=team.organisation, name="support")
    assert Department.objects.filter(organisation=team.organisation).count() == 1


def test_a_client_group_added_since_the_check_is_refused_with_a_message(team, monkeypatch):
    ClientGroupFactory(team=team, name="Accounting")
    with pytest.raises(ValidationError, match="already has a client group"):
        services.client_group_create(team=team, name="Accounting", kind="internal")
    assert ClientGroup.objects.filter(team=team).count() == 1


def test_changing_the_role_of_someone_removed_meanwhile_is_refused(team, manager, member):
    stale = Membership.objects.get(team=team, user=member)
    services.membership_remove(membership=Membership.objects.get(pk=stale.pk))
    with pytest.raises(ValidationError, match="no longer belongs"):
        services.membership_change_role(membership=stale, role=Role.LEAD)


def test_the_role_page_answers_a_removed_person_with_a_message(manager_client, team, member):
    target = Membership.objects.get(team=team, user=member)
    url = reverse("teams:member_role", args=[team.slug, target.pk])
    target.delete()
    assert manager_client.post(url, {"role": "lead"}).status_code == 404
