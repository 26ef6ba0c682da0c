"""The objective's review-date e-mail, sent through the notifications app's exactly-once
Reminder rows (one per person, objective and review date: planning twice queues once).

Everything that touches the reminder machinery is here and in
`services.objective_review_remind`, so moving it to another app is a change of imports.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from notifications import emails
from notifications.models import Reminder

from .models import Objective

KIND = Reminder.Kind.COACHING_REVIEW
REVIEW_HOUR = 9


def review_subject(objective: Objective, review_on: date) -> str:
    return f"objective:{objective.pk}:{review_on.isoformat()}"


def review_plan(*, objective: Objective, review_on: date, time_zone: str) -> int:
    """Queues the review e-mail to both people at 9:00 on the review date (team time),
    and cancels the pending ones of an earlier review date."""
    subject = review_subject(objective, review_on)
    Reminder.objects.filter(
        kind=KIND,
        subject__startswith=f"objective:{objective.pk}:",
        status=Reminder.Status.PENDING,
    ).exclude(subject=subject).update(status=Reminder.Status.CANCELLED)
    due_at = datetime.combine(review_on, time(REVIEW_HOUR), tzinfo=ZoneInfo(time_zone))
    rows = [
        Reminder(user_id=pk, kind=KIND, subject=subject, due_at=due_at)
        for pk in (objective.manager_id, objective.member_id)
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def review_message(reminder: Reminder):
    """The review e-mail, or None when it is no longer needed (the objective was closed,
    its review date moved, or the person is no longer one of its two people)."""
    try:
        _kind, pk, day = reminder.subject.split(":")
        day = date.fromisoformat(day)
    except ValueError:
        return None
    objective = (
        Objective.objects.select_related("team", "current", "manager", "member")
        .filter(pk=pk, closed_at__isnull=True)
        .first()
    )
    if objective is None or not objective.is_party(reminder.user):
        return None
    if objective.current is None or objective.current.review_on != day:
        return None
    other = objective.member if reminder.user_id == objective.manager_id else objective.manager
    context = {
        "objective": objective,
        "person": reminder.user,
        "other": other,
        "url": settings.SITE_URL
        + reverse("coaching:objective", args=[objective.team.slug, objective.pk]),
    }
    subject = emails.render_text("coaching/email/review_subject.txt", context).strip()
    return subject, emails.render_text("coaching/email/review_body.txt", context), []


def register() -> None:
    emails.register_builder(KIND, review_message)
