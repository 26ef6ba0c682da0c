import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TimeZoneField

INVITATION_VALIDITY = timedelta(days=14)


class Organisation(models.Model):
    """The tenant: a company or administration whose teams use Cocharter."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganisationMember", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class OrganisationMember(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_memberships"
    )
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_org_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            # Case-insensitive, like the check in services.department_create.
            models.UniqueConstraint(
                "organisation", Lower("name"), name="unique_department_name_any_case"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("department"),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    time_zone = TimeZoneField(_("time zone"), default="Europe/Paris")
    created_at = models.DateTimeField(auto_now_add=True)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_membership"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.team}"

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD


class ClientGroup(models.Model):
    """Who the team serves: another department (internal) or a customer segment."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal (another department or team)")
        EXTERNAL = "external", _("External (a customer segment)")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="client_groups")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="unique_client_group")]

    def __str__(self) -> str:
        return self.name


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + INVITATION_VALIDITY


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_default_expiry)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=Q(status="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.team}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired


class CompanySignIn(models.Model):
    """How an organisation's people sign in with their company account: its OpenID
    Connect provider (allauth's SocialApp holds the issuer, client id and secret), the
    e-mail domains that belong to it, where newcomers land, and whether passwords and a
    second factor are still allowed or required."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="company_sign_in"
    )
    app = models.OneToOneField("socialaccount.SocialApp", on_delete=models.CASCADE)
    domains = models.CharField(
        _("e-mail domains"),
        max_length=500,
        help_text=_("Separated by commas: example.com, example.fr"),
    )
    default_team = models.ForeignKey(
        "Team",
        verbose_name=_("team for newcomers"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    default_role = models.CharField(
        _("their role there"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    password_allowed = models.BooleanField(
        _("people may also sign in with a password"), default=True
    )
    mfa_required = models.BooleanField(
        _("managers and admins must use a second factor"), default=False
    )

    def __str__(self) -> str:
        return f"{self.organisation}: {self.app.name}"

    @property
    def domain_list(self) -> list[str]:
        return [d for d in (part.strip().lower() for part in self.domains.split(",")) if d]

    def covers(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.domain_list
