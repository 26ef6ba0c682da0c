"""Writes for organisations, teams, memberships and invitations."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User

from .models import (
    INVITATION_VALIDITY,
    ClientGroup,
    Department,
    Invitation,
    Membership,
    Organisation,
    OrganisationMember,
    Role,
    Team,
)


def _unique_slug(model, name: str) -> str:
    base = slugify(name)[:120] or "team"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _create_with_unique_slug(model, *, name: str, **fields):
    """Creates the row under the first free slug made from its name.

    Two creations of the same name at the same moment both find the slug free; the
    unique index lets one in, and the other takes the next free slug.
    """
    for _attempt in range(5):
        slug = _unique_slug(model, name)
        try:
            with transaction.atomic():
                return model.objects.create(name=name, slug=slug, **fields)
        except IntegrityError:
            if not model.objects.filter(slug=slug).exists():
                raise
    raise ValidationError(_("Many people are creating this name right now. Please try again."))


@transaction.atomic
def organisation_create(*, name: str, admin: User) -> Organisation:
    """Creates an organisation with `admin` as its first organisation admin."""
    organisation = _create_with_unique_slug(Organisation, name=name)
    OrganisationMember.objects.create(organisation=organisation, user=admin, is_admin=True)
    return organisation


DEPARTMENT_NAME_TAKEN = _lazy("This organisation already has a department of that name.")


def department_create(*, organisation: Organisation, name: str) -> Department:
    name = name.strip()
    if organisation.departments.filter(name__iexact=name).exists():
        raise ValidationError(DEPARTMENT_NAME_TAKEN)
    try:
        with transaction.atomic():
            return Department.objects.create(organisation=organisation, name=name)
    except IntegrityError:
        # The same name, added by someone else since the check above.
        raise ValidationError(DEPARTMENT_NAME_TAKEN) from None


@transaction.atomic
def team_create(
    *,
    organisation: Organisation,
    name: str,
    creator: User,
    time_zone: str = "Europe/Paris",
    department: Department | None = None,
) -> Team:
    """Creates a team; its creator becomes its first manager."""
    team = _create_with_unique_slug(
        Team, name=name, organisation=organisation, time_zone=time_zone, department=department
    )
    OrganisationMember.objects.get_or_create(organisation=organisation, user=creator)
    Membership.objects.create(team=team, user=creator, role=Role.MANAGER)
    return team


def client_group_create(*, team: Team, name: str, kind: str, description: str = "") -> ClientGroup:
    try:
        with transaction.atomic():
            return ClientGroup.objects.create(
                team=team, name=name, kind=kind, description=description
            )
    except IntegrityError:
        # The form checked the name; someone else added the same one since.
        raise ValidationError(_("This team already has a client group of that name.")) from None


CLIENT_GROUP_HAS_SURVEYS = _lazy(
    "This client group cannot be removed: surveys were sent to it, and their answers "
    "must keep saying who gave them."
)


@transaction.atomic
def client_group_delete(*, group: ClientGroup) -> None:
    """Deletes a client group; observations and indicators that named it keep their
    content without it. Refused while a survey (and its answers) belongs to it."""
    try:
        group.delete()
    except ProtectedError:
        # Surveys PROTECT their client group; the deletion looks them up itself.
        raise ValidationError(CLIENT_GROUP_HAS_SURVEYS) from None


def _send_invitation(invitation: Invitation) -> None:
    """An outbox row in the caller's transaction: sent once, even if the broker is down
    now (notifications/services.py)."""
    from notifications.services import reminders_add

    from .emails import invitation_row

    reminders_add(rows=[invitation_row(invitation)])


@transaction.atomic
def invitation_create(*, team: Team, email: str, role: str, invited_by: User) -> Invitation:
    """Invites an e-mail address to the team and e-mails the link (after commit)."""
    email = email.strip().lower()
    if team.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already in this team.") % {"email": email})
    # An expired pending invitation would block the unique constraint: retire it first.
    team.invitations.filter(
        email__iexact=email, status=Invitation.Status.PENDING, expires_at__lte=timezone.now()
    ).update(status=Invitation.Status.REVOKED)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                team=team, email=email, role=role, invited_by=invited_by
            )
    except IntegrityError:
        raise ValidationError(
            _("%(email)s already has a pending invitation: resend it instead.") % {"email": email}
        ) from None
    _send_invitation(invitation)
    return invitation


def _answered_message(status: str, action: str) -> str:
    Status = Invitation.Status
    messages = {
        ("revoke", Status.ACCEPTED): _(
            "This invitation was already accepted: nothing was revoked."
        ),
        ("revoke", Status.DECLINED): _(
            "This invitation was already declined: nothing was revoked."
        ),
        ("revoke", Status.REVOKED): _("This invitation was already revoked."),
        ("resend", Status.ACCEPTED): _("This invitation was already accepted: it was not resent."),
        ("resend", Status.DECLINED): _("This invitation was declined: it was not resent."),
        ("resend", Status.REVOKED): _("This invitation was revoked: it was not resent."),
    }
    return messages[(action, status)]


def _lock_pending(invitation: Invitation, action: str) -> Invitation:
    # The caller's copy may be stale: the invitee can accept or decline at any moment,
    # and their answer must not be overwritten by a revoke or a resend.
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if current.status != Invitation.Status.PENDING:
        raise ValidationError(_answered_message(current.status, action))
    return current


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Sends the invitation again, valid for another full period."""
    invitation = _lock_pending(invitation, "resend")
    now = timezone.now()
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_VALIDITY
    invitation.save(update_fields=["sent_at", "expires_at"])
    _send_invitation(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraws a pending invitation; an answered one is left as the invitee left it."""
    invitation = _lock_pending(invitation, "revoke")
    invitation.status = Invitation.Status.REVOKED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return invitation


def _check_answerable(invitation: Invitation, user: User) -> None:
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer valid. Ask for a new one."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Log in with that address to answer it.")
            % {"email": invitation.email}
        )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Adds the user to the team (and its organisation) with the invited role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_answerable(invitation, user)
    OrganisationMember.objects.get_or_create(organisation=invitation.team.organisation, user=user)
    membership, _created = Membership.objects.get_or_create(
        team=invitation.team, user=user, defaults={"role": invitation.role}
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_answerable(invitation, user)
    invitation.status = Invitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])


def _lock_team_memberships(team: Team) -> list[Membership]:
    # Locking every membership row of the team serialises concurrent role changes and
    # removals, so two managers cannot both step down at the same moment.
    return list(Membership.objects.select_for_update().filter(team=team).order_by("pk"))


def _ensure_another_manager(memberships: list[Membership], leaving: Membership) -> None:
    others = [m for m in memberships if m.role == Role.MANAGER and m.pk != leaving.pk]
    if leaving.role == Role.MANAGER and not others:
        raise ValidationError(
            _("A team needs at least one manager. Make someone else manager first.")
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """Gives a member another role, never leaving the team without a manager."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    memberships = _lock_team_memberships(membership.team)
    current = next((m for m in memberships if m.pk == membership.pk), None)
    if current is None:
        raise ValidationError(_("This person no longer belongs to the team."))
    if role != Role.MANAGER:
        _ensure_another_manager(memberships, current)
    current.role = role
    current.save(update_fields=["role"])
    return current


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Removes someone from the team (or lets them leave), keeping at least one manager."""
    memberships = _lock_team_memberships(membership.team)
    current = next((m for m in memberships if m.pk == membership.pk), None)
    if current is None:
        return
    _ensure_another_manager(memberships, current)
    current.delete()


def organisation_people_add(
    *, organisation: Organisation, user: User, is_admin: bool = False
) -> OrganisationMember:
    member, _created = OrganisationMember.objects.get_or_create(
        organisation=organisation, user=user, defaults={"is_admin": is_admin}
    )
    return member


@transaction.atomic
def organisation_admin_set(*, member: OrganisationMember, is_admin: bool) -> OrganisationMember:
    """Grants or withdraws organisation admin rights, never leaving it without an admin."""
    members = list(
        OrganisationMember.objects.select_for_update()
        .filter(organisation=member.organisation)
        .order_by("pk")
    )
    if not is_admin and not any(m.is_admin and m.pk != member.pk for m in members):
        raise ValidationError(_("An organisation needs at least one admin."))
    member.is_admin = is_admin
    member.save(update_fields=["is_admin"])
    return member
