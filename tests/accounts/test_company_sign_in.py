"""Company sign-in (teams.company, accounts.adapter) against a local OpenID Connect
provider started by the tests (oidc-provider-mock), and the second factor (allauth.mfa)."""

import time
from urllib.parse import urlsplit

import httpx
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from teams import company
from teams.models import Membership, OrganisationMember, Role
from tests.factories import MembershipFactory, TeamFactory, UserFactory

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")

pytestmark = pytest.mark.django_db(transaction=True)  # the provider answers from a thread


@pytest.fixture(scope="module")
def provider():
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def northwind(team, provider):
    return company.settings_save(
        organisation=team.organisation,
        name="Northwind ID",
        issuer=provider,
        client_id="cocharter",
        secret="not-so-secret",
        domains="northwind.example, NW.example",
        default_team=team,
        default_role=Role.MEMBER,
        password_allowed=True,
        mfa_required=False,
    )


def _sign_in(client: Client, provider: str, config, claims: dict):
    """Goes through the provider as a browser would; returns the final answer."""
    sub = claims["email"]
    httpx.put(f"{provider}/users/{sub}", json=claims).raise_for_status()
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": config.app.provider_id}),
        {"process": "login"},
    )
    assert start.status_code == 302, start.content[:400]
    consent = httpx.post(start["Location"], data={"sub": sub}, follow_redirects=False)
    back = urlsplit(consent.headers["location"])
    return client.get(f"{back.path}?{back.query}", follow=True)


def test_a_newcomer_signs_in_with_the_company_account_and_joins(northwind, provider, team):
    client = Client()
    answer = _sign_in(
        client,
        provider,
        northwind,
        {"email": "amy@northwind.example", "email_verified": True, "name": "Amy Pond"},
    )
    assert answer.status_code == 200
    amy = User.objects.get(email="amy@northwind.example")
    assert amy.display_name == "Amy Pond"
    assert OrganisationMember.objects.filter(organisation=team.organisation, user=amy).exists()
    assert Membership.objects.get(user=amy).team == team
    assert Membership.objects.get(user=amy).role == Role.MEMBER
    assert "Amy Pond" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"email": "amy@northwind.example", "email_verified": False}, "has not verified"),
        ({"email": "eve@elsewhere.example", "email_verified": True}, "does not belong"),
    ],
)
def test_an_address_the_provider_cannot_vouch_for_is_refused(northwind, provider, claims, why):
    answer = _sign_in(Client(), provider, northwind, claims)
    assert answer.status_code == 403
    assert why in answer.content.decode()
    assert not User.objects.filter(email=claims["email"]).exists()


def test_an_account_outside_the_organisation_is_never_taken_over(northwind, provider, outsider):
    outsider.email = "boss@northwind.example"
    outsider.save()
    answer = _sign_in(
        Client(), provider, northwind, {"email": outsider.email, "email_verified": True}
    )
    assert answer.status_code == 403
    assert "already exists outside" in answer.content.decode()


def test_a_member_with_a_password_account_signs_in_with_the_company_account_too(
    northwind, provider, member, team
):
    member.email = "mia@nw.example"
    member.save()
    OrganisationMember.objects.get_or_create(organisation=team.organisation, user=member)
    client = Client()
    answer = _sign_in(client, provider, northwind, {"email": member.email, "email_verified": True})
    assert answer.status_code == 200
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_sign_in_page_sends_a_work_address_to_its_provider(client, northwind):
    url = reverse("accounts:company_sign_in")
    found = client.post(url, {"email": "amy@NW.example"}).content.decode()
    assert "Continue with Northwind ID" in found
    assert (
        reverse(
            "openid_connect_login", kwargs={"provider_id": "org-" + northwind.organisation.slug}
        )
        in found
    )
    unknown = client.post(url, {"email": "amy@gmail.example"})
    assert "No organisation signs in" in unknown.content.decode()


def test_an_organisation_can_turn_passwords_off(client, northwind, team):
    user = UserFactory(email="amy@northwind.example")
    user.set_password("a-long-password-1")
    user.save()
    northwind.password_allowed = False
    northwind.save()
    answer = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-password-1"}
    )
    assert answer.status_code == 200
    assert "signs in with its company account" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_domain_belongs_to_one_organisation(northwind, provider):
    other = TeamFactory().organisation
    with pytest.raises(ValidationError, match="Another organisation"):
        company.settings_save(
            organisation=other,
            name="Them",
            issuer=provider,
            client_id="x",
            secret="y",
            domains="nw.example",
            default_team=None,
            default_role=Role.MEMBER,
            password_allowed=True,
            mfa_required=False,
        )


def test_the_admin_page_keeps_the_secret_it_never_shows(manager_client, northwind, team):
    url = reverse("teams:company_sign_in", args=[team.organisation.slug])
    page = manager_client.get(url).content.decode()
    assert "not-so-secret" not in page and "/login/callback/" in page
    manager_client.post(
        url,
        {
            "name": "Northwind ID",
            "issuer": northwind.app.settings["server_url"],
            "client_id": "cocharter",
            "secret": "",
            "domains": "northwind.example",
            "default_role": "lead",
        },
    )
    northwind.refresh_from_db()
    northwind.app.refresh_from_db()
    assert northwind.app.secret == "not-so-secret" and northwind.default_role == "lead"
    assert not northwind.password_allowed


def test_a_wrong_domain_list_is_refused_and_kept(manager_client, team):
    url = reverse("teams:company_sign_in", args=[team.organisation.slug])
    data = {"name": "X", "issuer": "https://id.example", "client_id": "c", "secret": "s"}
    answer = manager_client.post(url, {**data, "domains": "not a domain, @ok.example"})
    assert answer.status_code == 200
    assert "Write domains such as" in answer.content.decode()
    assert "not a domain" in answer.content.decode()


# The second factor -------------------------------------------------------------------------


def _password_login(client, user, password="a-long-password-1"):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def _code(secret: str) -> str:
    counter = int(time.time()) // 30
    return totp.format_hotp_value(totp.hotp_value(secret, counter))


@pytest.fixture
def claire(team):
    user = MembershipFactory(team=team, role=Role.MANAGER).user
    user.set_password("a-long-password-1")
    user.save()
    user.emailaddress_set.update_or_create(
        email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def test_a_manager_whose_organisation_requires_it_sets_up_a_second_factor(
    client, claire, northwind
):
    northwind.mfa_required = True
    northwind.save()
    _password_login(client, claire)
    team_page = client.get(reverse("home"))
    assert team_page.status_code == 302
    assert team_page["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before a new factor is added.
    again = client.get(reverse("mfa_activate_totp"))
    assert again["Location"].startswith(reverse("account_reauthenticate"))
    client.post(again["Location"], {"password": "a-long-password-1"})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    secret = client.session[totp.SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert Authenticator.objects.filter(user=claire, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200


def test_a_member_is_not_asked_for_a_second_factor(client, team, northwind):
    northwind.mfa_required = True
    northwind.save()
    user = MembershipFactory(team=team, role=Role.MEMBER).user
    user.set_password("a-long-password-1")
    user.save()
    user.emailaddress_set.update_or_create(
        email=user.email, defaults={"verified": True, "primary": True}
    )
    _password_login(client, user)
    assert client.get(reverse("home")).status_code == 200


def test_signing_in_asks_for_the_authenticator_code(client, claire):
    secret = totp.generate_totp_secret()
    totp.TOTP.activate(claire, secret)
    first = _password_login(client, claire)
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert client.session["_auth_user_id"] == str(claire.pk)
