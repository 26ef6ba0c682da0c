"""The "charter published" e-mail: one outbox row per member, written in the publishing
transaction (notifications/), sent once each by the dispatcher."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications import emails
from notifications.emails import Built
from notifications.models import Reminder
from teams.models import Membership

from .models import CharterVersion

KIND = Reminder.Kind.CHARTER_PUBLISHED


def register() -> None:
    emails.register_builder(KIND, published_message)


def published_subject(version: CharterVersion) -> str:
    return f"charter:{version.pk}"


def published_rows(*, version: CharterVersion) -> list[Reminder]:
    """One row per member of the team: unique, so announcing twice mails once."""
    now = timezone.now()
    members = Membership.objects.filter(team_id=version.charter.team_id)
    return [
        Reminder(user_id=user_id, kind=KIND, subject=published_subject(version), due_at=now)
        for user_id in members.values_list("user_id", flat=True)
    ]


def published_message(reminder: Reminder) -> Built | None:
    """The new version, for one member (in their language and time zone)."""
    try:
        version_id = int(reminder.subject.split(":")[1])
    except (IndexError, ValueError):
        return None
    version = (
        CharterVersion.objects.select_related("charter__team")
        .prefetch_related("points")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return None
    team = version.charter.team
    context = {
        "version": version,
        "team": team,
        "url": settings.SITE_URL + reverse("charter:charter", args=[team.slug]),
        "user": reminder.user,
    }
    subject = emails.render_text("charter/email/published_subject.txt", context).strip()
    return subject, emails.render_text("charter/email/published_body.txt", context), []
