"""Reads and the permission-checked getters every team-scoped view uses.

An outsider (no membership) gets 404, so a team's existence is not revealed; a member
whose role is not enough gets 403.
"""

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from config import formats

from .models import (
    ClientGroup,
    Invitation,
    Membership,
    Organisation,
    OrganisationMember,
    Role,
    Team,
)

MANAGERS = frozenset({Role.MANAGER})
LEADS_AND_MANAGERS = frozenset({Role.MANAGER, Role.LEAD})
EVERYONE = frozenset(Role.values)


class RoleRequired(PermissionDenied):
    """A member whose role is not enough: carries the roles the page needs and the one
    the person has, so the 403 page can say so (config/errors.py)."""

    def __init__(
        self,
        *,
        needed: Collection[str],
        held: str,
        org_admin: bool = False,
        reason: str = "",
    ) -> None:
        super().__init__(f"needs {sorted(needed)}, has {held}")
        self.needed, self.held, self.org_admin = frozenset(needed), held, org_admin
        # Said on the page when the rule is more than a role ("the author or a manager").
        self.reason = reason


def role_require(role: str | None, roles: Collection[str]) -> None:
    """The rule every team-scoped getter applies: no membership is a 404 (the team's
    existence is not revealed), a role that is not enough is a 403. Getters that load a
    team's object with the person's role in one query call it too."""
    if role is None:
        raise Http404
    if role not in roles:
        raise RoleRequired(needed=roles, held=role)


def membership_get(*, user: User, team_slug: str, roles: Collection[str] = EVERYONE) -> Membership:
    """The user's membership of the team, with the team and its organisation loaded."""
    if not user.is_authenticated:
        raise Http404
    elsewhere = Membership.objects.filter(team=OuterRef("team")).exclude(
        user__time_zone=OuterRef("team__time_zone")
    )
    try:
        membership = (
            Membership.objects.select_related("team__organisation")
            .annotate(people_elsewhere=Exists(elsewhere))
            .get(user=user, team__slug=team_slug)
        )
    except Membership.DoesNotExist:
        raise Http404 from None
    role_require(membership.role, roles)
    team_time_activate(team=membership.team, spans_zones=membership.people_elsewhere)
    return membership


def team_time_activate(*, team: Team, spans_zones: bool | None = None) -> None:
    """The times of a team's page, in the team's time zone; each time names the zone
    when the team's people span zones (`spans_zones`, looked up when not given)."""
    if spans_zones is None:
        spans_zones = team.memberships.exclude(user__time_zone=team.time_zone).exists()
    formats.team_time(time_zone=team.time_zone, name_zone=spans_zones)


def org_member_get(*, user: User, org_slug: str, admin: bool = True) -> OrganisationMember:
    if not user.is_authenticated:
        raise Http404
    try:
        member = OrganisationMember.objects.select_related("organisation").get(
            user=user, organisation__slug=org_slug
        )
    except OrganisationMember.DoesNotExist:
        raise Http404 from None
    if admin and not member.is_admin:
        raise RoleRequired(needed=(), held="", org_admin=True)
    return member


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("team__organisation", "team__department")
        .annotate(people_count=Count("team__memberships"))
        .order_by("team__organisation__name", "team__name")
    )


def team_members(*, team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("user").order_by("user__display_name", "user__email")


def team_open_invitations(*, team: Team) -> QuerySet[Invitation]:
    return team.invitations.filter(status=Invitation.Status.PENDING).select_related("invited_by")


def invitations_for_email(*, email: str) -> QuerySet[Invitation]:
    """Pending, unexpired invitations sent to an address."""
    return Invitation.objects.filter(
        email__iexact=email.strip(),
        status=Invitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    ).select_related("team__organisation", "invited_by")


def invitations_for_user(*, user: User) -> QuerySet[Invitation]:
    """Pending, unexpired invitations sent to the user's address."""
    return invitations_for_email(email=user.email)


def invitation_get_open(*, token: str) -> Invitation:
    try:
        return Invitation.objects.select_related("team__organisation", "invited_by").get(
            token=token
        )
    except Invitation.DoesNotExist:
        raise Http404 from None


def organisation_teams(*, organisation: Organisation, user: User) -> QuerySet[Team]:
    """The organisation's teams with head counts and whether `user` belongs to each."""
    return (
        organisation.teams.select_related("department")
        .annotate(
            people_count=Count("memberships", distinct=True),
            manager_count=Count("memberships", filter=Q(memberships__role=Role.MANAGER)),
            is_mine=Exists(Membership.objects.filter(team=OuterRef("pk"), user=user)),
        )
        .order_by("department__name", "name")
    )


def organisation_people(*, organisation: Organisation) -> QuerySet[OrganisationMember]:
    return organisation.members.select_related("user").order_by("user__display_name")


def client_group_usage(*, group: ClientGroup) -> dict[str, int]:
    """How many observations, indicators and surveys name the client group."""
    # Three indexed counts: one aggregate over the three joins would count their product.
    return {
        "observations": group.observations.count(),
        "indicators": group.indicators.count(),
        "surveys": group.surveys.count(),
    }
