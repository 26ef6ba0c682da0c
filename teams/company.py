"""Company sign-in: an organisation's own OpenID Connect provider, the e-mail domains
that belong to it, and what its admins require (no password, a second factor).

allauth signs people in (accounts.adapter.SocialAccountAdapter calls `admit` and
`join`); this module holds the rules and the organisation admin's settings.
"""

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User

from .models import CompanySignIn, Membership, Organisation, OrganisationMember, Role

PROVIDER = "openid_connect"


def provider_id(organisation: Organisation) -> str:
    return f"org-{organisation.slug}"


def for_app(provider: str) -> CompanySignIn | None:
    """The organisation's settings behind an allauth provider id, if it is one of ours."""
    return (
        CompanySignIn.objects.select_related("organisation", "app", "default_team")
        .filter(app__provider=PROVIDER, app__provider_id=provider)
        .first()
    )


def for_email(email: str) -> CompanySignIn | None:
    """The organisation whose domains cover this address (home realm discovery)."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for candidate in CompanySignIn.objects.select_related("organisation", "app").filter(
        domains__icontains=domain
    ):
        if candidate.covers(email):
            return candidate
    return None


def admit(
    config: CompanySignIn, *, email: str, verified: bool, existing: User | None = None
) -> str | None:
    """Why this company account may not sign in here, or None when it may. `existing` is
    the account already holding that address: a provider only vouches for the people of
    its own organisation, so it never opens an account that is not among them."""
    if not email:
        return _("Your company account did not give an e-mail address.")
    if not verified:
        return _("Your company has not verified the address %(email)s.") % {"email": email}
    if not config.covers(email):
        return _(
            "The address %(email)s does not belong to %(organisation)s: it signs in with "
            "addresses at %(domains)s."
        ) % {
            "email": email,
            "organisation": config.organisation.name,
            "domains": ", ".join(config.domain_list),
        }
    if (
        existing is not None
        and not OrganisationMember.objects.filter(
            organisation=config.organisation, user=existing
        ).exists()
    ):
        return _(
            "An account with the address %(email)s already exists outside %(organisation)s. "
            "Sign in with its password; an admin of %(organisation)s can invite it."
        ) % {"email": email, "organisation": config.organisation.name}
    return None


@transaction.atomic
def join(config: CompanySignIn, user: User) -> None:
    """Someone who signed in with the company account belongs to its organisation, and a
    newcomer to the team the admins chose, with the role they chose."""
    OrganisationMember.objects.get_or_create(organisation=config.organisation, user=user)
    team = config.default_team
    if (
        team is not None
        and not Membership.objects.filter(
            user=user, team__organisation=config.organisation
        ).exists()
    ):
        Membership.objects.get_or_create(
            team=team, user=user, defaults={"role": config.default_role}
        )


def password_refusal(email: str) -> str | None:
    """Why this address may not sign in with a password, or None when it may: an
    organisation that turned passwords off covers its domain, or counts it among its people."""
    configs = list(
        CompanySignIn.objects.filter(password_allowed=False).select_related("organisation")
    )
    if not configs:
        return None
    email = email.strip()
    theirs = set(
        OrganisationMember.objects.filter(user__email__iexact=email).values_list(
            "organisation_id", flat=True
        )
    )
    for config in configs:
        if config.covers(email) or config.organisation_id in theirs:
            return _(
                '%(organisation)s signs in with its company account: choose "Sign in with '
                'your company account" below.'
            ) % {"organisation": config.organisation.name}
    return None


def second_factor_missing(user: User) -> bool:
    """True when an organisation requires a second factor of this manager or admin and
    they have none yet."""
    required = CompanySignIn.objects.filter(mfa_required=True).filter(
        Q(organisation__members__user=user, organisation__members__is_admin=True)
        | Q(
            organisation__teams__memberships__user=user,
            organisation__teams__memberships__role=Role.MANAGER,
        )
    )
    return required.exists() and not Authenticator.objects.filter(user=user).exists()


@transaction.atomic
def settings_save(
    *,
    organisation: Organisation,
    name: str,
    issuer: str,
    client_id: str,
    secret: str,
    domains: str,
    default_team,
    default_role: str,
    password_allowed: bool,
    mfa_required: bool,
) -> CompanySignIn:
    """Creates or changes the organisation's company sign-in. An empty secret keeps the
    one stored (the form never shows it)."""
    if default_team is not None and default_team.organisation_id != organisation.pk:
        raise ValidationError(_("Choose one of the organisation's teams."))
    config = CompanySignIn.objects.select_related("app").filter(organisation=organisation).first()
    app = (
        config.app
        if config
        else SocialApp(provider=PROVIDER, provider_id=provider_id(organisation))
    )
    if not (secret or app.secret):
        raise ValidationError(_("Paste the client secret your provider gave you."))
    claimed = _domains_of_others(organisation, domains)
    if claimed:
        raise ValidationError(
            _("Another organisation signs in with these domains: %(domains)s.")
            % {"domains": ", ".join(claimed)}
        )
    app.name = name
    app.client_id = client_id
    if secret:
        app.secret = secret
    app.settings = {"server_url": issuer.rstrip("/")}
    app.save()
    config = config or CompanySignIn(organisation=organisation, app=app)
    config.domains = ", ".join(
        sorted({d.strip().lower().lstrip("@") for d in domains.split(",") if d.strip()})
    )
    config.default_team = default_team
    config.default_role = default_role
    config.password_allowed = password_allowed
    config.mfa_required = mfa_required
    config.save()
    return config


def _domains_of_others(organisation: Organisation, domains: str) -> list[str]:
    wanted = {d.strip().lower() for d in domains.split(",") if d.strip()}
    others = CompanySignIn.objects.exclude(organisation=organisation).values_list(
        "domains", flat=True
    )
    taken = {d.strip().lower() for row in others for d in row.split(",")}
    return sorted(wanted & taken)


@transaction.atomic
def settings_remove(*, organisation: Organisation) -> None:
    config = CompanySignIn.objects.filter(organisation=organisation).first()
    if config:
        app = config.app
        config.delete()
        app.delete()
