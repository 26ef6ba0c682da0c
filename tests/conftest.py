"""The usual people: a team with a manager, a lead and a member, and an outsider who
belongs to another team of another organisation. Each has a logged-in client."""

import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from config import formats
from teams.models import OrganisationMember, Role

from .factories import MembershipFactory, TeamFactory


def _clear_our_keys() -> None:
    # Rate limits and live-update versions live in the (Redis) cache. `cache.clear()`
    # would FLUSHDB, wiping the sessions of any other run sharing the Redis database.
    if hasattr(cache, "delete_pattern"):  # django-redis: only keys under our prefix
        cache.delete_pattern("*", itersize=1000)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    _clear_our_keys()
    yield


@pytest.fixture(autouse=True)
def _english_after_each_test():
    # A request from someone who prefers French activates it for the whole thread, and a
    # team's page its time zone: the next test starts from the defaults, whatever ran before.
    yield
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    formats.reset()


@pytest.fixture
def team(db):
    return TeamFactory(name="Service Desk", slug="service-desk")


@pytest.fixture
def manager(team):
    membership = MembershipFactory(team=team, role=Role.MANAGER, user__display_name="Maud Manager")
    OrganisationMember.objects.filter(organisation=team.organisation, user=membership.user).update(
        is_admin=True
    )
    return membership.user


@pytest.fixture
def lead(team):
    return MembershipFactory(team=team, role=Role.LEAD, user__display_name="Leo Lead").user


@pytest.fixture
def member(team):
    return MembershipFactory(team=team, role=Role.MEMBER, user__display_name="Mia Member").user


@pytest.fixture
def outsider(db):
    return MembershipFactory(role=Role.MANAGER, user__display_name="Otto Outsider").user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def lead_client(lead):
    return _client_for(lead)


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def people(manager, lead, member, outsider):
    """Every role's client by name, for access tables."""
    return {
        "anonymous": Client(),
        "outsider": _client_for(outsider),
        "member": _client_for(member),
        "lead": _client_for(lead),
        "manager": _client_for(manager),
    }


@pytest.fixture(scope="session", autouse=True)
def _no_stray_database_sessions(django_db_setup, django_db_blocker):
    """Worker processes the reliability tests kill can leave their PostgreSQL session
    behind for a moment, which stops the test database from being dropped."""
    yield
    if connection.vendor != "postgresql" or not connection.settings_dict["NAME"].startswith(
        "test_"
    ):
        return  # no test database was set up in this run
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, backend_start, left(query, 200) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        strays = cursor.fetchall()
        if strays:
            print(f"\nstray database sessions at teardown: {strays}", file=sys.stderr)
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
