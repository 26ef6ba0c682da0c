"""The invitation e-mail: an outbox row to the address, written in the inviting
transaction (notifications/), sent once by the dispatcher; a resend is a new row."""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from notifications import emails
from notifications.emails import Built
from notifications.models import Reminder

from .models import Invitation

KIND = Reminder.Kind.INVITATION


def register() -> None:
    emails.register_builder(KIND, invitation_message)


def invitation_row(invitation: Invitation) -> Reminder:
    """Sent once per sending (a resend moves `sent_at`, so it is a new message)."""
    sent = invitation.sent_at.astimezone(UTC) if invitation.sent_at else None
    stamp = f"{sent:%Y%m%dT%H%M%S%f}" if sent else ""
    return Reminder(
        email=invitation.email,
        kind=KIND,
        subject=f"invitation:{invitation.pk}@{stamp}",
        due_at=timezone.now(),
    )


def invitation_message(reminder: Reminder) -> Built | None:
    """The invitation link, in the inviter's language and the team's time zone; none
    for an invitation no longer pending."""
    try:
        invitation_id = int(reminder.subject.split(":")[1].split("@")[0])
    except (IndexError, ValueError):
        return None
    invitation = (
        Invitation.objects.select_related("team__organisation", "invited_by")
        .filter(pk=invitation_id, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return None
    language = invitation.invited_by.language if invitation.invited_by else ""
    with translation.override(language or settings.LANGUAGE_CODE):
        with timezone.override(invitation.team.time_zone):
            context = {
                "invitation": invitation,
                "url": settings.SITE_URL + reverse("teams:invitation", args=[invitation.token]),
            }
            subject = emails.render_text("teams/email/invitation_subject.txt", context)
            body = emails.render_text("teams/email/invitation_body.txt", context)
    return subject.strip(), body, []
