import re
import zoneinfo
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User, time_zone_names, validate_time_zone
from teams.models import Invitation, OrganisationMember
from tests.factories import PASSWORD, InvitationFactory, UserFactory

SIGNUP = {
    "email": "Ada@Example.com",
    "display_name": "Ada",
    "organisation_name": "Analytical Engines",
    "password1": "a-long-pass-phrase-42",
    "password2": "a-long-pass-phrase-42",
}


def test_signup_creates_the_person_and_their_organisation(client, db):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.com")
    assert user.display_name == "Ada"
    member = OrganisationMember.objects.get(user=user)
    assert member.is_admin and member.organisation.name == "Analytical Engines"


def test_signup_requires_email_confirmation_before_login(client, db):
    client.post(reverse("account_signup"), SIGNUP)
    assert not EmailAddress.objects.get(email__iexact="ada@example.com").verified
    assert "confirm-email" in mail.outbox[0].body
    assert client.get(reverse("home")).status_code == 302
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mail.outbox[0].body).group(1)
    client.post(reverse("account_confirm_email", args=[key]))
    assert EmailAddress.objects.get(email__iexact="ada@example.com").verified


def test_signup_without_organisation_is_allowed_for_invitees(client, db):
    InvitationFactory(email="ada@example.com")
    response = client.post(reverse("account_signup"), {**SIGNUP, "organisation_name": ""})
    assert response.status_code == 302
    assert User.objects.filter(email="ada@example.com").exists()
    assert not OrganisationMember.objects.exists()


def test_signup_without_organisation_or_invitation_is_refused(client, db):
    response = client.post(reverse("account_signup"), {**SIGNUP, "organisation_name": "  "})
    assert response.status_code == 200
    assert "Name your organisation." in response.content.decode()
    assert not User.objects.exists()


def test_an_invitation_for_another_address_does_not_excuse_the_organisation(client, db):
    InvitationFactory(email="someone.else@example.com")
    response = client.post(reverse("account_signup"), {**SIGNUP, "organisation_name": ""})
    assert response.status_code == 200
    assert not User.objects.exists()


def test_a_revoked_or_expired_invitation_does_not_excuse_the_organisation(client, db):
    InvitationFactory(email="ada@example.com", status=Invitation.Status.REVOKED)
    InvitationFactory(email="ada@example.com", expires_at=timezone.now() - timedelta(days=1))
    response = client.post(reverse("account_signup"), {**SIGNUP, "organisation_name": ""})
    assert response.status_code == 200
    assert not User.objects.exists()


def test_signup_errors_are_shown_and_nothing_is_created(client, db):
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "different"})
    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.exists()


def test_login_with_email(client, db):
    user = UserFactory(email="bob@example.com")
    response = client.post(
        reverse("account_login"), {"login": "BOB@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_is_rate_limited_after_repeated_failures(client, db):
    UserFactory(email="bob@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "bob@example.com", "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": "bob@example.com", "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_sends_a_link(client, db):
    UserFactory(email="bob@example.com")
    client.post(reverse("account_reset_password"), {"email": "bob@example.com"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_profile_saves_name_language_and_time_zone(member_client, member):
    response = member_client.post(
        reverse("accounts:profile"),
        {"display_name": "Mia M.", "language": "fr", "time_zone": "America/New_York"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.language, member.time_zone) == (
        "Mia M.",
        "fr",
        "America/New_York",
    )
    assert "Mon profil" in member_client.get(reverse("accounts:profile")).content.decode()


def test_the_language_switch_is_remembered_on_the_profile(member_client, member):
    member_client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
    member.refresh_from_db()
    assert member.language == "fr"
    assert 'lang="fr"' in member_client.get(reverse("home")).content.decode()


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("zone", ["localtime", "Factory", "posixrules", "Mars/Base", ""])
def test_the_profile_refuses_what_is_not_a_time_zone(member_client, member, zone):
    response = member_client.post(
        reverse("accounts:profile"), {"display_name": "Mia", "language": "", "time_zone": zone}
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.time_zone == "Europe/Paris"


def test_the_profile_offers_the_real_time_zones_in_order(member_client):
    html = member_client.get(reverse("accounts:profile")).content.decode()
    select = html.split('name="time_zone"')[1].split("</select>")[0]
    offered = re.findall(r'<option value="([^"]+)"', select)
    assert "Europe/Paris" in offered and "America/New_York" in offered and "UTC" in offered
    assert not {"localtime", "Factory", "posixrules"} & set(offered)
    assert offered == sorted(offered)


def test_time_zones_are_checked_by_the_model_too(member):
    member.time_zone = "localtime"
    with pytest.raises(ValidationError):
        member.full_clean()
    assert validate_time_zone("America/Sao_Paulo") is None
    assert set(time_zone_names()) <= zoneinfo.available_timezones()
