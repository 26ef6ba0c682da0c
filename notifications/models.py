"""The outbox: every message to a person is a row here, sent exactly once.

Apps above (meetings, indicators, improvement, the living charter) add rows and register
how each kind becomes an e-mail (notifications/emails.py); the dispatcher and the sender
(notifications/services.py) do the rest. The tables keep their first names
(`meetings_reminder`, `meetings_reminderpreference`): the rows moved with the code.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """One message to one person, sent exactly once.

    `subject` names what the message is about (an occurrence, a version of a series, an
    indicator's period); with the person, the kind and the offset it is unique, so
    however often reminders are planned, a message exists once. A beat task finds due
    rows; the send task claims a row (pending -> sending) before sending, so a second
    delivery of the task finds nothing to do.
    """

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting reminders")
        MEETING_UPDATE = "meeting_update", _("Meeting invitations and changes")
        MINUTES = "minutes", _("Meeting minutes")
        MEASUREMENT_DUE = "measurement_due", _("Measurement due")
        MEASUREMENT_OVERDUE = "measurement_overdue", _("Measurement overdue")
        # Sent for the improvement app (its builders are in improvement/steering.py).
        CHECKIN = "checkin", _("Weekly check-ins")
        GAP_SUMMARY = "gap_summary", _("Gap-analysis meeting summaries")
        # The charter's and the teams' e-mails (charter/emails.py, teams/emails.py).
        CHARTER_PUBLISHED = "charter_published", _("New versions of the charter")
        INVITATION = "invitation", _("Invitations to join a team")
        # Sent for the coaching app (coaching/reminders.py).
        COACHING_REVIEW = "coaching_review", _("Objective review dates")
        # Sent for the client voice (interviews/reminders.py): the interviewer's
        # reminders, and the one "you said, we did" e-mail to a stakeholder's address.
        INTERVIEW = "interview", _("Client interviews")
        INTERVIEW_FOLLOW_UP = "interview_follow_up", _("Follow-ups to interviewed clients")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        SKIPPED = "skipped", _("Turned off")
        FAILED = "failed", _("Failed")

    # The person, or for someone without an account yet (an invitation) the address.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    subject = models.CharField(max_length=120)
    offset_minutes = models.IntegerField(default=0)
    # What a meeting message is about. Named by string: the models stay where meetings
    # keeps them, and nothing here imports that app.
    occurrence = models.ForeignKey(
        "meetings.Occurrence",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    meeting = models.ForeignKey(
        "meetings.SteeringMeeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "meetings_reminder"
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "user", "kind", "offset_minutes"],
                name="one_reminder_per_subject_person_kind_offset",
            ),
            models.UniqueConstraint(
                fields=["subject", "email", "kind"],
                condition=Q(user__isnull=True),
                name="one_message_per_subject_address_kind",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""),
                name="reminder_has_a_recipient",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "sending", "sent", "cancelled", "skipped", "failed"]
                ),
                name="reminder_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="sending", claimed_at__isnull=False, claim__isnull=False)
                | ~Q(status="sending"),
                name="reminder_sending_is_claimed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(status="pending"), name="reminder_pending_due_idx"
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="reminder_sending_claimed_idx",
            ),
            models.Index(fields=["user", "status", "due_at"], name="reminder_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} → {self.user_id} at {self.due_at:%Y-%m-%d %H:%M}"


class ReminderPreference(models.Model):
    """A kind of reminder a person turned off (no row: the kind is on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    kind = models.CharField(max_length=24, choices=Reminder.Kind.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        db_table = "meetings_reminderpreference"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {'on' if self.enabled else 'off'}"


# The kinds a person can turn off on My reminders (an invitation goes to someone who
# has no settings yet).
# Messages to an address rather than to a person of the app: nobody to ask.
TO_AN_ADDRESS = {Reminder.Kind.INVITATION, Reminder.Kind.INTERVIEW_FOLLOW_UP}
OPTIONAL_KINDS = [kind for kind in Reminder.Kind if kind not in TO_AN_ADDRESS]
