"""The signed-in user is loaded with plain SQL: the same user the ORM gives, and the
same refusals as Django's ModelBackend."""

import pytest
from django.contrib.auth import backends as django_backends
from django.urls import reverse

from accounts.backends import AuthenticationBackend, ModelBackend
from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_get_user_gives_what_django_gives(backend, member):
    ours = backend.get_user(str(member.pk))
    theirs = django_backends.ModelBackend().get_user(member.pk)
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(ours, f) for f in fields] == [getattr(theirs, f) for f in fields]
    assert ours.time_zone == theirs.time_zone


@pytest.mark.parametrize("user_id", [None, "", "abc", "1.5", "999999999"])
def test_get_user_refuses_ids_that_are_not_a_user(user_id):
    assert ModelBackend().get_user(user_id) is None


def test_a_deactivated_user_is_signed_out(member, member_client):
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert ModelBackend().get_user(member.pk) is None
    assert member_client.get(reverse("home")).status_code == 302


def test_a_password_change_elsewhere_ends_the_session(member, member_client):
    assert member_client.get(reverse("home")).status_code == 200
    member.set_password("another long passphrase 42")
    member.save()
    assert member_client.get(reverse("home")).status_code == 302
